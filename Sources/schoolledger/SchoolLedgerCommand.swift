import ArgumentParser
import Foundation
import EventLedger
import SchoolLedger

/// `schoolledger`: the command-line tool for a school's IT staff and auditors.
@main
struct SchoolLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schoolledger",
        abstract: "Inspect, verify and demonstrate a SchoolLedger event ledger.",
        discussion: """
            A ledger is a directory holding an LMDB environment (data.mdb, lock.mdb). \
            Every command takes it with --ledger DIR and never creates one, except demo.
            """,
        subcommands: [
            Verify.self, Head.self, Keygen.self, Stats.self, Export.self, Import.self, Rebuild.self, Projections.self, Query.self,
            Audit.self, Report.self, Extract.self, Vault.self, Backup.self, Copy.self, Demo.self,
        ]
    )
}

/// The options every command that reads a ledger shares.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger directory (holds data.mdb).", valueName: "DIR"))
    var ledger: String

    /// Opens an existing ledger for writing (never creating one).
    func openWritable() throws -> EventLedger {
        var options = EventLedger.Options()
        options.create = false
        do {
            return try EventLedger.open(at: ledger, options: options)
        } catch let error as LedgerError {
            throw ValidationError("Cannot open the ledger at \(ledger): \(error.message)")
        }
    }

    /// Opens the journal (read-only unless `writable`, never creating a
    /// ledger), with its personal-data vault when the ledger has one (names
    /// in views; ids otherwise).
    func openJournal(writable: Bool = false) throws -> SchoolJournal {
        do {
            var options = writable ? EventLedger.Options() : .readOnly
            options.create = false
            return try SchoolJournal.open(at: ledger, options: options, vaultKeys: .file(path: vaultKeyPath, ledgerDirectory: ledger))
        } catch let error as LedgerError {
            throw ValidationError("Cannot open the ledger at \(ledger): \(error.message)")
        }
    }

    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            "The IT account the read log names for reads without --as (default: $SCHOOLLEDGER_OPERATOR, else cli:<login name>).",
            valueName: "ACCOUNT"))
    var operatorAccount: String?

    @Option(
        name: .customLong("vault-key"),
        help: ArgumentHelp(
            "The key file that wraps the vault's keys (default: DIR.vault-key beside the ledger's directory; never inside it).",
            valueName: "FILE"))
    var vaultKey: String?

    /// The key file of the vault's key-encryption key.
    var vaultKeyPath: String { vaultKey ?? KeyFile.defaultPath(forLedger: URL(fileURLWithPath: ledger).standardizedFileURL.path) }

    /// The account this run's trusted reads are logged under.
    var operatorID: AccountID {
        let environment = ProcessInfo.processInfo.environment
        return AccountID(
            operatorAccount ?? environment["SCHOOLLEDGER_OPERATOR"]
                ?? "cli:\(environment["USER"] ?? environment["LOGNAME"] ?? "\(getuid())")")
    }

    /// The session reads go through: `account`'s, rights checked, with
    /// `--as`; otherwise the operator's trusted session (no rights check,
    /// every read still logged under the operator).
    func session(_ journal: SchoolJournal, as account: String?) -> AccountSession {
        account.map { journal.session(for: AccountID($0)) } ?? journal.trustedSession(for: operatorID)
    }

    /// Opens the ledger for reading; a missing or foreign directory is a user mistake.
    func openReadOnly() throws -> EventLedger {
        do {
            return try EventLedger.open(at: ledger, options: .readOnly)
        } catch let error as LedgerError {
            throw ValidationError("Cannot open the ledger at \(ledger): \(error.message)")
        }
    }
}

extension AsOf {
    /// The `--as-of` option every command shares: a log position (a number)
    /// or an ISO 8601 instant; no option answers as of now.
    init(option text: String?) throws {
        guard let text else {
            self = .now
            return
        }
        if let position = UInt64(text) {
            self = .position(position)
        } else if let instant = Instant(iso8601: text) {
            self = .instant(instant)
        } else {
            throw ValidationError("--as-of '\(text)' is neither a log position nor an instant such as 2026-10-01T12:00:00Z.")
        }
    }
}
