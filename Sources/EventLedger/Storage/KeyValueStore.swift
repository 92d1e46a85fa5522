import LedgerLMDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small durable key-value store in a directory of its own, beside a
/// ledger, for what an append-only log must not hold: keys that must be
/// destroyable (the personal-data vault) and records that must not grow the
/// log (the read log).
///
/// A store has named tables, fixed when it is opened; keys and values are
/// bytes, keys ordered bytewise. Every write commits durably before
/// ``write(_:)`` returns, and all writes of one closure commit together or
/// not at all. ``compact()`` rewrites the file without free pages, so the
/// bytes of deleted or overwritten values are gone from it.
///
/// The store runs one operation at a time: it is meant for small side data,
/// not for the ledger's own log. On LMDB (the default and only engine here)
/// its file is `data.mdb` in the store's directory; the engine's types never
/// appear in this API.
///
/// ```swift
/// let store = try KeyValueStore.open(directory: dir, options: .init(tables: ["notes"]))
/// try store.write { txn in try txn.put("notes", key: Array("k".utf8), value: Array("v".utf8)) }
/// let value = try store.read { txn in try txn.get("notes", key: Array("k".utf8)) }
/// ```
public final class KeyValueStore: Sendable {
    /// How a store is opened.
    public struct Options: Sendable {
        /// The tables the store holds; a writable open creates the missing ones.
        public var tables: [String]
        /// Open without writing; missing tables then read as empty.
        public var readOnly: Bool = false
        /// The file's first size in bytes; it grows when full.
        public var initialSize: Int = 8 << 20
        /// The permission bits of the store's files.
        public var fileMode: UInt32 = 0o600

        /// Options for a store holding `tables`.
        public init(tables: [String]) { self.tables = tables }
    }

    /// The directory's resolved absolute path.
    public let directory: String
    private let options: Options
    private let state: Mutex<Opened?>

    /// The engine's handles; dropping the last one closes the files.
    private struct Opened {
        var environment: Environment
        /// `nil` for a table a read-only open did not find.
        var tables: [String: Database?]
    }

    private init(directory: String, options: Options, opened: Opened) {
        self.directory = directory
        self.options = options
        self.state = Mutex(opened)
    }

    /// Opens (creating unless read-only) the store in `directory`.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/storage`` when
    ///   the directory cannot be opened as a store (missing, not writable, or
    ///   not a store of this library).
    public static func open(directory: String, options: Options) throws(LedgerError) -> KeyValueStore {
        let opened = try open(directory, options)
        return KeyValueStore(directory: opened.environment.path, options: options, opened: opened)
    }

    private static func open(_ directory: String, _ options: Options) throws(LedgerError) -> Opened {
        do {
            var engine = Environment.Options()
            engine.readOnly = options.readOnly
            engine.create = !options.readOnly
            engine.mapSize = options.initialSize
            engine.maxDatabases = max(options.tables.count, 1)
            engine.fileMode = options.fileMode
            let environment = try Environment.open(directory: directory, options: engine)
            var tables = [String: Database?]()
            for name in options.tables {
                if options.readOnly {
                    // A table a read-only open cannot find was never written: it reads as empty.
                    tables[name] = .some(try? environment.openDatabase(name))
                } else {
                    tables[name] = try environment.openDatabase(name, create: true)
                }
            }
            return Opened(environment: environment, tables: tables)
        } catch let error as LMDBError {
            throw .storage(error, while: "opening the store at \(directory)")
        } catch {
            throw LedgerError(.storage, "Opening the store at \(directory) failed: \(error)")
        }
    }

    /// Runs `body` in a read-only snapshot of the store.
    public func read<R>(_ body: (borrowing KeyValueTransaction) throws -> R) throws -> R {
        try withOpened { opened in
            try opened.environment.read { txn in
                try withUnsafePointer(to: txn) { pointer in
                    try body(KeyValueTransaction(transaction: pointer, tables: opened.tables))
                }
            }
        }
    }

    /// Runs `body` in a write transaction and commits durably when it returns.
    ///
    /// When `body` throws, nothing of it is written. `body` may run more than
    /// once (when the file is full, it grows and the closure runs again from
    /// the start), so it must not have effects outside the transaction.
    ///
    /// - Throws: what `body` throws; ``LedgerError`` with code
    ///   ``LedgerError/Code/diskFull`` when the disk is full, or
    ///   ``LedgerError/Code/readOnly`` for a store opened read-only.
    public func write<R>(_ body: (borrowing KeyValueTransaction) throws -> R) throws -> R {
        guard !options.readOnly else {
            throw LedgerError(.readOnly, "The store at \(directory) is open read-only: open it writable to change it.")
        }
        return try withOpened { opened in
            do {
                return try opened.environment.write { txn in
                    try withUnsafePointer(to: txn) { pointer in
                        try body(KeyValueTransaction(transaction: pointer, tables: opened.tables))
                    }
                }
            } catch let error as LMDBError {
                throw LedgerError.writing(error, in: directory)
            }
        }
    }

    /// Rewrites the store's file without free pages, so that no byte of a
    /// deleted or overwritten value is left in it, and puts it in place of
    /// the old file atomically (`rename(2)`).
    ///
    /// - Throws: ``LedgerError`` when the copy or the rename fails; the store
    ///   then still holds everything written, the old bytes perhaps in a free page.
    public func compact() throws {
        guard !options.readOnly else {
            throw LedgerError(.readOnly, "The store at \(directory) is open read-only: open it writable to compact it.")
        }
        try state.withLock { (opened: inout Opened?) throws in
            guard opened != nil else { throw Self.closed(directory) }
            let copy = directory + "/compact-\(UInt64.random(in: 0 ... .max))"
            guard mkdir(copy, 0o700) == 0 else {
                throw LedgerError(.storage, "The store at \(directory) could not make \(copy) for its compaction (errno \(errno)).")
            }
            defer {
                unlink(copy + "/data.mdb")
                unlink(copy + "/lock.mdb")
                rmdir(copy)
            }
            do throws(LMDBError) {
                // Through `opened` itself: a local copy would keep the environment open below.
                try opened!.environment.copyCompacted(to: copy)
            } catch {
                throw LedgerError.storage(error, while: "compacting the store at \(directory)")
            }
            // The store holds the only reference to its environment (no
            // operation runs while this lock is held): dropping it closes the
            // files, so the compact copy can take the old file's place.
            opened = nil
            let renamed = rename(copy + "/data.mdb", directory + "/data.mdb") == 0
            let code = errno
            opened = try Self.open(directory, options)
            guard renamed else {
                throw LedgerError(
                    .storage,
                    "The store at \(directory) is written, but its compacted copy could not replace the old file (errno \(code)): the old file may still hold old bytes in a free page; compact again."
                )
            }
        }
    }

    /// Runs `body` with the store's open environment (for a copy of it).
    func withEnvironment<R>(_ body: (Environment) throws -> R) throws -> R {
        try withOpened { try body($0.environment) }
    }

    private func withOpened<R>(_ body: (Opened) throws -> R) throws -> R {
        try state.withLock { opened in
            guard let opened else { throw Self.closed(directory) }
            return try body(opened)
        }
    }

    private static func closed(_ directory: String) -> LedgerError {
        LedgerError(.storage, "The store at \(directory) was closed by a failed compaction: open it again.")
    }
}

/// A transaction of a ``KeyValueStore``, valid only inside the closure
/// that received it.
///
/// Errors of the engine pass through its methods as they are, so that the
/// store can grow a full file and run the closure again; the store turns
/// them into ``LedgerError``s when the closure ends.
public struct KeyValueTransaction: ~Copyable {
    private let transaction: UnsafePointer<Transaction>
    private let tables: [String: Database?]

    fileprivate init(transaction: UnsafePointer<Transaction>, tables: [String: Database?]) {
        self.transaction = transaction
        self.tables = tables
    }

    /// The table's handle; `nil` for a table a read-only store never found.
    private func table(_ name: String) throws -> Database? {
        guard let handle = tables[name] else {
            throw LedgerError(.storage, "The store has no table \(name): name it in KeyValueStore.Options.tables.")
        }
        return handle
    }

    /// The value stored under `key` in `table`, or `nil`.
    public func get(_ table: String, key: [UInt8]) throws -> [UInt8]? {
        guard let handle = try self.table(table) else { return nil }
        return try transaction.pointee.get(handle, key: key).map { Array($0) }
    }

    /// Stores `value` under `key` in `table`, replacing what was there.
    ///
    /// Pass `append: true` when the key sorts after every key of the table
    /// (a sequence number, for example), which makes the write cheaper; a
    /// key that does not is then refused.
    public func put(_ table: String, key: [UInt8], value: [UInt8], append: Bool = false) throws {
        guard let handle = try self.table(table) else { return }
        try transaction.pointee.put(handle, key: key, value: value, flags: append ? .append : [])
    }

    /// Removes `key` from `table`; whether it was there.
    @discardableResult
    public func delete(_ table: String, key: [UInt8]) throws -> Bool {
        guard let handle = try self.table(table) else { return false }
        return try transaction.pointee.delete(handle, key: key)
    }

    /// How many entries `table` holds.
    public func count(_ table: String) throws -> Int {
        guard let handle = try self.table(table) else { return 0 }
        return try transaction.pointee.statistics(handle).entries
    }

    /// The entry of `table` with the greatest key, or `nil` when it is empty.
    public func last(_ table: String) throws -> (key: [UInt8], value: [UInt8])? {
        guard let handle = try self.table(table) else { return nil }
        return try transaction.pointee.withCursor(handle) { cursor in
            try cursor.last().map { (Array($0.key), Array($0.value)) }
        }
    }

    /// Calls `body` with each entry of `table` in key order, from the first
    /// key at or after `start` (from the first entry when `nil`), while
    /// `body` returns `true`.
    public func forEach(
        _ table: String, from start: [UInt8]? = nil, _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
    ) throws {
        guard let handle = try self.table(table) else { return }
        try transaction.pointee.withCursor(handle) { cursor in
            var item = try start.map { key in try cursor.seek(atLeast: key) } ?? cursor.first()
            while let (key, value) = item, try body(Array(key), Array(value)) {
                item = try cursor.next()
            }
        }
    }
}
