import LedgerLMDB
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error from the event ledger: what was wrong and what to do.
///
/// Errors are values with an extensible ``Code`` (adding a code breaks no
/// caller), a human sentence, and the context that names what was wrong:
/// the stream and versions of a conflict, the event id, the position.
/// A refused append has written nothing.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A sentence that says what was wrong and what to do.
    public var message: String
    /// The stream concerned, when there is one.
    public var stream: String?
    /// The version the writer expected, for ``Code/wrongExpectedVersion``.
    public var expectedVersion: ExpectedVersion?
    /// The stream's actual version, for ``Code/wrongExpectedVersion``.
    public var actualVersion: UInt64?
    /// The event concerned, when there is one.
    public var eventID: EventID?
    /// The log position concerned, when there is one.
    public var position: UInt64?
    /// The field of a rejected event, for ``Code/invalidEvent``.
    public var field: String?
    /// The 1-based number of the imported event that was refused, for
    /// ``EventLedger/importEvents(_:)``.
    public var importIndex: Int?
    /// The storage engine's own error underneath, when there is one (its
    /// description names the engine's call and code); for logs, not for
    /// matching: match on ``code``.
    public var underlying: (any Error & Sendable)?

    /// Creates an error; prefer the factory methods the ledger uses.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `<code>: <message>`.
    public var description: String { "\(code): \(message)" }

    /// The kind of a ``LedgerError``.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String
        /// A code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An event breaks a limit or rule of the ledger (see ``LedgerError/field``).
        public static let invalidEvent = Code(rawValue: "invalidEvent")
        /// A stream is not at the version the writer expected; nothing was appended.
        public static let wrongExpectedVersion = Code(rawValue: "wrongExpectedVersion")
        /// An event id is already in the log with a different body.
        public static let eventIDConflict = Code(rawValue: "eventIDConflict")
        /// One append names the same event id twice, or mixes events already in the
        /// log with new ones.
        public static let duplicateEventID = Code(rawValue: "duplicateEventID")
        /// The ledger's append rule (``EventLedger/setAppendRule(_:)-(AppendRule?)``) failed; nothing was appended.
        public static let appendRuleFailed = Code(rawValue: "appendRuleFailed")
        /// The directory is not a ledger (another application's files, or not LMDB).
        public static let notALedger = Code(rawValue: "notALedger")
        /// The ledger was written by a newer version of this library.
        public static let newerFormat = Code(rawValue: "newerFormat")
        /// No ledger exists at the path and creation was not asked for.
        public static let noLedger = Code(rawValue: "noLedger")
        /// A stored record does not decode: the data file is damaged.
        public static let corruptRecord = Code(rawValue: "corruptRecord")
        /// A saved chain head does not match this log.
        public static let headMismatch = Code(rawValue: "headMismatch")
        /// The ledger is open read-only.
        public static let readOnly = Code(rawValue: "readOnly")
        /// The ledger is closing (its last reference went away while a write
        /// waited): open it again to write.
        public static let ledgerClosing = Code(rawValue: "ledgerClosing")
        /// A projection is set up wrongly: its name, version or databases, or
        /// it reports exclusions without resetting streams. Fix the projection.
        public static let projectionMisconfigured = Code(rawValue: "projectionMisconfigured")
        /// No projection of that name is registered: register it first, or check the name.
        public static let unknownProjection = Code(rawValue: "unknownProjection")
        /// A read-only open asked for a projection this ledger never built:
        /// open the ledger writable once (or run `schoolledger rebuild`) to build it.
        public static let projectionNotBuilt = Code(rawValue: "projectionNotBuilt")
        /// A projection is being rebuilt (here or by another process) while a
        /// check needed it whole: run the check again once the rebuild has swapped in.
        public static let projectionBusy = Code(rawValue: "projectionBusy")
        /// A read model lags the log, or is being rebuilt, and cannot answer
        /// for the log's end without a rebuild (see
        /// ``EventLedger/EventLedger/readCurrentProjection(_:_:)``): the
        /// message says by how much and what to run.
        public static let projectionStale = Code(rawValue: "projectionStale")
        /// The storage engine failed (see ``LedgerError/underlying``).
        public static let storage = Code(rawValue: "storage")
        /// A position or size asked for lies beyond the log's head (or is 0
        /// where a record is meant); nothing was read.
        public static let outOfRange = Code(rawValue: "outOfRange")
        /// The file system holding the ledger has no room for the write;
        /// nothing was written. Free space (or move the ledger) and retry.
        public static let diskFull = Code(rawValue: "diskFull")
        /// A directory of read models was built from another log than the
        /// one it is opened with; nothing in it was changed.
        public static let readModelsOfAnotherLog = Code(rawValue: "readModelsOfAnotherLog")

        /// The code's name.
        public var description: String { rawValue }
    }
}

extension LedgerError {
    static func invalid(_ event: NewEvent?, field: String, _ rule: String) -> LedgerError {
        var e = LedgerError(.invalidEvent, "\(event.map { "Event \($0.id) (\($0.type))" } ?? "The append"): \(field) \(rule).")
        e.field = field
        e.eventID = event?.id
        return e
    }

    static func storage(_ error: LMDBError, while doing: String) -> LedgerError {
        var e = LedgerError(error.code.meansCorruption ? .corruptRecord : .storage, "Storage failed while \(doing): \(error)")
        e.underlying = error
        return e
    }

    /// A storage's refusal of a record whose id the log holds
    /// (``LogStorage/refusesRepeatedIDs``).
    static func idInLog(_ id: EventID) -> LedgerError {
        var e = LedgerError(
            .duplicateEventID,
            "Event id \(id) is already in the log: a retry must resend the original append unchanged; a new event needs a new id.")
        e.eventID = id
        return e
    }

    static func corrupt(at position: UInt64, _ detail: String) -> LedgerError {
        var e = LedgerError(
            .corruptRecord,
            "The record at position \(position) is damaged (\(detail)): run `schoolledger verify`, keep a copy of the directory and restore from a backup or an export."
        )
        e.position = position
        return e
    }
}

extension LedgerError {
    /// The error for a write that failed with `error` on the file system
    /// holding `directory`: ``Code/diskFull`` when the disk said so (ENOSPC)
    /// or when an I/O error came with less than 4 MiB left (LMDB reports a
    /// short write of a full disk as EIO), the plain storage error otherwise.
    static func writing(_ error: LMDBError, in directory: String) -> LedgerError {
        guard error.code == .noSpace || error.code == .ioError else { return .storage(error, while: "writing") }
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 else { return .storage(error, while: "writing") }
        let available = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        guard error.code == .noSpace || available < 4 << 20 else { return .storage(error, while: "writing") }
        var e = LedgerError(
            .diskFull,
            "The file system holding \(directory) is full (\(available / 1024) KiB left) and the write failed (\(error.code)); nothing was appended and everything appended before is intact: free space or move the ledger to a larger volume, then retry the same append."
        )
        e.underlying = error
        return e
    }
}

/// Runs `body`, turning LMDB errors into ``LedgerError``s that say what was being done.
@inline(__always)
func storageStep<R>(_ doing: @autoclosure () -> String, _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as LMDBError {
        throw LedgerError.storage(error, while: doing())
    }
}
