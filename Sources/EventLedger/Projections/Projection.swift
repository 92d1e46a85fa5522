/// A read model kept by the ledger: it folds events into its own LMDB
/// databases, and its checkpoint commits in the same transaction as its
/// writes, so each event is applied exactly once, also across crashes.
///
/// ```swift
/// struct MarksPerStudent: Projection {
///     let name = "marks-per-student"
///     let version = 1
///     let databases = ["by-student"]
///     let eventTypes: Set<String>? = ["MarkRecorded"]
///     func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
///         try store.put("by-student", key: Array(record.stream.utf8), value: Array(record.payload))
///     }
/// }
/// try ledger.register(MarksPerStudent())
/// ```
///
/// Raising ``version`` rebuilds the model (blue/green: readers keep the old
/// one until the new one has caught up). A projection whose model can lose
/// operations later (a void of earlier events) says so through
/// ``exclusions(in:)`` and ``reset(stream:in:)``: the runtime then re-folds
/// exactly the streams those operations belong to.
public protocol Projection: Sendable {
    /// A unique name: lower-case letters, digits and `-`, 1...40 characters.
    var name: String { get }
    /// The version of the model's shape; raising it rebuilds the model.
    var version: Int { get }
    /// The projection's own databases (logical names, unique within it).
    var databases: [String] { get }
    /// The event types it reads (`nil`: all). Other records are skipped
    /// without decoding their payloads.
    var eventTypes: Set<String>? { get }

    /// Whether the model keeps its own history: every value a record
    /// replaces is kept with that record's position, so the model as of any
    /// earlier position is read like the live one
    /// (``EventLedger/readProjection(_:asOf:_:)``), at the cost of the
    /// replaced values on disk. Changing it needs a new ``version``. A history
    /// key is the row's key with each 0 byte doubled and 11 bytes more, so
    /// such a model's keys must stay under 500 bytes (a longer one is refused
    /// with ``LedgerError/Code/projectionMisconfigured`` when its row changes).
    var keepsHistory: Bool { get }

    /// Databases (of ``databases``) whose history keeps only when each row
    /// existed, not what it held: a row a record changes in place writes no
    /// version. Read as of a past position, such a database lists the keys
    /// that existed then, each with its value if the row has not changed
    /// since, else with an empty value: the model works those out again from
    /// databases that keep theirs. For rows that copy what other rows hold (a
    /// student's diary row repeats the lesson's), so that their history is
    /// not paid twice; not for a database where an empty value means
    /// something.
    var historyKeepsOnlyKeys: Set<String> { get }

    /// Folds one record into the model.
    func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws

    /// Positions of earlier records that `record` takes out of the model
    /// (voids) or brings back; `nil` for an ordinary record.
    func exclusions(in record: RecordView) throws -> ProjectionExclusions?

    /// Removes everything the model derived from `stream`, before the runtime
    /// folds that stream again without its excluded records.
    func reset(stream: String, in store: borrowing ProjectionStore) throws
}

extension Projection {
    /// All event types.
    public var eventTypes: Set<String>? { nil }

    /// No history: the model as of a past position is folded anew (``EventLedger/evaluate(_:asOf:_:)-(_,UInt64,_)``).
    public var keepsHistory: Bool { false }

    /// Every database keeps its values' history (when ``keepsHistory``).
    public var historyKeepsOnlyKeys: Set<String> { [] }

    /// No record excludes others.
    public func exclusions(in record: RecordView) throws -> ProjectionExclusions? { nil }

    /// Refuses: a projection that reports exclusions must implement it.
    public func reset(stream: String, in store: borrowing ProjectionStore) throws {
        throw LedgerError(
            .projectionMisconfigured,
            "Projection \(name) reported exclusions but cannot reset stream \(stream): implement reset(stream:in:).")
    }
}

/// What a record takes out of a model, or brings back, by position.
public struct ProjectionExclusions: Sendable, Equatable {
    /// Positions to treat as if they had never been appended.
    public var exclude: [UInt64]
    /// Positions excluded earlier that count again.
    public var restore: [UInt64]

    /// Exclusions and restorations by position.
    public init(exclude: [UInt64] = [], restore: [UInt64] = []) {
        self.exclude = exclude
        self.restore = restore
    }
}

/// A projection whose work on a record splits in two: what does not need
/// the model (decoding the payload, say), which the runtime may do ahead on
/// another core, and the fold into the model.
///
/// During a rebuild or a long catch-up (2,048 records or more in one step)
/// a second thread reads the log in its own
/// snapshot and calls ``prepare(_:)`` for each record the projection takes,
/// a bounded queue ahead of the thread that folds; the memory it holds stays
/// the same for any length of log. Short steps, such as the inline fold
/// after an append, and re-folds after a void call ``prepare(_:)`` on the
/// folding thread, right before ``apply(_:prepared:to:)``.
///
/// ``Projection/apply(_:to:)`` is then not called by the runtime; implement
/// it by preparing and applying.
public protocol PreparingProjection: Projection {
    /// What ``prepare(_:)`` works out from one record.
    associatedtype Prepared: Sendable

    /// Works out what folding `record` needs and does not depend on the
    /// model. It may run on another thread than the fold, concurrently with
    /// folds of earlier records. When it throws, the runtime calls it again
    /// on the folding thread, in order, so the error stops the fold at that
    /// record.
    func prepare(_ record: RecordView) throws -> Prepared

    /// Folds `record` into the model with what ``prepare(_:)`` returned for it.
    func apply(_ record: RecordView, prepared: Prepared, to store: borrowing ProjectionStore) throws
}
