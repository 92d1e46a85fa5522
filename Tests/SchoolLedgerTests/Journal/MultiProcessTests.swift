import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Several processes on one ledger, as a school runs it: two service
/// processes appending through their journals (each with the compromise
/// invalidator in its appends) while the IT staff's CLI rebuilds the read
/// models, verifies the chain, audits and queries. LMDB serialises the
/// writers across processes; every reader works on a snapshot.
@Suite("Several processes on one ledger", .serialized)
struct MultiProcessTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    /// The compromise audit as of `position` (every notice, its window and
    /// the operations it voided), as the CLI prints it (JSON).
    func audit(_ dir: String, asOf position: UInt64) throws -> String {
        let result = try cli("audit", "compromise", "--ledger", dir, "--as-of", "\(position)", "--json")
        #expect(result.status == 0, "audit during appends: \(result.error)")
        return result.output
    }

    @Test func twoServicesAppendWhileTheCLIRebuildsVerifiesAuditsAndQueries() async throws {
        let dir = TemporaryDirectory("multi-process")
        // The journal's databases exist before the services start.
        _ = try SchoolJournal.open(at: dir.path)
        let services = try (0..<2).map { _ in try ChildProcess("LedgerTestChild", [dir.path, "breaches"]) }
        var answers: [(UInt64, String)] = []
        var cliRuns = 0
        // Each round starts four CLI processes on a growing ledger: 20 rounds at most, also under make stress.
        for _ in 0..<min(Fixture.stressRounds(quick: 3), 20) {
            let rebuild = try cli("rebuild", "--ledger", dir.path)
            #expect(rebuild.status == 0, "rebuild during appends: \(rebuild.error)")
            let verify = try cli("verify", "--ledger", dir.path)
            #expect(verify.status == 0, "verify during appends: \(verify.output) \(verify.error)")
            let head = try cli("head", "--ledger", dir.path)
            let position = try JSONDecoder().decode(ChainHead.self, from: Data(head.output.utf8)).position
            answers.append((position, try audit(dir.path, asOf: position)))
            cliRuns += 4
        }
        let runs = services.map { $0.kill() }
        #expect(
            runs.allSatisfy { $0.killed && !$0.acknowledged.isEmpty },
            "both services appended until killed: \(zip(runs, services).map { "killed \($0.killed), \($0.acknowledged.count) acknowledged, stderr: \($1.errorOutput)" })"
        )
        Fixture.reportStress("processes run side by side", 2 + cliRuns)

        // Every acknowledged append of both services is there, once, in one chain.
        let acknowledged = runs.flatMap(\.acknowledged)
        #expect(Set(acknowledged.map(\.0)).count == acknowledged.count, "two services were given the same position")
        let journal = try SchoolJournal.open(at: dir.path)
        #expect(try journal.ledger.verify().isIntact)
        try journal.ledger.read { reader in
            for (position, id) in acknowledged {
                let view = try #require(try reader.record(at: position), "acknowledged position \(position) is missing")
                #expect(view.id == id)
            }
        }
        // Each service's invalidator saw the other's notices: the voids are exactly clause 11's.
        let log = try journal.entries()
        #expect(ClauseElevenOracle.declared(log) == ClauseElevenOracle.voided(log))
        // What the CLI answered while the services appended is what it answers now for the same position.
        #expect(answers.contains { $0.1.contains("\"voided\"") }, "no audit saw a notice")
        for (position, answer) in answers {
            #expect(try audit(dir.path, asOf: position) == answer, "the audit as of \(position)")
        }
        let check = try cli("rebuild", "--ledger", dir.path, "--check")
        #expect(check.status == 0, "\(check.output) \(check.error)")
    }
}
