import EventLedger
import Foundation
import LedgerPostgres
import Synchronization

/// The storage backends the conformance suite runs each behaviour test on:
/// the same test body, one run per backend (as GRDB runs one body against
/// a queue and a pool).
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The default: the log and its read models in one LMDB environment.
    case lmdb
    /// ``InMemoryLogStorage``, its read models in a local LMDB environment.
    case memory
    /// `PostgresLogStorage` on the tests' server (``TestPostgres``), a
    /// ledger per directory, its read models in a local LMDB environment.
    case postgres

    /// The name a test run shows.
    public var description: String { rawValue }

    /// In-memory logs by directory, so that opening "the same ledger" again
    /// in this process finds its log, as opening an LMDB directory again does.
    private static let memoryLogs = Mutex<[String: InMemoryLogStorage]>([:])

    /// Opens the ledger "at" `directory` on this backend: the directory
    /// itself for LMDB; for memory, the log kept for that directory in this
    /// process, with its read models in `directory/read-models`; for
    /// PostgreSQL, the ledger named after the directory on the tests'
    /// server, with its read models there too.
    public func open(at directory: String, options: EventLedger.Options = EventLedger.Options()) throws -> EventLedger {
        switch self {
        case .lmdb:
            return try EventLedger.open(at: directory, options: options)
        case .memory:
            let storage = Self.memoryLogs.withLock { logs in
                if let log = logs[directory] { return log }
                let log = InMemoryLogStorage()
                logs[directory] = log
                return log
            }
            return try EventLedger.open(storage: storage, readModels: directory + "/read-models", options: options)
        case .postgres:
            let storage = try PostgresLogStorage(TestPostgres.location(ledger: Self.ledgerName(directory)), create: options.create)
            return try EventLedger.open(storage: storage, readModels: directory + "/read-models", options: options)
        }
    }

    /// A ledger's name on the tests' server for `directory`: the directory
    /// itself, unique per test (its last 200 bytes when longer).
    public static func ledgerName(_ directory: String) -> String {
        String(decoding: directory.utf8.suffix(200), as: UTF8.self)
    }
}
