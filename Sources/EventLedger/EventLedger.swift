import Foundation
import LedgerLMDB
public import Logging
import Synchronization

/// A domain-free, append-only, hash-chained event log on LMDB.
///
/// Open one with ``open(at:options:)``; append with ``append(_:expecting:)-([NewEvent],_)``,
/// which returns after the commit is durable; read inside ``read(_:)`` (zero
/// copy) or through the owned-value helpers; follow new events with
/// ``subscribe(from:batchSize:)``; prove integrity with ``verify(progress:)`` and
/// ``verify(against:)``.
///
/// ```swift
/// let ledger = try EventLedger.open(at: "/var/lib/school/ledger")
/// let result = try await ledger.append([
///     NewEvent(stream: "student/S-1", type: "StudentEnrolled", actor: "admin",
///              occurredAt: Instant(iso8601: "2026-09-01T08:00:00Z")!, payload: [])
/// ])
/// print(result.positions)       // [1]
/// print(try ledger.head())      // position 1 hash … recordedAt …
/// ```
///
/// Many tasks may append at once: their appends are grouped into one
/// transaction (group commit). Positions are global, gapless and start at 1;
/// `recordedAt` never decreases. Other processes may open the same directory;
/// LMDB serialises their writers.
public final class EventLedger: Sendable {
    /// The ledger directory's resolved path.
    public let directory: String
    /// The options the ledger was opened with.
    public let options: Options
    let storage: any LocalLogStorage
    let writer: (any LedgerWriter)?
    let notifier: CommitNotifier
    let projections: ProjectionRegistry
    private let follower = Mutex<Task<Void, Never>?>(nil)

    init(options: Options, storage: some LocalLogStorage) {
        self.directory = storage.readModels.path
        self.options = options
        self.storage = storage
        let notifier = CommitNotifier()
        self.notifier = notifier
        writer =
            options.readOnly
            ? nil
            : GroupCommitWriter(
                storage: storage, clock: options.clock, maxEventsPerCommit: options.maxEventsPerCommit,
                gathering: options.groupCommitGathering, logger: options.logger,
                clockJumpWarning: Int64(options.clockJumpWarning.components.seconds) * 1_000_000,
                didCommit: { notifier.signal(lastPosition: $0) })
        projections = ProjectionRegistry(storage: storage, logger: options.logger)
    }

    /// Has the writer apply the inline projections after each append, from
    /// the first projection registered on: a ledger without any opens no
    /// read-model transaction for its appends (on a server-backed log, that
    /// transaction also reads the log: round trips for nothing).
    func applyProjectionsInline() {
        let registry = projections
        writer?.afterAppend.withLock { hook in
            if hook == nil { hook = { session, range in try registry.applyInline(session, range) } }
        }
    }

    deinit {
        follower.withLock { $0?.cancel() }
        writer?.stop()
    }

    /// Starts, once, the task that keeps registered projections caught up
    /// with commits of other processes (this process's are applied inline).
    func followProjections() {
        guard let writer else { return }
        let registry = projections, notifier = notifier, poll = options.pollInterval, logger = options.logger
        follower.withLock { task in
            guard task == nil else { return }
            task = Task.detached {
                while !Task.isCancelled {
                    let generation = notifier.generation
                    // Records other processes appended without the rule are judged first.
                    do {
                        if try writer.hasUnjudged() { _ = try await writer.submitWork { try writer.judgeUnjudged() } }
                    } catch {
                        logger.error("the append rule could not judge records appended elsewhere", metadata: ["error": "\(error)"])
                    }
                    for entry in registry.all {
                        do {
                            try await Self.catchUp(entry, registry: registry, writer: writer)
                        } catch {
                            logger.error(
                                "projection catch-up failed", metadata: ["projection": "\(entry.projection.name)", "error": "\(error)"])
                        }
                    }
                    await notifier.wait(since: generation, timeout: poll)
                }
            }
        }
    }

    /// Steps `entry` until it has nothing left to do.
    static func catchUp(
        _ entry: ProjectionRegistry.Entry, registry: ProjectionRegistry,
        writer: any LedgerWriter
    ) async throws {
        while try registry.needsWork(entry) {
            _ = try await writer.submitJob { session in try registry.step(entry, session, batch: Self.projectionBatch) }
        }
    }

    /// Opens the ledger in `directory`, creating it when missing (unless
    /// ``Options/create`` is false or the ledger is opened read-only).
    ///
    /// - Throws: ``LedgerError`` with ``LedgerError/Code/notALedger`` for a
    ///   directory that holds something else, ``LedgerError/Code/newerFormat``
    ///   for a ledger written by a newer library, ``LedgerError/Code/noLedger``
    ///   when there is none and creation was not asked for.
    public static func open(at directory: String, options: Options = Options()) throws -> EventLedger {
        var env = Environment.Options()
        env.readOnly = options.readOnly
        env.mapSize = options.initialMapSize
        env.maxDatabases = options.maxDatabases
        env.durability = options.durability == .full ? .full : .noSync
        let storage = try LMDBLogStorage.open(directory: directory, create: options.create, environmentOptions: env)
        let ledger = EventLedger(options: options, storage: storage)
        options.logger.debug("ledger opened", metadata: ["directory": "\(ledger.directory)", "readOnly": "\(options.readOnly)"])
        return ledger
    }

    // MARK: Appending

    /// Appends `events` atomically, in order, and returns once the commit is durable.
    ///
    /// - Parameters:
    ///   - events: the events, in the order they get positions.
    ///   - expecting: for each stream named, the version it must have before
    ///     the append (optimistic concurrency).
    /// - Returns: the positions and stream versions given. When every event is
    ///   already in the log with the same body (a retry), nothing is written
    ///   and the original positions come back with
    ///   ``AppendResult/wasDuplicate`` set.
    /// - Throws: ``LedgerError``: ``LedgerError/Code/invalidEvent``,
    ///   ``LedgerError/Code/wrongExpectedVersion``,
    ///   ``LedgerError/Code/eventIDConflict``,
    ///   ``LedgerError/Code/duplicateEventID``. A refused append writes nothing.
    public func append(_ events: [NewEvent], expecting: [String: ExpectedVersion] = [:]) async throws -> AppendResult {
        guard let writer else {
            throw LedgerError(.readOnly, "The ledger at \(directory) is open read-only: open it without readOnly to append.")
        }
        let request = AppendRequest(events: events, expectations: Self.named(expecting))
        try request.validate()
        return try await writer.submit(request)
    }

    /// Appends `events` as ``append(_:expecting:)`` does, and asks
    /// `beforeCommit` on the writer's thread once they, the append rule's
    /// events and the inline read models are written, right before the
    /// commit: a refusal it returns undoes the append (the others of its
    /// group commit stand) and is thrown. A caller's slow check (a
    /// signature's verification) then runs while the writer works.
    package func append(
        _ events: [NewEvent], expecting: [String: ExpectedVersion] = [:], beforeCommit: @escaping @Sendable () -> LedgerError?
    ) async throws -> AppendResult {
        guard let writer else {
            throw LedgerError(.readOnly, "The ledger at \(directory) is open read-only: open it without readOnly to append.")
        }
        var request = AppendRequest(events: events, expectations: Self.named(expecting))
        request.beforeCommit = beforeCommit
        try request.validate()
        return try await writer.submit(request)
    }

    /// The expectations that constrain something (`.any` ones dropped); an
    /// append's usual empty dictionary is passed on as it is.
    private static func named(_ expecting: [String: ExpectedVersion]) -> [String: ExpectedVersion] {
        expecting.isEmpty ? expecting : expecting.filter { $0.value != .any }
    }

    /// Imports events in one transaction: all of them or none.
    ///
    /// For migrating history and for re-importing an export: an event whose id
    /// is already in the log with the same body is skipped (so importing the
    /// same file twice appends nothing the second time); a given `recordedAt`
    /// is kept when it neither goes back in time nor lies after the ledger's
    /// clock, and the import is refused otherwise. The append rule judges the
    /// imported history as it would have judged its appends: it derives what
    /// the history lacks, and refuses a line of its own types that is not what
    /// it derives there (see ``setAppendRule(_:)-(AppendRule?)``). Memory
    /// stays bounded: events are read one at a time.
    ///
    /// - Parameter makeReader: called on the ledger's writer thread at the start
    ///   of each attempt (again when the map had to grow); it returns a reader
    ///   that yields the events from the first, then `nil`. Errors it throws
    ///   abort the import.
    /// - Throws: ``LedgerError`` with ``LedgerError/importIndex`` naming the
    ///   refused event, or the reader's own error. Nothing is appended then.
    public func importEvents(_ makeReader: @escaping @Sendable () throws -> () throws -> ImportedEvent?) async throws -> ImportResult {
        guard let writer else {
            throw LedgerError(.readOnly, "The ledger at \(directory) is open read-only: open it without readOnly to import.")
        }
        return try await writer.submitImport(makeReader)
    }

    /// Sets the ledger's append rule (one per ledger; setting another
    /// replaces it, `nil` removes it).
    ///
    /// The rule runs inside each append's transaction, right after its
    /// events: it reads the log as the transaction sees it and returns events
    /// to append after them in the same transaction — atomically with the
    /// append, and serialized with every other append of this process. It
    /// judges every record not judged yet: the append's own and any appended
    /// before without the rule (by another process, an older library, a plain
    /// ledger). Its checkpoint commits with what it derives, so each record is
    /// judged once, also across crashes and processes. It runs inside imports
    /// too (see ``importEvents(_:)``), and after commits of other processes
    /// (see ``judgeUnjudgedRecords()``). An error it throws refuses that append
    /// alone; an append that carries one of its ``AppendRule/derivedTypes`` is
    /// refused. It does not run for a retried duplicate. The school's
    /// compromise invalidator is such a rule.
    public func setAppendRule(_ rule: AppendRule?) {
        guard let writer else { return }
        writer.appendRule.withLock {
            $0 = rule.map { rule in
                InstalledRule(derivedTypes: rule.derivedTypes, reservedActorPrefix: rule.reservedActorPrefix) { session, input in
                    let reader = LedgerReader(session: session)
                    return try rule.derive(reader, input)
                }
            }
        }
    }

    /// Sets a rule that derives no event type of its own and is given the
    /// range of records to judge; see ``setAppendRule(_:)-(AppendRule?)``.
    public func setAppendRule(_ rule: (@Sendable (borrowing LedgerReader, _ unjudged: ClosedRange<UInt64>) throws -> [NewEvent])?) {
        setAppendRule(rule.map { rule in AppendRule(derivedTypes: []) { reader, input in try rule(reader, input.unjudged) } })
    }

    /// Judges, now and in one transaction, every record the append rule has
    /// not judged yet (appended by another process, an older version or
    /// without the rule), appending what it derives with the rule's
    /// checkpoint; returns the derived events' positions. A ledger opened
    /// read-only, or without a rule, judges nothing. A journal calls it when
    /// it opens a ledger; a background task calls it after other processes'
    /// commits.
    @discardableResult
    public func judgeUnjudgedRecords() throws -> [UInt64] {
        guard let writer, try writer.hasUnjudged() else { return [] }
        let positions = try writer.judgeUnjudged()
        if let last = positions.last { notifier.signal(lastPosition: last) }
        return positions
    }

    /// The last position the append rule has judged (0: none yet).
    public func appendRuleCheckpoint() throws -> UInt64 {
        try storage.readLedger { session in try session.log.ruleCheckpoint() }
    }

    /// Appends one event; see ``append(_:expecting:)``.
    public func append(_ event: NewEvent, expecting version: ExpectedVersion = .any) async throws -> AppendResult {
        // No dictionary for the usual `.any`: built and dropped per call, it
        // was a tenth of a single append's own time on the caller's side.
        try await append([event], expecting: version == .any ? [:] : [event.stream: version])
    }

    // MARK: Reading

    /// Runs `body` with a reader over one consistent snapshot of the log.
    ///
    /// Views the reader hands out point into the memory map and are valid only
    /// inside `body`; copy what you keep (``RecordView/recordedEvent()``).
    public func read<R>(_ body: (borrowing LedgerReader) throws -> R) throws -> R {
        try storage.readLedger { session in
            // Bound to a name first: passing the temporary straight to `body`
            // crashes Swift 6.3's optimizer (release builds) when it specializes this.
            let reader = LedgerReader(session: session)
            return try body(reader)
        }
    }

    /// The current chain head: last position, its hash and time.
    public func head() throws -> ChainHead {
        try read { try $0.head() }
    }

    /// Owned copies of the records from `first` through `last` (inclusive), at most `limit`.
    public func events(from first: UInt64 = 1, through last: UInt64 = .max, limit: Int = .max) throws -> [RecordedEvent] {
        try read { reader in
            var out = [RecordedEvent]()
            try reader.forEach(from: first, through: last) { view in
                out.append(view.recordedEvent())
                return out.count < limit
            }
            return out
        }
    }

    /// Owned copies of the events of `stream` with versions in `versions`, oldest first.
    public func events(inStream stream: String, versions: ClosedRange<UInt64> = 1...UInt64.max) throws -> [RecordedEvent] {
        try read { reader in
            var out = [RecordedEvent]()
            try reader.forEach(inStream: stream, versions: versions) {
                out.append($0.recordedEvent()); return true
            }
            return out
        }
    }

    /// Owned copies of the events of `actor` recorded in `window` (half-open), oldest first.
    ///
    /// The cost is proportional to that actor's events from the window's start
    /// on, not to the size of the log.
    public func events(byActor actor: String, recordedIn window: Range<Instant>) throws -> [RecordedEvent] {
        try read { reader in
            var out = [RecordedEvent]()
            try reader.forEach(byActor: actor, recordedIn: window) {
                out.append($0.recordedEvent()); return true
            }
            return out
        }
    }

    /// The version of `stream` (0 when it has no events).
    public func streamVersion(_ stream: String) throws -> UInt64 {
        try read { try $0.streamVersion(stream) }
    }

    /// The position of the event with `id`, or `nil` when it is not in the log.
    public func position(of id: EventID) throws -> UInt64? {
        try read { try $0.position(of: id) }
    }

    /// The last position whose `recordedAt` is at or before `instant` (0 when none).
    public func position(atOrBefore instant: Instant) throws -> UInt64 {
        try read { try $0.position(atOrBefore: instant) }
    }

    /// Flushes commits to disk; needed only with ``Options/Durability/relaxed``.
    public func sync() throws {
        try storageStep("flushing to disk") { try storage.readModels.sync() }
    }
}

extension EventLedger {
    /// How a ledger is opened.
    public struct Options: Sendable {
        /// How appends reach the disk.
        public enum Durability: Sendable, Equatable {
            /// An append returns after its commit is on disk: it survives a
            /// process crash and a power loss. The default.
            case full
            /// Commits are not flushed: an append survives a crash of the
            /// process but may be lost (never corrupted) if the machine loses
            /// power before the operating system writes it. For bulk imports
            /// and tests; call ``EventLedger/sync()`` at the end.
            case relaxed
        }

        /// Create the ledger when the directory has none.
        public var create: Bool = true
        /// Open for reading only (no writer thread, no file creation).
        public var readOnly: Bool = false
        /// How appends reach the disk.
        public var durability: Durability = .full
        /// Where `recordedAt` comes from.
        public var clock: any LedgerClock = SystemClock()
        /// The initial LMDB map size; it grows by itself when full.
        public var initialMapSize: Int = 64 << 20
        /// Named databases the environment may hold (the ledger's own and projections').
        public var maxDatabases: Int = 128
        /// The most events one group commit takes (a larger single append still goes alone).
        public var maxEventsPerCommit: Int = 20_000
        /// How long a group commit may wait for more appends when the last
        /// one carried several callers (never for a lone caller). Callers
        /// that each await their append and append again then meet in one
        /// commit instead of two half-full ones: at 64 such callers, the
        /// benchmarks' figure 3 measured about 15 % more appends a second.
        /// The wait is at most this long, and only under concurrency; `.zero`
        /// commits whatever is queued at once.
        public var groupCommitGathering: Duration = .microseconds(200)
        /// How often a subscription looks for commits made by other processes.
        public var pollInterval: Duration = .milliseconds(50)
        /// How far ahead of the log's last record the clock may be before a
        /// commit reports it through ``logger`` (a clock set wrong would
        /// stamp every later record, since `recordedAt` never decreases).
        public var clockJumpWarning: Duration = .seconds(31 * 86_400)
        /// Where the ledger logs; by default nowhere. Pass your service's logger.
        public var logger: Logger = Logger(label: "EventLedger", factory: { _ in SwiftLogNoOpLogHandler() })

        /// Default options: create when missing, fully durable.
        public init() {}

        /// Options for reading an existing ledger only.
        public static var readOnly: Options {
            var o = Options()
            o.readOnly = true
            o.create = false
            return o
        }
    }
}
