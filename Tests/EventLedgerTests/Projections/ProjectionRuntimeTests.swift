import EventLedger
import Foundation
import Synchronization
import LedgerTestSupport
import Testing

@Suite("Projection runtime")
struct ProjectionRuntimeTests {
    static func set(_ stream: String, _ value: String) -> NewEvent { Fixture.event(stream, type: "Set", payload: value) }

    static func void(_ positions: [UInt64], restore: Bool = false) -> NewEvent {
        NewEvent(
            stream: "voids", type: restore ? "Restore" : "Void", actor: "auditor", occurredAt: Fixture.occurred,
            payload: positions.flatMap(LatestValueProjection.encode))
    }

    static func model(_ ledger: EventLedger) throws -> [String: LatestValueProjection.Entry] {
        try ledger.readProjection("latest-value") { try LatestValueProjection.model($0) }
    }

    @Test(arguments: Backend.allCases) func appendsOfThisProcessAreReadableAtOnce(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LatestValueProjection())
        try await ledger.catchUpProjections()
        _ = try await ledger.append(Self.set("a", "1"))
        // No waiting: the model moved in the append's own transaction.
        #expect(try Self.model(ledger)["a"] == .init(latest: Array("1".utf8), count: 1))
        #expect(try ledger.readProjection("latest-value") { $0.checkpoint } == 1)
    }

    @Test(arguments: Backend.allCases) func aVoidBringsTheEarlierValueBackAndARestoreUndoesIt(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LatestValueProjection())
        _ = try await ledger.append([Self.set("a", "1"), Self.set("b", "x"), Self.set("a", "2")])
        try await ledger.catchUpProjections()
        _ = try await ledger.append(Self.void([3]))
        #expect(try Self.model(ledger)["a"] == .init(latest: Array("1".utf8), count: 1))
        #expect(try Self.model(ledger)["b"] == .init(latest: Array("x".utf8), count: 1))
        _ = try await ledger.append(Self.void([3], restore: true))
        #expect(try Self.model(ledger)["a"] == .init(latest: Array("2".utf8), count: 2))
        #expect(try await ledger.check("latest-value").isEmpty)
    }

    @Test(arguments: Backend.allCases) func aReadOnlyOpenOfAProjectionNeverBuiltSaysSoAndHowToBuildIt(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try backend.open(at: dir.path)
            _ = try await ledger.append(Self.set("a", "1"))
        }
        do {
            let reader = try backend.open(at: dir.path, options: .readOnly)
            let error = #expect(throws: LedgerError.self) { try reader.register(LatestValueProjection()) }
            #expect(error?.code == .projectionNotBuilt)
            #expect(error?.message.contains("latest-value") == true && error?.message.contains("writable") == true)
            #expect(reader.registeredProjections.isEmpty)
        }
        // Built once by a writable open (the read-only one closed first: one
        // process opens a ledger one way at a time), a read-only open reads it.
        do {
            let ledger = try backend.open(at: dir.path)
            try ledger.register(LatestValueProjection())
            try await ledger.catchUpProjections()
        }
        let later = try backend.open(at: dir.path, options: .readOnly)
        try later.register(LatestValueProjection())
        #expect(try Self.model(later)["a"]?.count == 1)
    }

    @Test(arguments: Backend.allCases) func aProjectionRegisteredLaterIsBuiltFromTheWholeLog(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        for n in 0..<50 { _ = try await ledger.append(Self.set("s\(n % 3)", "\(n)")) }
        try ledger.register(EventTypeCounts())
        try await ledger.catchUpProjections()
        #expect(try ledger.readProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Set": 50])
        #expect(try ledger.projectionStatus().first?.lag == 0)
    }

    @Test(arguments: Backend.allCases) func raisingTheVersionRebuildsTheModel(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try backend.open(at: dir.path)
            try ledger.register(LatestValueProjection(version: 1))
            _ = try await ledger.append([Self.set("a", "1"), Self.set("a", "2")])
            try await ledger.catchUpProjections()
        }
        let reopened = try backend.open(at: dir.path)
        try reopened.register(LatestValueProjection(version: 2))
        try await reopened.catchUpProjections()
        let status = try #require(try reopened.projectionStatus().first)
        #expect(status.builtVersion == 2)
        #expect(status.lag == 0)
        #expect(try Self.model(reopened)["a"]?.count == 2)
    }

    // LMDB only: another process shares a log on disk, not this process's memory.
    @Test(arguments: [Backend.lmdb]) func catchesUpWithAppendsOfAnotherProcess(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        try ledger.register(EventTypeCounts())
        try await ledger.catchUpProjections()
        let child = try Fixture.run("LedgerTestChild", [dir.path, "count", "40"])
        #expect(child.status == 0)
        // The follower notices within the poll interval; wait for it, bounded.
        for _ in 0..<100 where try ledger.projectionStatus().first?.lag != 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try ledger.readProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Tick": 40])
    }

    @Test(arguments: Backend.allCases) func aRebuildWhileAppendsGoOnCatchesUpBeforeTheSwap(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        try ledger.register(EventTypeCounts())
        for n in 0..<30 { _ = try await ledger.append((0..<100).map { _ in Self.set("s\(n % 7)", "\(n)") }) }
        let appender = Task { for n in 0..<40 { _ = try await ledger.append(Self.set("late", "\(n)")) } }
        let seen = ProgressLog()
        try await ledger.rebuild("event-type-counts") { seen.add($0) }
        try await appender.value
        try await ledger.catchUpProjections()
        #expect(try ledger.readProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Set": 3040])
        #expect(seen.last?.processed ?? 0 >= 3000)
        #expect(try await ledger.check("event-type-counts").isEmpty)
    }

    @Test(arguments: Backend.allCases) func checkReportsADivergedModel(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let glitch = Glitch()
        try ledger.register(GlitchyCounts(glitch: glitch))
        _ = try await ledger.append([Self.set("a", "1"), Self.set("b", "2")])
        try await ledger.catchUpProjections()
        #expect(try await ledger.check("glitchy").isEmpty)
        glitch.on()
        _ = try await ledger.append(Self.set("c", "3"))
        glitch.off()
        let differences = try await ledger.check("glitchy")
        #expect(differences.count == 1)
        #expect(differences.first?.kind == .differentValue)
    }

    @Test(arguments: Backend.allCases) func timeTravelAnswersAsOfAPastPositionAndInstantWithoutTouchingTheLiveModel(backend: Backend)
        async throws
    {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock))
        try ledger.register(LatestValueProjection())
        _ = try await ledger.append(Self.set("a", "1"))
        clock.advance(seconds: 60)
        _ = try await ledger.append(Self.set("a", "2"))
        clock.advance(seconds: 60)
        _ = try await ledger.append(Self.void([2]))
        try await ledger.catchUpProjections()
        let live = try Self.model(ledger)
        let atTwo = try ledger.evaluate(LatestValueProjection(), asOf: UInt64(2)) { try LatestValueProjection.model($0) }
        #expect(atTwo["a"] == .init(latest: Array("2".utf8), count: 2))
        let atStart = try ledger.evaluate(LatestValueProjection(), asOf: clock.now().adding(microseconds: -120_000_000)) {
            try LatestValueProjection.model($0)
        }
        #expect(atStart["a"] == .init(latest: Array("1".utf8), count: 1))
        #expect(try Self.model(ledger) == live)
        #expect(live["a"] == .init(latest: Array("1".utf8), count: 1))
    }
}

/// Progress reports collected from a rebuild.
final class ProgressLog: Sendable {
    private let reports = Mutex<[RebuildProgress]>([])
    func add(_ p: RebuildProgress) { reports.withLock { $0.append(p) } }
    var last: RebuildProgress? { reports.withLock { $0.last } }
}

/// A switch that makes GlitchyCounts miscount, as a bug would.
final class Glitch: Sendable {
    private let flag = Mutex(false)
    func on() { flag.withLock { $0 = true } }
    func off() { flag.withLock { $0 = false } }
    var isOn: Bool { flag.withLock { $0 } }

    /// Setup mistakes and unknown names have codes of their own, each with what to do.
    @Test(arguments: Backend.allCases) func aMisconfiguredOrUnknownProjectionIsNamedByItsOwnCode(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let misconfigured = #expect(throws: LedgerError.self) { try ledger.register(LatestValueProjection(version: 0)) }
        #expect(misconfigured?.code == .projectionMisconfigured)
        let unknown = await #expect(throws: LedgerError.self) { try await ledger.rebuild("no-such-projection") }
        #expect(unknown?.code == .unknownProjection)
        #expect(unknown?.message.contains("register") == true || unknown?.message.contains("known are") == true)
    }
}

/// Counts records per stream, but counts two while the glitch is on.
struct GlitchyCounts: Projection {
    let name = "glitchy"
    let version = 1
    let databases = ["count"]
    let glitch: Glitch

    func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        let key = Array(record.streamBytes)
        let count = try store.get("count", key: key).map { $0.withUnsafeBytes { LatestValueProjection.decode($0) } } ?? 0
        try store.put("count", key: key, value: LatestValueProjection.encode(count + (glitch.isOn ? 2 : 1)))
    }

}
