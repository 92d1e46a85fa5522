import Foundation
import LedgerLMDB

/// Where a projection stands, for `schoolledger projections`.
public struct ProjectionStatus: Sendable, Equatable, Codable {
    /// The projection's name.
    public var name: String
    /// The version the code declares.
    public var version: Int
    /// The version of the model readers see (0: never built).
    public var builtVersion: Int
    /// The last log position the model reflects.
    public var checkpoint: UInt64
    /// How many log positions the model is behind.
    public var lag: UInt64
    /// The position a rebuild in progress has reached, if one is.
    public var rebuildCheckpoint: UInt64?

    /// A status from its parts.
    public init(name: String, version: Int, builtVersion: Int, checkpoint: UInt64, lag: UInt64, rebuildCheckpoint: UInt64?) {
        self.name = name
        self.version = version
        self.builtVersion = builtVersion
        self.checkpoint = checkpoint
        self.lag = lag
        self.rebuildCheckpoint = rebuildCheckpoint
    }
}

/// How far a rebuild has come.
public struct RebuildProgress: Sendable {
    /// The projection being rebuilt.
    public var projection: String
    /// Log positions folded into the new model so far.
    public var processed: UInt64
    /// The log's last position now.
    public var total: UInt64
    /// Time since the rebuild started.
    public var elapsed: Duration

    /// Records folded per second so far.
    public var eventsPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(processed) / seconds : 0
    }
}

extension EventLedger {
    /// Records folded per transaction when catching up or rebuilding.
    static let projectionBatch: UInt64 = 20_000

    /// Registers `projection`: from now on it is applied in the same
    /// transaction as each append of this process (read-your-writes) and
    /// caught up in the background after appends by other processes. A model
    /// never built, or built with another version, is (re)built blue/green:
    /// readers see the old model until the new one has caught up, and the
    /// appends made meanwhile reach it through that build. Over an empty log
    /// there is nothing to build: the first append folds into the model
    /// inline, as every later one does. (To wait for a build, call
    /// ``catchUpProjections()``; to read past it, ``readCurrentProjection(_:_:)``.)
    public func register(_ projection: any Projection) throws {
        _ = try projections.add(projection, create: !options.readOnly)
        applyProjectionsInline()
        followProjections()
    }

    /// The registered projections' names.
    public var registeredProjections: [String] { projections.all.map(\.projection.name) }

    /// Brings every registered projection up to the log's end; returns when done.
    public func catchUpProjections() async throws {
        guard let writer else { return }
        for entry in projections.all { try await Self.catchUp(entry, registry: projections, writer: writer) }
    }

    /// Rebuilds `name` from the whole log into the other slot while appends go
    /// on, then swaps it in with one commit. Memory stays flat: the log is
    /// folded in batches of `projectionBatch` records, one transaction each.
    public func rebuild(_ name: String, progress: (@Sendable (RebuildProgress) -> Void)? = nil) async throws {
        let entry = try registered(name)
        let start = ContinuousClock.now
        _ = try await job { [projections] session in
            try projections.startShadow(
                try projections.state(session.txn, name) ?? ProjectionRegistry.unbuilt, .rebuild, entry, session.txn)
        }
        while true {
            let (state, tail) = try await job { [projections] session in try projections.step(entry, session, batch: Self.projectionBatch) }
            // Done once the shadow was swapped in (no shadow left, the current version active).
            let done = state.shadowPurpose == nil && state.version == entry.version
            progress?(
                RebuildProgress(
                    projection: name, processed: done ? state.checkpoint : state.shadowCheckpoint, total: tail,
                    elapsed: ContinuousClock.now - start))
            if done { return }
        }
    }

    /// Rebuilds `name` into the other slot without swapping and compares it
    /// with the live model at the same position; returns where they differ
    /// (empty: the live model equals a rebuild from the log).
    public func check(_ name: String, progress: (@Sendable (RebuildProgress) -> Void)? = nil) async throws -> [ProjectionDifference] {
        let entry = try registered(name)
        try await catchUpProjections()
        let start = ContinuousClock.now
        _ = try await job { [projections] session in
            try projections.startShadow(try projections.state(session.txn, name) ?? ProjectionRegistry.unbuilt, .check, entry, session.txn)
        }
        while true {
            let (state, tail) = try await job { [projections] session in
                try projections.step(entry, session, batch: Self.projectionBatch, checking: true)
            }
            progress?(
                RebuildProgress(projection: name, processed: state.shadowCheckpoint, total: tail, elapsed: ContinuousClock.now - start))
            guard state.shadowPurpose == .check else {
                throw LedgerError(
                    .projectionBusy, "The check of \(name) was replaced by a rebuild (another process or a new version): run it again.")
            }
            if state.shadowCheckpoint == tail && state.checkpoint == tail {
                return try await job { [projections] session in
                    // Both caught up in this very transaction before comparing.
                    let (final, _) = try projections.step(entry, session, batch: .max, checking: true)
                    guard final.shadowPurpose == .check else {
                        throw LedgerError(.projectionBusy, "The check of \(name) was replaced by a rebuild: run it again.")
                    }
                    return try projections.finishCheck(entry, session.txn)
                }
            }
        }
    }

    /// Where each registered projection stands.
    public func projectionStatus() throws -> [ProjectionStatus] {
        try storage.readLedger { session in
            let tail = try session.log.tail()?.position ?? 0
            return try projections.all.map { entry in
                let state = try projections.state(session.txn, entry.projection.name) ?? ProjectionRegistry.unbuilt
                return ProjectionStatus(
                    name: entry.projection.name, version: entry.projection.version, builtVersion: Int(state.version),
                    checkpoint: state.checkpoint, lag: tail - min(tail, state.checkpoint),
                    rebuildCheckpoint: state.shadowPurpose == .rebuild ? state.shadowCheckpoint : nil)
            }
        }
    }

    /// Reads the live model of the registered projection `name`, in one
    /// snapshot consistent with its checkpoint (which may lag the log).
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/projectionStale``
    ///   when the model was built by another version of the projection (a
    ///   rebuild for this one is due or under way): its rows may have another
    ///   shape, so they are not read as this version's.
    public func readProjection<R>(_ name: String, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        let entry = try registered(name)
        return try storage.readLedger { session in
            let state = try projections.state(session.txn, name) ?? ProjectionRegistry.unbuilt
            guard state.version == entry.version || state.version == 0 else {
                let tail = try session.log.tail()?.position ?? 0
                throw LedgerError(
                    .projectionStale,
                    "The read model \(name) cannot be read by this version: \(Self.behind(state, version: UInt32(entry.version), tail: tail)). "
                        + "Let the rebuild finish (`schoolledger projections --catch-up` in a writable open), then read again.")
            }
            return try session.txn.withReader(
                entry.slots[Int(state.activeSlot)], name: name, state: state, log: session, body)
        }
    }

    /// Reads the live model of the registered projection `name` as of the
    /// log's end, never a whole rebuild: a model that lags the log (appends
    /// by another process, or by this one before it was registered) is first
    /// brought up to the end in this writable ledger, at a cost bounded by
    /// the lag; the read then sees a snapshot in which the model has caught up.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/projectionStale``
    ///   when the model cannot answer for the log's end without a rebuild: it
    ///   lags in a read-only ledger, it was built by another version of the
    ///   projection, or a rebuild of it is under way. The message says by how
    ///   much it lags and what to run. ``LedgerError/Code/unknownProjection``
    ///   when no projection `name` is registered.
    public func readCurrentProjection<R>(_ name: String, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        try readCaughtUp(name, asOf: nil, body)
    }

    /// Reads the registered projection `name` as it stood right after log
    /// position `position` was appended, from the model's own history
    /// (``Projection/keepsHistory``): a key-range read like a read of the
    /// live model, with no fold. Rows, log reads and exclusions are those
    /// of that position: ``ProjectionReader/checkpoint`` is `position` (or
    /// the log's end, when `position` lies beyond it). A model that has not
    /// reached `position` is caught up first, as ``readCurrentProjection(_:_:)``
    /// does; one that has answers even while it lags the log's end, also in
    /// a read-only ledger.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/projectionMisconfigured``
    ///   when the projection keeps no history (fold it with
    ///   ``evaluate(_:asOf:_:)-(_,UInt64,_)`` instead); the errors of
    ///   ``readCurrentProjection(_:_:)`` otherwise.
    public func readProjection<R>(_ name: String, asOf position: UInt64, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        guard try registered(name).projection.keepsHistory else {
            throw LedgerError(
                .projectionMisconfigured,
                "Projection \(name) keeps no history, so it cannot be read as of position \(position): fold it with evaluate(_:asOf:), or set keepsHistory in a new version."
            )
        }
        return try readCaughtUp(name, asOf: position, body)
    }

    /// The live model caught up with the log's end, read as of `asOf` (from its history) or as of that end.
    private func readCaughtUp<R>(_ name: String, asOf: UInt64?, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        let entry = try registered(name)
        for _ in 0..<3 {
            let outcome = try storage.readLedger { session -> R? in
                var state = try projections.state(session.txn, name) ?? ProjectionRegistry.unbuilt
                let tail = try session.log.tail()?.position ?? 0
                // A read as of a position the model has passed needs no catch-up.
                let needed = asOf.map { min($0, tail) } ?? tail
                if state.version == entry.version && state.shadowPurpose != .rebuild && state.checkpoint >= needed {
                    let slot = entry.slots[Int(state.activeSlot)]
                    guard let asOf, asOf < state.checkpoint else {
                        return try session.txn.withReader(slot, name: name, state: state, log: session, body)
                    }
                    state.checkpoint = asOf
                    return try session.txn.withReader(
                        slot, name: name, state: state, log: session, readsHistory: true, body)
                }
                guard options.readOnly else { return nil }
                throw Self.stale(name, Self.behind(state, version: UInt32(entry.version), tail: tail), readOnly: true)
            }
            if let outcome { return outcome }
            // What is left to do (the lag, or the rest of a build or rebuild the
            // registration started) is done now, in the writer's transactions,
            // as the background catch-up would do it.
            guard let writer else { break }
            while try projections.needsWork(entry) {
                _ = try writer.runJob { [projections] session in try projections.step(entry, session, batch: Self.projectionBatch) }
            }
        }
        // Other processes kept appending faster than this one caught up.
        let (state, tail) = try storage.readLedger { session in
            (try projections.state(session.txn, name) ?? ProjectionRegistry.unbuilt, try session.log.tail()?.position ?? 0)
        }
        throw Self.stale(name, Self.behind(state, version: UInt32(entry.version), tail: tail), readOnly: options.readOnly)
    }

    /// Why a model does not answer for the log's end.
    private static func behind(_ state: ProjectionState, version: UInt32, tail: UInt64) -> String {
        if state.version == 0 && state.shadowPurpose == nil { return "it was never built (the log holds \(tail) records)" }
        if state.shadowPurpose == .rebuild {
            return "it is being rebuilt for version \(version), at \(state.shadowCheckpoint) of \(tail) records"
        }
        if state.version != version { return "it was built by version \(state.version), not \(version)" }
        return "it is \(tail - min(tail, state.checkpoint)) records behind the log (at \(state.checkpoint) of \(tail))"
    }

    private static func stale(_ name: String, _ why: String, readOnly: Bool) -> LedgerError {
        LedgerError(
            .projectionStale,
            "The read model \(name) cannot answer for the log's end: \(why). "
                + (readOnly
                    ? "Bring it up to date in a writable open (`schoolledger projections --catch-up`), or ask as of a position."
                    : "Other processes append faster than this one catches up: ask again, or as of a position."))
    }

    /// Evaluates `projection` as of log position `position` — what the model
    /// was right after that position was appended — into a temporary
    /// environment, leaving the live models untouched.
    public func evaluate<R>(
        _ projection: any Projection, asOf position: UInt64,
        _ body: (borrowing ProjectionReader) throws -> R
    ) throws -> R {
        let folder = ProjectionFolder(projection)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventledger-asof-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try storageStep("evaluating \(projection.name) as of \(position)") {
            var envOptions = Environment.Options()
            envOptions.durability = .noSync
            envOptions.maxDatabases = projection.databases.count + 4
            let environment = try Environment.open(directory: directory, options: envOptions)
            let slot = try ProjectionSlot.open(projection, slot: 0, in: environment, create: true)
            let last = min(position, try head().position)
            var next: UInt64 = 1
            while next <= last {
                let upTo = min(last, next + Self.projectionBatch - 1)
                _ = try storage.readLedger { log in
                    try environment.write { txn in
                        try folder.fold(from: next, through: upTo, log: log, storage: storage, into: txn, slot: slot)
                    }
                }
                next = upTo + 1
            }
            let state = ProjectionState(version: UInt32(projection.version), activeSlot: 0, checkpoint: last)
            return try storage.readLedger { log in
                try environment.read { txn in
                    try txn.withReader(slot, name: projection.name, state: state, log: log, body)
                }
            }
        }
    }

    /// Evaluates `projection` as of `instant`: the last position recorded at or before it.
    public func evaluate<R>(
        _ projection: any Projection, asOf instant: Instant,
        _ body: (borrowing ProjectionReader) throws -> R
    ) throws -> R {
        try evaluate(projection, asOf: try position(atOrBefore: instant), body)
    }

    // MARK: Internals

    private func registered(_ name: String) throws -> ProjectionRegistry.Entry {
        guard let entry = projections.entry(name) else {
            throw LedgerError(
                .unknownProjection, "No projection named \(name) is registered: known are \(registeredProjections.joined(separator: ", "))."
            )
        }
        return entry
    }

    private func job<R: Sendable>(_ body: @escaping @Sendable (LedgerSession) throws -> R) async throws -> R {
        guard let writer else {
            throw LedgerError(.readOnly, "The ledger at \(directory) is open read-only: open it writable to build projections.")
        }
        return try await writer.submitJob(body)
    }
}

extension Transaction {
    func withReader<R>(
        _ slot: ProjectionSlot, name: String, state: ProjectionState, log: LedgerSession,
        readsHistory: Bool = false, _ body: (borrowing ProjectionReader) throws -> R
    ) throws -> R {
        try withUnsafePointer(to: self) { pointer in
            try body(
                ProjectionReader(
                    txn: pointer, slot: slot, log: log, name: name, checkpoint: state.checkpoint,
                    version: Int(state.version), readsHistory: readsHistory))
        }
    }
}
