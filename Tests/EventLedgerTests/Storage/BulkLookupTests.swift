import EventLedger
import Foundation
import LedgerTestSupport
import Synchronization
import Testing

/// A log in memory that answers bulk lookups and counts the lookups the
/// ledger asks of it: what a server-backed storage (PostgreSQL) relies on.
final class CountingLogStorage: LogStorage {
    let inner = InMemoryLogStorage()
    /// Calls of each lookup, by name.
    let calls = Mutex<[String: Int]>([:])
    typealias Session = InMemoryLogStorage.Session

    private func count(_ name: String) { calls.withLock { $0[name, default: 0] += 1 } }
    func reset() { calls.withLock { $0 = [:] } }
    func calls(_ name: String) -> Int { calls.withLock { $0[name] ?? 0 } }

    func read<R>(_ body: (Session) throws -> R) throws -> R { try inner.read(body) }
    func write<R>(_ body: (Session) throws -> R) throws -> R { try inner.write(body) }
    func savepoint<R>(_ session: Session, _ body: (Session) throws -> R) throws -> R { try inner.savepoint(session, body) }
    func tail(_ session: Session) throws -> LogTail? { try inner.tail(session) }
    func record(_ session: Session, at position: UInt64) throws -> UnsafeRawBufferPointer? { try inner.record(session, at: position) }
    func scan(
        _ session: Session, from first: UInt64, through last: UInt64, reverse: Bool, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try inner.scan(session, from: first, through: last, reverse: reverse, body)
    }
    func position(_ session: Session, of id: EventID) throws -> UInt64? {
        count("position")
        return try inner.position(session, of: id)
    }
    func streamHead(_ session: Session, _ stream: String) throws -> StreamHead? {
        count("streamHead")
        return try inner.streamHead(session, stream)
    }
    func streams(_ session: Session, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        try inner.streams(session, withPrefix: prefix, body)
    }
    func actorHead(_ session: Session, _ actor: String) throws -> ActorHead? {
        count("actorHead")
        return try inner.actorHead(session, actor)
    }
    func streamWalkStart(_ session: Session, _ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        try inner.streamWalkStart(session, stream, atOrAfter: version)
    }
    func actorWalkStart(_ session: Session, _ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        try inner.actorWalkStart(session, actor, atOrAfter: instant)
    }
    func counts(_ session: Session) throws -> (streams: Int, actors: Int) { try inner.counts(session) }
    func append(_ session: Session, record: [UInt8], index: IndexedRecord) throws {
        try inner.append(session, record: record, index: index)
    }
    func markWrittenInCurrentFormat(_ session: Session) throws {}
    func storeHeads(_ session: Session, streams: [String: StreamHead], actors: [String: ActorHead]) throws {
        count("storeHeads")
        try inner.storeHeads(session, streams: streams, actors: actors)
    }
    func identity(_ session: Session) throws -> String { try inner.identity(session) }
    func ruleCheckpoint(_ session: Session) throws -> UInt64 { try inner.ruleCheckpoint(session) }
    func setRuleCheckpoint(_ session: Session, _ position: UInt64) throws { try inner.setRuleCheckpoint(session, position) }

    var looksUpInBulk: Bool { true }
    func lookUp(_ session: Session, ids: [EventID], streams: [String], actors: [String]) throws -> AppendLookup {
        count("lookUp")
        var found = AppendLookup()
        for id in ids { found.positions[id] = try inner.position(session, of: id) }
        for stream in streams { found.streamHeads[stream] = try inner.streamHead(session, stream) }
        for actor in actors { found.actorHeads[actor] = try inner.actorHead(session, actor) }
        return found
    }
}

@Suite("Bulk lookups for storages on a server")
struct BulkLookupTests {
    @Test func anAppendAsksOnceForAllItsIdsAndHeadsAndKeepsEveryRule() async throws {
        let storage = CountingLogStorage()
        let ledger = try EventLedger.open(storage: storage)
        _ = try await ledger.append((0..<50).map { Fixture.event("s\($0 % 10)", actor: "a\($0 % 4)", payload: "\($0)") })
        storage.reset()
        let batch = (0..<200).map { Fixture.event("s\($0 % 30)", actor: "a\($0 % 7)", payload: "\($0)") }
        let result = try await ledger.append(batch)
        #expect(storage.calls("lookUp") == 1)
        #expect(storage.calls("position") == 0)
        #expect(storage.calls("streamHead") == 0)
        #expect(storage.calls("actorHead") == 0)
        // The heads read in bulk chain on as one by one: streams s0..s9 go on
        // from version 5, s10..s29 start at 1; actors likewise.
        #expect(result.positions == Array(51...250))
        #expect(try ledger.streamVersion("s0") == 5 + 7)
        #expect(try ledger.streamVersion("s29") == 6)
        #expect(try ledger.verify().isIntact)
        // A retry is still recognised from the bulk answer, and appends nothing.
        storage.reset()
        let retry = try await ledger.append(batch)
        #expect(retry.wasDuplicate && retry.positions == result.positions)
        #expect(storage.calls("position") == 0)
        #expect(storage.calls("storeHeads") == 0)
        #expect(try ledger.head().position == 250)
    }
}
