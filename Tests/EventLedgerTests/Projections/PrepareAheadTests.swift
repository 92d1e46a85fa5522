import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// A preparing projection's long folds prepare records ahead on another
/// thread (`PrepareAhead`): the model is the one a plain fold gives, each
/// prepared value reaches the fold of its own record, and a failure stops
/// the fold at its record.
@Suite("Preparing records ahead on another core")
struct PrepareAheadTests {
    /// What the projection saw, by thread, across threads.
    final class Tally: Sendable {
        struct Counts {
            /// Records prepared, by the preparing thread.
            var prepared = [UInt: Int]()
            /// The last position prepared, by thread.
            var lastPrepared = [UInt: UInt64]()
            /// `boom` preparations, by thread.
            var booms = [UInt: Int]()
            /// The threads that folded.
            var folding = Set<UInt>()
            /// Folds given another record's value.
            var mismatched = 0

            /// Records prepared on a thread that did not fold: ahead.
            var preparedAhead: Int { prepared.filter { !folding.contains($0.key) }.values.reduce(0, +) }
            /// `boom` preparations on a folding thread.
            var failedInFold: Int { booms.filter { folding.contains($0.key) }.values.reduce(0, +) }
            /// The last position prepared ahead.
            var lastPreparedAhead: UInt64 { lastPrepared.filter { !folding.contains($0.key) }.values.max() ?? 0 }
        }
        let counts = Mutex(Counts())
    }

    struct PrepareFailed: Error {}

    static var thread: UInt { UInt(pthread_self()) }

    /// ``LatestValueProjection`` whose preparation reads the payload (and
    /// fails on `boom`); its fold checks that the value is its record's.
    struct PreparedLatestValue: PreparingProjection {
        let name = "prepared-latest-value"
        let version = 1
        let databases = ["latest", "count"]
        let eventTypes: Set<String>? = ["Set"]
        let inner = LatestValueProjection()
        let tally: Tally

        func prepare(_ record: RecordView) throws -> [UInt8] {
            let payload = Array(record.payload)
            let boom = payload == Array("boom".utf8)
            tally.counts.withLock {
                $0.prepared[PrepareAheadTests.thread, default: 0] += 1
                $0.lastPrepared[PrepareAheadTests.thread] = max($0.lastPrepared[PrepareAheadTests.thread] ?? 0, record.position)
                if boom { $0.booms[PrepareAheadTests.thread, default: 0] += 1 }
            }
            if boom { throw PrepareFailed() }
            return payload
        }

        func apply(_ record: RecordView, prepared: [UInt8], to store: borrowing ProjectionStore) throws {
            tally.counts.withLock {
                $0.folding.insert(PrepareAheadTests.thread)
                if !prepared.elementsEqual(record.payload) { $0.mismatched += 1 }
            }
            try inner.apply(record, to: store)
        }

        func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
            try apply(record, prepared: prepare(record), to: store)
        }

        func exclusions(in record: RecordView) throws -> ProjectionExclusions? { try inner.exclusions(in: record) }
        func reset(stream: String, in store: borrowing ProjectionStore) throws { try inner.reset(stream: stream, in: store) }
    }

    /// Appends `count` operations in batches of 500 (sets on 7 streams, every 9th a void and every 23rd a restore
    /// of an earlier position); `boomAt` sets the value `boom` at that position.
    static func appendHistory(_ ledger: EventLedger, count: Int, boomAt: Int? = nil) async throws {
        var batch = [NewEvent]()
        for n in 1...count {
            if n == boomAt {
                batch.append(ProjectionRuntimeTests.set("s\(n % 7)", "boom"))
            } else if n % 23 == 0 {
                batch.append(ProjectionRuntimeTests.void([UInt64(n * 7 % (n - 1) + 1)], restore: true))
            } else if n % 9 == 0 {
                batch.append(ProjectionRuntimeTests.void([UInt64(n * 5 % (n - 1) + 1)]))
            } else {
                batch.append(ProjectionRuntimeTests.set("s\(n % 7)", "v\(n)"))
            }
            if batch.count == 500 {
                _ = try await ledger.append(batch)
                batch = []
            }
        }
        if !batch.isEmpty { _ = try await ledger.append(batch) }
    }

    @Test func aLongRebuildPreparesAheadAndFoldsWhatAPlainFoldGives() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true))
        let tally = Tally()
        try ledger.register(PreparedLatestValue(tally: tally))
        try await Self.appendHistory(ledger, count: 6_000)
        let oracle = LatestValueProjection.oracle(try ledger.events())
        // Kept inline after each append of 500: prepared in the fold, none ahead.
        #expect(try ledger.readProjection("prepared-latest-value") { try LatestValueProjection.model($0) } == oracle)
        #expect(tally.counts.withLock { $0.preparedAhead } == 0)
        tally.counts.withLock { $0.prepared = [:] }

        try await ledger.rebuild("prepared-latest-value")
        #expect(try ledger.readProjection("prepared-latest-value") { try LatestValueProjection.model($0) } == oracle)
        let counts = tally.counts.withLock { $0 }
        let sets = try ledger.events().filter { $0.type == "Set" }.count
        // Every Set record of the rebuild was prepared ahead (re-folds after voids prepare in the fold, again).
        #expect(counts.preparedAhead == sets)
        #expect(counts.mismatched == 0)
        #expect(try await ledger.check("prepared-latest-value").isEmpty)
    }

    @Test func aPreparationThatFailsStopsTheFoldAtItsRecordAndTheThreadAhead() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true))
        // Position 101 fails; the thread ahead runs on towards the other 4,899 and must be stopped.
        try await Self.appendHistory(ledger, count: 5_000, boomAt: 101)
        let tally = Tally()
        try ledger.register(PreparedLatestValue(tally: tally))
        await #expect(throws: PrepareFailed.self) { try await ledger.rebuild("prepared-latest-value") }
        let counts = tally.counts.withLock { $0 }
        // The thread ahead met it first; the fold prepared it again itself, in order, and stopped there.
        #expect(counts.failedInFold >= 1)
        #expect(counts.preparedAhead > 0 && counts.mismatched == 0)
        // The thread ahead waited when its queue was full (8 chunks of 256 Set records waiting, one
        // in its hands, one being folded: 2,560 Set records, about 3,000 positions of this history)
        // and was stopped with the fold: it did not read on to the log's end. (A fold that did not
        // stop it would not return: the fold waits for it to exit.)
        #expect(counts.lastPreparedAhead > 101 && counts.lastPreparedAhead < 3_500, "prepared ahead up to \(counts.lastPreparedAhead)")
        // The ledger goes on: appends and reads work, the failed rebuild left the log as it was.
        _ = try await ledger.append(ProjectionRuntimeTests.set("s1", "after"))
        #expect(try ledger.read { try $0.lastPosition() } == 5_001)
    }
}
