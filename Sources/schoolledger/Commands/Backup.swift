import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger backup`: a consistent, compacted, verified copy while appends go on.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the ledger, its read log and its vault into a new directory while appends go on, and verify the copy.",
            discussion: """
                The log and its read models are copied from one snapshot (LMDB's mdb_env_copy2, compacted), flushed, \
                and verified from position 1; the copy's head is checked against the record the ledger holds there. \
                Writers are not blocked. Restoring is opening the copy: it is a ledger directory like any other. \
                The vault's key file is not copied: keep its own copy apart from the backups. \
                Put the copy on another disk: a copy beside the ledger does not survive the disk.
                """
        )

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: ArgumentHelp("The copy's directory: new or empty, outside the ledger.", valueName: "DIR"))
        var to: String

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        func run() throws {
            let journal = try options.openJournal()
            let report: BackupReport
            do {
                report = try journal.backup(to: to)
            } catch let error as LedgerError {
                throw ValidationError("The backup failed; nothing of it is left in \(to): \(error.message)")
            }
            if json {
                print(try JSONOutput.encode(report))
                return
            }
            print("backup      \(report.directory)")
            print("head        \(report.head)")
            print("verified    \(report.verification.checkedRecords) records, chain intact")
            print("data.mdb    \(report.bytes) bytes")
            for (name, bytes) in report.stores.sorted(by: { $0.key < $1.key }) {
                print("\(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(bytes) bytes")
            }
            print("restore     open the copy: schoolledger verify --ledger \(report.directory)")
        }
    }
}
