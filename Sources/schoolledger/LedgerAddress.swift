import ArgumentParser
import EventLedger
import Foundation
import LedgerPostgres
import SchoolLedger

/// A ledger as `--ledger` names it: an LMDB directory, or a PostgreSQL URL
/// (`postgres://USER@HOST:PORT/DATABASE?ledger=NAME`).
///
/// A ledger on PostgreSQL keeps only its log on the server. This node's
/// read models, read log and personal-data vault are local, in the
/// directory `--local` names, by default
/// `$XDG_STATE_HOME/schoolledger/HOST-PORT-DATABASE-LEDGER` (or
/// `~/.local/state/…`): kept between runs, so that reads are logged where
/// the next audit finds them and the read models only catch up.
enum LedgerAddress: CustomStringConvertible {
    case directory(String)
    /// On PostgreSQL, with this node's local directory (`nil`: a temporary
    /// one, removed when the ledger closes: for commands that read only the log).
    case postgres(PostgresLocation, local: String?)

    /// The address `text` names, its local directory `local` when on
    /// PostgreSQL (the default one when `nil`, a temporary one when
    /// `temporaryLocal`).
    init(_ text: String, local: String?, temporaryLocal: Bool = false) throws {
        guard PostgresLocation.isURL(text) else {
            self = .directory(URL(fileURLWithPath: text).standardizedFileURL.path)
            return
        }
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: text)
        } catch let error as LedgerError {
            throw ValidationError(error.message)
        }
        let standardized = local.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self = .postgres(location, local: standardized ?? (temporaryLocal ? nil : Self.defaultLocal(location)))
    }

    /// `$XDG_STATE_HOME/schoolledger/HOST-PORT-DATABASE-LEDGER`.
    static func defaultLocal(_ location: PostgresLocation) -> String {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"] ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        let name = [location.host, String(location.port), location.database, location.ledger]
            .joined(separator: "-")
            .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? $0 : "_" }
        return state + "/schoolledger/" + String(name)
    }

    /// The directory a ledger's local files are named after: the ledger's
    /// own directory, or the local directory of a ledger on PostgreSQL.
    var localDirectory: String {
        switch self {
        case .directory(let path): path
        case .postgres(let location, let local): local ?? Self.defaultLocal(location)
        }
    }

    var description: String {
        switch self {
        case .directory(let path): path
        case .postgres(let location, _): location.description
        }
    }

    /// Opens the ledger with `options` (creating it only when `options.create`).
    func open(options: EventLedger.Options) throws -> EventLedger {
        switch self {
        case .directory(let path):
            return try EventLedger.open(at: path, options: options)
        case .postgres(let location, let local):
            let storage = try PostgresLogStorage(location, create: options.create)
            // The read models are this node's own, built and caught up here
            // even for a command that only reads: a read-only node could
            // answer nothing its models do not already hold. The commands
            // that read append nothing themselves.
            var nodeOptions = options
            nodeOptions.readOnly = false
            return try EventLedger.open(storage: storage, readModels: local, options: nodeOptions)
        }
    }

    /// Opens the school's journal on the ledger, with the vault whose keys `vaultKeys` gives.
    func openJournal(options: EventLedger.Options, vaultKeys: VaultKeys? = nil) throws -> SchoolJournal {
        switch self {
        case .directory(let path):
            return try SchoolJournal.open(at: path, options: options, vaultKeys: vaultKeys)
        case .postgres:
            return try SchoolJournal.open(ledger: open(options: options), vaultKeys: vaultKeys)
        }
    }
}
