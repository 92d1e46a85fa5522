import Foundation
@testable import EventLedger
import LedgerTestSupport
import Synchronization
import Testing

@Suite("Group commit and concurrency")
struct GroupCommitTests {
    @Test(arguments: Backend.allCases) func eightWritersAndEightReadersKeepPositionsGaplessAndSnapshotsConsistent(backend: Backend)
        async throws
    {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
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

    @Test(arguments: Backend.allCases) func aRefusedAppendInAGroupDoesNotUndoTheOthers(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
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

/// A group of appends the writer takes at once: held back behind a job
/// until all of them are queued, so they share one transaction for certain.
@Suite("Group commit: one transaction per group")
struct GroupTransactionTests {
    /// Appends `count` events at once while the writer is held, then lets it
    /// take them together; every `refusedEvery`-th one expects a version that
    /// is wrong and every `poisonEvery`-th one is refused by the append rule
    /// after its record was written. Returns which appends succeeded.
    private func appendAsOneGroup(_ ledger: EventLedger, count: Int, refusedEvery: Int? = nil, poisonEvery: Int? = nil) async throws
        -> [Bool]
    {
        let writer = try #require(ledger.writer)
        let release = DispatchSemaphore(value: 0)
        let held = Task { try await writer.submitJob { _ in release.wait() } }
        let appends = (0..<count).map { i in
            Task { () -> Bool in
                do {
                    if let every = refusedEvery, i % every == 0 {
                        _ = try await ledger.append(Fixture.event("taken"), expecting: .noStream)
                    } else if let every = poisonEvery, i % every == 1 {
                        _ = try await ledger.append(Fixture.event("poison-\(i)", type: "Poison"))
                    } else {
                        _ = try await ledger.append(Fixture.event("group-\(i)"))
                    }
                    return true
                } catch let error as LedgerError {
                    #expect(error.code == (i % 3 == 0 ? .wrongExpectedVersion : .appendRuleFailed))
                    return false
                }
            }
        }
        while writer.queuedAppends < count { try await Task.sleep(for: .milliseconds(1)) }
        release.signal()
        try await held.value
        var outcomes = [Bool]()
        for append in appends { outcomes.append(try await append.value) }
        return outcomes
    }

    /// A ledger whose clock moves at every reading, with `gathering` when
    /// given, and one record (`taken`) appended.
    private func tickingLedger(_ dir: TemporaryDirectory, _ backend: Backend, gathering: Duration? = nil) async throws -> EventLedger {
        var options = EventLedger.Options()
        options.clock = TickingClock()
        if let gathering { options.groupCommitGathering = gathering }
        let ledger = try backend.open(at: dir.path, options: options)
        _ = try await ledger.append(Fixture.event("taken"))
        return ledger
    }

    /// Each transaction reads the clock once: records that share a
    /// `recordedAt` under a clock that moves at every reading were written
    /// in one transaction.
    private func recordedAt(_ ledger: EventLedger, from first: UInt64 = 2) throws -> Set<Int64> {
        var instants = Set<Int64>()
        try ledger.read { reader in
            try reader.forEach(from: first) { view in
                instants.insert(view.recordedAt.microsecondsSinceEpoch)
                return true
            }
        }
        return instants
    }

    @Test(arguments: Backend.allCases) func aGroupWithoutRefusalsIsWrittenInOneTransaction(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try await tickingLedger(dir, backend)
        let outcomes = try await appendAsOneGroup(ledger, count: 30)
        #expect(outcomes.allSatisfy { $0 })
        #expect(try ledger.head().position == 31)
        #expect(try recordedAt(ledger).count == 1)
        #expect(try ledger.verify().isIntact)
    }

    /// The group is first written without a nested transaction per append;
    /// a refusal abandons that attempt and the group is written again with
    /// each append isolated, so only the refused ones are left out, whether
    /// refused before writing (a wrong expected version) or after (the
    /// append rule refuses a record already written).
    @Test(arguments: Backend.allCases) func aRefusalInAGroupIsLeftOutAndTheOthersCommitTogether(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        var options = EventLedger.Options()
        options.clock = TickingClock()
        let ledger = try backend.open(at: dir.path, options: options)
        ledger.setAppendRule { reader, appended in
            for position in appended where try reader.record(at: position)?.type == "Poison" { throw Poisoned() }
            return []
        }
        _ = try await ledger.append(Fixture.event("taken"))
        let outcomes = try await appendAsOneGroup(ledger, count: 30, refusedEvery: 3, poisonEvery: 3)
        #expect(outcomes == (0..<30).map { $0 % 3 == 2 })
        #expect(try ledger.head().position == 11)
        #expect(try ledger.streamVersion("taken") == 1)
        #expect(try ledger.events().filter { $0.type == "Poison" }.isEmpty)
        // The refused attempt's clock reading is not in the log: only the second attempt's.
        #expect(try recordedAt(ledger).count == 1)
        #expect(try ledger.verify().isIntact)
        // Positions stay gapless after the redone group.
        _ = try await ledger.append(Fixture.event("after"))
        #expect(try ledger.head().position == 12)
    }

    /// A caller's check asked right before the commit (a signature verified
    /// meanwhile) that refuses undoes its own append, read models included,
    /// and throws its refusal; in a group, only that append is left out.
    @Test(arguments: Backend.allCases) func aRefusalBeforeTheCommitUndoesOnlyItsAppend(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try await tickingLedger(dir, backend)
        try ledger.register(LatestValueProjection())
        // Built over the record already there, so that every append below folds inline.
        try await ledger.catchUpProjections()
        // Alone: nothing of it stays, in the log or in the read model.
        let refused = await #expect(throws: LedgerError.self) {
            try await ledger.append([Fixture.event("alone", type: "Set")]) { LedgerError(.invalidEvent, "refused by the caller") }
        }
        #expect(refused?.message == "refused by the caller")
        #expect(try ledger.head().position == 1)
        #expect(try ledger.readProjection("latest-value") { try LatestValueProjection.model($0) }.isEmpty)
        // In a group held back until all are queued: every fourth refuses.
        let writer = try #require(ledger.writer)
        let release = DispatchSemaphore(value: 0)
        let held = Task { try await writer.submitJob { _ in release.wait() } }
        let appends = (0..<20).map { i in
            Task { () -> String? in
                do {
                    _ = try await ledger.append([Fixture.event("checked-\(i)", type: "Set")]) {
                        i % 4 == 3 ? LedgerError(.invalidEvent, "refused \(i)") : nil
                    }
                    return nil
                } catch let error as LedgerError {
                    return error.message
                }
            }
        }
        while writer.queuedAppends < 20 { try await Task.sleep(for: .milliseconds(1)) }
        release.signal()
        try await held.value
        var outcomes = [String?]()
        for append in appends { outcomes.append(try await append.value) }
        #expect(outcomes == (0..<20).map { $0 % 4 == 3 ? "refused \($0)" : nil })
        #expect(try ledger.head().position == 16)
        let refusedStreams = Set((0..<20).filter { $0 % 4 == 3 }.map { "checked-\($0)" })
        #expect(try ledger.events().filter { refusedStreams.contains($0.stream) }.isEmpty)
        #expect(try recordedAt(ledger).count == 1)
        #expect(
            try Set(ledger.readProjection("latest-value") { try LatestValueProjection.model($0) }.keys)
                == Set(
                    (0..<20).filter { $0 % 4 != 3 }.map { "checked-\($0)" }))
        #expect(try ledger.verify().isIntact)
    }

    /// The appends of a group share the heads they move until the group
    /// ends: a later append of the group sees the stream versions an earlier
    /// one made, though they are not stored yet.
    @Test(arguments: Backend.allCases) func appendsOfOneGroupSeeEachOthersStreamVersions(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try await tickingLedger(dir, backend)
        let writer = try #require(ledger.writer)
        let release = DispatchSemaphore(value: 0)
        let held = Task { try await writer.submitJob { _ in release.wait() } }
        // Ten appends to one stream and ten that each expect it not to exist yet.
        let appends = (0..<20).map { i in
            Task { () -> Bool in
                do {
                    _ = try await ledger.append(Fixture.event("shared"), expecting: i % 2 == 0 ? .any : .noStream)
                    return true
                } catch let error as LedgerError {
                    #expect(error.code == .wrongExpectedVersion)
                    return false
                }
            }
        }
        while writer.queuedAppends < 20 { try await Task.sleep(for: .milliseconds(1)) }
        release.signal()
        try await held.value
        var succeeded = 0
        for append in appends where try await append.value { succeeded += 1 }
        // Only the first `.noStream` of the group can hold, whatever the order the tasks queued in.
        let versions = try ledger.events(inStream: "shared").map(\.streamVersion)
        #expect(succeeded == versions.count)
        #expect((10...11).contains(succeeded))
        #expect(versions == Array(1...UInt64(succeeded)))
        #expect(try recordedAt(ledger).count == 1)
        // The heads were stored when the group ended.
        _ = try await ledger.append(Fixture.event("shared"), expecting: .exactly(UInt64(succeeded)))
        #expect(try ledger.streamVersion("shared") == UInt64(succeeded) + 1)
        #expect(try ledger.verify().isIntact)
    }

    /// After a commit of several callers, the next group is written while
    /// those callers' next appends arrive: they join its transaction.
    @Test(arguments: Backend.allCases) func appendsArrivingWhileAGroupIsWrittenJoinIt(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try await tickingLedger(dir, backend, gathering: .seconds(30))
        // Four callers commit together, so the next group expects four.
        #expect(try await appendAsOneGroup(ledger, count: 4).allSatisfy { $0 })
        let next = try ledger.head().position + 1
        var appends = [Task<AppendResult, any Error>]()
        for i in 0..<4 {
            // The first wakes the writer, which writes it and waits for the others.
            appends.append(Task { try await ledger.append(Fixture.event("late-\(i)")) })
            try await Task.sleep(for: .milliseconds(5))
        }
        for append in appends { _ = try await append.value }
        #expect(try ledger.head().position == next + 3)
        #expect(try recordedAt(ledger, from: next).count == 1)
        #expect(try ledger.verify().isIntact)
    }

    /// A group waiting for callers that do not come commits when its
    /// gathering time is over.
    @Test(arguments: Backend.allCases) func aGroupWaitsNoLongerThanItsGathering(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try await tickingLedger(dir, backend, gathering: .milliseconds(20))
        #expect(try await appendAsOneGroup(ledger, count: 8).allSatisfy { $0 })
        // The next group expects eight callers; one comes.
        let lone = try await ledger.append(Fixture.event("lone"))
        #expect(lone.positions == [10])
        // And the one after it no longer waits for anyone.
        _ = try await ledger.append(Fixture.event("after"))
        #expect(try ledger.head().position == 11)
    }
}

private struct Poisoned: Error {}

/// A clock that moves on by a microsecond at every reading.
private final class TickingClock: LedgerClock {
    private let current = Mutex(Instant(iso8601: "2026-09-01T08:00:00Z")!)
    func now() -> Instant {
        current.withLock {
            $0 = $0.adding(microseconds: 1)
            return $0
        }
    }
}
