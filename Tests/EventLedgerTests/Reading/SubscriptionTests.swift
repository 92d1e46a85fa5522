import EventLedger
import LedgerTestSupport
import Foundation
import Testing

@Suite("Subscriptions")
struct SubscriptionTests {
    @Test(arguments: Backend.allCases) func catchesUpThenFollowsNewCommitsOfThisProcess(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        for n in 1...5 { _ = try await ledger.append(Fixture.event(payload: "\(n)")) }
        let received = Task {
            var positions = [UInt64]()
            for try await event in ledger.subscribe(from: 3, batchSize: 2) {
                positions.append(event.position)
                if positions.count == 6 { break }
            }
            return positions
        }
        try await Task.sleep(for: .milliseconds(100))
        for n in 6...8 { _ = try await ledger.append(Fixture.event(payload: "\(n)")) }
        let positions = try await received.value
        #expect(positions == [3, 4, 5, 6, 7, 8])
    }

    // LMDB only: another process shares a log on disk, not this process's memory.
    @Test(arguments: [Backend.lmdb]) func followsCommitsOfAnotherProcess(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let received = Task {
            var count = 0
            for try await _ in ledger.subscribe(from: 1) {
                count += 1
                if count == 31 { break }
            }
            return count
        }
        let child = try Fixture.run("LedgerTestChild", [dir.path, "count", "30"])
        #expect(child.status == 0, "\(child.error)")
        #expect(try await received.value == 31)
    }

    @Test(arguments: Backend.allCases) func cancellingTheTaskEndsTheSubscription(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let task = Task {
            var count = 0
            for try await _ in ledger.subscribe() { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(try await task.value == 0)
    }
}
