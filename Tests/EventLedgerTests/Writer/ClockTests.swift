import EventLedger
import Foundation
import LedgerTestSupport
import Logging
import Synchronization
import Testing

/// Time only from the ledger's clock: a clock far ahead of the log is
/// reported (the caller's Logger, `verify`), and an import from the future is refused.
@Suite("The ledger's clock")
struct ClockTests {
    /// Keeps every warning logged through it.
    struct Capture: LogHandler {
        let box: Box
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            if event.level >= .warning { box.warnings.withLock { $0.append("\(event.message)") } }
        }
    }

    final class Box: Sendable { let warnings = Mutex<[String]>([]) }

    @Test(arguments: Backend.allCases) func aClockThatJumpsFarAheadIsLoggedAndNamedByVerify(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let box = Box()
        var options = Fixture.options(clock: clock, relaxed: true)
        options.logger = Logger(label: "test") { _ in Capture(box: box) }
        let ledger = try backend.open(at: dir.path, options: options)
        _ = try await ledger.append(Fixture.event())
        clock.advance(seconds: 86_400)
        _ = try await ledger.append(Fixture.event())
        #expect(box.warnings.withLock { $0.isEmpty })
        clock.advance(seconds: 40 * 86_400)
        let jumped = try await ledger.append(Fixture.event())
        #expect(box.warnings.withLock { $0.count } == 1)
        #expect(box.warnings.withLock { $0.first?.contains("clock is far ahead") } == true)
        let report = try ledger.verify()
        #expect(report.isIntact)
        #expect(report.clockJumps.map(\.position) == jumped.positions)
        #expect(report.recordedInTheFuture == nil)
        // The machine's clock set back below the log's last record: verify warns.
        clock.advance(seconds: -30 * 86_400)
        #expect(try ledger.verify().recordedInTheFuture == jumped.recordedAt)
    }

    @Test(arguments: Backend.allCases) func anImportFromTheFutureIsRefusedNamingTheEventAndAppendsNothing(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock, relaxed: true))
        let events = [
            ImportedEvent(event: Fixture.event(), recordedAt: clock.now()),
            ImportedEvent(event: Fixture.event(), recordedAt: Instant(iso8601: "2999-01-01T00:00:00Z")!),
        ]
        let error = await #expect(throws: LedgerError.self) {
            try await ledger.importEvents {
                var i = events.makeIterator(); return { i.next() }
            }
        }
        #expect(error?.importIndex == 2)
        #expect(error?.field == "recordedAt")
        #expect(try ledger.head().position == 0)
    }
}
