import Foundation
import LedgerLMDB

/// A session of a ``PairedLogStorage``: the log's own, and a read
/// transaction of the local read models.
struct PairedSession<LogSession> {
    let log: LogSession
    let local: UnsafePointer<Transaction>
}

/// A log on any ``LogStorage`` paired with a local LMDB environment for the
/// read models and their states.
///
/// The two are separate engines, so no transaction spans both. The log is
/// the truth: an append commits in the log first, and the inline read
/// models follow in a transaction of their own right after it (on the
/// writer's thread, before the append is acknowledged). A crash between the
/// two leaves the read models behind the log, with their checkpoints; they
/// catch up from the log when the ledger is opened again, as they do after
/// another process's (node's) appends.
final class PairedLogStorage<Log: LogStorage>: LocalLogStorage {
    typealias Session = PairedSession<Log.Session>

    let log: Log
    let readModels: Environment
    let projectionStates: Database
    var engineName: String { log.engineName }
    /// A directory to remove when the storage goes (a temporary one).
    private let removeOnClose: String?
    var sharesTransactions: Bool { false }

    /// Pairs `log` with the read models in `directory` (created when missing).
    init(log: Log, readModels directory: String, removeOnClose: Bool, options: Environment.Options) throws {
        self.log = log
        self.removeOnClose = removeOnClose ? directory : nil
        var envOptions = options
        envOptions.create = true
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let environment = try storageStep("opening the read models at \(directory)") {
            try Environment.open(directory: directory, options: envOptions)
        }
        readModels = environment
        projectionStates = try storageStep("opening the read models' states at \(directory)") {
            try environment.openDatabase("ledger.projections", create: true)
        }
        try Self.claim(environment, directory: directory, for: log)
    }

    /// Records in the read models' environment which log they are built
    /// from, or refuses them when they were built from another.
    private static func claim(_ environment: Environment, directory: String, for log: Log) throws {
        let identity = try log.read { try log.identity($0) }
        let key = Array("log-identity".utf8)
        let stored: String? = try storageStep("reading the read models' log at \(directory)") {
            let meta = try environment.openDatabase("ledger.meta", create: true)
            return try environment.write { txn in
                if let stored = try txn.get(meta, key: key) { return String(decoding: stored, as: UTF8.self) }
                try txn.put(meta, key: key, value: Array(identity.utf8))
                return nil
            }
        }
        if let stored, stored != identity {
            throw LedgerError(
                .readModelsOfAnotherLog,
                "The read models in \(directory) were built from the log \(stored), not from \(identity): give this log a directory of its own (or remove that one to build them again). Nothing in it was changed."
            )
        }
    }

    deinit {
        if let removeOnClose { try? FileManager.default.removeItem(atPath: removeOnClose) }
    }

    func ledgerSession(_ session: Session) -> LedgerSession {
        LedgerSession(pointer: session.local, log: SessionReads(storage: log, session: session.log))
    }

    func writeReadModels<R>(_ body: (LedgerSession) throws -> R) throws -> R {
        do {
            return try readModels.write { txn in
                try withUnsafePointer(to: txn) { local in
                    try log.read { session in try body(LedgerSession(pointer: local, log: SessionReads(storage: log, session: session))) }
                }
            }
        } catch let error as LMDBError {
            throw LedgerError.writing(error, in: readModels.path)
        }
    }

    func readAhead<R>(_ body: (any LogSnapshot) throws -> R) throws -> R? {
        try log.read { session in try body(SessionReads(storage: log, session: session)) }
    }

    // MARK: Sessions

    func read<R>(_ body: (Session) throws -> R) throws -> R {
        try storageStep("reading the read models") {
            try readModels.read { txn in
                try withUnsafePointer(to: txn) { local in try log.read { session in try body(PairedSession(log: session, local: local)) } }
            }
        }
    }

    func write<R>(_ body: (Session) throws -> R) throws -> R {
        try log.write { session in
            try storageStep("reading the read models") {
                try readModels.read { txn in try withUnsafePointer(to: txn) { local in try body(PairedSession(log: session, local: local)) }
                }
            }
        }
    }

    func savepoint<R>(_ session: Session, _ body: (Session) throws -> R) throws -> R {
        try log.savepoint(session.log) { child in try body(PairedSession(log: child, local: session.local)) }
    }

    // MARK: The log

    func tail(_ s: Session) throws -> LogTail? { try log.tail(s.log) }
    func record(_ s: Session, at position: UInt64) throws -> UnsafeRawBufferPointer? { try log.record(s.log, at: position) }
    func scan(
        _ s: Session, from first: UInt64, through last: UInt64, reverse: Bool, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try log.scan(s.log, from: first, through: last, reverse: reverse, body)
    }
    func position(_ s: Session, of id: EventID) throws -> UInt64? { try log.position(s.log, of: id) }
    var looksUpInBulk: Bool { log.looksUpInBulk }
    var refusesRepeatedIDs: Bool { log.refusesRepeatedIDs }
    func lookUp(_ s: Session, ids: [EventID], streams: [String], actors: [String]) throws -> AppendLookup {
        try log.lookUp(s.log, ids: ids, streams: streams, actors: actors)
    }
    func streamHead(_ s: Session, _ stream: String) throws -> StreamHead? { try log.streamHead(s.log, stream) }
    func streams(_ s: Session, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        try log.streams(s.log, withPrefix: prefix, body)
    }
    func actorHead(_ s: Session, _ actor: String) throws -> ActorHead? { try log.actorHead(s.log, actor) }
    func streamWalkStart(_ s: Session, _ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        try log.streamWalkStart(s.log, stream, atOrAfter: version)
    }
    func actorWalkStart(_ s: Session, _ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        try log.actorWalkStart(s.log, actor, atOrAfter: instant)
    }
    func counts(_ s: Session) throws -> (streams: Int, actors: Int) { try log.counts(s.log) }
    func append(_ s: Session, record: [UInt8], index: IndexedRecord) throws { try log.append(s.log, record: record, index: index) }
    func markWrittenInCurrentFormat(_ s: Session) throws { try log.markWrittenInCurrentFormat(s.log) }
    func storeHeads(_ s: Session, streams: [String: StreamHead], actors: [String: ActorHead]) throws {
        try log.storeHeads(s.log, streams: streams, actors: actors)
    }
    func identity(_ s: Session) throws -> String { try log.identity(s.log) }
    func ruleCheckpoint(_ s: Session) throws -> UInt64 { try log.ruleCheckpoint(s.log) }
    func setRuleCheckpoint(_ s: Session, _ position: UInt64) throws { try log.setRuleCheckpoint(s.log, position) }
}

extension EventLedger {
    /// Opens a ledger whose log lives in `storage`, another engine than
    /// LMDB: ``InMemoryLogStorage`` for tests, or a region's database.
    ///
    /// Read models stay local, in an LMDB environment in `readModels` (a
    /// temporary directory, removed when the ledger closes, when `nil`).
    /// They are written right after each append's commit, not inside it,
    /// and caught up from the log when they lag (after a crash, or another
    /// node's appends): see <doc:AddingAStorageBackend>.
    ///
    /// - Throws: ``LedgerError`` when the read models' directory cannot be
    ///   opened.
    public static func open(storage: some LogStorage, readModels: String? = nil, options: Options = Options()) throws -> EventLedger {
        var env = Environment.Options()
        env.mapSize = options.initialMapSize
        env.maxDatabases = options.maxDatabases
        env.durability = readModels == nil ? .noSync : (options.durability == .full ? .full : .noSync)
        let directory =
            readModels ?? FileManager.default.temporaryDirectory.appendingPathComponent("eventledger-models-\(UUID().uuidString)").path
        let name = storage.engineName
        let paired = try PairedLogStorage(
            log: storage, readModels: directory, removeOnClose: readModels == nil, options: env)
        let ledger = EventLedger(options: options, storage: paired)
        let notifier = ledger.notifier
        try storage.observeCommits { notifier.signal(lastPosition: 0) }
        options.logger.debug("ledger opened", metadata: ["backend": "\(name)", "readModels": "\(directory)"])
        return ledger
    }
}
