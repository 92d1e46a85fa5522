import EventLedger
import Foundation
import LedgerPostgres
import LedgerTestSupport
import Testing

/// Several application servers ("nodes", here processes) on one ledger on
/// PostgreSQL, as a region runs them.
@Suite("Nodes of one ledger on PostgreSQL")
struct PostgresNodeTests {
    @Test func twoNodesAppendWhileAThirdRebuildsAndQueries() async throws {
        let name = "nodes-\(UUID().uuidString)"
        let environment = try TestPostgres.childEnvironment(ledger: name)
        let third = TemporaryDirectory("node-c"), a = TemporaryDirectory("node-a"), b = TemporaryDirectory("node-b")
        let ledger = try EventLedger.open(storage: PostgresLogStorage(TestPostgres.location(ledger: name)), readModels: third.path)
        try ledger.register(EventTypeCounts())
        let perNode = 150
        let nodes = try [a, b].map { dir in
            try ChildProcess("LedgerTestChild", [dir.path, "node", "\(perNode)", "\(2 * perNode)"], environment: environment)
        }
        // The third node rebuilds and reads the model while the two append.
        var rebuilds = 0
        let deadline = ContinuousClock.now + .seconds(180)
        while nodes.contains(where: { !$0.hasExited }) {
            // A node that stopped leaves the other waiting for the whole count: fail, not hang.
            guard ContinuousClock.now < deadline else {
                let outputs = nodes.map { "\($0.errorOutput)" }
                nodes.forEach { $0.kill() }
                Issue.record("the nodes did not finish in 180 s: \(outputs)")
                return
            }
            try await ledger.rebuild("event-type-counts")
            let (total, checkpoint) = try ledger.readProjection("event-type-counts") { reader in
                (try EventTypeCounts.countsByType(reader).values.reduce(0, +), reader.checkpoint)
            }
            #expect(UInt64(total) == checkpoint, "the model counts every record up to its checkpoint")
            rebuilds += 1
            try await Task.sleep(for: .milliseconds(10))
        }
        for node in nodes { #expect(node.errorOutput.isEmpty, "\(node.errorOutput)") }
        let acknowledged = nodes.flatMap { $0.kill().acknowledged }
        #expect(acknowledged.count == 2 * perNode)
        // Gapless: the acknowledged positions are exactly 1...300, each its event.
        #expect(acknowledged.map(\.0).sorted() == Array(1...UInt64(2 * perNode)))
        #expect(try Fixture.lost(acknowledged, in: ledger).isEmpty)
        let report = try ledger.verify()
        #expect(report.isIntact && report.checkedRecords == UInt64(2 * perNode))
        // Both appending nodes' read models are the same at the same position,
        // and the same as the third's.
        let models = nodes.compactMap { node in node.output.split(separator: "\n").first { $0.hasPrefix("MODEL ") }.map(String.init) }
        #expect(models.count == 2)
        #expect(Set(models).count == 1, "\(models)")
        try await ledger.catchUpProjections()
        let mine = try ledger.readProjection("event-type-counts") { reader in
            "MODEL \(reader.checkpoint) "
                + (try EventTypeCounts.countsByType(reader)).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        #expect(models.first == mine)
        #expect(rebuilds > 0)
    }

    @Test func aKilledNodeLosesNothingAcknowledged() async throws {
        let name = "killed-\(UUID().uuidString)"
        let environment = try TestPostgres.childEnvironment(ledger: name)
        let location = try TestPostgres.location(ledger: name)
        for round in 0..<Fixture.stressRounds(quick: 3) {
            let dir = TemporaryDirectory("killed-node")
            let before = try Self.head(of: location)
            let child = try ChildProcess(
                "LedgerTestChild", [dir.path, round % 2 == 0 ? "batches" : "concurrent"], environment: environment)
            // Wait for some acknowledgements, then SIGKILL mid-append.
            var waited = 0
            while !child.output.contains("ACK ") && waited < 600 && !child.hasExited {
                try await Task.sleep(for: .milliseconds(50))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...400)))
            let (acknowledged, killed) = child.kill()
            #expect(killed, "\(child.errorOutput)")
            #expect(!acknowledged.isEmpty, "\(child.errorOutput)")
            let after = TemporaryDirectory("after-kill")
            let ledger = try EventLedger.open(storage: PostgresLogStorage(location, create: false), readModels: after.path)
            #expect(try Fixture.lost(acknowledged, in: ledger).isEmpty)
            let head = try ledger.head()
            #expect(head.position >= before + UInt64(acknowledged.count))
            let report = try ledger.verify()
            #expect(report.isIntact && report.checkedRecords == head.position)
            // The ledger takes appends again, right after the last committed record.
            let next = try await ledger.append(Fixture.event())
            #expect(next.positions == [head.position + 1])
        }
    }

    static func head(of location: PostgresLocation) throws -> UInt64 {
        let dir = TemporaryDirectory("head")
        return try EventLedger.open(storage: PostgresLogStorage(location), readModels: dir.path).head().position
    }
}
