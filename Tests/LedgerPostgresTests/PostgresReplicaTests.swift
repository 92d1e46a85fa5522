import EventLedger
import Foundation
import LedgerPostgres
import LedgerTestSupport
import Testing

/// The loss of the machine: a primary with a synchronous streaming replica,
/// the primary killed while a node appends, the replica promoted. Runs under
/// `make stress` (it needs a cluster of its own, durable, and a few seconds).
@Suite("A synchronous PostgreSQL replica promoted after its primary is killed")
struct PostgresReplicaTests {
    /// Runs the cluster script and returns what it printed.
    static func cluster(_ arguments: String...) throws -> String {
        try TestPostgres.script(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCHOOLLEDGER_STRESS_ROUNDS"] != nil))
    func thePromotedReplicaHoldsEveryAcknowledgedAppend() async throws {
        for round in 0..<min(Fixture.stressRounds(quick: 1), 5) {
            let dir = NSTemporaryDirectory() + "schoolledger-replica-\(UUID().uuidString)"
            let urls = try Self.cluster("pair", dir).split(separator: " ").map(String.init)
            defer { _ = try? Self.cluster("stop-pair", dir) }
            let name = "replicated"
            let primary = try PostgresLocation(url: urls[0] + "?ledger=\(name)")
            let node = TemporaryDirectory("replica-node")
            // The ledger exists on the primary before the node starts.
            _ = try PostgresLogStorage(primary)
            let child = try ChildProcess(
                "LedgerTestChild", [node.path, round % 2 == 0 ? "batches" : "concurrent"],
                environment: ["SCHOOLLEDGER_TEST_POSTGRES": urls[0], "LEDGER_CHILD_POSTGRES_LEDGER": name])
            var waited = 0
            while !child.output.contains("ACK ") && waited < 600 && !child.hasExited {
                try await Task.sleep(for: .milliseconds(50))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...600)))
            // The machine goes: the primary's postmaster is SIGKILLed mid-append.
            _ = try Self.cluster("kill-primary", dir)
            try await Task.sleep(for: .milliseconds(200))
            let (acknowledged, _) = child.kill()
            #expect(!acknowledged.isEmpty, "\(child.errorOutput)")
            _ = try Self.cluster("promote", dir)
            let replica = try PostgresLocation(url: urls[1] + "?ledger=\(name)")
            let after = TemporaryDirectory("promoted")
            let ledger = try EventLedger.open(storage: PostgresLogStorage(replica, create: false), readModels: after.path)
            let lost = try Fixture.lost(acknowledged, in: ledger)
            #expect(lost.isEmpty, "acknowledged on the primary, missing on the promoted replica: \(lost.prefix(5))")
            let head = try ledger.head()
            let report = try ledger.verify()
            #expect(report.isIntact && report.checkedRecords == head.position)
            // The promoted replica takes appends, right after the last record.
            #expect(try await ledger.append(Fixture.event()).positions == [head.position + 1])
            Fixture.reportStress("PostgreSQL primaries killed, replicas promoted", 1)
        }
    }
}
