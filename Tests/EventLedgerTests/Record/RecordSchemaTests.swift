import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The schema in `Schemas/eventledger/v1/record.proto` must describe the bytes
/// the ledger writes: an auditor decodes the log with that file alone.
@Suite("The record schema")
struct RecordSchemaTests {
    static let schemaURL = Fixture.repositoryRoot
        .appendingPathComponent("Schemas/eventledger/v1/record.proto")

    /// `name = number` for each field of `message Record`.
    static func schemaFields() throws -> [String: Int] {
        let text = try String(contentsOf: schemaURL, encoding: .utf8)
        var fields = [String: Int]()
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { " =;".contains($0) })
            if parts.count == 3, !line.trimmingCharacters(in: .whitespaces).hasPrefix("//"), let n = Int(parts[2]) {
                fields[String(parts[1])] = n
            }
        }
        return fields
    }

    @Test func everyStoredFieldHasItsNumberInTheSchema() throws {
        let fields = try Self.schemaFields()
        #expect(
            fields == [
                "position": 1, "event_id": 2, "stream": 3, "stream_version": 4, "type": 5, "schema_version": 6,
                "actor": 7, "occurred_at_us": 8, "recorded_at_us": 9, "correlation_id": 10, "causation_id": 11,
                "previous_in_stream": 12, "previous_by_actor": 13, "payload": 14, "previous_hash": 15, "hash": 16,
            ])
    }

    @Test func aStoredRecordStartsWithTheFieldTagsTheSchemaGives() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let tags: [UInt8] = try ledger.read { reader in
            let view = try #require(try reader.record(at: 1))
            return [view.bytes[0], view.bytes[1]]
        }
        // Format 2 starts with event_id (field 2, length-delimited): tag 0x12, length 16;
        // format 1's position (field 1, varint, tag 0x08) is the key.
        #expect(tags == [0x12, 0x10])
    }
}
