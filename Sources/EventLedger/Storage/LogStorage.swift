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

    /// The positions of those of `ids` the log holds, in one lookup, for an
    /// engine that answers many at once faster than one by one (a server,
    /// whose every query is a round trip); `nil` (the default) to have the
    /// ledger ask ``position(_:of:)`` for each. An append asks once for all
    /// of its events.
    func positions(_ session: Session, of ids: [EventID]) throws -> [EventID: UInt64]?
    /// The heads of those of `streams` that have records, in one lookup;
    /// `nil` (the default) to have the ledger ask ``streamHead(_:_:)`` for each.
    func streamHeads(_ session: Session, _ streams: [String]) throws -> [String: StreamHead]?
    /// The heads of those of `actors` that have records, in one lookup;
    /// `nil` (the default) to have the ledger ask ``actorHead(_:_:)`` for each.
    func actorHeads(_ session: Session, _ actors: [String]) throws -> [String: ActorHead]?
}

extension LogStorage {
    /// `nil`: the ledger looks each id up by itself.
    public func positions(_ session: Session, of ids: [EventID]) throws -> [EventID: UInt64]? { nil }
    /// `nil`: the ledger reads each stream's head by itself.
    public func streamHeads(_ session: Session, _ streams: [String]) throws -> [String: StreamHead]? { nil }
    /// `nil`: the ledger reads each actor's head by itself.
    public func actorHeads(_ session: Session, _ actors: [String]) throws -> [String: ActorHead]? { nil }

    /// The storage type's name.
    public var engineName: String { String(describing: Self.self) }

    /// Nothing to observe: the ledger's polling finds other processes' commits.
    public func observeCommits(_ wake: @escaping @Sendable () -> Void) throws {}
}
