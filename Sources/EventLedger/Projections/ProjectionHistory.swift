import LedgerLMDB

/// The history a projection keeps when ``Projection/keepsHistory`` is set.
///
/// Each live row's value starts with the position since which it holds
/// (8 bytes, big-endian; readers never see them). When a record changes or
/// deletes a row, the row's old value (its own position included) goes into
/// the history, keyed by the row and the position of the record that
/// replaced it. A row a record creates writes no history: its own position
/// says it did not exist before.
///
/// As of position p, a row holds the first version replaced after p, if
/// there is one, and otherwise the live value; either one holds only if its
/// own position is at or before p (a later one means the row did not exist
/// at p, since any version before it would have been replaced after p). So
/// the model as of any earlier position is read like the live one, by key
/// ranges.
///
/// A history key is the database's one-byte tag (0 for the set of excluded
/// positions), the row's key escaped so that keys keep their byte order and a
/// key sorts before every longer key it begins (byte 0 written as 0, 255), the
/// terminator 0, 0, and the replacing position, big-endian.
///
/// A row written several times at one position (a void re-folds streams at
/// its own position) keeps, in the history, the value it had before the first
/// write there: the one that held up to the position before.
enum ProjectionHistory {
    static let terminator: [UInt8] = [0, 0]
    /// LMDB's longest key (its default `MDB_MAXKEYSIZE`).
    static let maxKeyBytes = 511

    /// The escaped form of `key`, without the terminator.
    static func escaped(_ key: some Sequence<UInt8>, into out: inout [UInt8]) {
        for byte in key {
            out.append(byte)
            if byte == 0 { out.append(255) }
        }
    }

    /// The history key of the version of `key` (in the database tagged `tag`)
    /// replaced at `position`.
    static func key(tag: UInt8, key: some Sequence<UInt8>, position: UInt64) -> [UInt8] {
        var out: [UInt8] = [tag]
        out.reserveCapacity(key.underestimatedCount + 12)
        escaped(key, into: &out)
        out += terminator
        out += position.bigEndianBytes
        return out
    }

    /// Splits a history key (tag included) into the row's key and the replacing position.
    static func decode(_ historyKey: UnsafeRawBufferPointer) -> (key: [UInt8], position: UInt64)? {
        var key = [UInt8]()
        var i = 1
        while i + 1 < historyKey.count {
            let byte = historyKey[i]
            if byte == 0 {
                if historyKey[i + 1] == 0 {
                    guard historyKey.count == i + 2 + 8 else { return nil }
                    return (key, UInt64(bigEndianBytes: historyKey, at: i + 2))
                }
                key.append(0)
                i += 2
            } else {
                key.append(byte)
                i += 1
            }
        }
        return nil
    }

    /// The position since which a stored value (live or in the history) holds.
    static func since(_ stored: UnsafeRawBufferPointer) -> UInt64 { UInt64(bigEndianBytes: stored, at: 0) }

    /// A stored live value without its positions: what the model wrote. A
    /// row of a keys-only database (``Projection/historyKeepsOnlyKeys``)
    /// stores, after the position since which it exists, the position of
    /// its last change.
    static func payload(_ stored: UnsafeRawBufferPointer, keysOnly: Bool = false) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: stored.dropFirst(keysOnly ? 16 : 8))
    }

    /// What a stored value (`live`, or a version from the history) shows as
    /// of `asOf`: `nil` if it did not hold then. A keys-only row shows its
    /// value only when it is live and unchanged since `asOf`, else an empty one.
    static func held(_ stored: UnsafeRawBufferPointer?, asOf: UInt64, keysOnly: Bool, live: Bool) -> UnsafeRawBufferPointer? {
        guard let stored, since(stored) <= asOf else { return nil }
        guard keysOnly else { return payload(stored) }
        guard live, UInt64(bigEndianBytes: stored, at: 8) <= asOf else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return payload(stored, keysOnly: true)
    }

    /// Writes `newValue` under `key` in `db` (`nil`: deletes it) at
    /// `position`, keeping the value it replaces in the history. Returns
    /// whether the key existed. Writes nothing when the value is unchanged.
    /// With `keysOnly` a change in place keeps no version (the row keeps the
    /// position since which it exists, and notes that of the change); a
    /// delete keeps the position alone.
    @discardableResult
    static func write(
        _ txn: borrowing Transaction, history: Database, db: Database, tag: UInt8, key: [UInt8], newValue: UnsafeRawBufferPointer?,
        at position: UInt64, keysOnly: Bool = false
    ) throws -> Bool {
        var kept: [UInt8]?
        var holdsSince = position
        if let old = try txn.get(db, key: key) {
            if let newValue, payload(old, keysOnly: keysOnly).elementsEqual(newValue) { return true }
            if keysOnly && newValue != nil {
                holdsSince = since(old)
            } else if since(old) != position {
                // (A version written at this same position never held at a committed position.)
                kept = keysOnly ? Array(old.prefix(8)) : Array(old)
            }
        } else if newValue == nil {
            return false
        }
        if let kept {
            let historyKey = Self.key(tag: tag, key: key, position: position)
            guard historyKey.count <= maxKeyBytes else {
                throw LedgerError(
                    .projectionMisconfigured,
                    "A row key of \(key.count) bytes is too long for the model's history (\(historyKey.count) bytes with its escaping and position, LMDB takes \(maxKeyBytes)): keep the keys of a model that keeps history under 500 bytes, each 0 byte counting twice."
                )
            }
            // The first value replaced at this position is the one that held before it.
            do {
                try txn.put(history, key: historyKey, value: kept, flags: .noOverwrite)
            } catch {
                guard error.code == .keyExists else { throw error }
            }
        }
        guard let newValue else { return try txn.delete(db, key: key) }
        var stored = holdsSince.bigEndianBytes
        if keysOnly { stored += position.bigEndianBytes }
        stored.append(contentsOf: newValue)
        try txn.put(db, key: key, value: stored)
        return true
    }

    /// The value `key` held as of position `asOf`, if any.
    static func value(
        _ txn: borrowing Transaction, db: Database, history: Database, tag: UInt8, key: [UInt8], asOf: UInt64, keysOnly: Bool = false
    ) throws -> UnsafeRawBufferPointer? {
        let seek = Self.key(tag: tag, key: key, position: asOf + 1)
        let versionPrefix = seek.dropLast(8)
        let replaced = try txn.withCursor(history) { cursor -> UnsafeRawBufferPointer? in
            guard let found = try cursor.seek(atLeast: seek), found.key.count == seek.count, found.key.starts(with: versionPrefix) else {
                return nil
            }
            return found.value
        }
        if let replaced { return held(replaced, asOf: asOf, keysOnly: keysOnly, live: false) }
        return held(try txn.get(db, key: key), asOf: asOf, keysOnly: keysOnly, live: true)
    }

    /// Calls `body` with each key and value of `db` whose key starts with
    /// `prefix` (from `start`, when given), in key order, as they stood at
    /// position `asOf`: the live rows merged with the history's versions.
    static func scan(
        _ txn: borrowing Transaction, db: Database, history: Database, tag: UInt8, prefix: [UInt8], from start: [UInt8]?,
        asOf: UInt64, keysOnly: Bool = false, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let first = scanStart(prefix: prefix, from: start)
        var historyPrefix: [UInt8] = [tag]
        escaped(prefix, into: &historyPrefix)
        var historyFirst: [UInt8] = [tag]
        escaped(first, into: &historyFirst)
        try txn.withCursors(db, history) { live, past in
            var liveEntry = first.isEmpty ? try live.first() : try live.seek(atLeast: first)
            if let e = liveEntry, !e.key.starts(with: prefix) { liveEntry = nil }
            var pastEntry = try past.seek(atLeast: historyFirst)
            var pending = try Self.nextKey(past, &pastEntry, prefix: historyPrefix, asOf: asOf)
            while liveEntry != nil || pending != nil {
                let liveKey = liveEntry?.key
                if let p = pending, liveKey.map({ p.key.lexicographicallyPrecedes($0) || $0.elementsEqual(p.key) }) ?? true {
                    let same = liveKey.map { $0.elementsEqual(p.key) } ?? false
                    // The first version replaced after `asOf` if any, else the live row.
                    let value =
                        p.value.map { held($0, asOf: asOf, keysOnly: keysOnly, live: false) }
                        ?? (same ? held(liveEntry?.value, asOf: asOf, keysOnly: keysOnly, live: true) : nil)
                    if let value {
                        let goOn = try p.key.withUnsafeBytes { try body($0, value) }
                        guard goOn else { return }
                    }
                    if same { liveEntry = try Self.next(live, prefix) }
                    pending = try Self.nextKey(past, &pastEntry, prefix: historyPrefix, asOf: asOf)
                } else if let e = liveEntry {
                    if let value = held(e.value, asOf: asOf, keysOnly: keysOnly, live: true) {
                        guard try body(e.key, value) else { return }
                    }
                    liveEntry = try Self.next(live, prefix)
                }
            }
        }
    }

    /// The next key the history holds versions for, from `entry` on (which
    /// it leaves on the first entry of the key after), with its first
    /// version replaced after `asOf`, if any (stored: position first).
    private static func nextKey(
        _ past: borrowing Cursor, _ entry: inout Cursor.Entry?, prefix: [UInt8], asOf: UInt64
    ) throws -> (key: [UInt8], value: UnsafeRawBufferPointer?)? {
        guard let e = entry, e.key.starts(with: prefix) else { return nil }
        guard let (key, _) = decode(e.key) else {
            throw LedgerError(.corruptRecord, "A projection's history holds a malformed key: rebuild the projection.")
        }
        // Versions of one key follow each other, oldest replacement first, and
        // share every byte but the last 8 (the replacing position).
        let versionKey = UnsafeRawBufferPointer(rebasing: e.key.dropLast(8))
        var found: UnsafeRawBufferPointer?
        while let v = entry, v.key.count == e.key.count, v.key.starts(with: versionKey) {
            if found == nil, UInt64(bigEndianBytes: v.key, at: v.key.count - 8) > asOf { found = v.value }
            entry = try past.next()
        }
        return (key, found)
    }

    private static func next(_ cursor: borrowing Cursor, _ prefix: [UInt8]) throws -> Cursor.Entry? {
        guard let e = try cursor.next(), e.key.starts(with: prefix) else { return nil }
        return e
    }
}
