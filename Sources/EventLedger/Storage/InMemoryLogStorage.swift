import Foundation
import Synchronization

/// A log kept in this process's memory: for tests and tools that want a
/// ledger without a file. **Not durable**: everything is gone when the
/// process ends, and a commit is "durable" only in the sense that later
/// sessions of this process see it.
///
/// It keeps every promise of ``LogStorage`` otherwise. A read session is a
/// snapshot (later commits do not show in it), writers are serialised, a
/// write commits all or nothing, and a savepoint undoes only its own writes.
/// The conformance suite (`StorageConformanceTests`) runs the ledger's
/// behaviour tests on it beside LMDB.
///
/// ```swift
/// let ledger = try EventLedger.open(storage: InMemoryLogStorage())
/// ```
///
/// Each write session works on a copy of the committed state that shares
/// storage with it until written (copy-on-write), so a write costs time in
/// proportion to the log's size: fine for tests, not for millions of events.
/// Read models of a ledger on this storage live in a temporary LMDB
/// environment, removed when the ledger closes.
public final class InMemoryLogStorage: LogStorage {
    /// The committed state; a session works on a copy.
    private let committed = Mutex(State())
    /// Serialises write sessions.
    private let writerLock = Mutex(())

    /// This log's name among all logs: `memory:` and a random id.
    private let name = "memory:" + EventID.random().description

    /// An empty log.
    public init() {}

    /// `memory`.
    public var engineName: String { "memory" }

    /// A transaction on the in-memory log: a snapshot for reading, a copy
    /// that becomes the committed state for writing.
    public final class Session {
        fileprivate var state: State
        fileprivate let writable: Bool

        fileprivate init(state: State, writable: Bool) {
            self.state = state
            self.writable = writable
        }
    }

    /// A record's bytes at a stable address, for as long as a state holds it.
    fileprivate final class StoredRecord: Sendable {
        nonisolated(unsafe) let bytes: UnsafeMutableRawBufferPointer

        init(_ record: [UInt8]) {
            bytes = .allocate(byteCount: record.count, alignment: 8)
            record.withUnsafeBytes { bytes.copyMemory(from: $0) }
        }

        deinit { bytes.deallocate() }
    }

    fileprivate struct State: Sendable {
        var records: [StoredRecord] = []
        var ids: [EventID: UInt64] = [:]
        var streams: [String: StreamHead] = [:]
        var actors: [String: ActorHead] = [:]
        /// Each stream's positions by version (index version - 1).
        var streamPositions: [String: [UInt64]] = [:]
        /// Each actor's positions, and their `recordedAt` beside them.
        var actorPositions: [String: [(position: UInt64, recordedAt: Instant)]] = [:]
        var ruleCheckpoint: UInt64 = 0
    }

    // MARK: Sessions

    /// Runs `body` on a snapshot of the committed log.
    public func read<R>(_ body: (Session) throws -> R) throws -> R {
        try body(Session(state: committed.withLock { $0 }, writable: false))
    }

    /// Runs `body` on a copy of the committed log that becomes the log when it returns (nothing of it when it throws); one writer at a time.
    public func write<R>(_ body: (Session) throws -> R) throws -> R {
        try writerLock.withLock { _ in
            let session = Session(state: committed.withLock { $0 }, writable: true)
            let result = try body(session)
            committed.withLock { $0 = session.state }
            return result
        }
    }

    /// Runs `body` in `session`; when it throws, the session is as it was before.
    public func savepoint<R>(_ session: Session, _ body: (Session) throws -> R) throws -> R {
        let saved = session.state
        do {
            return try body(session)
        } catch {
            session.state = saved
            throw error
        }
    }

    // MARK: Reading

    /// The last record, or `nil` for an empty log.
    public func tail(_ session: Session) throws -> LogTail? {
        guard let last = session.state.records.last else { return nil }
        let position = UInt64(session.state.records.count)
        let view = try RecordView(parsing: UnsafeRawBufferPointer(last.bytes), key: position)
        return LogTail(
            position: position, hash: Array(UnsafeRawBufferPointer(rebasing: view.bytes[view.hashRange])), recordedAt: view.recordedAt)
    }

    /// The record at `position`, valid while `session` lasts.
    public func record(_ session: Session, at position: UInt64) throws -> UnsafeRawBufferPointer? {
        guard position >= 1, position <= UInt64(session.state.records.count) else { return nil }
        return UnsafeRawBufferPointer(session.state.records[Int(position - 1)].bytes)
    }

    /// Calls `body` with each record from `first` through `last`, ascending (descending when `reverse`), until it returns `false`.
    public func scan(
        _ session: Session, from first: UInt64, through last: UInt64, reverse: Bool,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let records = session.state.records
        let low = max(first, 1), high = min(last, UInt64(records.count))
        guard low <= high else { return }
        if reverse {
            for position in stride(from: high, through: low, by: -1) {
                guard try body(position, UnsafeRawBufferPointer(records[Int(position - 1)].bytes)) else { return }
            }
        } else {
            for position in low...high {
                guard try body(position, UnsafeRawBufferPointer(records[Int(position - 1)].bytes)) else { return }
            }
        }
    }

    /// The position of the event with `id`.
    public func position(_ session: Session, of id: EventID) throws -> UInt64? {
        session.state.ids[id]
    }

    /// The head of `stream`.
    public func streamHead(_ session: Session, _ stream: String) throws -> StreamHead? {
        session.state.streams[stream]
    }

    /// Calls `body` with each stream whose name starts with `prefix`, in byte order.
    public func streams(_ session: Session, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        let names = session.state.streams.keys.filter { $0.utf8.starts(with: prefix.utf8) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            guard let head = session.state.streams[name], try body(name, head) else { return }
        }
    }

    /// The head of `actor`.
    public func actorHead(_ session: Session, _ actor: String) throws -> ActorHead? {
        session.state.actors[actor]
    }

    /// The exact position of `stream`'s record with `version`.
    public func streamWalkStart(_ session: Session, _ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        guard version >= 1, let positions = session.state.streamPositions[stream], version <= UInt64(positions.count) else { return nil }
        return positions[Int(version - 1)]
    }

    /// The position of `actor`'s first record at or after `instant`.
    public func actorWalkStart(_ session: Session, _ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        guard let entries = session.state.actorPositions[actor] else { return nil }
        // The first record at or after `instant` (recordedAt never decreases along the log).
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].recordedAt < instant { low = mid + 1 } else { high = mid }
        }
        return low < entries.count ? entries[low].position : nil
    }

    /// The number of streams and of actors.
    public func counts(_ session: Session) throws -> (streams: Int, actors: Int) {
        (session.state.streams.count, session.state.actors.count)
    }

    // MARK: Writing

    /// Appends `record` at `index.position`, which must follow the tail, and indexes it.
    public func append(_ session: Session, record: [UInt8], index: IndexedRecord) throws {
        guard session.writable else {
            throw LedgerError(.storage, "An append was asked of a read session of the in-memory log: append inside write(_:).")
        }
        guard index.position == UInt64(session.state.records.count) + 1 else {
            throw LedgerError(
                .storage,
                "The in-memory log's tail is \(session.state.records.count), so the next position is \(session.state.records.count + 1), not \(index.position)."
            )
        }
        guard session.state.ids[index.id] == nil else { throw LedgerError.idInLog(index.id) }
        session.state.records.append(StoredRecord(record))
        session.state.ids[index.id] = index.position
        session.state.streamPositions[index.stream, default: []].append(index.position)
        session.state.actorPositions[index.actor, default: []].append((index.position, index.recordedAt))
    }

    /// `true`: ``append(_:record:index:)`` refuses an id the log holds.
    public var refusesRepeatedIDs: Bool { true }

    /// Nothing to mark: a log in memory is always of the current format.
    public func markWrittenInCurrentFormat(_ session: Session) throws {}

    /// Stores the heads an append moved.
    public func storeHeads(_ session: Session, streams: [String: StreamHead], actors: [String: ActorHead]) throws {
        for (stream, head) in streams { session.state.streams[stream] = head }
        for (actor, head) in actors { session.state.actors[actor] = head }
    }

    /// `memory:` and an id drawn when the storage was made.
    public func identity(_ session: Session) throws -> String { name }

    /// The last position the append rule judged.
    public func ruleCheckpoint(_ session: Session) throws -> UInt64 {
        session.state.ruleCheckpoint
    }

    /// Stores the last position the append rule judged.
    public func setRuleCheckpoint(_ session: Session, _ position: UInt64) throws {
        session.state.ruleCheckpoint = position
    }
}
