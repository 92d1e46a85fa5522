import CLedgerLMDB

/// A position inside one database of a transaction; valid only inside the
/// closure of ``Transaction/withCursor(_:_:)``.
///
/// Each move returns the key and value it lands on, or `nil` past either end.
/// Buffers point into the map and are valid until the transaction ends.
public struct Cursor: ~Copyable {
    /// A key and its value, both pointing into the map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let pointer: OpaquePointer
    /// The database this cursor walks.
    public let database: Database

    init(pointer: OpaquePointer, database: Database) {
        self.pointer = pointer
        self.database = database
    }

    deinit { mdb_cursor_close(pointer) }

    @inline(__always)
    private func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = key.map(MDB_val.init) ?? MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(pointer, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "mdb_cursor_get(\(database))")
        return (k.buffer, v.buffer)
    }

    /// Moves to the first entry.
    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    /// Moves to the last entry.
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    /// Moves to the next entry.
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    /// Moves to the previous entry.
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }
    /// The entry the cursor is on.
    public func current() throws(LMDBError) -> Entry? { try move(MDB_GET_CURRENT) }

    /// Moves to the first entry whose key is greater than or equal to `key`.
    public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> Entry? {
        try move(MDB_SET_RANGE, key: key)
    }

    /// Moves to the first entry whose key is greater than or equal to `key`.
    public func seek(atLeast key: [UInt8]) throws(LMDBError) -> Entry? {
        try withBytes(key) { k throws(LMDBError) in try seek(atLeast: k) }
    }

    /// Moves to the last entry whose key is less than or equal to `key`.
    public func seek(atMost key: [UInt8]) throws(LMDBError) -> Entry? {
        if let found = try seek(atLeast: key) {
            if found.key.elementsEqual(key) { return found }
            return try previous()
        }
        return try last()
    }

    /// Stores `value` under `key` through the cursor; with ``PutFlags/append``
    /// the key must sort after every existing key.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = MDB_val(key)
        var v = MDB_val(value)
        try LMDBError.check(mdb_cursor_put(pointer, &k, &v, flags.rawValue), "mdb_cursor_put(\(database))")
    }

    /// Deletes the entry the cursor is on.
    public func deleteCurrent() throws(LMDBError) {
        try LMDBError.check(mdb_cursor_del(pointer, 0), "mdb_cursor_del(\(database))")
    }
}
