#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Crypto
import Dispatch
public import EventLedger
import SwiftProtobuf
import Synchronization

/// A person whose data a view showed: a student or a parent.
public enum DataSubject: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// A student (and the student's marks, attendance, diary, name).
    case student(StudentID)
    /// A parent (contacts, consent, name).
    case parent(ParentID)

    /// `student/<id>` or `parent/<id>`, as the read log stores it.
    public var description: String {
        switch self {
        case .student(let id): "student/\(id.rawValue)"
        case .parent(let id): "parent/\(id.rawValue)"
        }
    }

    /// Reads `student/<id>` or `parent/<id>`; `nil` for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("student/"), text.count > 8 {
            self = .student(StudentID(String(text.dropFirst(8))))
        } else if text.hasPrefix("parent/"), text.count > 7 {
            self = .parent(ParentID(String(text.dropFirst(7))))
        } else {
            return nil
        }
    }

    /// Orders by the stored text.
    public static func < (a: DataSubject, b: DataSubject) -> Bool { a.description < b.description }

    /// Encodes the stored text.
    public func encode(to encoder: any Swift.Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes the stored text.
    public init(from decoder: any Swift.Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let subject = DataSubject(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not student/<id> or parent/<id>: \(text)"))
        }
        self = subject
    }
}

/// What the embedding service knows about the request a read serves; kept
/// in the read log with the read.
public struct RequestContext: Sendable, Hashable, Codable {
    /// The client's address (an IP address, as the service sees it).
    public var clientAddress: String?
    /// The service's session id.
    public var sessionID: String?

    /// A context; both parts are optional.
    public init(clientAddress: String? = nil, sessionID: String? = nil) {
        self.clientAddress = clientAddress
        self.sessionID = sessionID
    }

    /// No context (a command-line tool, a test).
    public static let none = RequestContext()
}

/// One entry of the read log, as read back.
public struct ReadLogEntry: Sendable, Hashable, Codable {
    /// Its number in the read log, from 1.
    public var sequence: UInt64
    /// When the read was served, by the ledger's clock.
    public var readAt: Instant
    /// The account the read was done for.
    public var account: AccountID
    /// The view, e.g. `diary`, `journal-page`, `personal-data`, `export`.
    public var view: String
    /// Whose data it showed.
    public var subjects: [DataSubject]
    /// Whether the read went through the rights check (`false`: a trusted read).
    public var rightsChecked: Bool
    /// The request context the service passed.
    public var context: RequestContext
    /// What was asked for, in ids (no personal data).
    public var detail: String
}

/// A failure of the read log: what went wrong and what to do.
public struct ReadLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong and what to do.
    public var message: String
    /// The message.
    public var description: String { message }
}

/// The result of checking the read log's hash chain.
public struct ReadLogVerification: Sendable, Hashable, Codable {
    /// How many entries were checked.
    public var entries: UInt64
    /// The first entry whose hash, link or number does not hold; `nil` when intact.
    public var firstBrokenSequence: UInt64?
    /// Whether every entry holds.
    public var isIntact: Bool { firstBrokenSequence == nil }
}

/// The read log (clause 8; 152-FZ art. 21 part 3.1): every read of a
/// person's data through the library, kept in an EventLedger `KeyValueStore` of its own
/// beside the ledger, so reads never grow the event log.
///
/// Append-only and hash-chained: each record stores the entry's bytes, the
/// previous record's hash, and SHA-256 of the two. Concurrent reads share
/// one durable commit: while one thread commits, the others queue their
/// entries; the next commit carries them all, and a thread whose entry it
/// carried returns without writing, so the cost of logging falls as readers
/// grow. A read returns only after its entry is committed; when the commit
/// that carried it fails, every read it carried is refused with its error.
///
/// The waiting threads sleep each on a semaphore of its own: the thread
/// that committed wakes them all at once and hands the next commit to the
/// oldest entry still waiting. (With one lock in turn, under 48 threads the
/// woken threads passed it on one by one, and the next commit waited for
/// the last of them: a fifth of the cores sat idle under `make load`.)
public final class ReadLog: Sendable {
    /// The directory of the read log's store.
    public var directory: String { store.directory }
    /// Where the entries are kept: one table, keyed by the entry's number (big-endian).
    let store: KeyValueStore
    let entries = ReadLog.entriesTable
    private static let entriesTable = "read-log.entries"
    private let clock: any LedgerClock

    /// The entries waiting for a commit, and what became of those that left.
    private struct Queue {
        var pending: [Waiting] = []
        var nextTicket: UInt64 = 1
        /// Whether a thread is committing a batch now (the leader).
        var leading = false
        /// What became of a ticket whose thread has not looked yet.
        var outcomes: [UInt64: Outcome] = [:]
        /// The next commits that fail, for tests of the failure path.
        var faultsToInject = 0
    }
    /// An entry waiting, with the semaphore its thread sleeps on.
    private struct Waiting {
        var ticket: UInt64
        var entry: Schoolledger_V1_ReadLogEntry
        var wake: DispatchSemaphore?
    }
    /// What a waiting thread finds when it wakes.
    private enum Outcome {
        /// Its entry is durable.
        case committed
        /// The commit that carried its entry failed: the read is refused.
        case failed(any Error)
        /// It commits the next batch (its own entry among them).
        case lead
    }
    private let queue = Mutex(Queue())

    /// Where a journal keeps its read log unless told otherwise: `read-log/` inside the ledger's directory.
    public static func defaultDirectory(forLedger directory: String) -> String { directory + "/read-log" }

    private init(store: KeyValueStore, clock: any LedgerClock) {
        self.store = store
        self.clock = clock
    }

    /// Opens (creating when missing) the read log in `directory`; entries
    /// are stamped by `clock`. The read log is written even when the ledger
    /// is open read-only: a read is recorded wherever it happens.
    public static func open(at directory: String, clock: any LedgerClock = SystemClock()) throws -> ReadLog {
        var options = KeyValueStore.Options(tables: [entriesTable])
        options.initialSize = 16 << 20
        options.fileMode = 0o600
        let store: KeyValueStore
        do {
            store = try KeyValueStore.open(directory: directory, options: options)
        } catch {
            throw ReadLogError(
                message:
                    "the read log at \(directory) cannot be opened for writing (\(error)): every read of personal data is recorded there, so reads are refused; give the journal a writable read-log directory"
            )
        }
        return ReadLog(store: store, clock: clock)
    }

    /// Appends one entry; returns when it is durable, with the time it was
    /// stamped. Sessions call it after each read; the benchmarks call it
    /// alone (`@_spi(Benchmarks)`) to measure the log without a query.
    @discardableResult
    @_spi(Benchmarks) public func record(
        account: AccountID, view: String, subjects: some Sequence<DataSubject>, rightsChecked: Bool,
        context: RequestContext, detail: String
    ) throws -> Instant {
        let readAt = clock.now()
        var entry = Schoolledger_V1_ReadLogEntry()
        entry.readAt = Google_Protobuf_Timestamp(storing: readAt)
        entry.account = account.rawValue
        entry.view = view
        entry.subjects = Set(subjects).map(\.description).sorted()
        entry.rightsChecked = rightsChecked
        entry.clientAddress = context.clientAddress ?? ""
        entry.sessionID = context.sessionID ?? ""
        entry.detail = detail
        // One thread at a time commits (the leader), carrying every entry
        // queued until it starts; the others sleep, each on a semaphore of
        // its own. The leader wakes the threads whose entries it carried
        // without waiting for them to run, and hands the lead to the
        // oldest entry still waiting, so the next commit starts at once.
        let wake = DispatchSemaphore(value: 0)
        let (ticket, leads) = queue.withLock { q in
            let ticket = q.nextTicket
            q.nextTicket += 1
            let leads = !q.leading
            q.leading = true
            q.pending.append(Waiting(ticket: ticket, entry: entry, wake: leads ? nil : wake))
            return (ticket, leads)
        }
        if !leads {
            wake.wait()
            switch queue.withLock({ $0.outcomes.removeValue(forKey: ticket) }) {
            case .committed: return readAt
            case .failed(let error): throw error
            case .lead: break
            case nil:
                throw ReadLogError(
                    message: "the read log at \(directory) lost track of the entry for \(account)'s \(view): the read is refused")
            }
        }
        try lead(ticket)
        return readAt
    }

    /// Commits the entries waiting, `ticket`'s among them, and tells their
    /// threads; throws what the commit threw.
    private func lead(_ ticket: UInt64) throws {
        let (batch, fault) = queue.withLock { q in
            defer { q.pending.removeAll() }
            let fault = q.faultsToInject > 0
            if fault { q.faultsToInject -= 1 }
            return (q.pending, fault)
        }
        var failure: (any Error)?
        do {
            if fault { throw ReadLogError(message: "the read log at \(directory) could not commit (a fault a test injected)") }
            // `write` runs the closure again after growing a full map; the batch is the same.
            try store.write { txn in try write(batch.map(\.entry), txn) }
        } catch {
            failure = error
        }
        let outcome: Outcome = failure.map { .failed($0) } ?? .committed
        let next = queue.withLock { q in
            for waiting in batch where waiting.ticket != ticket { q.outcomes[waiting.ticket] = outcome }
            guard let first = q.pending.first else {
                q.leading = false
                return nil as DispatchSemaphore?
            }
            q.outcomes[first.ticket] = .lead
            return first.wake
        }
        for waiting in batch { waiting.wake?.signal() }
        next?.signal()
        if let failure { throw failure }
    }

    /// Makes the next `count` commits fail (their reads are refused), for tests.
    func injectCommitFaults(_ count: Int) {
        queue.withLock { $0.faultsToInject += count }
    }

    private func write(_ batch: [Schoolledger_V1_ReadLogEntry], _ txn: borrowing KeyValueTransaction) throws {
        var (sequence, previous): (UInt64, [UInt8]) = (0, ChainHash.genesis.bytes)
        if let last = try txn.last(entries) {
            (sequence, previous) = (Self.sequence(last.key), Array(try Schoolledger_V1_ReadLogRecord(serializedBytes: last.value).hash))
        }
        for var entry in batch {
            sequence += 1
            entry.sequence = sequence
            let bytes: [UInt8] = try entry.serializedBytes()
            var record = Schoolledger_V1_ReadLogRecord()
            record.entry = Data(bytes)
            record.previousHash = Data(previous)
            previous = Self.hash(previous: previous, entry: bytes)
            record.hash = Data(previous)
            try txn.put(entries, key: Self.key(sequence), value: try record.serializedBytes(), append: true)
        }
    }

    private static func hash(previous: [UInt8], entry: [UInt8]) -> [UInt8] {
        var sha = SHA256()
        sha.update(data: previous)
        sha.update(data: entry)
        return Array(sha.finalize())
    }

    private static func key(_ sequence: UInt64) -> [UInt8] { withUnsafeBytes(of: sequence.bigEndian, Array.init) }
    private static func sequence(_ key: [UInt8]) -> UInt64 {
        key.count == 8 ? key.reduce(0) { $0 << 8 | UInt64($1) } : 0
    }

    /// The entries from `first` through `last` that `include` keeps, oldest first.
    public func entries(
        from first: UInt64 = 1, through last: UInt64 = .max,
        where include: (ReadLogEntry) -> Bool = { _ in true }
    ) throws -> [ReadLogEntry] {
        var out = [ReadLogEntry]()
        try store.read { txn in
            try txn.forEach(entries, from: Self.key(max(first, 1))) { key, value in
                guard Self.sequence(key) <= last else { return false }
                let entry = try Self.entry(try Schoolledger_V1_ReadLogRecord(serializedBytes: value).entry)
                if include(entry) { out.append(entry) }
                return true
            }
        }
        return out
    }

    /// How many entries the read log holds.
    public func count() throws -> UInt64 {
        UInt64(try store.read { txn in try txn.count(entries) })
    }

    /// Checks every record: its number follows the previous one, it links to
    /// the previous record's hash, and its hash is SHA-256 of that link and
    /// its entry's bytes.
    public func verify() throws -> ReadLogVerification {
        try store.read { txn in
            var previous = ChainHash.genesis.bytes
            var expected: UInt64 = 1
            var broken = false
            try txn.forEach(entries) { key, value in
                guard let record = try? Schoolledger_V1_ReadLogRecord(serializedBytes: value),
                    Self.sequence(key) == expected, Array(record.previousHash) == previous,
                    Array(record.hash) == Self.hash(previous: previous, entry: Array(record.entry)),
                    (try? Self.entry(record.entry))?.sequence == expected
                else {
                    broken = true
                    return false
                }
                previous = Array(record.hash)
                expected += 1
                return true
            }
            return ReadLogVerification(entries: expected - 1, firstBrokenSequence: broken ? expected : nil)
        }
    }

    private static func entry(_ bytes: Data) throws -> ReadLogEntry {
        let stored = try Schoolledger_V1_ReadLogEntry(serializedBytes: bytes)
        let micros = stored.readAt.seconds * 1_000_000 + Int64(stored.readAt.nanos / 1000)
        return ReadLogEntry(
            sequence: stored.sequence, readAt: Instant(microsecondsSinceEpoch: micros), account: AccountID(stored.account),
            view: stored.view, subjects: stored.subjects.compactMap(DataSubject.init), rightsChecked: stored.rightsChecked,
            context: RequestContext(
                clientAddress: stored.clientAddress.isEmpty ? nil : stored.clientAddress,
                sessionID: stored.sessionID.isEmpty ? nil : stored.sessionID),
            detail: stored.detail)
    }
}
