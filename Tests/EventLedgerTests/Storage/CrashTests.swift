import EventLedger
import LedgerTestSupport
import Foundation
import Testing

/// Children append in a loop and print each acknowledged position; the test
/// kills them with SIGKILL at random moments and checks that every
/// acknowledged event survived, intact, with the chain whole.
@Suite("Crash safety", .serialized)
struct CrashTests {
    /// Starts the child, lets it run `millis`, kills it, returns what it acknowledged.
    static func runAndKill(_ dir: String, mode: String, millis: Int) throws -> [(UInt64, EventID)] {
        let run = try Fixture.runChildAndKill(dir, mode: mode, millis: millis)
        #expect(run.killed)
        return run.acknowledged
    }

    @Test(arguments: ["batches", "concurrent"])
    func everyAcknowledgedAppendSurvivesSIGKILL(mode: String) throws {
        let dir = TemporaryDirectory("crash")
        var acknowledged = [(UInt64, EventID)]()
        for round in 0..<Fixture.stressRounds(quick: 20) {
            acknowledged += try Self.runAndKill(dir.path, mode: mode, millis: Int.random(in: 40...260) + (round == 0 ? 300 : 0))
            // After each kill: the chain whole and everything acknowledged so far there, intact.
            let ledger = try EventLedger.open(at: dir.path)
            let report = try ledger.verify()
            #expect(report.isIntact, "after kill \(round + 1): \(report)")
            try Self.expectPresent(acknowledged, in: ledger)
        }
        #expect(acknowledged.count > 0)
        let positions = Set(acknowledged.map(\.0))
        #expect(positions.count == acknowledged.count, "a position was acknowledged twice")
    }

    /// Expects every acknowledged `(position, id)` in `ledger` with the payload the child wrote.
    static func expectPresent(_ acknowledged: [(UInt64, EventID)], in ledger: EventLedger) throws {
        let lost = try Fixture.lost(acknowledged, in: ledger)
        #expect(lost.isEmpty, "acknowledged but not intact: \(lost.prefix(5))")
    }
}
