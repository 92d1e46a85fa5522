import CLedgerLMDB

/// A handle to a named database (a B+tree) inside an ``Environment``.
///
/// Handles are opened once per environment by ``Environment/openDatabase(_:create:)``
/// and stay valid for the environment's life; they are plain values, safe to
/// share between tasks.
public struct Database: Sendable, Hashable, CustomStringConvertible {
    /// The LMDB `MDB_dbi` handle (inside this module only).
    let handle: MDB_dbi
    /// The database's name; `nil` for the environment's main database.
    public let name: String?

    init(handle: MDB_dbi, name: String?) {
        self.handle = handle
        self.name = name
    }

    /// The name, or `(main)` for the main database.
    public var description: String { name ?? "(main)" }
}

/// Counts from `mdb_stat` for one database.
public struct DatabaseStatistics: Sendable, Equatable {
    /// The number of key/value pairs.
    public var entries: Int
    /// The depth of the B+tree.
    public var depth: Int
    /// Branch (internal) pages.
    public var branchPages: Int
    /// Leaf pages.
    public var leafPages: Int
    /// Overflow pages (values larger than about half a page).
    public var overflowPages: Int
    /// The page size in bytes.
    public var pageSize: Int

    /// All pages the database occupies, in bytes.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }

    init(_ s: MDB_stat) {
        entries = Int(s.ms_entries)
        depth = Int(s.ms_depth)
        branchPages = Int(s.ms_branch_pages)
        leafPages = Int(s.ms_leaf_pages)
        overflowPages = Int(s.ms_overflow_pages)
        pageSize = Int(s.ms_psize)
    }
}

/// Flags for writing one key/value pair.
public struct PutFlags: OptionSet, Sendable {
    /// The raw `mdb_put` flags.
    public let rawValue: UInt32
    /// Wraps raw `mdb_put` flags.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_NOOVERWRITE`: fail with ``LMDBError/Code/keyExists`` when the key exists.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// `MDB_APPEND`: the key sorts after every key in the database (fast bulk load);
    /// fails with ``LMDBError/Code/keyExists`` otherwise.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}
