import Foundation
import LedgerLMDB

/// The log on LMDB: one environment (the ledger directory) with these named
/// databases, all written in the same transaction as the record they index.
///
/// | database | key | value |
/// |---|---|---|
/// | `ledger.meta` | setting name | setting value (format version, ledger id, the append rule's checkpoint) |
/// | `ledger.log` | position, 8 bytes big-endian | the record (`eventledger.v1.Record`) |
/// | `ledger.event-ids` | event id, 16 bytes | position |
/// | `ledger.streams` | stream | version, last position |
/// | `ledger.actors` | actor | record count, last position |
/// | `ledger.stream-marks` | stream, 0, version | position (a checkpoint: every 64th version) |
/// | `ledger.actor-marks` | actor, 0, recordedAt, position | empty (a checkpoint: every 256th record) |
/// | `ledger.projections` | projection name | its version, active slot, checkpoint, rebuild in progress |
///
/// Appends stay local in the B+trees: the log and (for UUIDv7 ids) the id
/// index grow at their ends; the heads tables have one row per stream or
/// actor; each record points back to the previous record of its stream and
/// of its actor, and the sparse checkpoints bound every backwards walk to 64
/// steps before the records asked for.
///
/// The two checkpoint databases keep the names format 1 gave them
/// (`-marks`, from bookmarks; nothing to do with a pupil's marks): renaming
/// a database would make every tool of format 1 refuse the ledger, which a
/// name is not worth. The code calls them checkpoints.
final class LMDBLogStorage: LocalLogStorage {
    typealias Session = LMDBSession

    var readModels: Environment { environment }
    var projectionStates: Database { projections }
    var sharesTransactions: Bool { true }
    var engineName: String { "LMDB" }

    func ledgerSession(_ session: LMDBSession) -> LedgerSession {
        LedgerSession(pointer: session.pointer, log: SessionReads(storage: self, session: session))
    }

    func writeReadModels<R>(_ body: (LedgerSession) throws -> R) throws -> R {
        try write { session in try body(ledgerSession(session)) }
    }

    func readAhead<R>(_ body: (any LogSnapshot) throws -> R) throws -> R? {
        try readIfNoResize { session in try body(SessionReads(storage: self, session: session)) }
    }

    /// The format this library writes; a ledger with a higher one is refused.
    ///
    /// - 1: each record stores its position and the previous record's hash.
    /// - 2: records store neither (the key is the position; the previous
    ///   record ends with its hash), 38 bytes less a record; the hash is
    ///   defined as in format 1. Format 1's records stay as they are and are
    ///   read and verified beside format 2's; a ledger is marked format 2 by
    ///   the first append to it (see
    ///   ``markWrittenInCurrentFormat(_:)``).
    static let formatVersion: UInt32 = 2
    /// One checkpoint per this many records of a stream.
    static let streamMarkSpacing: UInt64 = 64
    /// One checkpoint per this many records of an actor. Wider than a
    /// stream's: an actor's marks are keyed by actor, so each mark of a
    /// batch dirties a page of its own, and the year's workload (1,111
    /// actors) made them 16 % of the bytes each commit wrote at one mark
    /// per 64 (`BENCHMARKS.md`, issue 18's last section). At one per 256 a
    /// window's walk visits at most 255 records beyond those it returns;
    /// marks an older version wrote every 64 stay and serve as well.
    static let actorMarkSpacing: UInt64 = 256

    let environment: Environment
    let meta: Database
    let log: Database
    let eventIDs: Database
    let streams: Database
    let actors: Database
    let streamCheckpoints: Database
    let actorCheckpoints: Database
    /// Where each projection stands (see ProjectionState).
    let projections: Database

    private init(environment: Environment) throws {
        self.environment = environment
        meta = try environment.openDatabase("ledger.meta")
        log = try environment.openDatabase("ledger.log")
        eventIDs = try environment.openDatabase("ledger.event-ids")
        streams = try environment.openDatabase("ledger.streams")
        actors = try environment.openDatabase("ledger.actors")
        streamCheckpoints = try environment.openDatabase("ledger.stream-marks")
        actorCheckpoints = try environment.openDatabase("ledger.actor-marks")
        projections = try environment.openDatabase("ledger.projections")
    }

    private static let dataFile = "data.mdb"
    private static let lockFile = "lock.mdb"

    /// Opens the ledger in `directory`, creating it when `create` is true.
    static func open(directory: String, create: Bool, environmentOptions: Environment.Options) throws -> LMDBLogStorage {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: directory, isDirectory: &isDir)
        if exists && !isDir.boolValue {
            throw LedgerError(.notALedger, "\(directory) is a file, not a ledger directory: give the directory that holds data.mdb.")
        }
        let dataPath = (directory as NSString).appendingPathComponent(dataFile)
        let hasData = fm.fileExists(atPath: dataPath)
        if !hasData {
            let others = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != lockFile }
            if exists && !others.isEmpty {
                throw LedgerError(
                    .notALedger,
                    "\(directory) is not a ledger: it holds other files (\(others.prefix(3).joined(separator: ", "))) and no data.mdb. Give an empty or new directory for a new ledger."
                )
            }
            guard create && !environmentOptions.readOnly else {
                throw LedgerError(.noLedger, "No ledger at \(directory): check the path, or create one (the demo does: `make demo`).")
            }
        } else {
            try checkDataFileNotTruncated(dataPath)
        }

        var envOptions = environmentOptions
        envOptions.create = create
        let environment: Environment
        do {
            environment = try Environment.open(directory: directory, options: envOptions)
        } catch {
            switch error.code {
            case .invalid, .versionMismatch, .invalidArgument:
                var e = LedgerError(
                    .notALedger,
                    "\(dataPath) is not an LMDB data file this library can open (\(error.message)). Check the path; restore the ledger from a backup if it was damaged."
                )
                e.underlying = error
                throw e
            default:
                throw LedgerError.storage(error, while: "opening \(directory)")
            }
        }
        try checkMapCoversFile(environment, dataPath: dataPath)
        try initializeOrCheckFormat(environment, directory: directory, create: create)
        return try storageStep("opening the ledger's databases") { try LMDBLogStorage(environment: environment) }
    }

    /// LMDB maps the data file; reading a page past the end of a truncated
    /// file would kill the process with SIGBUS. Refuse such a file up front.
    private static func checkDataFileNotTruncated(_ dataPath: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? Int) ?? 0
        // Two meta pages of at least 4 KiB each are the smallest valid file.
        if size < 2 * 4096 {
            throw LedgerError(
                .notALedger,
                "\(dataPath) is \(size) bytes, too small to be an LMDB data file: it was truncated or is not a ledger. Restore it from a backup."
            )
        }
    }

    /// Refuses a data file cut short before a page LMDB must read. The
    /// check is on the pages every commit writes: the roots of the free-page
    /// and main trees of the newer meta page (not the meta's last page
    /// number, which may count pages a commit allocated but did not write;
    /// that was not verified against LMDB's source). The refusals in the
    /// clause-11 random-paths test that led here were true: its fixture
    /// copied a ledger's file while a background projection step committed,
    /// a torn copy whose meta named pages the copy lacked (the tests now
    /// copy with `Fixture.copyDataFile`, after catching up).
    private static func checkMapCoversFile(_ environment: Environment, dataPath: String) throws {
        let pageSize = environment.info.pageSize
        guard let handle = FileHandle(forReadingAtPath: dataPath) else { return }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 2 * pageSize)) ?? Data())
        guard head.count == 2 * pageSize else { return }  // checkDataFileNotTruncated refused smaller files
        // The size is taken after the meta pages are read: another process may
        // commit in between, and LMDB writes a commit's pages before its meta,
        // so the file then is at least as long as the meta read needs. (Taken
        // first, a commit in between made a sound file look truncated.)
        let size = (try? FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? Int) ?? 0
        func word(_ offset: Int) -> UInt64 {
            head[offset..<(offset + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) }  // little-endian, as LMDB stores it
        }
        // MDB_meta after the 16-byte page header: magic, version, address, map size,
        // then the free and main trees' MDB_db (48 bytes each, the root last), the last page, the txn id.
        let meta = [0, pageSize].max { word($0 + 144) < word($1 + 144) }!
        for root in [word(meta + 80), word(meta + 128)] where root != .max {
            let needed = (Int(clamping: root) &+ 1) &* pageSize
            if needed > size || needed < 0 {
                throw LedgerError(
                    .corruptRecord,
                    "\(dataPath) is \(size) bytes but its newest tree root is page \(root), which ends at byte \(needed): the file was truncated. Restore it from a backup; do not write to it."
                )
            }
        }
    }

    private static func initializeOrCheckFormat(_ environment: Environment, directory: String, create: Bool) throws {
        let stored: UInt32? = try storageStep("reading the ledger's format") {
            do {
                let meta = try environment.openDatabase("ledger.meta")
                return try environment.read { txn in
                    try txn.get(meta, key: Array("format".utf8)).map { UInt32(bigEndianBytes: $0) }
                }
            } catch let error as LMDBError where error.code == .notFound {
                return nil
            }
        }
        if let stored {
            guard stored <= formatVersion else {
                throw LedgerError(
                    .newerFormat,
                    "The ledger at \(directory) has format \(stored); this library reads formats up to \(formatVersion). Upgrade SchoolLedger to open it."
                )
            }
            return
        }
        // No ledger.meta: a new environment, or another application's.
        let mainEntries = try storageStep("inspecting \(directory)") {
            try environment.read { txn in try txn.statistics(environment.openDatabase(nil)).entries }
        }
        guard mainEntries == 0 else {
            throw LedgerError(
                .notALedger,
                "\(directory) holds an LMDB environment of another application (it has no ledger.meta): give a ledger directory.")
        }
        guard create, !environment.options.readOnly else {
            throw LedgerError(.noLedger, "No ledger at \(directory): check the path, or create one.")
        }
        try storageStep("creating the ledger") {
            let names = [
                "ledger.meta", "ledger.log", "ledger.event-ids", "ledger.streams", "ledger.actors",
                "ledger.stream-marks", "ledger.actor-marks", "ledger.projections",
            ]
            for name in names { _ = try environment.openDatabase(name, create: true) }
            let meta = try environment.openDatabase("ledger.meta")
            try environment.write { txn in
                try txn.put(meta, key: Array("format".utf8), value: formatVersion.bigEndianBytes)
                try txn.put(meta, key: Array("ledger-id".utf8), value: Array(EventID.random().description.utf8))
            }
        }
    }

    // MARK: Sessions

    func read<R>(_ body: (LMDBSession) throws -> R) throws -> R {
        try storageStep("reading") { try environment.read { txn in try LMDBSession.with(txn, body) } }
    }

    /// ``read(_:)`` unless beginning the snapshot would wait for a map
    /// resize (see `Environment.readIfNoResize`): `nil` then.
    func readIfNoResize<R>(_ body: (LMDBSession) throws -> R) throws -> R? {
        try storageStep("reading") { try environment.readIfNoResize { txn in try LMDBSession.with(txn, body) } }
    }

    func write<R>(_ body: (LMDBSession) throws -> R) throws -> R {
        do {
            return try environment.write { txn in try LMDBSession.with(txn, body) }
        } catch let error as LMDBError {
            throw LedgerError.writing(error, in: environment.path)
        }
    }

    func savepoint<R>(_ s: LMDBSession, _ body: (LMDBSession) throws -> R) throws -> R {
        try s.txn.nested { child in try LMDBSession.with(child, body) }
    }

    // MARK: Reading

    func tail(_ s: LMDBSession) throws -> LogTail? {
        try s.txn.withCursor(log) { cursor in
            guard let last = try cursor.last() else { return nil }
            let key = UInt64(bigEndianBytes: last.key)
            let view = try RecordView(parsing: last.value, key: key)
            return LogTail(
                position: key, hash: Array(UnsafeRawBufferPointer(rebasing: view.bytes[view.hashRange])),
                recordedAt: view.recordedAt)
        }
    }

    func record(_ s: LMDBSession, at position: UInt64) throws -> UnsafeRawBufferPointer? {
        try position.withBigEndianBytes { key in try s.txn.get(log, key: key) }
    }

    func scan(
        _ s: LMDBSession, from first: UInt64, through last: UInt64, reverse: Bool,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard first <= last else { return }
        try s.txn.withCursor(log) { cursor in
            var entry: Cursor.Entry?
            if reverse {
                entry = try cursor.seek(atMost: last.bigEndianBytes)
            } else {
                entry = try cursor.seek(atLeast: first.bigEndianBytes)
            }
            while let e = entry {
                let key = UInt64(bigEndianBytes: e.key)
                if reverse ? key < first : key > last { break }
                guard try body(key, e.value) else { break }
                entry = reverse ? try cursor.previous() : try cursor.next()
            }
        }
    }

    func position(_ s: LMDBSession, of id: EventID) throws -> UInt64? {
        try id.withKeyBytes { key in try s.txn.get(eventIDs, key: key).map { UInt64(bigEndianBytes: $0) } }
    }

    func streamHead(_ s: LMDBSession, _ stream: String) throws -> StreamHead? {
        try Self.withKey(stream) { key in
            try s.txn.get(streams, key: key).map {
                StreamHead(version: UInt64(bigEndianBytes: $0, at: 0), lastPosition: UInt64(bigEndianBytes: $0, at: 8))
            }
        }
    }

    func streams(_ s: LMDBSession, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        let start = Array(prefix.utf8)
        try s.txn.withCursor(streams) { cursor in
            var entry = start.isEmpty ? try cursor.first() : try cursor.seek(atLeast: start)
            while let e = entry, e.key.starts(with: start) {
                let head = StreamHead(version: UInt64(bigEndianBytes: e.value, at: 0), lastPosition: UInt64(bigEndianBytes: e.value, at: 8))
                guard try body(String(decoding: e.key, as: UTF8.self), head) else { return }
                entry = try cursor.next()
            }
        }
    }

    func actorHead(_ s: LMDBSession, _ actor: String) throws -> ActorHead? {
        try Self.withKey(actor) { key in
            try s.txn.get(actors, key: key).map {
                ActorHead(count: UInt64(bigEndianBytes: $0, at: 0), lastPosition: UInt64(bigEndianBytes: $0, at: 8))
            }
        }
    }

    func streamWalkStart(_ s: LMDBSession, _ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        let prefix = Array(stream.utf8) + [0]
        return try s.txn.withCursor(streamCheckpoints) { cursor in
            guard let e = try cursor.seek(atLeast: prefix + version.bigEndianBytes),
                e.key.count == prefix.count + 8, e.key.starts(with: prefix)
            else { return nil }
            return UInt64(bigEndianBytes: e.value)
        }
    }

    func actorWalkStart(_ s: LMDBSession, _ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        let prefix = Array(actor.utf8) + [0]
        return try s.txn.withCursor(actorCheckpoints) { cursor in
            guard let e = try cursor.seek(atLeast: prefix + instant.sortableBytes),
                e.key.count == prefix.count + 16, e.key.starts(with: prefix)
            else { return nil }
            return UInt64(bigEndianBytes: e.key, at: prefix.count + 8)
        }
    }

    func counts(_ s: LMDBSession) throws -> (streams: Int, actors: Int) {
        (try s.txn.statistics(streams).entries, try s.txn.statistics(actors).entries)
    }

    // MARK: Writing

    func append(_ s: LMDBSession, record: [UInt8], index: IndexedRecord) throws {
        try index.position.withBigEndianBytes { positionKey in
            try record.withUnsafeBytes { value in try s.txn.put(log, key: positionKey, value: value, flags: .append) }
            try index.id.withKeyBytes { key in
                do {
                    try s.txn.put(eventIDs, key: key, value: positionKey, flags: .noOverwrite)
                } catch let error as LMDBError where error.code == .keyExists {
                    throw LedgerError.idInLog(index.id)
                }
            }
        }
        if index.streamVersion % Self.streamMarkSpacing == 0 {
            try s.txn.put(
                streamCheckpoints, key: Array(index.stream.utf8) + [0] + index.streamVersion.bigEndianBytes,
                value: index.position.bigEndianBytes)
        }
        if index.actorCount % Self.actorMarkSpacing == 0 {
            try s.txn.put(
                actorCheckpoints, key: Array(index.actor.utf8) + [0] + index.recordedAt.sortableBytes + index.position.bigEndianBytes,
                value: [])
        }
    }

    /// A head's stored value, two big-endian numbers, without an allocation.
    private static func withHeadValue<R>(_ first: UInt64, _ second: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var pair = (first.bigEndian, second.bigEndian)
        return try Swift.withUnsafeBytes(of: &pair, body)
    }

    /// A name's UTF-8 bytes as a key, without copying when the string is contiguous.
    private static func withKey<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        var name = name
        return try name.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }

    private static let ruleCheckpointKey = Array("append-rule-checkpoint".utf8)
    private static let formatKey = Array("format".utf8)

    /// `true`: the id index is written with `MDB_NOOVERWRITE`.
    var refusesRepeatedIDs: Bool { true }

    func markWrittenInCurrentFormat(_ s: LMDBSession) throws {
        let stored = try s.txn.get(meta, key: Self.formatKey).map { UInt32(bigEndianBytes: $0) } ?? 0
        if stored < Self.formatVersion { try s.txn.put(meta, key: Self.formatKey, value: Self.formatVersion.bigEndianBytes) }
    }

    func identity(_ s: LMDBSession) throws -> String {
        // Every ledger is given an id when it is created; the path stands in for one that lacks it.
        try s.txn.get(meta, key: Self.ledgerIDKey).map { "lmdb:" + String(decoding: $0, as: UTF8.self) } ?? "lmdb-path:" + environment.path
    }

    private static let ledgerIDKey = Array("ledger-id".utf8)

    func ruleCheckpoint(_ s: LMDBSession) throws -> UInt64 {
        try s.txn.get(meta, key: Self.ruleCheckpointKey).map { UInt64(bigEndianBytes: $0) } ?? 0
    }

    func setRuleCheckpoint(_ s: LMDBSession, _ position: UInt64) throws {
        try s.txn.put(meta, key: Self.ruleCheckpointKey, value: position.bigEndianBytes)
    }

    func storeHeads(_ s: LMDBSession, streams newStreams: [String: StreamHead], actors newActors: [String: ActorHead]) throws {
        for (stream, head) in newStreams {
            try Self.withHeadValue(head.version, head.lastPosition) { value in
                try Self.withKey(stream) { key in try s.txn.put(streams, key: key, value: value) }
            }
        }
        for (actor, head) in newActors {
            try Self.withHeadValue(head.count, head.lastPosition) { value in
                try Self.withKey(actor) { key in try s.txn.put(actors, key: key, value: value) }
            }
        }
    }
}

extension UInt64 {
    /// Eight big-endian bytes: keys that sort as numbers.
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }

    func withBigEndianBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var be = self.bigEndian
        return try Swift.withUnsafeBytes(of: &be, body)
    }

    init(bigEndianBytes b: UnsafeRawBufferPointer, at offset: Int = 0) {
        var v: UInt64 = 0
        for i in 0..<8 where offset + i < b.count { v = v << 8 | UInt64(b[offset + i]) }
        self = v
    }
}

extension UInt32 {
    var bigEndianBytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: self >> (24 - 8 * UInt32($0))) } }

    init(bigEndianBytes b: UnsafeRawBufferPointer) {
        var v: UInt32 = 0
        for i in 0..<Swift.min(4, b.count) { v = v << 8 | UInt32(b[i]) }
        self = v
    }
}

extension Instant {
    /// Eight bytes that sort as the instant does (sign bit flipped, big-endian).
    var sortableBytes: [UInt8] { (UInt64(bitPattern: microsecondsSinceEpoch) ^ (1 << 63)).bigEndianBytes }
}

extension EventID {
    func withKeyBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var pair = (high.bigEndian, low.bigEndian)
        return try Swift.withUnsafeBytes(of: &pair, body)
    }
}

/// A write or read transaction as the storage protocol passes it around: a
/// pointer to the borrowed LMDB transaction, valid only inside the closure
/// that made it (``LMDBSession/with(_:_:)``).
struct LMDBSession {
    let pointer: UnsafePointer<Transaction>

    var txn: Transaction {
        _read { yield pointer.pointee }
    }

    static func with<R>(_ txn: borrowing Transaction, _ body: (LMDBSession) throws -> R) throws -> R {
        try withUnsafePointer(to: txn) { try body(LMDBSession(pointer: $0)) }
    }
}
