import EventLedger

/// The worked example of a projection whose model forgets voided records.
///
/// Streams hold `Set` records whose payload is a value; the model keeps, per
/// stream, the latest value and how many values were set. A `Void` record's
/// payload lists earlier positions (8 bytes big-endian each) to take out of
/// the model, a `Restore` record's positions to bring back: the runtime then
/// re-folds exactly the streams of those positions, so a voided correction
/// brings the earlier value back.
public struct LatestValueProjection: Projection {
    /// `latest-value`.
    public let name = "latest-value"
    /// The model's version (tests raise it to force a rebuild).
    public let version: Int
    /// `latest` (stream → value) and `count` (stream → how many values).
    public let databases = ["latest", "count"]
    /// Only `Set` records change the model.
    public let eventTypes: Set<String>? = ["Set"]

    /// The projection at `version`.
    public init(version: Int = 1) { self.version = version }

    /// Keeps the record's value as its stream's latest and counts it.
    public func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        let key = Array(record.streamBytes)
        try store.put("latest", key: key, value: Array(record.payload))
        let count = try store.get("count", key: key).map { $0.withUnsafeBytes { Self.decode($0) } } ?? 0
        try store.put("count", key: key, value: Self.encode(count + 1))
    }

    /// `Void` takes the listed positions out, `Restore` brings them back.
    public func exclusions(in record: RecordView) throws -> ProjectionExclusions? {
        switch record.type {
        case "Void": ProjectionExclusions(exclude: Self.positions(record.payload))
        case "Restore": ProjectionExclusions(restore: Self.positions(record.payload))
        default: nil
        }
    }

    /// Forgets a stream before the runtime re-folds it.
    public func reset(stream: String, in store: borrowing ProjectionStore) throws {
        try store.delete("latest", key: Array(stream.utf8))
        try store.delete("count", key: Array(stream.utf8))
    }

    /// The model as stream -> (latest value, count).
    public static func model(_ reader: borrowing ProjectionReader) throws -> [String: Entry] {
        var latest = [String: [UInt8]]()
        try reader.forEach("latest") { k, v in
            latest[String(decoding: k, as: UTF8.self)] = Array(v); return true
        }
        var model = [String: Entry]()
        try reader.forEach("count") { k, v in
            let stream = String(decoding: k, as: UTF8.self)
            model[stream] = Entry(latest: latest[stream] ?? [], count: decode(v))
            return true
        }
        return model
    }

    /// One stream's model.
    public struct Entry: Equatable, Sendable, CustomStringConvertible {
        /// The latest value set.
        public var latest: [UInt8]
        /// How many values were set.
        public var count: UInt64
        /// An entry.
        public init(latest: [UInt8], count: UInt64) {
            self.latest = latest
            self.count = count
        }
        /// `value×count`.
        public var description: String { "\(String(decoding: latest, as: UTF8.self))×\(count)" }
    }

    /// 8 bytes big-endian.
    public static func encode(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    /// The value of the first 8 bytes, big-endian.
    public static func decode(_ b: UnsafeRawBufferPointer) -> UInt64 { b.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    /// The positions a `Void` or `Restore` payload lists.
    public static func positions(_ payload: UnsafeRawBufferPointer) -> [UInt64] {
        stride(from: 0, to: payload.count - payload.count % 8, by: 8).map {
            decode(UnsafeRawBufferPointer(rebasing: payload[$0..<($0 + 8)]))
        }
    }

    /// The plain reference: the model after the records given (oldest first),
    /// computed by filtering, not by the runtime.
    public static func oracle(_ records: [RecordedEvent]) -> [String: Entry] {
        var excluded = Set<UInt64>()
        for r in records {
            let listed = r.payload.withUnsafeBytes { positions($0) }.filter { $0 < r.position }
            if r.type == "Void" { excluded.formUnion(listed) }
            if r.type == "Restore" { excluded.subtract(listed) }
        }
        var model = [String: Entry]()
        for r in records where r.type == "Set" && !excluded.contains(r.position) {
            model[r.stream] = Entry(latest: r.payload, count: (model[r.stream]?.count ?? 0) + 1)
        }
        return model
    }
}
