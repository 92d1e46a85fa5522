import LedgerLMDB
import Logging

/// The projections registered with one ledger in this process, and the
/// transactions that keep them: inline after appends, catch-up steps,
/// rebuilds and checks.
final class ProjectionRegistry: Sendable {
    struct Entry: Sendable {
        let projection: any Projection
        let folder: ProjectionFolder
        let slots: [ProjectionSlot]
        var version: UInt32 { UInt32(projection.version) }
    }

    let storage: any LocalLogStorage
    let meta: Database
    let logger: Logger
    /// The entries by name, kept sorted by name: `all` runs on every append,
    /// `entry` on every query.
    private let entries = ReadMostly<[Entry]>([])

    init(storage: any LocalLogStorage, logger: Logger) {
        self.storage = storage
        self.meta = storage.projectionStates
        self.logger = logger
    }

    var all: [Entry] { entries.read { copy $0 } }

    func entry(_ name: String) -> Entry? { entries.read { $0.first { $0.projection.name == name } } }

    /// Adds `projection`, opening (creating when `create`) both slots' databases.
    func add(_ projection: any Projection, create: Bool) throws -> Entry {
        let name = projection.name
        guard (1...40).contains(name.count),
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else {
            throw LedgerError(.projectionMisconfigured, "Projection name '\(name)' must be 1...40 characters of a-z, 0-9 and '-'.")
        }
        guard projection.version >= 1, Set(projection.databases).count == projection.databases.count, !projection.databases.isEmpty else {
            throw LedgerError(
                .projectionMisconfigured, "Projection \(name) needs a version from 1 and at least one database, each named once.")
        }
        let slots: [ProjectionSlot]
        do {
            slots = try (0...1).map { try ProjectionSlot.open(projection, slot: UInt8($0), in: storage.readModels, create: create) }
        } catch let error as LMDBError where !create && error.code == .notFound {
            throw LedgerError(
                .projectionNotBuilt,
                "Projection \(name) was never built in this ledger, and a read-only open cannot build it: "
                    + "open the ledger writable once, or run `schoolledger rebuild --projection \(name)`.")
        } catch let error as LMDBError {
            throw LedgerError.storage(error, while: "opening the databases of projection \(name)")
        }
        let entry = Entry(projection: projection, folder: ProjectionFolder(projection), slots: slots)
        entries.write { list in
            list.removeAll { $0.projection.name == name }
            list.append(entry)
            list.sort { $0.projection.name < $1.projection.name }
        }
        return entry
    }

    // MARK: State

    func state(_ txn: borrowing Transaction, _ name: String) throws -> ProjectionState? {
        guard let bytes = try txn.get(meta, key: Array(name.utf8)) else { return nil }
        guard let state = ProjectionState(bytes) else {
            throw LedgerError(
                .corruptRecord,
                "The state of projection \(name) does not decode: rebuild it with `schoolledger rebuild --projection \(name)`.")
        }
        return state
    }

    func save(_ state: ProjectionState, _ txn: borrowing Transaction, _ name: String) throws {
        try txn.put(meta, key: Array(name.utf8), value: state.encoded)
    }

    /// A state for a projection never built here: version 0, so the first
    /// build runs as a rebuild into the other slot and swaps in when done.
    static let unbuilt = ProjectionState(version: 0, activeSlot: 0, checkpoint: 0)

    // MARK: Transactions

    /// Applies `range`, just appended in `session`, to every projection that
    /// was caught up; a projection that fails is left behind (its nested part
    /// rolled back) for the catch-up to retry, and the append goes on. A full
    /// map is rethrown, so the append grows it and runs again.
    func applyInline(_ session: LedgerSession, _ range: ClosedRange<UInt64>) throws {
        for entry in all {
            do {
                try session.nested { nested in
                    var state = try state(nested.txn, entry.projection.name) ?? Self.unbuilt
                    if state.version != entry.version && range.lowerBound == 1 {
                        state = try builtOverEmptyLog(state, entry, nested.txn)
                    }
                    guard state.version == entry.version, state.checkpoint + 1 == range.lowerBound else { return }
                    try entry.folder.fold(
                        from: range.lowerBound, through: range.upperBound, log: nested, storage: storage,
                        into: nested.txn, slot: entry.slots[Int(state.activeSlot)])
                    state.checkpoint = range.upperBound
                    try save(state, nested.txn, entry.projection.name)
                }
            } catch let error as LMDBError where error.code == .mapFull {
                throw error  // the whole append grows the map and runs again
            } catch {
                logger.error("projection fell behind", metadata: ["projection": "\(entry.projection.name)", "error": "\(error)"])
            }
        }
    }

    /// The model of `entry`, this version, built over the empty log: both
    /// slots emptied in `txn`, and the state at position 0 (the caller saves
    /// it once it has folded). A model not yet built (or built by another
    /// version) whose log was empty before an append needs nothing more, so
    /// the append folds into it inline: a new ledger's first appends are read
    /// back at once, whether or not the background build
    /// (``EventLedger/followProjections()``) ran before them.
    func builtOverEmptyLog(_ state: ProjectionState, _ entry: Entry, _ txn: borrowing Transaction) throws -> ProjectionState {
        for slot in entry.slots { try slot.empty(txn) }
        return ProjectionState(version: entry.version, activeSlot: state.activeSlot, checkpoint: 0)
    }

    /// Whether `entry` has work: lagging, of another version, or a shadow in progress.
    func needsWork(_ entry: Entry) throws -> Bool {
        try storage.readLedger { session in
            let state = try state(session.txn, entry.projection.name) ?? Self.unbuilt
            let tail = try session.log.tail()?.position ?? 0
            // A check's shadow is driven by the check alone (see step(_:_:batch:checking:)).
            return state.shadowPurpose == .rebuild || state.version != entry.version || state.checkpoint < tail
        }
    }

    /// One step of catching up, in one write transaction: at most `batch`
    /// records into the active model (when it is of the current version) and
    /// into the shadow (when one is being built; a rebuild shadow that reaches
    /// the tail is swapped in). Starts a rebuild when the version changed.
    /// A check's shadow is folded only when `checking` (by the check itself),
    /// so one left behind by a crashed check costs nothing until the next
    /// rebuild or check empties it. Returns the state after the step and the tail.
    func step(_ entry: Entry, _ session: LedgerSession, batch: UInt64, checking: Bool = false) throws -> (ProjectionState, UInt64) {
        let name = entry.projection.name
        let tail = try session.log.tail()?.position ?? 0
        var state = try state(session.txn, name) ?? Self.unbuilt
        // A model of another version needs a rebuild of this version. A
        // shadow of another purpose or version (a check or rebuild that was
        // interrupted, or started by code of another version) is abandoned.
        let shadowIsCurrentRebuild = state.shadowPurpose == .rebuild && state.shadowVersion == entry.version
        if state.version != entry.version && !shadowIsCurrentRebuild {
            state = try startShadow(state, .rebuild, entry, session.txn)
        } else if state.shadowPurpose == .rebuild && !shadowIsCurrentRebuild {
            state = try startShadow(state, .rebuild, entry, session.txn)
        }
        if state.version == entry.version && state.checkpoint < tail {
            // `batch` may be `.max` (a check's last step): add without overflowing.
            let upTo = state.checkpoint + min(batch, tail - state.checkpoint)
            try entry.folder.fold(
                from: state.checkpoint + 1, through: upTo, log: session, storage: storage,
                into: session.txn, slot: entry.slots[Int(state.activeSlot)])
            state.checkpoint = upTo
        }
        if let purpose = state.shadowPurpose, purpose == .rebuild || (checking && state.shadowCheckpoint < tail) {
            let upTo = state.shadowCheckpoint + min(batch, tail - min(tail, state.shadowCheckpoint))
            try entry.folder.fold(
                from: state.shadowCheckpoint + 1, through: upTo, log: session, storage: storage,
                into: session.txn, slot: entry.slots[Int(state.shadowSlot)])
            state.shadowCheckpoint = upTo
            if purpose == .rebuild && upTo == tail {
                // The swap: one commit switches every reader to the new model.
                let old = state.activeSlot
                state = ProjectionState(version: state.shadowVersion, activeSlot: state.shadowSlot, checkpoint: upTo)
                try entry.slots[Int(old)].empty(session.txn)
            }
        }
        try save(state, session.txn, name)
        return (state, tail)
    }

    /// Empties the shadow slot and records that a shadow of `purpose` is being built.
    /// A check does not replace a rebuild in progress: it is refused.
    func startShadow(
        _ state: ProjectionState, _ purpose: ProjectionState.ShadowPurpose, _ entry: Entry,
        _ txn: borrowing Transaction
    ) throws -> ProjectionState {
        if purpose == .check && state.shadowPurpose == .rebuild {
            throw LedgerError(
                .projectionBusy, "Projection \(entry.projection.name) is being rebuilt: check it once the rebuild has swapped in.")
        }
        var next = state
        try entry.slots[Int(state.shadowSlot)].empty(txn)
        next.shadowVersion = entry.version
        next.shadowCheckpoint = 0
        next.shadowPurpose = purpose
        try save(next, txn, entry.projection.name)
        return next
    }

    /// Compares the active model with the shadow (both caught up to the same
    /// position), then discards the shadow. Returns the differing keys.
    func finishCheck(_ entry: Entry, _ txn: borrowing Transaction) throws -> [ProjectionDifference] {
        var state = try state(txn, entry.projection.name) ?? Self.unbuilt
        let active = entry.slots[Int(state.activeSlot)]
        let shadow = entry.slots[Int(state.shadowSlot)]
        var differences = [ProjectionDifference]()
        var pairs = entry.projection.databases.map { ($0, active.handles[$0]!, shadow.handles[$0]!) }
        pairs.append(("~excluded", active.excluded, shadow.excluded))
        if let live = active.history, let rebuilt = shadow.history { pairs.append(("~history", live, rebuilt)) }
        for (name, live, rebuilt) in pairs {
            differences += try compare(txn, live, rebuilt, database: name)
        }
        try shadow.empty(txn)
        state.shadowPurpose = nil
        state.shadowVersion = 0
        state.shadowCheckpoint = 0
        try save(state, txn, entry.projection.name)
        return differences
    }

    private func compare(_ txn: borrowing Transaction, _ live: Database, _ rebuilt: Database, database: String) throws
        -> [ProjectionDifference]
    {
        var liveEntries = [[UInt8]: [UInt8]]()
        try scan(txn, live, prefix: []) { k, v in
            liveEntries[Array(k)] = Array(v); return true
        }
        var differences = [ProjectionDifference]()
        try scan(txn, rebuilt, prefix: []) { k, v in
            let key = Array(k)
            if let value = liveEntries.removeValue(forKey: key) {
                if !v.elementsEqual(value) { differences.append(ProjectionDifference(database: database, key: key, kind: .differentValue)) }
            } else {
                differences.append(ProjectionDifference(database: database, key: key, kind: .missingFromLive))
            }
            return true
        }
        differences += liveEntries.keys.sorted { $0.lexicographicallyPrecedes($1) }
            .map { ProjectionDifference(database: database, key: $0, kind: .missingFromRebuild) }
        return differences
    }
}

/// One key on which a live model and its rebuild disagree.
public struct ProjectionDifference: Sendable, Equatable, CustomStringConvertible {
    /// How they disagree.
    public enum Kind: String, Sendable {
        /// The key holds different values.
        case differentValue
        /// Only the rebuild has the key.
        case missingFromLive
        /// Only the live model has the key.
        case missingFromRebuild
    }

    /// The projection's database (logical name).
    public var database: String
    /// The key, as bytes.
    public var key: [UInt8]
    /// How they disagree.
    public var kind: Kind

    /// `database key-in-hex: kind`.
    public var description: String { "\(database) \(Hex.encode(key)): \(kind.rawValue)" }
}
