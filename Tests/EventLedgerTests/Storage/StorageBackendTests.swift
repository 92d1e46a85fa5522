import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// What every backend of ``LogStorage`` keeps beyond the behaviour tests
/// that take a ``Backend`` argument: snapshots, the same bytes and head
/// hash as LMDB, and the LMDB-only operations refused by name elsewhere.
@Suite("Storage backends")
struct StorageBackendTests {
    @Test(arguments: Backend.allCases) func aReadSnapshotDoesNotSeeACommitMadeWhileItIsOpen(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append([Fixture.event(), Fixture.event("t")])
        // The snapshot is held on a thread of its own, so that no task of the
        // concurrency pool blocks while another task appends.
        let opened = DispatchSemaphore(value: 0), proceed = DispatchSemaphore(value: 0)
        let result = Mutex<Result<(before: UInt64, after: UInt64, stream: UInt64, record: Bool), any Error>?>(nil)
        let reader = Thread {
            let outcome = Result {
                try ledger.read { reader -> (before: UInt64, after: UInt64, stream: UInt64, record: Bool) in
                    let before = try reader.lastPosition()
                    opened.signal()
                    proceed.wait()
                    return (before, try reader.lastPosition(), try reader.streamVersion("t"), try reader.record(at: 3) != nil)
                }
            }
            result.withLock { $0 = outcome }
        }
        reader.start()
        while opened.wait(timeout: .now()) == .timedOut { try await Task.sleep(for: .milliseconds(5)) }
        _ = try await ledger.append(Fixture.event("t"))
        proceed.signal()
        while result.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        let seen = try #require(try result.withLock { $0 }?.get())
        #expect(seen.before == 2)
        #expect(seen.after == 2)
        #expect(seen.stream == 1)
        #expect(!seen.record)
        #expect(try ledger.head().position == 3)
        #expect(try ledger.streamVersion("t") == 2)
    }

    @Test(arguments: Backend.allCases) func theSameEventsGiveTheSameRecordsAndHeadAsOnLMDB(backend: Backend) async throws {
        let reference = TemporaryDirectory("reference"), other = TemporaryDirectory("other")
        let events = (0..<50).map { n in Fixture.event("s\(n % 3)", actor: "a\(n % 2)", payload: "\(n)") }
        var heads = [ChainHead]()
        var records = [[RecordedEvent]]()
        for ledger in [
            try EventLedger.open(at: reference.path, options: Fixture.options(clock: ManualClock())),
            try backend.open(at: other.path, options: Fixture.options(clock: ManualClock())),
        ] {
            for chunk in stride(from: 0, to: events.count, by: 7) {
                _ = try await ledger.append(Array(events[chunk..<min(chunk + 7, events.count)]))
            }
            heads.append(try ledger.head())
            records.append(try ledger.events())
            #expect(try ledger.verify().isIntact)
        }
        #expect(heads[0] == heads[1])
        #expect(records[0] == records[1])
    }

    @Test func aLedgerInMemoryRefusesAnLMDBBackupNamingItsBackend() async throws {
        let dir = TemporaryDirectory()
        let ledger = try Backend.memory.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let error = #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("copy")) }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("memory") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: dir.sub("copy")))
    }

    @Test func readModelsBuiltFromOneLogAreRefusedForAnotherAndLeftAsTheyWere() async throws {
        let dir = TemporaryDirectory()
        let models = dir.sub("models")
        do {
            let first = try EventLedger.open(storage: InMemoryLogStorage(), readModels: models)
            try first.register(EventTypeCounts())
            _ = try await first.append(Fixture.event())
            #expect(try first.readCurrentProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Tick": 1])
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: models + "/data.mdb"))
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(storage: InMemoryLogStorage(), readModels: models) }
        #expect(error?.code == .readModelsOfAnotherLog)
        #expect(error?.message.contains("a directory of its own") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: models + "/data.mdb")) == before)
    }

    @Test func theInMemoryLogIsGoneWithItsStorageAndItsReadModelsWithTheLedger() async throws {
        var models: String?
        do {
            let ledger = try EventLedger.open(storage: InMemoryLogStorage())
            try ledger.register(EventTypeCounts())
            _ = try await ledger.append([Fixture.event(), Fixture.event(type: "Tock")])
            #expect(
                try ledger.readCurrentProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Tick": 1, "Tock": 1])
            models = ledger.directory
            #expect(FileManager.default.fileExists(atPath: ledger.directory))
        }
        // The temporary read models go when the ledger closes: once its
        // background task has seen the cancellation, which a busy test run
        // may delay by seconds.
        let deadline = Date().addingTimeInterval(120)
        while let models, FileManager.default.fileExists(atPath: models), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(models.map { !FileManager.default.fileExists(atPath: $0) } == true)
        // A new storage is a new, empty log.
        #expect(try EventLedger.open(storage: InMemoryLogStorage()).head().position == 0)
    }
}
