import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// A child appends marks, breach notices, withdrawals and resets through a
/// journal (the invalidator voiding in each notice's transaction) and is
/// killed with SIGKILL at random moments. After each kill: the chain holds,
/// every acknowledged append is there, the voids the invalidator declared are
/// exactly clause 11's, and the journal index equals a rebuild.
@Suite("The invalidator under SIGKILL", .serialized)
struct InvalidatorCrashTests {
    @Test func killedWhileVoidingTheLedgerStaysExact() async throws {
        let dir = TemporaryDirectory("invalidator-crash")
        var acknowledged = [(UInt64, EventID)]()
        let rounds = Fixture.stressRounds(quick: 8)
        for round in 0..<rounds {
            acknowledged += try Fixture.runChildAndKill(
                dir.path, mode: "breaches", millis: Int.random(in: 60...300) + (round == 0 ? 400 : 0)
            ).acknowledged
            let journal = try SchoolJournal.open(at: dir.path)
            #expect(try journal.ledger.verify().isIntact, "after kill \(round + 1)")
            let log = try journal.entries()
            #expect(ClauseElevenOracle.declared(log) == ClauseElevenOracle.voided(log), "after kill \(round + 1)")
            #expect(try await journal.ledger.check(JournalIndexProjection().name).isEmpty, "after kill \(round + 1)")
            try journal.ledger.read { reader in
                for (position, id) in acknowledged {
                    let view = try #require(
                        try reader.record(at: position), "acknowledged position \(position) is missing after kill \(round + 1)")
                    #expect(view.id == id)
                }
            }
        }
        #expect(acknowledged.count > 0)
    }
}
