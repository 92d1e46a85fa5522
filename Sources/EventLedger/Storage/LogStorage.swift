/// The last record of the log, as the writer needs it to chain the next one.
public struct LogTail: Equatable, Sendable {
    /// The record's position.
    public var position: UInt64
    /// The record's hash (32 bytes).
    public var hash: [UInt8]
    /// When it was recorded.
    public var recordedAt: Instant

    /// A tail from its parts.
    public init(position: UInt64, hash: [UInt8], recordedAt: Instant) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }

    /// The tail of an empty log: position 0 and the genesis hash.
    public static let empty = LogTail(position: 0, hash: ChainHash.genesis.bytes, recordedAt: .epoch)
}

/// A stream's current version and the position of its last record.
public struct StreamHead: Equatable, Sendable {
    /// The stream's version: the number of its records.
    public var version: UInt64
    /// The position of its last record.
    public var lastPosition: UInt64

    /// A head from its parts.
    public init(version: UInt64, lastPosition: UInt64) {
        self.version = version
        self.lastPosition = lastPosition
    }
}

/// An actor's count of records and the position of its last one.
public struct ActorHead: Equatable, Sendable {
    /// The number of records the actor appended.
    public var count: UInt64
    /// The position of its last record.
    public var lastPosition: UInt64

    /// A head from its parts.
    public init(count: UInt64, lastPosition: UInt64) {
        self.count = count
        self.lastPosition = lastPosition
    }
}

/// What the storage needs to index one appended record.
public struct IndexedRecord: Sendable {
    /// The record's position (the tail's plus one).
    public var position: UInt64
    /// Its event id.
    public var id: EventID
    /// Its stream.
    public var stream: String
    /// Its version in the stream.
    public var streamVersion: UInt64
    /// Its actor.
    public var actor: String
    /// The actor's count of records, this one included.
    public var actorCount: UInt64
    /// When it was recorded.
    public var recordedAt: Instant
}

/// The narrow interface between the ledger's rules (validation, idempotency,
/// optimistic concurrency, the hash chain) and where the records live.
///
/// The ledger's logic is written against this protocol only. LMDB is the
/// default implementation (``EventLedger/open(at:options:)``),
/// ``InMemoryLogStorage`` a second one for tests; a backend on another
/// engine (PostgreSQL, for a region) implements these operations with the
/// same meaning and is opened with ``EventLedger/open(storage:readModels:options:)``.
/// A session is one transaction, and all writes of a ``write(_:)`` closure
/// commit together or not at all. <doc:AddingAStorageBackend> lists the
/// rules and the suite that proves them.
///
/// The storage never interprets a record's bytes, and never names the
/// school's domain. Read models are not its business: they live in a local
/// LMDB environment beside it (for LMDB, in the same environment and
/// transaction as the log).
public protocol LogStorage: AnyObject, Sendable {
    /// A transaction, valid only inside the closure that receives it.
    associatedtype Session

    /// Runs `body` in a read-only snapshot.
    func read<R>(_ body: (Session) throws -> R) throws -> R
    /// Runs `body` in a write transaction that commits, durably, when it returns.
    /// The closure may run again from the start if the storage had to grow.
    func write<R>(_ body: (Session) throws -> R) throws -> R
    /// Runs `body` in a savepoint of a write session (a nested transaction):
    /// when it throws, only its own writes are undone.
    func savepoint<R>(_ session: Session, _ body: (Session) throws -> R) throws -> R

    /// The last record, or `nil` for an empty log.
    func tail(_ session: Session) throws -> LogTail?
    /// The stored bytes of the record at `position`, valid during the session.
    func record(_ session: Session, at position: UInt64) throws -> UnsafeRawBufferPointer?
    /// Calls `body` with each record from `first` through `last` (ascending, or
    /// descending when `reverse`), until it returns `false`.
    func scan(
        _ session: Session, from first: UInt64, through last: UInt64, reverse: Bool,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws
    /// The position of the record with `id`.
    func position(_ session: Session, of id: EventID) throws -> UInt64?
    /// The head of `stream`, or `nil` when it has no records.
    func streamHead(_ session: Session, _ stream: String) throws -> StreamHead?
    /// Calls `body` with each stream whose name starts with `prefix`, in byte
    /// order, and its version, until `body` returns `false`.
    func streams(_ session: Session, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws
    /// The head of `actor`, or `nil` when it has no records.
    func actorHead(_ session: Session, _ actor: String) throws -> ActorHead?
    /// A position at or after the record of `stream` with version `version`
    /// from which walking back along the stream reaches it (cost bounded by the
    /// index's spacing); `nil` to start from the stream's head.
    func streamWalkStart(_ session: Session, _ stream: String, atOrAfter version: UInt64) throws -> UInt64?
    /// Likewise for the records of `actor` recorded at or after `instant`.
    func actorWalkStart(_ session: Session, _ actor: String, atOrAfter instant: Instant) throws -> UInt64?
    /// The number of streams and of actors.
    func counts(_ session: Session) throws -> (streams: Int, actors: Int)

    /// Appends a record after the current tail and indexes it.
    func append(_ session: Session, record: [UInt8], index: IndexedRecord) throws
    /// Marks the log as holding records of this library's record format, in
    /// the session's transaction; called by each append before its first
    /// record (one read when the mark is there already). A ledger an older version wrote is upgraded here, at its
    /// first new record, so that older versions refuse it from then on
    /// instead of reading a format they do not know.
    func markWrittenInCurrentFormat(_ session: Session) throws
    /// Stores the new heads of the streams and actors an append touched.
    func storeHeads(_ session: Session, streams: [String: StreamHead], actors: [String: ActorHead]) throws

    /// A name that tells this log from every other (for LMDB, the id given
    /// to the ledger at its creation), the same in every session: read
    /// models kept apart from the log record it, so that they are never
    /// paired with another log.
    func identity(_ session: Session) throws -> String

    /// The last position the ledger's append rule has judged (0: none yet).
    func ruleCheckpoint(_ session: Session) throws -> UInt64
    /// Stores the last position the append rule has judged, in the session's transaction.
    func setRuleCheckpoint(_ session: Session, _ position: UInt64) throws

    /// Calls `wake` whenever a process commits records to this log, when the
    /// engine can tell (PostgreSQL's `LISTEN`/`NOTIFY`), so that
    /// subscriptions follow other nodes' appends at once rather than at
    /// their next poll. Called once, when the ledger opens; the default does
    /// nothing (the ledger polls every ``EventLedger/Options/pollInterval``).
    func observeCommits(_ wake: @escaping @Sendable () -> Void) throws

    /// The engine's name, for messages ("LMDB", "memory", "PostgreSQL").
    var engineName: String { get }

    /// Whether ``lookUp(_:ids:streams:actors:)`` answers: an engine that
    /// answers many lookups at once faster than one by one (a server, whose
    /// every query is a round trip). `false` (the default): the ledger asks
    /// ``position(_:of:)``, ``streamHead(_:_:)`` and ``actorHead(_:_:)``
    /// one at a time, and builds nothing for a bulk lookup.
    var looksUpInBulk: Bool { get }
    /// Whether ``append(_:record:index:)`` refuses a record whose id the log
    /// already holds, throwing ``LedgerError`` with the code
    /// `.duplicateEventID` (the transaction is then abandoned). When it does,
    /// the ledger does not look each id up before an append: a retry, rare,
    /// is found by the refusal, and the append is written again with its ids
    /// looked up. `false` (the default): every id is looked up first.
    var refusesRepeatedIDs: Bool { get }
    /// What an append needs to know before it writes, in one lookup: the
    /// positions of those of `ids` the log holds, and the heads of those of
    /// `streams` and `actors` that have records. Asked once per append, only
    /// when ``looksUpInBulk``.
    func lookUp(_ session: Session, ids: [EventID], streams: [String], actors: [String]) throws -> AppendLookup
}

extension LogStorage {
    /// `false`: the ledger looks ids and heads up one by one.
    public var looksUpInBulk: Bool { false }
    /// `false`: the ledger looks every id up before it appends.
    public var refusesRepeatedIDs: Bool { false }
    /// Asks ``position(_:of:)``, ``streamHead(_:_:)`` and ``actorHead(_:_:)``
    /// for each (an engine with ``looksUpInBulk`` answers in one query).
    public func lookUp(_ session: Session, ids: [EventID], streams: [String], actors: [String]) throws -> AppendLookup {
        var found = AppendLookup()
        for id in ids { if let p = try position(session, of: id) { found.positions[id] = p } }
        for stream in streams { if let h = try streamHead(session, stream) { found.streamHeads[stream] = h } }
        for actor in actors { if let h = try actorHead(session, actor) { found.actorHeads[actor] = h } }
        return found
    }

    /// The storage type's name.
    public var engineName: String { String(describing: Self.self) }

    /// Nothing to observe: the ledger's polling finds other processes' commits.
    public func observeCommits(_ wake: @escaping @Sendable () -> Void) throws {}
}

/// The answer of ``LogStorage/lookUp(_:ids:streams:actors:)``: what the log
/// holds of an append's ids, streams and actors.
public struct AppendLookup: Sendable, Equatable {
    /// The positions of the ids the log holds (an id it lacks is absent).
    public var positions: [EventID: UInt64]
    /// The heads of the streams that have records.
    public var streamHeads: [String: StreamHead]
    /// The heads of the actors that have records.
    public var actorHeads: [String: ActorHead]

    /// An answer with the given parts (empty by default).
    public init(positions: [EventID: UInt64] = [:], streamHeads: [String: StreamHead] = [:], actorHeads: [String: ActorHead] = [:]) {
        self.positions = positions
        self.streamHeads = streamHeads
        self.actorHeads = actorHeads
    }
}
