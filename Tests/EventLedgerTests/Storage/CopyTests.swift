import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// `EventLedger.copy(from:)`: the same records and head hash on any backend,
/// resumable from the destination's head, refused onto another history.
@Suite("Copying a ledger between backends")
struct CopyTests {
    /// An LMDB ledger of `count` events over a few streams and actors, one minute apart.
    static func source(_ dir: TemporaryDirectory, count: Int, clock: ManualClock = ManualClock()) async throws -> EventLedger {
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(clock: clock))
        try await append(to: ledger, count: count, clock: clock)
        return ledger
    }

    static func append(to ledger: EventLedger, count: Int, clock: ManualClock) async throws {
        for n in 0..<count {
            clock.advance(seconds: 60)
            _ = try await ledger.append(Fixture.event("s\(n % 5)", actor: "a\(n % 3)", payload: "\(n)"))
        }
    }

    @Test(arguments: Backend.allCases) func aCopyHasTheSourcesRecordsAndHeadAndComesBackUnchanged(backend: Backend) async throws {
        let a = TemporaryDirectory("source"), b = TemporaryDirectory("copy"), c = TemporaryDirectory("back")
        let source = try await Self.source(a, count: 95)
        let copy = try backend.open(at: b.path)
        let report = try await copy.copy(from: source, batchSize: 20)
        #expect(report.alreadyPresent == 0)
        #expect(report.copied == 95)
        #expect(report.head == (try source.head()))
        #expect(try copy.head() == (try source.head()))
        #expect(try copy.events() == (try source.events()))
        #expect(try copy.verify().isIntact)
        #expect(try copy.events(inStream: "s2") == (try source.events(inStream: "s2")))
        // And back into LMDB: the head hash survives the round trip.
        let back = try EventLedger.open(at: c.path)
        _ = try await back.copy(from: copy)
        #expect(try back.head() == (try source.head()))
    }

    @Test(arguments: Backend.allCases) func aCopyRunAgainGoesOnFromTheDestinationsHead(backend: Backend) async throws {
        let a = TemporaryDirectory("source"), b = TemporaryDirectory("copy")
        let clock = ManualClock()
        let source = try await Self.source(a, count: 30, clock: clock)
        let copy = try backend.open(at: b.path)
        _ = try await copy.copy(from: source, batchSize: 7)
        // The source goes on; the copy resumes where it stopped and copies only what is new.
        try await Self.append(to: source, count: 12, clock: clock)
        let progress = CopyProgressLog()
        let resumed = try await copy.copy(from: source, batchSize: 5) { copied, _ in progress.add(copied) }
        let batches = progress.values
        #expect(resumed.alreadyPresent == 30)
        #expect(resumed.copied == 12)
        #expect(batches == [35, 40, 42])
        #expect(try copy.head() == (try source.head()))
        // A finished copy copies nothing.
        let again = try await copy.copy(from: source)
        #expect(again.copied == 0)
        #expect(again.alreadyPresent == 42)
    }

    @Test(arguments: Backend.allCases) func aDestinationWithAnotherHistoryIsRefusedAndLeftAsItWas(backend: Backend) async throws {
        let a = TemporaryDirectory("source"), b = TemporaryDirectory("other")
        let source = try await Self.source(a, count: 10)
        let other = try backend.open(at: b.path)
        _ = try await other.append([Fixture.event("elsewhere"), Fixture.event("elsewhere")])
        let before = try other.head()
        let error = await #expect(throws: LedgerError.self) { try await other.copy(from: source) }
        #expect(error?.code == .headMismatch)
        #expect(error?.message.contains("another history") == true, "\(String(describing: error))")
        #expect(try other.head() == before)

        // Longer than the source: not a copy of it either.
        let short = try await Self.source(TemporaryDirectory("short"), count: 1)
        let longer = await #expect(throws: LedgerError.self) { try await other.copy(from: short) }
        #expect(longer?.code == .headMismatch)
        #expect(try other.head() == before)
    }
}

/// The positions a copy reported, in order.
final class CopyProgressLog: Sendable {
    private let log = Mutex<[UInt64]>([])
    func add(_ position: UInt64) { log.withLock { $0.append(position) } }
    var values: [UInt64] { log.withLock { $0 } }

    /// A rule that answers each `Tick` with an `Echo`.
    static func echo(_ reader: borrowing LedgerReader, _ appended: ClosedRange<UInt64>) throws -> [NewEvent] {
        let ticks = try appended.filter { try reader.record(at: $0)?.type == "Tick" }
        return ticks.isEmpty ? [] : [Fixture.event("echo", type: "Echo", actor: "rule", payload: "\(ticks)")]
    }

    @Test(arguments: Backend.allCases) func whatTheSourcesRuleJudgedIsJudgedInTheCopy(backend: Backend) async throws {
        let a = TemporaryDirectory("source"), b = TemporaryDirectory("copy")
        let source = try EventLedger.open(at: a.path, options: Fixture.options(relaxed: true))
        source.setAppendRule(Self.echo)
        for n in 0..<6 { _ = try await source.append(Fixture.event("s\(n % 2)", payload: "\(n)")) }
        #expect(try source.head().position == 12)
        #expect(try source.appendRuleCheckpoint() == 12)
        let copy = try backend.open(at: b.path)
        _ = try await copy.copy(from: source, batchSize: 5)
        #expect(try copy.appendRuleCheckpoint() == 12)
        // The same rule on the copy judges nothing again: the head stays the source's.
        copy.setAppendRule(Self.echo)
        #expect(try copy.judgeUnjudgedRecords().isEmpty)
        #expect(try copy.head() == (try source.head()))
    }
}
