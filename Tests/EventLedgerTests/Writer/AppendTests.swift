import EventLedger
import LedgerTestSupport
import Foundation
import Testing

@Suite("Appending")
struct AppendTests {
    @Test(arguments: Backend.allCases) func positionsAreGaplessFromOneAcrossAppends(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let a = try await ledger.append([Fixture.event(), Fixture.event(), Fixture.event()])
        let b = try await ledger.append(Fixture.event())
        #expect(a.positions == [1, 2, 3])
        #expect(b.positions == [4])
        #expect(try ledger.events().map(\.position) == [1, 2, 3, 4])
        #expect(try ledger.head().position == 4)
    }

    @Test(arguments: Backend.allCases) func recordsKeepEveryFieldTheCallerGave(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock))
        let correlation = EventID.random()
        let cause = EventID.generate()
        let event = NewEvent(
            stream: "student/S-1", type: "MarkRecorded", schemaVersion: 2, actor: "teacher-1",
            occurredAt: Instant(iso8601: "2026-09-02T09:15:00Z")!, correlationID: correlation,
            causationID: cause, payload: [0, 1, 2, 255])
        _ = try await ledger.append(event)
        let stored = try #require(try ledger.events().first)
        #expect(stored.id == event.id)
        #expect(stored.stream == "student/S-1")
        #expect(stored.streamVersion == 1)
        #expect(stored.type == "MarkRecorded")
        #expect(stored.schemaVersion == 2)
        #expect(stored.actor == "teacher-1")
        #expect(stored.occurredAt == event.occurredAt)
        #expect(stored.recordedAt == clock.now())
        #expect(stored.correlationID == correlation)
        #expect(stored.causationID == cause)
        #expect(stored.payload == [0, 1, 2, 255])
    }

    @Test(arguments: Backend.allCases) func streamVersionsCountEachStreamSeparately(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let r = try await ledger.append([Fixture.event("x"), Fixture.event("y"), Fixture.event("x")])
        #expect(r.streamVersions == [1, 1, 2])
        #expect(try ledger.streamVersion("x") == 2)
        #expect(try ledger.streamVersion("y") == 1)
        #expect(try ledger.streamVersion("never") == 0)
    }

    @Test(arguments: Backend.allCases) func retryWithTheSameEventsReturnsOriginalPositionsAndAppendsNothing(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let batch = [Fixture.event(), Fixture.event("t")]
        let first = try await ledger.append(batch)
        _ = try await ledger.append(Fixture.event())
        let headBefore = try ledger.head()
        let retry = try await ledger.append(batch)
        #expect(retry.wasDuplicate)
        #expect(retry.positions == first.positions)
        #expect(retry.recordedAt == first.recordedAt)
        #expect(try ledger.head() == headBefore)
    }

    @Test(arguments: Backend.allCases) func sameIDWithDifferentBodyIsAConflictAndAppendsNothing(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let original = Fixture.event(payload: "mark 4")
        _ = try await ledger.append(original)
        var changed = original
        changed.payload = Array("mark 5".utf8)
        let head = try ledger.head()
        let error = await #expect(throws: LedgerError.self) { try await ledger.append(changed) }
        #expect(error?.code == .eventIDConflict)
        #expect(error?.eventID == original.id)
        #expect(error?.position == 1)
        #expect(try ledger.head() == head)
    }

    @Test(arguments: Backend.allCases) func mixingStoredAndNewEventsIsRefused(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let stored = Fixture.event()
        _ = try await ledger.append(stored)
        let fresh = Fixture.event()
        let error = await #expect(throws: LedgerError.self) { try await ledger.append([stored, fresh]) }
        #expect(error?.code == .duplicateEventID)
        #expect(error?.eventID == fresh.id)
        #expect(try ledger.head().position == 1)
    }

    /// A stored id found after new events of the same append: the new ones
    /// were written into the transaction before the id was met, and none of
    /// them stays.
    @Test(arguments: Backend.allCases) func aStoredIDAfterNewEventsIsRefusedAndTheNewOnesAreNotKept(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let stored = Fixture.event()
        _ = try await ledger.append(stored)
        let fresh = [Fixture.event(), Fixture.event("t")]
        let error = await #expect(throws: LedgerError.self) { try await ledger.append(fresh + [stored]) }
        #expect(error?.code == .duplicateEventID)
        #expect(error?.eventID == fresh[0].id)
        #expect(error?.position == 1)
        #expect(try ledger.head().position == 1)
        #expect(try ledger.streamVersion("t") == 0)
        #expect(try await ledger.append(fresh).positions == [2, 3])
    }

    /// Concurrent appends, written as groups: retries of stored appends (some
    /// racing their original into the same group), changed bodies, appends
    /// mixing stored and new ids, and new appends. Each gets the answer it
    /// would get alone, and the log holds each new event once.
    @Test(arguments: Backend.allCases) func retriesConflictsAndMixesInAGroupGetTheAnswerEachGetsAlone(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let stored = (0..<6).map { [Fixture.event("s-\($0)"), Fixture.event("t")] }
        var original = [EventID: UInt64]()
        for events in stored {
            let result = try await ledger.append(events)
            for (event, position) in zip(events, result.positions) { original[event.id] = position }
        }
        enum Kind: Sendable { case retry, conflict, mix, fresh, racing }
        var requests = [(Kind, [NewEvent])]()
        for events in stored { requests.append((.retry, events)) }
        for events in stored.prefix(2) {
            var changed = events
            changed[1].payload = Array("changed".utf8)
            requests.append((.conflict, changed))
        }
        for events in stored.prefix(2) { requests.append((.mix, [Fixture.event("u")] + events)) }
        for n in 0..<8 { requests.append((.fresh, [Fixture.event("f-\(n)"), Fixture.event("t")])) }
        // The same new append twice: one appends, the other is its retry.
        let racing = [Fixture.event("r"), Fixture.event("t")]
        requests += [(.racing, racing), (.racing, racing)]
        requests.shuffle()
        let outcomes = await withTaskGroup(of: (Kind, [NewEvent], Result<AppendResult, LedgerError>).self) { tasks in
            for (kind, events) in requests {
                tasks.addTask {
                    do { return (kind, events, .success(try await ledger.append(events))) } catch let error as LedgerError {
                        return (kind, events, .failure(error))
                    } catch { return (kind, events, .failure(LedgerError(.storage, "\(error)"))) }
                }
            }
            return await tasks.reduce(into: [(Kind, [NewEvent], Result<AppendResult, LedgerError>)]()) { $0.append($1) }
        }
        var racingPositions = [[UInt64]]()
        for (kind, events, outcome) in outcomes {
            switch (kind, outcome) {
            case (.retry, .success(let result)):
                #expect(result.wasDuplicate)
                #expect(result.positions == events.map { original[$0.id]! })
            case (.conflict, .failure(let error)):
                #expect(error.code == .eventIDConflict)
                #expect(error.eventID == events[1].id)
            case (.mix, .failure(let error)):
                #expect(error.code == .duplicateEventID)
                #expect(error.eventID == events[0].id)
            case (.fresh, .success(let result)):
                #expect(!result.wasDuplicate)
                #expect(result.positions.count == 2)
            case (.racing, .success(let result)):
                racingPositions.append(result.positions)
            default:
                Issue.record("\(kind) got \(outcome)")
            }
        }
        #expect(racingPositions.count == 2)
        #expect(Set(racingPositions).count == 1)
        // The stored 12, eight new appends of two, and the racing pair once.
        #expect(try ledger.head().position == 12 + 16 + 2)
        let ids = try ledger.events().map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(try ledger.streamVersion("u") == 0)
        #expect(try ledger.verify().isIntact)
    }

    /// Retries of appends another process made, sent while this process's
    /// ledger is open: alone and together in one group with a new append,
    /// each retry gets the other process's positions; a changed body is a
    /// conflict; nothing is written twice.
    @Test func retriesOfAnotherProcesssAppendsGetItsPositions() async throws {
        let dir = TemporaryDirectory()
        let ledger = try Backend.lmdb.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let child = try ChildProcess("LedgerTestChild", [dir.path, "count", "12"])
        while !child.hasExited { try await Task.sleep(for: .milliseconds(10)) }
        let acknowledged = child.output.split(separator: "\n").compactMap { line -> (UInt64, String)? in
            let parts = line.split(separator: " ")
            return parts.count == 3 && parts[0] == "ACK" ? (UInt64(parts[1])!, String(parts[2])) : nil
        }
        try #require(acknowledged.count == 12, "\(child.errorOutput)")
        let theirs = try ledger.events(from: 2).map { stored in
            NewEvent(
                id: stored.id, stream: stored.stream, type: stored.type, schemaVersion: stored.schemaVersion, actor: stored.actor,
                occurredAt: stored.occurredAt, correlationID: stored.correlationID, causationID: stored.causationID, payload: stored.payload
            )
        }
        #expect(theirs.map(\.id.description) == acknowledged.map(\.1))
        let alone = try await ledger.append(theirs[0])
        #expect(alone.wasDuplicate && alone.positions == [acknowledged[0].0])
        let fresh = Fixture.event("mine")
        let outcomes = try await withThrowingTaskGroup(of: (Int, AppendResult).self) { tasks in
            for index in 1..<theirs.count { tasks.addTask { [event = theirs[index]] in (index, try await ledger.append(event)) } }
            tasks.addTask { (-1, try await ledger.append(fresh)) }
            return try await tasks.reduce(into: [Int: AppendResult]()) { $0[$1.0] = $1.1 }
        }
        for index in 1..<theirs.count {
            #expect(outcomes[index]?.wasDuplicate == true)
            #expect(outcomes[index]?.positions == [acknowledged[index].0])
        }
        #expect(outcomes[-1]?.wasDuplicate == false)
        #expect(outcomes[-1]?.positions == [14])
        var changed = theirs[5]
        changed.payload = Array("changed".utf8)
        let conflict = await #expect(throws: LedgerError.self) { try await ledger.append(changed) }
        #expect(conflict?.code == .eventIDConflict)
        #expect(conflict?.position == acknowledged[5].0)
        #expect(try ledger.head().position == 14)
        #expect(try ledger.verify().isIntact)
    }

    /// Ids that rise through an append cannot repeat; once they stop rising,
    /// up to a dozen events are compared in place and more through a set.
    /// Each way finds an id repeated anywhere in the append, whatever the
    /// order of the ids before it (as made, reversed, shuffled).
    @Test(
        arguments: Backend.allCases,
        [(2, "made"), (12, "made"), (13, "made"), (40, "made"), (5, "reversed"), (40, "reversed"), (40, "shuffled")])
    func theSameIDTwiceInOneAppendIsRefused(backend: Backend, shape: (count: Int, order: String)) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let count = shape.count
        var events = (0..<count).map { _ in Fixture.event() }
        if shape.order == "reversed" { events.reverse() }
        if shape.order == "shuffled" { events.shuffle() }
        let repeated = events[count / 3]
        events[count - 1] = repeated
        let error = await #expect(throws: LedgerError.self) { try await ledger.append(events) }
        #expect(error?.code == .duplicateEventID)
        #expect(error?.eventID == repeated.id)
        #expect(try ledger.head().position == 0)
        // The same events with the repeat replaced are one valid append.
        events[count - 1] = Fixture.event()
        #expect(try await ledger.append(events).positions.count == count)
    }

    /// Stream versions, actor back-pointers and actor counts stay exact when
    /// names come in runs, switch back and forth, and new names arrive in the
    /// middle of a run (the writer keeps the last name's place in its heads,
    /// and a new name moves those places): in one append, across appends, and
    /// in concurrent appends written as one group. Each record is checked
    /// against a count kept here.
    @Test(arguments: Backend.allCases) func streamAndActorHeadsStayExactThroughRunsAndSwitchesOfNames(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        var generator = SystemRandomNumberGenerator()
        func batch(_ count: Int, names: Int) -> [NewEvent] {
            var events = [NewEvent]()
            var stream = "s-0"
            var actor = "a-0"
            for _ in 0..<count {
                // Runs of one name, switches to a known name, and new names.
                if Int.random(in: 0..<4, using: &generator) == 0 { stream = "s-\(Int.random(in: 0..<names, using: &generator))" }
                if Int.random(in: 0..<5, using: &generator) == 0 { actor = "a-\(Int.random(in: 0..<names, using: &generator))" }
                events.append(Fixture.event(stream, actor: actor))
            }
            return events
        }
        var appended = try await ledger.append(batch(300, names: 6)).positions
        appended += try await ledger.append(batch(300, names: 40)).positions
        let concurrent = (0..<8).map { _ in batch(40, names: 60) }
        let group = try await withThrowingTaskGroup(of: [UInt64].self) { tasks in
            for events in concurrent { tasks.addTask { try await ledger.append(events).positions } }
            return try await tasks.reduce(into: [UInt64]()) { $0 += $1 }
        }
        appended += group
        #expect(appended.sorted() == Array(1...UInt64(appended.count)))
        var streams = [String: (version: UInt64, last: UInt64)]()
        var actors = [String: (count: UInt64, last: UInt64)]()
        var wrong = [String]()
        try ledger.read { reader in
            for position in 1...UInt64(appended.count) {
                let view = try #require(try reader.record(at: position))
                let stream = streams[view.stream] ?? (0, 0)
                let actor = actors[view.actor] ?? (0, 0)
                if view.streamVersion != stream.version + 1 || view.previousInStream != stream.last || view.previousByActor != actor.last {
                    wrong.append(
                        "\(position): \(view.stream) v\(view.streamVersion) after \(view.previousInStream), \(view.actor) after \(view.previousByActor)"
                    )
                }
                streams[view.stream] = (stream.version + 1, position)
                actors[view.actor] = (actor.count + 1, position)
            }
        }
        let wrongRecords = wrong.count
        #expect(wrongRecords == 0, "first: \(wrong.prefix(5))")
        for (name, head) in streams { #expect(try ledger.streamVersion(name) == head.version, "\(name)") }
        // The actors' counts, as the actor index answers them.
        for (name, head) in actors {
            let window = Instant.epoch..<Instant.validRange.upperBound
            #expect(try ledger.events(byActor: name, recordedIn: window).count == Int(head.count), "\(name)")
        }
    }

    @Test(arguments: Backend.allCases) func staleExpectedVersionIsATypedConflictThatAppendsNothing(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append([Fixture.event("class/7B"), Fixture.event("class/7B")])
        let head = try ledger.head()
        let error = await #expect(throws: LedgerError.self) {
            try await ledger.append([Fixture.event("other"), Fixture.event("class/7B")], expecting: ["class/7B": .exactly(1)])
        }
        #expect(error?.code == .wrongExpectedVersion)
        #expect(error?.stream == "class/7B")
        #expect(error?.expectedVersion == .exactly(1))
        #expect(error?.actualVersion == 2)
        #expect(try ledger.head() == head)
        #expect(try ledger.streamVersion("other") == 0)
    }

    @Test(arguments: [
        (ExpectedVersion.noStream, UInt64(0), true), (.noStream, 1, false),
        (.streamExists, 0, false), (.streamExists, 3, true),
        (.exactly(2), 2, true), (.exactly(2), 3, false), (.any, 7, true),
    ])
    func expectedVersionRules(expected: ExpectedVersion, actual: UInt64, satisfied: Bool) {
        #expect(expected.isSatisfied(by: actual) == satisfied)
    }

    @Test(arguments: Backend.allCases) func matchingExpectedVersionsAppend(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append(Fixture.event("s"), expecting: .noStream)
        _ = try await ledger.append(Fixture.event("s"), expecting: .exactly(1))
        _ = try await ledger.append(Fixture.event("s"), expecting: .streamExists)
        #expect(try ledger.streamVersion("s") == 3)
    }

    @Test(arguments: Backend.allCases) func recordedAtNeverDecreasesWhenTheClockStepsBack(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock))
        let first = try await ledger.append(Fixture.event())
        clock.advance(seconds: -3600)
        let second = try await ledger.append(Fixture.event())
        clock.advance(seconds: 7200)
        let third = try await ledger.append(Fixture.event())
        #expect(second.recordedAt == first.recordedAt)
        #expect(third.recordedAt == first.recordedAt.adding(microseconds: 3_600_000_000))
        let times = try ledger.events().map(\.recordedAt)
        #expect(times == times.sorted())
    }

    @Test(arguments: Backend.allCases) func aReadOnlyLedgerRefusesAppends(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        _ = try await backend.open(at: dir.path).append(Fixture.event())
        let reader = try backend.open(at: dir.path, options: .readOnly)
        let error = await #expect(throws: LedgerError.self) { try await reader.append(Fixture.event()) }
        #expect(error?.code == .readOnly)
    }
}
