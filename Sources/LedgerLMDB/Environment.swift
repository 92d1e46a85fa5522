import CLedgerLMDB
import Foundation
import Synchronization

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`, with
/// named databases inside.
///
/// An environment is opened once per process per directory:
/// ``open(directory:options:)`` returns the instance already open for that path,
/// as LMDB requires (a second `mdb_env_open` of the same files in one process
/// breaks its locks). All access goes through closures that scope a
/// transaction; the transaction is valid only during the closure.
///
/// ```swift
/// let env = try Environment.open(directory: "/var/lib/school/ledger")
/// let db = try env.openDatabase("notes", create: true)
/// try env.write { txn in try txn.put(db, key: Array("k".utf8), value: Array("v".utf8)) }
/// let value = try env.read { txn in try txn.get(db, key: Array("k".utf8)).map { Array($0) } }
/// ```
///
/// The environment uses `MDB_NOTLS`, so read transactions are not tied to a
/// thread. Write closures are synchronous and may run more than once: when the
/// map is full, the write is rolled back, the map grows (with no transaction
/// of this process open) and the closure runs again.
public final class Environment: @unchecked Sendable {
    // @unchecked Sendable: the MDB_env pointer is thread-safe for LMDB's own
    // operations under MDB_NOTLS; map resizes are serialised by `gate`, the
    // database-handle cache by its Mutex, and `mapSize` by `sizeLock`.
    let pointer: OpaquePointer
    /// The directory's resolved absolute path.
    public let path: String
    /// The options the environment was opened with.
    public let options: Options
    private let gate = TransactionGate()
    private let handles = Mutex<[String: Database]>([:])
    private let sizeLock = Mutex<Int>(0)

    private init(pointer: OpaquePointer, path: String, options: Options, mapSize: Int) {
        self.pointer = pointer
        self.path = path
        self.options = options
        sizeLock.withLock { $0 = mapSize }
    }

    deinit {
        mdb_env_close(pointer)
        Self.registry.withLock { entries in
            if entries[path]?.value == nil { entries[path] = nil }
        }
    }

    // MARK: Opening

    private struct WeakEntry { weak var value: Environment? }
    private static let registry = Mutex<[String: WeakEntry]>([:])

    /// Opens (creating when asked) the environment in `directory`, or returns the
    /// instance this process already has open there.
    ///
    /// Stale reader slots left by dead processes are cleared on open.
    ///
    /// - Throws: ``LMDBError`` with ``LMDBError/Code/noSuchFile`` when the directory
    ///   is missing and `options.create` is false, ``LMDBError/Code/invalid`` when
    ///   the files are not LMDB's, ``LMDBError/Code/incompatible`` when the same
    ///   path is already open here with other options.
    public static func open(directory: String, options: Options = Options()) throws(LMDBError) -> Environment {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if !fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard options.create, !options.readOnly else {
                throw LMDBError(
                    code: .noSuchFile, operation: "open \(directory)",
                    message: "No directory at \(directory): check the path, or create the ledger first.")
            }
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw LMDBError(
                    code: .permissionDenied, operation: "create \(directory)",
                    message: "Could not create \(directory) (\(error.localizedDescription)): check the parent directory's permissions.")
            }
        } else if !isDirectory.boolValue {
            throw LMDBError(
                code: .invalidArgument, operation: "open \(directory)",
                message: "\(directory) is a file, not a directory: give the ledger's directory.")
        }
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path

        return try registry.withLock { entries throws(LMDBError) -> Environment in
            if let existing = entries[resolved]?.value {
                guard existing.options.isCompatible(with: options) else {
                    throw LMDBError(
                        code: .incompatible, operation: "open \(resolved)",
                        message:
                            "This process already has \(resolved) open \(existing.options.readOnly ? "read-only" : "with another durability"): reuse that environment, or close it first."
                    )
                }
                return existing
            }
            let env = try openNew(path: resolved, options: options)
            entries[resolved] = WeakEntry(value: env)
            return env
        }
    }

    private static func openNew(path: String, options: Options) throws(LMDBError) -> Environment {
        var raw: OpaquePointer?
        try LMDBError.check(mdb_env_create(&raw), "mdb_env_create")
        let env = raw!
        do throws(LMDBError) {
            try LMDBError.check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)), "mdb_env_set_maxreaders")
            try LMDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            switch options.durability {
            case .full: break
            case .noMetaSync: flags |= UInt32(MDB_NOMETASYNC)
            case .noSync: flags |= UInt32(MDB_NOSYNC)
            }
            try LMDBError.check(mdb_env_open(env, path, flags, mode_t(options.fileMode)), "mdb_env_open(\(path))")
            var dead: Int32 = 0
            try LMDBError.check(mdb_reader_check(env, &dead), "mdb_reader_check")
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            return Environment(pointer: env, path: path, options: options, mapSize: info.me_mapsize)
        } catch {
            mdb_env_close(env)
            throw error
        }
    }

    // MARK: Databases

    /// Opens the named database `name` (or the main one for `nil`), creating it
    /// when `create` is true. Handles are cached: later calls are cheap.
    ///
    /// - Throws: ``LMDBError/Code/notFound`` when it does not exist and `create` is false.
    public func openDatabase(_ name: String?, create: Bool = false) throws -> Database {
        let cacheKey = name ?? ""
        if let cached = handles.withLock({ $0[cacheKey] }) { return cached }
        // mdb_dbi_open must not run in two transactions of one process at once:
        // the handle cache lock serialises it.
        let open = { (txn: borrowing Transaction) throws(LMDBError) -> Database in
            var dbi = MDB_dbi()
            let flags = create && txn.isWritable ? UInt32(MDB_CREATE) : 0
            let rc = name.map { mdb_dbi_open(txn.pointer, $0, flags, &dbi) } ?? mdb_dbi_open(txn.pointer, nil, flags, &dbi)
            if rc == MDB_NOTFOUND {
                throw LMDBError(
                    code: .notFound, operation: "mdb_dbi_open(\(cacheKey))",
                    message: "The database \(cacheKey) does not exist in \(self.path): is this the right directory?")
            }
            try LMDBError.check(rc, "mdb_dbi_open(\(cacheKey))")
            return Database(handle: dbi, name: name)
        }
        return try handles.withLock { cache throws -> Database in
            if let cached = cache[cacheKey] { return cached }
            let db = try (create && !options.readOnly) ? write(open) : readCommitting(open)
            cache[cacheKey] = db
            return db
        }
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot transaction.
    ///
    /// Readers never block writers or each other. Do not hold the closure open
    /// across long work: an old snapshot keeps pages from being reused.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let txn = try begin(writable: false)
        defer { endRead(txn) }
        return try body(txn)
    }

    /// Runs `body` in a read-only snapshot, unless beginning one would wait
    /// for a map resize or adopt a size another process gave the map:
    /// `nil` then, without running `body`.
    ///
    /// For a helper thread that another thread, itself inside a transaction,
    /// waits for: such a helper must never wait on a resize, which waits for
    /// that other thread's transaction to end.
    public func readIfNoResize<R>(_ body: (borrowing Transaction) throws -> R) throws -> R? {
        guard gate.tryEnter() else { return nil }
        var raw: OpaquePointer?
        let rc = mdb_txn_begin(pointer, nil, UInt32(MDB_RDONLY), &raw)
        guard rc == 0 else {
            gate.leave()
            if rc == MDB_MAP_RESIZED { return nil }
            throw LMDBError(rc: rc, operation: "mdb_txn_begin(read)")
        }
        let txn = Transaction(pointer: raw!, isWritable: false)
        defer { endRead(txn) }
        return try body(txn)
    }

    /// Runs `body` in a write transaction and commits when it returns.
    ///
    /// Only one write transaction runs at a time across all processes. When
    /// `body` throws, the transaction is aborted and nothing is written. When
    /// the map is full, the map grows and `body` runs again from the start, so
    /// it must not have effects outside the transaction.
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        guard !options.readOnly else {
            throw LMDBError(
                code: .permissionDenied, operation: "write",
                message: "The environment \(path) is open read-only: open it writable to append.")
        }
        while true {
            do {
                return try writeOnce(body)
            } catch let error as LMDBError where error.code == .mapFull {
                try grow(after: error)
            }
        }
    }

    private func writeOnce<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let txn = try begin(writable: true)
        let result: R
        do {
            result = try body(txn)
        } catch {
            mdb_txn_abort(txn.pointer)
            gate.leave()
            throw error
        }
        let rc = mdb_txn_commit(txn.pointer)
        gate.leave()
        try LMDBError.check(rc, "mdb_txn_commit")
        return result
    }

    private func begin(writable: Bool) throws(LMDBError) -> Transaction {
        while true {
            gate.enter()
            var raw: OpaquePointer?
            let rc = mdb_txn_begin(pointer, nil, writable ? 0 : UInt32(MDB_RDONLY), &raw)
            if rc == 0 { return Transaction(pointer: raw!, isWritable: writable) }
            gate.leave()
            if rc == MDB_MAP_RESIZED {
                // Another process grew the map: adopt its size, then begin again.
                try adoptMapSize(0)
                continue
            }
            throw LMDBError(rc: rc, operation: writable ? "mdb_txn_begin(write)" : "mdb_txn_begin(read)")
        }
    }

    private func endRead(_ txn: borrowing Transaction) {
        mdb_txn_abort(txn.pointer)
        gate.leave()
    }

    /// A read transaction that ends with a commit: a database handle opened in
    /// a read transaction survives only a commit (an abort closes it).
    private func readCommitting<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        let txn = try begin(writable: false)
        let result: R
        do {
            result = try body(txn)
        } catch {
            endRead(txn)
            throw error
        }
        let rc = mdb_txn_commit(txn.pointer)
        gate.leave()
        try LMDBError.check(rc, "mdb_txn_commit(read)")
        return result
    }

    // MARK: Map size

    /// The current map size in bytes (the most the data file may grow to before
    /// the next automatic growth).
    public var mapSize: Int { sizeLock.withLock { $0 } }

    private func grow(after error: LMDBError) throws {
        let current = mapSize
        let step = min(max(current, 1 << 20), options.maximumGrowthStep)
        let target = current + step
        guard target <= options.maximumMapSize else {
            throw LMDBError(
                code: .mapFull, operation: error.operation,
                message:
                    "The ledger reached its maximum map size of \(options.maximumMapSize) bytes: raise maximumMapSize or move to a larger disk."
            )
        }
        try adoptMapSize(target)
    }

    /// Sets the map size (0 adopts the size another process set) while no
    /// transaction of this process is open.
    private func adoptMapSize(_ size: Int) throws(LMDBError) {
        try gate.exclusive { () throws(LMDBError) in
            // Another thread may have grown it while this one waited.
            if size != 0 && mapSize >= size { return }
            try LMDBError.check(mdb_env_set_mapsize(pointer, size), "mdb_env_set_mapsize")
            var info = MDB_envinfo()
            mdb_env_info(pointer, &info)
            sizeLock.withLock { $0 = info.me_mapsize }
        }
    }

    // MARK: Maintenance

    /// Flushes written data to disk; needed only with relaxed ``Options/Durability``.
    public func sync(force: Bool = true) throws(LMDBError) {
        try LMDBError.check(mdb_env_sync(pointer, force ? 1 : 0), "mdb_env_sync")
    }

    /// Writes a compacted copy of the environment (`mdb_env_copy2` with
    /// `MDB_CP_COMPACT`) into `directory`, which must exist and hold no
    /// `data.mdb`: free pages are left out, so bytes that were deleted are
    /// not in the copy.
    public func copyCompacted(to directory: String) throws(LMDBError) {
        try LMDBError.check(mdb_env_copy2(pointer, directory, UInt32(MDB_CP_COMPACT)), "mdb_env_copy2(\(directory), MDB_CP_COMPACT)")
    }

    /// Clears reader slots left by processes that died; returns how many.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try LMDBError.check(mdb_reader_check(pointer, &dead), "mdb_reader_check")
        return Int(dead)
    }

    /// Facts about the environment from `mdb_env_info` and `mdb_env_stat`.
    public var info: Info {
        var i = MDB_envinfo()
        mdb_env_info(pointer, &i)
        var s = MDB_stat()
        mdb_env_stat(pointer, &s)
        return Info(
            mapSize: i.me_mapsize, pageSize: Int(s.ms_psize), lastPage: i.me_last_pgno,
            lastTransaction: i.me_last_txnid, maxReaders: Int(i.me_maxreaders), readers: Int(i.me_numreaders))
    }

    /// The LMDB library version this process runs with, e.g. `LMDB 0.9.24: (July 24, 2019)`.
    public static var libraryVersion: String { String(cString: mdb_version(nil, nil, nil)) }
}

extension Environment {
    /// Facts about an open environment.
    public struct Info: Sendable {
        /// The map size in bytes.
        public var mapSize: Int
        /// The page size in bytes.
        public var pageSize: Int
        /// The number of the last used page.
        public var lastPage: Int
        /// The id of the last committed write transaction.
        public var lastTransaction: Int
        /// Reader slots available.
        public var maxReaders: Int
        /// Reader slots in use (by any process).
        public var readers: Int
        /// Bytes in use in the data file.
        public var usedBytes: Int { (lastPage + 1) * pageSize }
    }

    /// How an environment is opened.
    public struct Options: Sendable {
        /// How commits reach the disk.
        public enum Durability: Sendable, Equatable {
            /// Every commit is flushed to disk before it returns (the default):
            /// a committed transaction survives a crash and a power loss.
            case full
            /// `MDB_NOMETASYNC`: data pages are flushed, the meta page at the next
            /// commit; a power loss may undo the last commit, never corrupt.
            case noMetaSync
            /// `MDB_NOSYNC`: the operating system writes pages when it chooses.
            /// Commits survive a crash of the process but not of the machine;
            /// call ``Environment/sync(force:)`` to flush.
            case noSync
        }

        /// Create the directory and files when missing.
        public var create: Bool = true
        /// Open without write access (no writer, no file creation).
        public var readOnly: Bool = false
        /// The initial map size in bytes; it grows by itself when full.
        public var mapSize: Int = 64 << 20
        /// The map never grows beyond this many bytes.
        public var maximumMapSize: Int = 1 << 40
        /// The most the map grows by at once (it doubles until this step).
        public var maximumGrowthStep: Int = 1 << 30
        /// The most named databases the environment holds.
        public var maxDatabases: Int = 64
        /// Reader slots shared by all processes.
        public var maxReaders: Int = 126
        /// How commits reach the disk.
        public var durability: Durability = .full
        /// File mode for newly created files.
        public var fileMode: UInt32 = 0o640

        /// Default options: create if missing, fully durable, 64 MiB initial map.
        public init() {}

        /// Whether an environment opened with these options can serve a request
        /// for `other`: any environment serves a read-only request; a writable
        /// one needs the same durability.
        func isCompatible(with other: Options) -> Bool {
            other.readOnly || (!readOnly && durability == other.durability)
        }
    }
}
