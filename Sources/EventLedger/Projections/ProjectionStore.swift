import LedgerLMDB

/// A projection's databases inside the transaction that applies an event,
/// and read access to the log; valid only during the call that received it.
///
/// The log reads see what the model may know at the record being applied:
/// records up to its position, without those the model excludes. So a fold
/// gives the same model whether it runs inline, in a catch-up, in a rebuild
/// or as of a past position.
///
/// Keys and values are bytes; keys sort as bytes (use big-endian numbers).
public struct ProjectionStore: ~Copyable {
    let target: UnsafePointer<Transaction>
    let log: LedgerSession
    let slot: ProjectionSlot
    let projectionName: String
    /// The position of the record being applied: log reads stop there.
    let position: UInt64
    /// The position the model's history files replaced values under: the
    /// record being applied, or the void whose re-fold applies it again.
    let historyPosition: UInt64
    /// Where each write is kept as well (``RecordingProjection``), if anywhere.
    let recorder: ProjectionWriteRecorder?

    private func table(_ db: String) throws -> ProjectionSlot.Table { try slot.table(db, of: projectionName) }

    /// Whether the record is being applied again, after a later record
    /// excluded or restored one of its stream's: the model's other rows
    /// then stand as they do at that later record, not at this one.
    public var isFoldingAgain: Bool { historyPosition != position }

    /// A copy of the value under `key`, or `nil`.
    public func get(_ db: String, key: [UInt8]) throws -> [UInt8]? {
        let table = try table(db)
        guard let stored = try target.pointee.get(table.handle, key: key) else { return nil }
        return Array(slot.history == nil ? stored : ProjectionHistory.payload(stored, keysOnly: table.keysOnly))
    }

    /// Stores `value` under `key`.
    public func put(_ db: String, key: [UInt8], value: [UInt8]) throws {
        let table = try table(db)
        recorder?.record(db, key: key, value: value, at: historyPosition)
        guard let history = slot.history else { return try target.pointee.put(table.handle, key: key, value: value) }
        _ = try value.withUnsafeBytes {
            try ProjectionHistory.write(
                target.pointee, history: history, db: table.handle, tag: table.tag, key: key, newValue: $0, at: historyPosition,
                keysOnly: table.keysOnly)
        }
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ db: String, key: [UInt8]) throws -> Bool {
        let table = try table(db)
        recorder?.record(db, key: key, value: nil, at: historyPosition)
        guard let history = slot.history else { return try target.pointee.delete(table.handle, key: key) }
        return try ProjectionHistory.write(
            target.pointee, history: history, db: table.handle, tag: table.tag, key: key, newValue: nil, at: historyPosition,
            keysOnly: table.keysOnly)
    }

    /// Calls `body` with each key and value whose key starts with `prefix`, in
    /// key order (from the first key at or after `start`, when given), until
    /// it returns `false`. Buffers are valid only during the call.
    public func forEach(
        _ db: String, prefix: [UInt8] = [], from start: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let table = try table(db)
        let keepsHistory = slot.history != nil
        try scan(target.pointee, table.handle, prefix: prefix, from: start) { key, stored in
            try body(key, keepsHistory ? ProjectionHistory.payload(stored, keysOnly: table.keysOnly) : stored)
        }
    }

    /// Deletes every key that starts with `prefix`; returns how many.
    @discardableResult
    public func deleteAll(_ db: String, prefix: [UInt8]) throws -> Int {
        var keys = [[UInt8]]()
        try forEach(db, prefix: prefix) { key, _ in
            keys.append(Array(key)); return true
        }
        for key in keys { try delete(db, key: key) }
        return keys.count
    }

    /// Calls `body` with the records of `stream` up to the record being
    /// applied, without excluded ones, oldest first, until it returns `false`.
    public func forEachRecord(inStream stream: String, _ body: (RecordView) throws -> Bool) throws {
        try LedgerReader(session: log).forEach(inStream: stream) { view in
            guard view.position <= position else { return false }
            if try isExcluded(view.position) { return true }
            return try body(view)
        }
    }

    /// The record at `position` of the log, if it is not after the record
    /// being applied and, unless `includingExcluded`, not excluded.
    public func record(at position: UInt64, includingExcluded: Bool = false) throws -> RecordView? {
        guard position <= self.position else { return nil }
        if !includingExcluded, try isExcluded(position) { return nil }
        guard let bytes = try log.log.record(at: position) else { return nil }
        return try RecordView(parsing: bytes, key: position)
    }

    /// Calls `body` with the name of each stream of the log whose name starts
    /// with `prefix`, in byte order, until it returns `false`. A stream begun
    /// after the record being applied is listed too; ``forEachRecord(inStream:_:)``
    /// shows none of its records.
    public func forEachStream(withPrefix prefix: String, _ body: (_ stream: String) throws -> Bool) throws {
        try LedgerReader(session: log).forEachStream(withPrefix: prefix) { name, _ in try body(name) }
    }

    /// Whether the model excludes the record at `position`.
    public func isExcluded(_ position: UInt64) throws -> Bool {
        try position.withBigEndianBytes { try target.pointee.get(slot.excluded, key: $0) != nil }
    }
}

/// A read-only view of a projection's model, inside a read transaction,
/// with the log in a snapshot that includes everything the model reflects:
/// the live model, or the model as of an earlier position read from its
/// history (``EventLedger/readProjection(_:asOf:_:)``). Either way the model
/// is read the same way and shows what it held at ``checkpoint``.
public struct ProjectionReader: ~Copyable {
    let txn: UnsafePointer<Transaction>
    let slot: ProjectionSlot
    let log: LedgerSession
    /// The projection's name.
    public let name: String
    /// The last log position the model reflects.
    public let checkpoint: UInt64
    /// The model's version.
    public let version: Int
    /// Whether rows are read as of ``checkpoint`` from the history, not live.
    let readsHistory: Bool

    /// Whether this reader shows the model as of a past position, read from
    /// its history: then a database of ``Projection/historyKeepsOnlyKeys``
    /// lists the keys that existed at ``checkpoint``, each with its value
    /// when the row is unchanged since, or with an empty value to be
    /// worked out again from the databases that keep theirs.
    public var isReadingThePast: Bool { readsHistory }

    init(
        txn: UnsafePointer<Transaction>, slot: ProjectionSlot, log: LedgerSession, name: String,
        checkpoint: UInt64, version: Int, readsHistory: Bool = false
    ) {
        self.txn = txn
        self.slot = slot
        self.log = log
        self.name = name
        self.checkpoint = checkpoint
        self.version = version
        self.readsHistory = readsHistory && slot.history != nil
    }

    /// Calls `body` with the value `key` held at ``checkpoint`` in `handle` (tagged `tag`), if any.
    private func withStoredValue<R>(
        _ handle: Database, tag: UInt8, keysOnly: Bool, key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        guard let history = slot.history else { return try txn.pointee.get(handle, key: key).map(body) }
        if readsHistory {
            return try ProjectionHistory.value(
                txn.pointee, db: handle, history: history, tag: tag, key: key, asOf: checkpoint, keysOnly: keysOnly
            ).map(body)
        }
        return try txn.pointee.get(handle, key: key).map { try body(ProjectionHistory.payload($0, keysOnly: keysOnly)) }
    }

    /// A copy of the value under `key`, or `nil`.
    public func get(_ db: String, key: [UInt8]) throws -> [UInt8]? {
        try withValue(db, key: key) { Array($0) }
    }

    /// Calls `body` with each key and value whose key starts with `prefix`,
    /// in key order, until it returns `false`; with `start`, from the first
    /// key at or after it (a key-range read: a student's lessons from a date).
    public func forEach(
        _ db: String, prefix: [UInt8] = [], from start: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let table = try slot.table(db, of: name)
        if slot.history == nil {
            try scan(txn.pointee, table.handle, prefix: prefix, from: start, body)
        } else if readsHistory, let history = slot.history {
            try ProjectionHistory.scan(
                txn.pointee, db: table.handle, history: history, tag: table.tag, prefix: prefix, from: start, asOf: checkpoint,
                keysOnly: table.keysOnly, body)
        } else {
            try scan(txn.pointee, table.handle, prefix: prefix, from: start) { key, stored in
                try body(key, ProjectionHistory.payload(stored, keysOnly: table.keysOnly))
            }
        }
    }

    /// Calls `body` with the value under `key`, if any, without copying it;
    /// the buffer is valid only during the call.
    public func withValue<R>(_ db: String, key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        let table = try slot.table(db, of: name)
        return try withStoredValue(table.handle, tag: table.tag, keysOnly: table.keysOnly, key: key, body)
    }

    /// The record at `position` if the model reflects it (at or before its
    /// checkpoint) and, unless `includingExcluded`, does not exclude it.
    public func record(at position: UInt64, includingExcluded: Bool = false) throws -> RecordView? {
        guard position <= checkpoint else { return nil }
        if !includingExcluded, try isExcluded(position) { return nil }
        guard let bytes = try log.log.record(at: position) else { return nil }
        return try RecordView(parsing: bytes, key: position)
    }

    /// Whether the model takes the record at `position` out (voided).
    public func isExcluded(_ position: UInt64) throws -> Bool {
        guard readsHistory else { return try position.withBigEndianBytes { try txn.pointee.get(slot.excluded, key: $0) != nil } }
        return try withStoredValue(slot.excluded, tag: 0, keysOnly: false, key: position.bigEndianBytes) { _ in true } ?? false
    }

    /// Calls `body` with the name of each stream of the log whose name starts
    /// with `prefix`, in byte order, until it returns `false`. A stream begun
    /// after the model's checkpoint is listed too; ``forEachRecord(inStream:_:)``
    /// shows none of its records.
    public func forEachStream(withPrefix prefix: String, _ body: (_ stream: String) throws -> Bool) throws {
        try LedgerReader(session: log).forEachStream(withPrefix: prefix) { name, _ in try body(name) }
    }

    /// Calls `body` with the records of `stream` that the model reflects (up
    /// to its checkpoint) and does not exclude, oldest first.
    public func forEachRecord(inStream stream: String, _ body: (RecordView) throws -> Bool) throws {
        let reader = LedgerReader(session: log)
        try reader.forEach(inStream: stream) { view in
            guard view.position <= checkpoint else { return false }
            if try isExcluded(view.position) { return true }
            return try body(view)
        }
    }
}

/// Walks the keys of `db` that start with `prefix` (from `start` when given).
func scan(
    _ txn: borrowing Transaction, _ db: Database, prefix: [UInt8], from start: [UInt8]? = nil,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
) throws {
    let first = scanStart(prefix: prefix, from: start)
    try txn.withCursor(db) { cursor in
        try prefix.withUnsafeBytes { prefix in
            var entry = first.isEmpty ? try cursor.first() : try cursor.seek(atLeast: first)
            while let e = entry, e.key.hasPrefix(prefix) {
                guard try body(e.key, e.value) else { return }
                entry = try cursor.next()
            }
        }
    }
}

/// Where a walk of the keys under `prefix` from `start` begins: `start`, or
/// the prefix itself when `start` sorts before it.
func scanStart(prefix: [UInt8], from start: [UInt8]?) -> [UInt8] {
    start.map { $0.lexicographicallyPrecedes(prefix) ? prefix : $0 } ?? prefix
}
