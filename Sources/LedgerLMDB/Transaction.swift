import CLedgerLMDB

/// A read or write transaction, valid only inside the closure that received it.
///
/// Obtain one with ``Environment/read(_:)`` or ``Environment/write(_:)``. The
/// type is noncopyable and not `Sendable`: it cannot leave its closure or cross
/// to another task, so no caller can leave a transaction open. Buffers it
/// returns point into the memory map and are valid only until the closure returns.
public struct Transaction: ~Copyable {
    let pointer: OpaquePointer
    /// Whether this transaction may write.
    public let isWritable: Bool

    init(pointer: OpaquePointer, isWritable: Bool) {
        self.pointer = pointer
        self.isWritable = isWritable
    }

    /// The LMDB transaction id (the id of the snapshot being read, or of the write).
    public var id: Int { Int(mdb_txn_id(pointer)) }

    /// The value stored under `key`, or `nil` when there is none.
    ///
    /// The returned buffer points into the map: it is valid until the transaction ends.
    public func get(_ db: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var k = MDB_val(key)
        var v = MDB_val()
        let rc = mdb_get(pointer, db.handle, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc, "mdb_get(\(db))")
        return v.buffer
    }

    /// The value stored under `key`, or `nil`; see ``get(_:key:)-(_,UnsafeRawBufferPointer)``.
    public func get(_ db: Database, key: [UInt8]) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try withBytes(key) { k throws(LMDBError) in try get(db, key: k) }
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = MDB_val(key)
        var v = MDB_val(value)
        try LMDBError.check(mdb_put(pointer, db.handle, &k, &v, flags.rawValue), "mdb_put(\(db))")
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws(LMDBError) {
        try withBytes(key) { k throws(LMDBError) in
            try withBytes(value) { v throws(LMDBError) in try put(db, key: k, value: v, flags: flags) }
        }
    }

    /// Reserves `count` bytes for `key` inside the map and lets `fill` write them
    /// in place, saving a copy for large values (`MDB_RESERVE`).
    public func reserve(
        _ db: Database, key: UnsafeRawBufferPointer, count: Int, flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        var k = MDB_val(key)
        var v = MDB_val(mv_size: count, mv_data: nil)
        try LMDBError.check(mdb_put(pointer, db.handle, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)), "mdb_put(\(db), MDB_RESERVE)")
        try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ db: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        var k = MDB_val(key)
        let rc = mdb_del(pointer, db.handle, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try LMDBError.check(rc, "mdb_del(\(db))")
        return true
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws(LMDBError) -> Bool {
        try withBytes(key) { k throws(LMDBError) in try delete(db, key: k) }
    }

    /// Removes every entry of `db`, keeping the database itself.
    public func empty(_ db: Database) throws(LMDBError) {
        try LMDBError.check(mdb_drop(pointer, db.handle, 0), "mdb_drop(\(db))")
    }

    /// Counts and page usage of `db` as this transaction sees it.
    public func statistics(_ db: Database) throws(LMDBError) -> DatabaseStatistics {
        var s = MDB_stat()
        try LMDBError.check(mdb_stat(pointer, db.handle, &s), "mdb_stat(\(db))")
        return DatabaseStatistics(s)
    }

    /// Runs `body` with a cursor over `db`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ db: Database, _ body: (inout Cursor) throws -> R) throws -> R {
        var raw: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(pointer, db.handle, &raw), "mdb_cursor_open(\(db))")
        var cursor = Cursor(pointer: raw!, database: db)
        return try body(&cursor)
    }

    /// Runs `body` with a cursor over `first` and one over `second`, to walk
    /// two databases side by side (a merge); both close when `body` returns.
    public func withCursors<R>(_ first: Database, _ second: Database, _ body: (inout Cursor, inout Cursor) throws -> R) throws -> R {
        var a: OpaquePointer?, b: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(pointer, first.handle, &a), "mdb_cursor_open(\(first))")
        var one = Cursor(pointer: a!, database: first)
        try LMDBError.check(mdb_cursor_open(pointer, second.handle, &b), "mdb_cursor_open(\(second))")
        var two = Cursor(pointer: b!, database: second)
        return try body(&one, &two)
    }

    /// Runs `body` in a nested write transaction: when `body` throws, only the
    /// nested part is rolled back and this transaction goes on.
    public func nested<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        precondition(isWritable, "nested transactions exist only inside write transactions")
        var raw: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(mdb_txn_env(pointer), pointer, 0, &raw), "mdb_txn_begin(nested)")
        let child = Transaction(pointer: raw!, isWritable: true)
        let result: R
        do {
            result = try body(child)
        } catch {
            mdb_txn_abort(child.pointer)
            throw error
        }
        try LMDBError.check(mdb_txn_commit(child.pointer), "mdb_txn_commit(nested)")
        return result
    }
}

@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(LMDBError) -> R) throws(LMDBError) -> R {
    // Array.withUnsafeBytes rethrows untyped; keep the typed error.
    var result: Result<R, LMDBError>!
    bytes.withUnsafeBytes { buffer in result = Result { () throws(LMDBError) in try body(buffer) } }
    return try result.get()
}

extension MDB_val {
    @inline(__always)
    init(_ buffer: UnsafeRawBufferPointer) {
        self.init(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
    }

    @inline(__always)
    var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
