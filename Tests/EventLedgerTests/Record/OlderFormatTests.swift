import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A ledger written by an older version (record format 1, kept in
/// `Tests/Fixtures/format-1-ledger`) is read, verified and extended by this
/// one, which writes format 2.
@Suite("Ledgers written by record format 1")
struct OlderFormatTests {
    static let fixture = Fixture.repositoryRoot.appendingPathComponent("Tests/Fixtures/format-1-ledger").path

    /// A copy of the fixture to open (the fixture itself is never opened).
    static func copy() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory("format-1")
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture + "/data.mdb", toPath: dir.path + "/data.mdb")
        return dir
    }

    /// The position and hash the older version gave its last record.
    static func writtenHead() throws -> (position: UInt64, hash: String) {
        let parts = try String(contentsOfFile: fixture + "/head.txt", encoding: .utf8).split(separator: " ")
        return (UInt64(parts[0])!, parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The ledger format stored in `ledger.meta`, read by `mdb_dump` as a tool would.
    static func storedFormat(_ dir: String) throws -> String {
        let dump = try Spawned("/usr/bin/mdb_dump", ["-s", "ledger.meta", dir])
        #expect(dump.wait().status == 0, "mdb_dump failed: is lmdb-utils installed (make test installs it)?")
        let lines = dump.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let key = try #require(lines.firstIndex(of: Array("format".utf8).map { String(format: "%02x", $0) }.joined()))
        return lines[key + 1]
    }

    /// Every record's stored bytes, by position.
    static func storedBytes(_ ledger: EventLedger) throws -> [[UInt8]] {
        try ledger.read { reader in
            var all = [[UInt8]]()
            try reader.forEach { view in
                all.append(Array(view.bytes))
                return true
            }
            return all
        }
    }

    @Test func aFormat1LedgerReadsAndVerifiesWithTheHashesItWasWrittenWith() throws {
        let dir = try Self.copy()
        let written = try Self.writtenHead()
        let ledger = try EventLedger.open(at: dir.path, options: .readOnly)
        let report = try ledger.verify()
        #expect(report.isIntact, "\(report.problem ?? "")")
        #expect(report.checkedRecords == written.position)
        #expect(report.head.hash.hex == written.hash)
        try ledger.read { reader in
            var previous = ChainHash.genesis
            var count = 0
            try reader.forEach { view in
                #expect(view.recordFormat == 1)
                #expect(view.hashIsIntact(after: previous))
                let before = try reader.chainHash(before: view.position)
                #expect(before == previous)
                #expect(view.stream == "stream-\((count + 1) % 5)")
                #expect(String(decoding: view.payload, as: UTF8.self) == "payload \(count + 1) — оценка")
                previous = view.hash
                count += 1
                return true
            }
            #expect(count == 48)
        }
        #expect(try Self.storedFormat(dir.path) == "00000001")
    }

    @Test func appendingWritesFormat2AfterTheOldRecordsAndMarksTheLedger() async throws {
        let dir = try Self.copy()
        let written = try Self.writtenHead()
        let clock = ManualClock(Instant(iso8601: "2026-09-02T08:00:00Z")!)
        do {
            let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(clock: clock))
            let before = try Self.storedBytes(ledger)
            // Opened for writing but not written: older versions may still read it.
            #expect(try Self.storedFormat(dir.path) == "00000001")
            for batch in 0..<2 {
                _ = try await ledger.append(
                    (0..<5).map { n in
                        Fixture.event("stream-\(n % 3)", type: "MarkRecorded", actor: "teacher-\(n)", payload: "новая \(batch)-\(n)")
                    })
            }
            let after = try Self.storedBytes(ledger)
            #expect(after.count == 58)
            #expect(Array(after.prefix(48)) == before, "the old records were rewritten")
            let report = try ledger.verify()
            #expect(report.isIntact, "\(report.problem ?? "")")
            #expect(report.checkedRecords == 58)
            try ledger.read { reader in
                let last = try #require(try reader.record(at: 48))
                #expect(last.hash.hex == written.hash)
                let first = try #require(try reader.record(at: 49))
                #expect(first.recordFormat == 2)
                #expect(first.hashIsIntact(after: last.hash))
                // The new record chains after the old one's hash, and its stream goes on from the old records.
                #expect(first.streamVersion > 1 && first.previousInStream != 0 && first.previousInStream <= 48)
            }
            // The new records start with the event id (field 2), the old ones with the position (field 1).
            #expect(after.prefix(48).allSatisfy { $0.first == 0x08 })
            #expect(after.suffix(10).allSatisfy { $0.first == 0x12 })
            #expect(try Self.storedFormat(dir.path) == "00000002")
        }
        // A forged byte in an old record and in a new one is found where it is.
        for (original, forged, position) in [("payload 47 ", "payload 74 ", UInt64(47)), ("новая 1-3", "новая 3-1", UInt64(57))] {
            let copy = TemporaryDirectory("forged")
            try FileManager.default.createDirectory(atPath: copy.path, withIntermediateDirectories: true)
            try Fixture.copyDataFile(from: dir.path, to: copy.path, replacing: original, with: forged)
            let report = try EventLedger.open(at: copy.path, options: .readOnly).verify()
            #expect(report.firstBadPosition == position)
        }
    }

    @Test func aRecordWithOnlyOneOfTheTwoFormat1FieldsIsRefusedNamingIt() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let stored = try #require(try Self.storedBytes(ledger).first)
        // Field 1 (the position, varint 1) in front of a format-2 record: a position without the previous hash.
        let withPosition = [0x08, 0x01] + stored
        _ = withPosition.withUnsafeBytes { bytes in
            #expect {
                _ = try RecordView(decoding: bytes, storedAt: 1)
            } throws: { error in
                (error as? LedgerError)?.message.contains("its position but not the previous hash") == true
            }
        }
    }
}
