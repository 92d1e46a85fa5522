import CLedgerLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error returned by LMDB or by this wrapper.
///
/// Every `mdb_*` return code passes through one funnel, ``LMDBError/check(_:_:)``,
/// which turns a non-zero code into this error. The error keeps the raw code,
/// names the LMDB function that failed and carries a sentence that says what to do.
///
/// ```swift
/// do {
///     try environment.write { txn in try txn.put(db, key: k, value: v) }
/// } catch let error as LMDBError where error.code == .mapFull {
///     // handled by the wrapper itself: the map grows and the write is retried
/// }
/// ```
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The LMDB (or `errno`) code of the failure.
    public let code: Code
    /// The LMDB function or wrapper step that failed, e.g. `mdb_env_open`.
    public let operation: String
    /// A sentence a person can act on: what happened and what to do.
    public let message: String

    /// Creates an error from a code, the failing operation and an explanation.
    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    /// A description with the operation, the code and the advice.
    public var description: String {
        "\(operation) failed (\(code)): \(message)"
    }

    /// Throws an ``LMDBError`` when `rc` is not `MDB_SUCCESS`.
    ///
    /// - Parameters:
    ///   - rc: the value an `mdb_*` function returned.
    ///   - operation: the name of that function, for the error.
    @inline(__always)
    public static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if rc != 0 { throw LMDBError(rc: rc, operation: operation()) }
    }

    /// Creates the error for a non-zero LMDB return code, with advice matched to the code.
    public init(rc: Int32, operation: String) {
        let code = Code(rawValue: rc)
        let reason = String(cString: mdb_strerror(rc))
        self.init(code: code, operation: operation, message: "\(reason). \(code.advice)")
    }
}

extension LMDBError {
    /// An LMDB return code or an `errno` value.
    ///
    /// A struct rather than an enum, so that a code this wrapper does not name
    /// yet still round-trips and adding a name breaks no caller.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The raw return code.
        public let rawValue: Int32
        /// Wraps a raw return code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `MDB_KEYEXIST`: the key/data pair already exists.
        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        /// `MDB_NOTFOUND`: no matching key/data pair.
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        /// `MDB_PAGE_NOTFOUND`: a requested page was not found (usually corruption).
        public static let pageNotFound = Code(rawValue: MDB_PAGE_NOTFOUND)
        /// `MDB_CORRUPTED`: a located page was the wrong type.
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        /// `MDB_PANIC`: a fatal error; the environment must be closed.
        public static let panic = Code(rawValue: MDB_PANIC)
        /// `MDB_VERSION_MISMATCH`: the environment was made by another LMDB version.
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        /// `MDB_INVALID`: the file is not an LMDB data file.
        public static let invalid = Code(rawValue: MDB_INVALID)
        /// `MDB_MAP_FULL`: the environment's map size was reached.
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        /// `MDB_DBS_FULL`: more named databases than `maxDatabases`.
        public static let databasesFull = Code(rawValue: MDB_DBS_FULL)
        /// `MDB_READERS_FULL`: every reader slot is taken.
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        /// `MDB_MAP_RESIZED`: another process grew the map beyond this one's size.
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        /// `MDB_INCOMPATIBLE`: the operation does not fit the database's flags.
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        /// `MDB_BAD_TXN`: the transaction must be aborted (it had an error).
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        /// `MDB_BAD_VALSIZE`: a key or value has an unsupported size (keys are at most 511 bytes).
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        /// `MDB_BAD_DBI`: the database handle was closed or changed.
        public static let badDatabase = Code(rawValue: MDB_BAD_DBI)
        /// `ENOENT`: no such file or directory.
        public static let noSuchFile = Code(rawValue: ENOENT)
        /// `EACCES`: permission denied, or a write in a read-only transaction.
        public static let permissionDenied = Code(rawValue: EACCES)
        /// `EROFS`: the file system is read-only.
        public static let readOnlyFileSystem = Code(rawValue: EROFS)
        /// `ENOSPC`: the disk is full.
        public static let noSpace = Code(rawValue: ENOSPC)
        /// `ENOMEM`: out of memory or address space.
        public static let outOfMemory = Code(rawValue: ENOMEM)
        /// `EIO`: an input/output error from the disk.
        public static let ioError = Code(rawValue: EIO)
        /// `EINVAL`: an invalid argument (for example a bad data file).
        public static let invalidArgument = Code(rawValue: EINVAL)
        /// `EAGAIN`: the lock file is held in a way that prevents opening.
        public static let tryAgain = Code(rawValue: EAGAIN)

        /// The name of the C constant, or the number for unnamed codes.
        public var description: String {
            switch self {
            case .keyExists: "MDB_KEYEXIST"
            case .notFound: "MDB_NOTFOUND"
            case .pageNotFound: "MDB_PAGE_NOTFOUND"
            case .corrupted: "MDB_CORRUPTED"
            case .panic: "MDB_PANIC"
            case .versionMismatch: "MDB_VERSION_MISMATCH"
            case .invalid: "MDB_INVALID"
            case .mapFull: "MDB_MAP_FULL"
            case .databasesFull: "MDB_DBS_FULL"
            case .readersFull: "MDB_READERS_FULL"
            case .transactionFull: "MDB_TXN_FULL"
            case .mapResized: "MDB_MAP_RESIZED"
            case .incompatible: "MDB_INCOMPATIBLE"
            case .badTransaction: "MDB_BAD_TXN"
            case .badValueSize: "MDB_BAD_VALSIZE"
            case .badDatabase: "MDB_BAD_DBI"
            case .noSuchFile: "ENOENT"
            case .permissionDenied: "EACCES"
            case .readOnlyFileSystem: "EROFS"
            case .noSpace: "ENOSPC"
            case .outOfMemory: "ENOMEM"
            case .ioError: "EIO"
            case .invalidArgument: "EINVAL"
            case .tryAgain: "EAGAIN"
            default: "code \(rawValue)"
            }
        }

        /// Whether the code means the data file is damaged.
        public var meansCorruption: Bool {
            self == .corrupted || self == .pageNotFound || self == .panic || self == .invalid
        }

        /// What a person should do about this code.
        public var advice: String {
            switch self {
            case .corrupted, .pageNotFound, .panic:
                "The data file is damaged: stop writing, keep a copy, and restore from a backup or an export."
            case .invalid, .versionMismatch:
                "The file is not an LMDB environment this library can open: check the path."
            case .mapFull:
                "The map is full: the wrapper grows it and retries; if this persists, free disk space."
            case .databasesFull:
                "Too many named databases: open the environment with a larger maxDatabases."
            case .readersFull:
                "All reader slots are taken: close idle readers or raise maxReaders."
            case .transactionFull:
                "The transaction touched too many pages: write in smaller batches."
            case .badValueSize:
                "A key is longer than 511 bytes or empty: shorten it."
            case .permissionDenied, .readOnlyFileSystem:
                "No permission to write: check the directory's owner and mode, or open read-only."
            case .noSpace:
                "The disk is full: free space, then retry; nothing was committed."
            case .noSuchFile:
                "The path does not exist: create the directory or check the path."
            case .outOfMemory:
                "Out of memory or address space: lower the map size or free memory."
            case .ioError:
                "The disk reported an I/O error: check the device."
            default:
                "Retry; if it persists, report it with this code."
            }
        }
    }
}
