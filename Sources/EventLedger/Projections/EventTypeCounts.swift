/// A built-in projection: how many records of each type, and by each actor,
/// the log holds. Useful for operators (`schoolledger projections`) and the
/// simplest example of a projection.
///
/// Databases: `by-type` (type → count) and `by-actor` (actor → count), counts
/// as 8 bytes big-endian.
public struct EventTypeCounts: Projection {
    /// `event-type-counts`.
    public let name = "event-type-counts"
    /// Version 1.
    public let version = 1
    /// `by-type` and `by-actor`.
    public let databases = ["by-type", "by-actor"]

    /// The projection.
    public init() {}

    /// Adds one to the record's type and to its actor.
    public func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        try Self.increment(store, "by-type", Array(record.typeBytes))
        try Self.increment(store, "by-actor", Array(record.actorBytes))
    }

    static func increment(_ store: borrowing ProjectionStore, _ db: String, _ key: [UInt8]) throws {
        let current = try store.get(db, key: key).map { bytes in bytes.withUnsafeBytes { UInt64(bigEndianBytes: $0) } } ?? 0
        try store.put(db, key: key, value: (current + 1).bigEndianBytes)
    }

    /// The counts by type in a model.
    public static func countsByType(_ reader: borrowing ProjectionReader) throws -> [String: UInt64] {
        var counts = [String: UInt64]()
        try reader.forEach("by-type") { key, value in
            counts[String(decoding: key, as: UTF8.self)] = UInt64(bigEndianBytes: value)
            return true
        }
        return counts
    }
}
