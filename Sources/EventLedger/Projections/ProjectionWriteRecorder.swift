import Synchronization

/// Keeps every row a projection writes, in order: what the benchmarks replay
/// to measure the cost of a model's rows alone, without the work that
/// decided them (figure 10's "rows alone" in `BENCHMARKS.md`).
@_spi(Benchmarks) public final class ProjectionWriteRecorder: Sendable {
    /// One write through ``ProjectionStore``.
    public struct Write: Sendable {
        /// The projection's database (its logical name).
        public let database: String
        /// The row's key.
        public let key: [UInt8]
        /// The value put, or `nil` for a delete.
        public let value: [UInt8]?
        /// The position of the record whose fold wrote it: the record
        /// applied, or the void whose re-fold applied an earlier one again.
        public let position: UInt64
    }

    private let writes = Mutex<[Write]>([])

    /// An empty recorder.
    public init() {}

    /// The writes recorded so far, oldest first.
    public var recorded: [Write] { writes.withLock { $0 } }

    func record(_ database: String, key: [UInt8], value: [UInt8]?, at position: UInt64) {
        writes.withLock { $0.append(Write(database: database, key: key, value: value, position: position)) }
    }
}

/// A projection whose writes are recorded: it folds like `base`, and every
/// put and delete its store takes is kept in `recorder` as well.
@_spi(Benchmarks) public struct RecordingProjection: Projection {
    /// The projection folded.
    public let base: any Projection
    /// Where its writes go.
    public let recorder: ProjectionWriteRecorder

    /// `base`, its writes kept in `recorder`.
    public init(_ base: any Projection, into recorder: ProjectionWriteRecorder) {
        self.base = base
        self.recorder = recorder
    }

    /// The base's name.
    public var name: String { base.name }
    /// The base's version.
    public var version: Int { base.version }
    /// The base's databases.
    public var databases: [String] { base.databases }
    /// The base's event types.
    public var eventTypes: Set<String>? { base.eventTypes }
    /// Whether the base keeps history.
    public var keepsHistory: Bool { base.keepsHistory }
    /// The base's databases that keep only their keys' history.
    public var historyKeepsOnlyKeys: Set<String> { base.historyKeepsOnlyKeys }
    /// Folds as the base does.
    public func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws { try base.apply(record, to: store) }
    /// The base's exclusions.
    public func exclusions(in record: RecordView) throws -> ProjectionExclusions? { try base.exclusions(in: record) }
    /// Resets as the base does.
    public func reset(stream: String, in store: borrowing ProjectionStore) throws { try base.reset(stream: stream, in: store) }
}
