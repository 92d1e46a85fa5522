import EventLedger
import LedgerTestSupport
import Foundation
import Testing

@Suite("Hash chain verification")
struct VerificationTests {
    /// A ledger whose record at position `n` carries the payload `MARKER-n-…`.
    static func makeLedger(_ dir: TemporaryDirectory, count: Int = 50) async throws -> EventLedger {
        let ledger = try EventLedger.open(at: dir.path)
        for n in 1...count {
            _ = try await ledger.append(Fixture.event("s\(n % 4)", payload: "MARKER-\(String(format: "%04d", n))-payload"))
        }
        return ledger
    }

    @Test func anUntouchedLedgerVerifies() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await Self.makeLedger(dir)
        let report = try ledger.verify()
        #expect(report.isIntact)
        #expect(report.checkedRecords == 50)
        #expect(report.head == (try ledger.head()))
    }

    @Test(arguments: Backend.allCases) func anEmptyLedgerVerifies(backend: Backend) throws {
        let dir = TemporaryDirectory()
        let report = try backend.open(at: dir.path).verify()
        #expect(report.isIntact)
        #expect(report.head.position == 0)
    }

    @Test func aChangedByteInACopyOfTheDataFileIsNamedByPosition() async throws {
        let dir = TemporaryDirectory()
        let copy = TemporaryDirectory("copy")
        _ = try await Self.makeLedger(dir)
        // "MARKER-0097-…": a plausible forgery of one byte.
        try Fixture.copyDataFile(from: dir.path, to: copy.path, replacing: "MARKER-0037-payload", with: "MARKER-0097-payload")

        let report = try EventLedger.open(at: copy.path, options: .readOnly).verify()
        #expect(report.firstBadPosition == 37)
        #expect(report.checkedRecords == 36)
        #expect(report.head.position == 36)
        #expect(report.problem?.contains("hash") == true)
    }

    @Test func aSavedHeadProvesThePrefixStillHolds() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await Self.makeLedger(dir, count: 10)
        let saved = try ledger.head()
        _ = try await ledger.append([Fixture.event(), Fixture.event()])
        let report = try ledger.verify(against: saved)
        #expect(report.isIntact)
        #expect(report.head == saved)
    }

    @Test func aRewrittenHistoryWithARecomputedChainFailsAgainstTheSavedHead() async throws {
        // Two ledgers whose chains are each valid but whose histories differ
        // from position 1 on: what a rewrite that recomputes every hash leaves.
        let original = TemporaryDirectory()
        let rewritten = TemporaryDirectory("rewritten")
        let saved = try await Self.makeLedger(original, count: 5).head()
        let forged = try EventLedger.open(at: rewritten.path)
        for n in 1...6 { _ = try await forged.append(Fixture.event(payload: "forged \(n)")) }
        #expect(try forged.verify().isIntact)
        let report = try forged.verify(against: saved)
        #expect(!report.isIntact)
        #expect(report.firstBadPosition == 5)
        #expect(report.problem?.contains("rewritten") == true)
    }

    @Test func aHeadBeyondTheEndOfTheLogFails() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await Self.makeLedger(dir, count: 3)
        var head = try ledger.head()
        head.position = 10
        let report = try ledger.verify(against: head)
        #expect(report.firstBadPosition == 4)
        #expect(report.problem?.contains("removed") == true)
    }

    @Test func chainHeadsRoundTripThroughJSON() async throws {
        let dir = TemporaryDirectory()
        let head = try await Self.makeLedger(dir, count: 2).head()
        let json = try JSONEncoder().encode(head)
        #expect(try JSONDecoder().decode(ChainHead.self, from: json) == head)
    }
}
