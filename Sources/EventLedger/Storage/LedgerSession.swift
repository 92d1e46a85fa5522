import LedgerLMDB

/// The log's reads bound to one session of its storage, whatever the
/// storage: what readers, projections and the append rule see of the log.
protocol LogSnapshot {
    func tail() throws -> LogTail?
    func record(at position: UInt64) throws -> UnsafeRawBufferPointer?
    func scan(
        from first: UInt64, through last: UInt64, reverse: Bool, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws
    func position(of id: EventID) throws -> UInt64?
    func streamHead(_ stream: String) throws -> StreamHead?
    func streams(withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws
    func actorHead(_ actor: String) throws -> ActorHead?
    func streamWalkStart(_ stream: String, atOrAfter version: UInt64) throws -> UInt64?
    func actorWalkStart(_ actor: String, atOrAfter instant: Instant) throws -> UInt64?
    func counts() throws -> (streams: Int, actors: Int)
    func ruleCheckpoint() throws -> UInt64
    /// The same reads inside `child`, a nested transaction of the read
    /// models' environment: itself, unless the log lives in that environment
    /// (LMDB), whose parent transaction may not be used while a child is open.
    func rebound(to child: UnsafePointer<Transaction>) -> any LogSnapshot
}

/// ``LogSnapshot`` over any ``LogStorage``'s session.
struct SessionReads<S: LogStorage>: LogSnapshot {
    let storage: S
    let session: S.Session

    func tail() throws -> LogTail? { try storage.tail(session) }
    func record(at position: UInt64) throws -> UnsafeRawBufferPointer? { try storage.record(session, at: position) }
    func scan(
        from first: UInt64, through last: UInt64, reverse: Bool, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try storage.scan(session, from: first, through: last, reverse: reverse, body)
    }
    func position(of id: EventID) throws -> UInt64? { try storage.position(session, of: id) }
    func streamHead(_ stream: String) throws -> StreamHead? { try storage.streamHead(session, stream) }
    func streams(withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        try storage.streams(session, withPrefix: prefix, body)
    }
    func actorHead(_ actor: String) throws -> ActorHead? { try storage.actorHead(session, actor) }
    func streamWalkStart(_ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        try storage.streamWalkStart(session, stream, atOrAfter: version)
    }
    func actorWalkStart(_ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        try storage.actorWalkStart(session, actor, atOrAfter: instant)
    }
    func counts() throws -> (streams: Int, actors: Int) { try storage.counts(session) }
    func ruleCheckpoint() throws -> UInt64 { try storage.ruleCheckpoint(session) }
    func rebound(to child: UnsafePointer<Transaction>) -> any LogSnapshot {
        guard let lmdb = storage as? LMDBLogStorage else { return self }
        return SessionReads<LMDBLogStorage>(storage: lmdb, session: LMDBSession(pointer: child))
    }
}

/// One session of a ledger as its internals use it: a transaction of the
/// read models' LMDB environment (``txn``: projection states and rows) and
/// the log's reads at the same moment (``log``). On LMDB both are the same
/// transaction; on another backend the log's session is that backend's.
/// Valid only inside the closure that received it.
struct LedgerSession {
    /// The read models' transaction.
    let pointer: UnsafePointer<Transaction>
    /// The log, as this session sees it.
    let log: any LogSnapshot

    var txn: Transaction {
        _read { yield pointer.pointee }
    }

    /// Runs `body` in a nested transaction of the read models: when it
    /// throws, only its own writes to them are undone.
    func nested<R>(_ body: (LedgerSession) throws -> R) throws -> R {
        try txn.nested { child in
            try withUnsafePointer(to: child) { p in try body(LedgerSession(pointer: p, log: log.rebound(to: p))) }
        }
    }

    static func with<R>(_ txn: borrowing Transaction, log: any LogSnapshot, _ body: (LedgerSession) throws -> R) throws -> R {
        try withUnsafePointer(to: txn) { try body(LedgerSession(pointer: $0, log: log)) }
    }
}

/// A log storage together with the LMDB environment its read models live
/// in: what ``EventLedger`` holds. ``LMDBLogStorage`` is both at once; any
/// other ``LogStorage`` is paired with a local environment by
/// ``PairedLogStorage``.
protocol LocalLogStorage: LogStorage {
    /// The environment of the read models and their states.
    var readModels: Environment { get }
    /// Its `ledger.projections` database: where each projection stands.
    var projectionStates: Database { get }
    /// Whether the read models share the log's transactions (LMDB): inline
    /// projections are then written in the append's own transaction.
    /// Otherwise they are written right after its commit, in one of the read
    /// models' own, and caught up from the log after a crash.
    var sharesTransactions: Bool { get }
    /// The ledger session of a session of the log's, inside ``read(_:)`` or
    /// ``write(_:)`` (the read models then seen as of its start).
    func ledgerSession(_ session: Session) -> LedgerSession
    /// Runs `body` in a write transaction of the read models with the log
    /// read at the same moment: the session of projection steps and
    /// rebuilds. On LMDB it is ``write(_:)``.
    func writeReadModels<R>(_ body: (LedgerSession) throws -> R) throws -> R
    /// Reads the log from a helper thread while a writer holds its
    /// transaction (see `PrepareAhead`): `nil` when beginning the snapshot
    /// would have to wait for that writer.
    func readAhead<R>(_ body: (any LogSnapshot) throws -> R) throws -> R?
}

extension LocalLogStorage {
    /// ``read(_:)`` as a ledger session.
    func readLedger<R>(_ body: (LedgerSession) throws -> R) throws -> R {
        try read { session in try body(ledgerSession(session)) }
    }
}
