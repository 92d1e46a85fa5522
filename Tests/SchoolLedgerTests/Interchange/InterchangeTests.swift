import EventLedger
import Foundation
import LedgerTestSupport
@testable import SchoolLedger
import Testing

@Suite("Interchange: stored form, JSON Lines export and import")
struct InterchangeTests {
    /// A ledger holding every sample event (appended without reference checks).
    static func ledgerWithSamples(_ dir: TemporaryDirectory) async throws -> EventLedger {
        let ledger = try EventLedger.open(at: dir.path)
        let clock = Instant(iso8601: "2026-09-01T08:00:00Z")!
        let events = try SampleEvents.all.enumerated().map { n, event in
            try EventCoding.newEvent(
                JournalEntry(
                    event: event, actor: "account-\(n % 5)", occurredAt: clock.adding(microseconds: Int64(n) * 1_000_000),
                    correlationID: n % 4 == 0 ? .generate() : nil))
        }
        _ = try await ledger.append(events)
        return ledger
    }

    /// Writes `ledger`'s export to a new file at `path`; returns the count.
    static func export(_ ledger: EventLedger, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return try JournalExport.write(ledger, to: handle)
    }

    @Test func everyEventTypeRoundTripsThroughTheStoredRecord() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await Self.ledgerWithSamples(dir)
        // The journal judges the samples when it opens the ledger: what clause 11
        // derives from them (their voids are samples, not the rule's) follows them.
        let read = try SchoolJournal(ledger: ledger).entries().map(\.entry.event)
        #expect(Array(read.prefix(SampleEvents.all.count)) == SampleEvents.all)
        #expect(read.dropFirst(SampleEvents.all.count).allSatisfy { $0.eventType == "OperationsVoided" || $0.eventType == "VoidsLifted" })
        #expect(Set(read.map(\.eventType)) == Set(SchoolEvent.allEventTypes))
    }

    @Test func exportThenImportIntoAnEmptyLedgerGivesTheSameChainHead() async throws {
        let source = TemporaryDirectory("source")
        let target = TemporaryDirectory("target")
        let original = try await Self.ledgerWithSamples(source)
        let file = source.sub("export.jsonl")
        let count = try Self.export(original, to: file)
        #expect(count == SampleEvents.all.count)

        let copy = try EventLedger.open(at: target.path)
        let first = try await JournalImport.importFile(at: file, into: copy)
        #expect(first.appended == count)
        #expect(try copy.head() == (try original.head()))

        let second = try await JournalImport.importFile(at: file, into: copy)
        #expect(second.appended == 0)
        #expect(second.skipped == count)
        #expect(try copy.head() == (try original.head()))
    }

    /// Exports the samples, applies `damage` to the given line, imports into a
    /// fresh ledger and returns the refusal.
    func importDamaged(line: Int, _ damage: (String) -> String) async throws -> (InterchangeError?, EventLedger) {
        let source = TemporaryDirectory("source")
        let target = TemporaryDirectory("target")
        let original = try await Self.ledgerWithSamples(source)
        let pipe = source.sub("export.jsonl")
        _ = try Self.export(original, to: pipe)
        var lines = try String(contentsOfFile: pipe, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[line - 1] = damage(lines[line - 1])
        try (lines.joined(separator: "\n") + "\n").write(toFile: pipe, atomically: true, encoding: .utf8)
        let copy = try EventLedger.open(at: target.path)
        let error = await #expect(throws: InterchangeError.self) { try await JournalImport.importFile(at: pipe, into: copy) }
        return (error, copy)
    }

    @Test func aLineThatIsNotJSONRejectsTheFileWithItsLineNumber() async throws {
        let (error, copy) = try await importDamaged(line: 3) { String($0.dropLast(5)) }
        #expect(error?.line == 3)
        #expect(try copy.head().position == 0)
    }

    @Test func anEventBreakingAFieldRuleRejectsTheFileNamingLineFieldAndRule() async throws {
        let markLine = SampleEvents.all.firstIndex { $0.eventType == "MarkRecorded" }! + 1
        let (error, copy) = try await importDamaged(line: markLine) { line in
            line.replacingOccurrences(of: #""weight":"#, with: #""weight":42, "ignored":"#)
        }
        #expect(error?.line == markLine)
        #expect(try copy.head().position == 0)
        let (weightError, _) = try await importDamaged(line: markLine) { line in
            // Any weight outside 1...10.
            line.replacing(#/"weight":\d+/#, with: #""weight":11"#)
        }
        #expect(weightError?.line == markLine)
        #expect(weightError?.field == "weight")
        #expect(weightError?.rule.contains("1...10") == true)
    }

    @Test func aTypeThatDisagreesWithThePayloadIsRefused() async throws {
        let (error, _) = try await importDamaged(line: 2) { line in
            line.replacing(#/"type":"[A-Za-z]+"/#, with: #""type":"MarkRecorded""#)
        }
        #expect(error?.line == 2)
        #expect(error?.field == "type")
    }
}
