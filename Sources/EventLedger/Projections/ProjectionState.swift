import LedgerLMDB

/// Where a projection stands, stored under its name in `ledger.projections`
/// and written in the same transaction as its model.
///
/// A model lives in one of two slots of databases (`proj.<name>.a.*` and
/// `proj.<name>.b.*`). Readers use the active slot; a rebuild fills the other
/// one (the shadow) and swaps, so no reader, in any process, sees a
/// half-built model.
struct ProjectionState: Equatable, Sendable {
    /// Why a shadow is being built.
    enum ShadowPurpose: UInt8, Sendable {
        /// Swap it in once it has caught up with the log.
        case rebuild = 1
        /// Compare it with the active model, then discard it.
        case check = 2
    }

    var version: UInt32
    var activeSlot: UInt8
    var checkpoint: UInt64
    var shadowVersion: UInt32 = 0
    var shadowCheckpoint: UInt64 = 0
    var shadowPurpose: ShadowPurpose?

    var shadowSlot: UInt8 { 1 - activeSlot }

    var encoded: [UInt8] {
        version.bigEndianBytes + [activeSlot] + checkpoint.bigEndianBytes + shadowVersion.bigEndianBytes
            + shadowCheckpoint.bigEndianBytes + [shadowPurpose?.rawValue ?? 0]
    }

    init(version: UInt32, activeSlot: UInt8, checkpoint: UInt64) {
        self.version = version
        self.activeSlot = activeSlot
        self.checkpoint = checkpoint
    }

    init?(_ b: UnsafeRawBufferPointer) {
        guard b.count == 26, b[4] <= 1 else { return nil }
        version = UInt32(bigEndianBytes: UnsafeRawBufferPointer(rebasing: b[0..<4]))
        activeSlot = b[4]
        checkpoint = UInt64(bigEndianBytes: b, at: 5)
        shadowVersion = UInt32(bigEndianBytes: UnsafeRawBufferPointer(rebasing: b[13..<17]))
        shadowCheckpoint = UInt64(bigEndianBytes: b, at: 17)
        shadowPurpose = ShadowPurpose(rawValue: b[25])
    }
}

/// The projection databases of one slot: the projection's own, by logical
/// name, the runtime's set of excluded positions and, for a projection that
/// keeps history, the values its rows had before each record replaced them.
struct ProjectionSlot: Sendable {
    let handles: [String: Database]
    let excluded: Database
    /// Where replaced values are kept (``ProjectionHistory``); `nil` when the
    /// projection keeps no history.
    let history: Database?
    /// Each database's handle, tag and whether its history keeps only its
    /// keys, under its logical name: what every read and write of a row
    /// needs, found with one lookup.
    let tables: [String: Table]

    /// A database of the slot as a read or a write uses it.
    struct Table: Sendable {
        let handle: Database
        /// Its one-byte tag in history keys.
        let tag: UInt8
        /// Whether its history keeps only when each row existed.
        let keysOnly: Bool
    }

    /// - Parameters:
    ///   - tags: each database's one-byte tag in history keys (the excluded set's is 0).
    ///   - keysOnly: the tags of the databases whose history keeps only when each row existed.
    init(handles: [String: Database], excluded: Database, history: Database?, tags: [String: UInt8], keysOnly: Set<UInt8>) {
        self.handles = handles
        self.excluded = excluded
        self.history = history
        self.tables = handles.reduce(into: [:]) { tables, pair in
            let tag = tags[pair.key] ?? 0
            tables[pair.key] = Table(handle: pair.value, tag: tag, keysOnly: tags[pair.key] != nil && keysOnly.contains(tag))
        }
    }

    /// The database `db` of `projection`'s slot.
    /// - Throws: `LedgerError.projectionMisconfigured` when the projection does not list it.
    func table(_ db: String, of projection: String) throws -> Table {
        guard let table = tables[db] else {
            throw LedgerError(.projectionMisconfigured, "Projection \(projection) has no database '\(db)': list it in `databases`.")
        }
        return table
    }

    static func names(_ projection: String, slot: UInt8, databases: [String]) -> (
        own: [String: String], excluded: String, history: String
    ) {
        let prefix = "proj.\(projection).\(slot == 0 ? "a" : "b")."
        return (Dictionary(uniqueKeysWithValues: databases.map { ($0, prefix + $0) }), prefix + "~excluded", prefix + "~history")
    }

    /// Opens (creating when allowed) the slot's databases in `environment`.
    static func open(_ projection: any Projection, slot: UInt8, in environment: Environment, create: Bool) throws -> ProjectionSlot {
        let (own, excluded, history) = names(projection.name, slot: slot, databases: projection.databases)
        var handles = [String: Database]()
        for (logical, physical) in own {
            handles[logical] = try environment.openDatabase(physical, create: create)
        }
        guard projection.databases.count < 255 else {
            throw LedgerError(
                .projectionMisconfigured,
                "Projection \(projection.name) lists \(projection.databases.count) databases: at most 254 are allowed.")
        }
        let tags = Dictionary(uniqueKeysWithValues: projection.databases.enumerated().map { ($1, UInt8($0 + 1)) })
        return ProjectionSlot(
            handles: handles, excluded: try environment.openDatabase(excluded, create: create),
            history: projection.keepsHistory ? try environment.openDatabase(history, create: create) : nil,
            tags: tags, keysOnly: Set(projection.historyKeepsOnlyKeys.compactMap { tags[$0] }))
    }

    /// Empties every database of the slot.
    func empty(_ txn: borrowing Transaction) throws {
        for db in handles.values { try txn.empty(db) }
        try txn.empty(excluded)
        if let history { try txn.empty(history) }
    }
}
