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
            A ledger is a directory holding an LMDB environment (data.mdb, lock.mdb), or a ledger on a PostgreSQL \
            server (--ledger postgres://USER@HOST:PORT/DATABASE?ledger=NAME, this node's read models in --local DIR). \
            Every command takes it with --ledger and never creates one, except demo, import and copy.
            """,
        subcommands: [
            Verify.self, Head.self, Keygen.self, Stats.self, Export.self, Import.self, Rebuild.self, Projections.self, Query.self,
            Audit.self, Report.self, Extract.self, Vault.self, Backup.self, Copy.self, Demo.self, Prove.self,
        ]
    )
}

/// The options every command that reads a ledger shares.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger: its directory (holds data.mdb), or postgres://USER@HOST:PORT/DATABASE?ledger=NAME.", valueName: "DIR|URL"))
    var ledger: String

    @Option(
        name: .customLong("local"),
        help: ArgumentHelp(
            "For a ledger on PostgreSQL: this node's read models, read log and vault (default: $XDG_STATE_HOME/schoolledger/HOST-PORT-DATABASE-LEDGER).",
            valueName: "DIR"))
    var local: String?

    /// Where the ledger is.
    func address() throws -> LedgerAddress { try LedgerAddress(ledger, local: local) }

    /// Opens an existing ledger for writing (never creating one).
    func openWritable() throws -> EventLedger {
        var options = EventLedger.Options()
        options.create = false
        return try opening { try $0.open(options: options) }
    }

    /// Opens the journal (read-only unless `writable`, never creating a
    /// ledger), with its personal-data vault when the ledger has one (names
    /// in views; ids otherwise).
    func openJournal(writable: Bool = false) throws -> SchoolJournal {
        var options = writable ? EventLedger.Options() : .readOnly
        options.create = false
        return try opening { address in
            try address.openJournal(options: options, vaultKeys: .file(path: vaultKeyPath, ledgerDirectory: address.localDirectory))
        }
    }

    /// Opens the ledger for reading; a missing or foreign directory is a user mistake.
    func openReadOnly() throws -> EventLedger {
        var options = EventLedger.Options.readOnly
        options.create = false
        return try opening { try $0.open(options: options) }
    }

    /// Runs `body` on the address, a ledger's refusal to open turned into the tool's usage error.
    private func opening<R>(_ body: (LedgerAddress) throws -> R) throws -> R {
        let address = try address()
        do {
            return try body(address)
        } catch let error as LedgerError {
            throw ValidationError("Cannot open the ledger at \(address): \(error.message)")
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
    var vaultKeyPath: String { vaultKey ?? KeyFile.defaultPath(forLedger: (try? address().localDirectory) ?? ledger) }

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
