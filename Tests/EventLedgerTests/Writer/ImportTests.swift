import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

@Suite("Importing history")
struct ImportTests {
    /// A reader over `items`, restartable as importEvents requires.
    static func source(_ items: [ImportedEvent]) -> @Sendable () throws -> () throws -> ImportedEvent? {
        {
            var iterator = items.makeIterator(); return { iterator.next() }
        }
    }

    static func copy(of ledger: EventLedger) throws -> [ImportedEvent] {
        try ledger.events().map { e in
            ImportedEvent(
                event: NewEvent(
                    id: e.id, stream: e.stream, type: e.type, schemaVersion: e.schemaVersion,
                    actor: e.actor, occurredAt: e.occurredAt, correlationID: e.correlationID,
                    causationID: e.causationID, payload: e.payload),
                recordedAt: e.recordedAt)
        }
    }

    /// From LMDB into each backend: the same records give the same head hash.
    @Test(arguments: Backend.allCases) func importingAnotherLedgersHistoryReproducesItsChainHead(backend: Backend) async throws {
        let source = TemporaryDirectory("source")
        let target = TemporaryDirectory("target")
        let clock = ManualClock()
        let original = try EventLedger.open(at: source.path, options: Fixture.options(clock: clock))
        for n in 0..<30 {
            clock.advance(seconds: 60)
            _ = try await original.append([Fixture.event("s\(n % 4)", actor: "a\(n % 3)", payload: "\(n)"), Fixture.event("t")])
        }
        let copy = try backend.open(at: target.path)
        let result = try await copy.importEvents(Self.source(try Self.copy(of: original)))
        #expect(result.appended == 60)
        #expect(result.skipped == 0)
        #expect(result.firstPosition == 1)
        #expect(try copy.head() == (try original.head()))
        #expect(try copy.events() == (try original.events()))
    }

    @Test(arguments: Backend.allCases) func importingTheSameEventsTwiceAppendsNothingTheSecondTime(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let items = (0..<10).map { _ in ImportedEvent(event: Fixture.event(), recordedAt: nil) }
        _ = try await ledger.importEvents(Self.source(items))
        let head = try ledger.head()
        let again = try await ledger.importEvents(Self.source(items))
        #expect(again.appended == 0)
        #expect(again.skipped == 10)
        #expect(try ledger.head() == head)
    }

    @Test(arguments: Backend.allCases) func aRecordedAtThatGoesBackInTimeRefusesTheWholeImport(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let t = Instant(iso8601: "2025-01-10T10:00:00Z")!
        let items = [
            ImportedEvent(event: Fixture.event(), recordedAt: t),
            ImportedEvent(event: Fixture.event(), recordedAt: t.adding(microseconds: 5)),
            ImportedEvent(event: Fixture.event(), recordedAt: t.adding(microseconds: 4)),
        ]
        let error = await #expect(throws: LedgerError.self) { try await ledger.importEvents(Self.source(items)) }
        #expect(error?.importIndex == 3)
        #expect(error?.field == "recordedAt")
        #expect(try ledger.head().position == 0)
    }

    @Test(arguments: Backend.allCases) func aChangedBodyBehindAKnownIDRefusesTheImport(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let stored = Fixture.event(payload: "4")
        _ = try await ledger.append(stored)
        var changed = stored
        changed.payload = Array("5".utf8)
        let items = [ImportedEvent(event: Fixture.event(), recordedAt: nil), ImportedEvent(event: changed, recordedAt: nil)]
        let error = await #expect(throws: LedgerError.self) { try await ledger.importEvents(Self.source(items)) }
        #expect(error?.code == .eventIDConflict)
        #expect(error?.importIndex == 2)
        #expect(try ledger.head().position == 1)
    }

    @Test(arguments: Backend.allCases) func aReaderErrorAbortsTheImport(backend: Backend) async throws {
        struct BadLine: Error {}
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        await #expect(throws: BadLine.self) {
            try await ledger.importEvents {
                var n = 0
                return {
                    n += 1
                    if n == 5 { throw BadLine() }
                    return ImportedEvent(event: Fixture.event(), recordedAt: nil)
                }
            }
        }
        #expect(try ledger.head().position == 0)
    }

    // LMDB only: the memory map and its growth are LMDB's.
    @Test(arguments: [Backend.lmdb]) func anImportLargerThanTheMapRestartsItsReaderAndSucceeds(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true, mapSize: 1 << 20))
        let starts = Mutex(0)
        let payload = String(repeating: "x", count: 2000)
        let result = try await ledger.importEvents {
            starts.withLock { $0 += 1 }
            var n = 0
            return {
                n += 1
                return n > 5000 ? nil : ImportedEvent(event: Fixture.event("s\(n % 10)", payload: payload), recordedAt: nil)
            }
        }
        #expect(result.appended == 5000)
        #expect(starts.withLock { $0 } > 1)
        #expect(try ledger.verify().checkedRecords == 5000)
    }
}
