import EventLedger
import LedgerTestSupport
import Synchronization
import Testing

@Suite("Group commit and concurrency")
struct GroupCommitTests {
    @Test func eightWritersAndEightReadersKeepPositionsGaplessAndSnapshotsConsistent() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        let writers = 8
        let appendsPerWriter = 60
        let stop = StopFlag()
        let positions = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for w in 0..<writers {
                group.addTask {
                    var mine = [UInt64]()
                    for i in 0..<appendsPerWriter {
                        let size = 1 + (w + i) % 3
                        let events = (0..<size).map { _ in Fixture.event("w\(w)", actor: "writer-\(w)") }
                        mine += try await ledger.append(events).positions
                    }
                    return mine
                }
            }
            for _ in 0..<8 {
                group.addTask {
                    // Each snapshot's records run 1...head without a gap, and
                    // each stream's versions run 1...version.
                    while !stop.isSet {
                        try ledger.read { reader in
                            let head = try reader.head()
                            var expected: UInt64 = 1
                            try reader.forEach { view in
                                #expect(view.position == expected)
                                expected += 1
                                return true
                            }
                            #expect(expected == head.position + 1)
                        }
                        await Task.yield()
                    }
                    return []
                }
            }
            var all = [UInt64]()
            var finishedWriters = 0
            for try await batch in group where !batch.isEmpty {
                all += batch
                finishedWriters += 1
                if finishedWriters == writers { stop.set() }
            }
            return all
        }
        let total = try ledger.head().position
        #expect(positions.sorted() == Array(1...total))
        #expect(try ledger.verify().isIntact)
        for w in 0..<writers {
            let versions = try ledger.events(inStream: "w\(w)").map(\.streamVersion)
            #expect(versions == Array(1...UInt64(versions.count)))
        }
    }

    @Test func aRefusedAppendInAGroupDoesNotUndoTheOthers() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event("taken"))
        // Many appends at once, so that they share transactions; every third
        // one expects a version that is wrong and must be refused alone.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<90 {
                group.addTask {
                    do {
                        if i % 3 == 0 {
                            _ = try await ledger.append(Fixture.event("taken"), expecting: .noStream)
                        } else {
                            _ = try await ledger.append(Fixture.event("free-\(i)"))
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var results = [Bool]()
            for await r in group { results.append(r) }
            return results
        }
        #expect(outcomes.filter { $0 }.count == 60)
        #expect(try ledger.head().position == 61)
        #expect(try ledger.streamVersion("taken") == 1)
        #expect(try ledger.verify().isIntact)
    }
}

/// A flag shared by the writers' and readers' tasks.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
