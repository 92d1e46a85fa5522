import LedgerLMDB

/// The history a projection keeps when ``Projection/keepsHistory`` is set:
/// for every row a record changed, the value the row had before, keyed by the
/// row and the position of the record that replaced it. The model as of any
/// earlier position is then the live rows with each replaced value put back,
/// a key-range read like a read of the live model.
///
/// A history key is the database's one-byte tag (0 for the set of excluded
/// positions), the row's key escaped so that keys keep their byte order and a
/// key sorts before every longer key it begins (byte 0 written as 0, 255), the
/// terminator 0, 0, and the replacing position, big-endian. Its value is 0 for
/// a row that did not exist, or 1 followed by the row's value.
///
/// A row written several times at one position (a void re-folds streams at
/// its own position) keeps the value it had before the first write there: the
/// one that held up to the position before.
enum ProjectionHistory {
    static let terminator: [UInt8] = [0, 0]

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

    /// Keeps the value `key` has in `db` before `newValue` (`nil`: a delete)
    /// replaces it at `position`, unless nothing changes or a value replaced
    /// at that position is kept already.
    static func remember(
        _ txn: borrowing Transaction, history: Database, db: Database, tag: UInt8, key: [UInt8], newValue: UnsafeRawBufferPointer?,
        at position: UInt64
    ) throws {
        let old = try txn.get(db, key: key)
        switch (old, newValue) {
        case (nil, nil): return
        case (let old?, let new?) where old.elementsEqual(new): return
        default: break
        }
        var value: [UInt8] = [old == nil ? 0 : 1]
        if let old { value.append(contentsOf: old) }
        // The first value replaced at this position is the one that held before it.
        do {
            try txn.put(history, key: Self.key(tag: tag, key: key, position: position), value: value, flags: .noOverwrite)
        } catch {
            guard error.code == .keyExists else { throw error }
        }
    }

    /// What `key` held as of position `asOf`, if the history says: the
    /// first version replaced after `asOf` (`.some(nil)`: the row did not
    /// exist); `nil` when no version was replaced since, so the live value holds.
    static func value(
        _ txn: borrowing Transaction, history: Database, tag: UInt8, key: some Sequence<UInt8>, asOf: UInt64
    ) throws -> UnsafeRawBufferPointer?? {
        let seek = Self.key(tag: tag, key: key, position: asOf + 1)
        let versionPrefix = seek.dropLast(8)
        return try txn.withCursor(history) { cursor -> UnsafeRawBufferPointer?? in
            guard let found = try cursor.seek(atLeast: seek), found.key.count == seek.count, found.key.starts(with: versionPrefix) else {
                return nil
            }
            return .some(found.value.first == 1 ? UnsafeRawBufferPointer(rebasing: found.value.dropFirst()) : nil)
        }
    }

    /// Calls `body` with each key and value of `db` whose key starts with
    /// `prefix` (from `start`, when given), in key order, as they stood at
    /// position `asOf`: the live rows merged with the history's versions.
    static func scan(
        _ txn: borrowing Transaction, db: Database, history: Database, tag: UInt8, prefix: [UInt8], from start: [UInt8]?,
        asOf: UInt64, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let first = start.map { $0.lexicographicallyPrecedes(prefix) ? prefix : $0 } ?? prefix
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
                    let value: UnsafeRawBufferPointer? =
                        switch p.value {
                        case .some(let version): version
                        case .none: same ? liveEntry?.value : nil
                        }
                    if let value {
                        let goOn = try p.key.withUnsafeBytes { try body($0, value) }
                        guard goOn else { return }
                    }
                    if same { liveEntry = try Self.next(live, prefix) }
                    pending = try Self.nextKey(past, &pastEntry, prefix: historyPrefix, asOf: asOf)
                } else if let e = liveEntry {
                    guard try body(e.key, e.value) else { return }
                    liveEntry = try Self.next(live, prefix)
                }
            }
        }
    }

    /// The next key the history holds versions for, from `entry` on (which
    /// it leaves on the first entry of the key after), with the value the key
    /// held as of `asOf` when a version was replaced after it.
    private static func nextKey(
        _ past: borrowing Cursor, _ entry: inout Cursor.Entry?, prefix: [UInt8], asOf: UInt64
    ) throws -> (key: [UInt8], value: UnsafeRawBufferPointer??)? {
        guard let e = entry, e.key.starts(with: prefix) else { return nil }
        guard let (key, _) = decode(e.key) else {
            throw LedgerError(.corruptRecord, "A projection's history holds a malformed key: rebuild the projection.")
        }
        var found: UnsafeRawBufferPointer??
        // Versions of one key follow each other, oldest replacement first.
        while let v = entry, v.key.starts(with: prefix), let (k, position) = decode(v.key), k == key {
            if found == nil, position > asOf {
                found = .some(v.value.first == 1 ? UnsafeRawBufferPointer(rebasing: v.value.dropFirst()) : nil)
            }
            entry = try past.next()
        }
        return (key, found)
    }

    private static func next(_ cursor: borrowing Cursor, _ prefix: [UInt8]) throws -> Cursor.Entry? {
        guard let e = try cursor.next(), e.key.starts(with: prefix) else { return nil }
        return e
    }
}
