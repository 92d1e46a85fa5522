import EventLedger
import LedgerTestSupport
@testable import SchoolLedger
import Testing

@Suite("Reading stored records back as school events")
struct EventCodingTests {
    /// A ledger (no journal, so no rule stops it) holding a good mark and,
    /// after it, a `MarkRecorded` whose work kind is unspecified, as a
    /// broken writer would store it; returns the ledger and that position.
    static func ledgerWithABrokenMark(_ dir: TemporaryDirectory) async throws -> (EventLedger, UInt64) {
        let ledger = try EventLedger.open(at: dir.path)
        let at = Instant(iso8601: "2026-09-01T08:00:00Z")!
        let good = MarkRecorded(
            markID: "M-1", studentID: "S-1", lessonID: "L-1", subjectID: "MATH", value: .numeric(5), weight: 1, workKind: .classwork)
        var broken = good
        broken.markID = "M-2"
        var stored = broken.stored
        stored.workKind = .unspecified
        var envelope = Schoolledger_V1_Envelope()
        envelope.payload = .markRecorded(stored)
        _ = try await ledger.append(try EventCoding.newEvent(JournalEntry(event: .markRecorded(good), actor: "t", occurredAt: at)))
        let result = try await ledger.append(
            NewEvent(
                stream: "mark/M-2", type: "MarkRecorded", schemaVersion: 2, actor: "t", occurredAt: at,
                payload: try envelope.serializedBytes()))
        return (ledger, result.positions[0])
    }

    @Test func aRecordThatDoesNotDecodeNamesItsPosition() async throws {
        let dir = TemporaryDirectory()
        let (ledger, position) = try await Self.ledgerWithABrokenMark(dir)
        let error = try ledger.read { reader in
            let view = try #require(try reader.record(at: position))
            return #expect(throws: SchoolSchemaError.self) { try EventCoding.entry(from: view) }
        }
        #expect(error?.position == position)
        #expect(error?.field == "work_kind")
        #expect(error?.message.contains("MarkRecorded at position \(position):") == true)
    }

    @Test func aPayloadThatIsNotAnEnvelopeNamesItsPosition() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        let result = try await ledger.append(
            NewEvent(
                stream: "mark/M-3", type: "MarkRecorded", actor: "t", occurredAt: Instant(iso8601: "2026-09-01T08:00:00Z")!,
                payload: [0xFF, 0xFF, 0xFF]))
        let error = try ledger.read { reader in
            let view = try #require(try reader.record(at: result.positions[0]))
            return #expect(throws: InterchangeError.self) { try EventCoding.entry(from: view) }
        }
        #expect(error?.rule.hasSuffix("in the record at position \(result.positions[0])") == true)
    }
}
