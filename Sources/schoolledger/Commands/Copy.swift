import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger copy`: the history of one ledger into another, resumable, head checked.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a ledger's history into another ledger, so that both have the same records and head hash.",
            discussion: """
                The copy goes up to the source's head when it begins, a batch of records per transaction. Run it again \
                after an interruption: it checks that the destination's head is the source's record at that position and \
                goes on from there; on a finished copy it copies nothing. At the end the destination's head must equal the \
                source's, and the destination is verified from position 1. The destination is created when missing and \
                opened without the journal's rules: a journal opened on it judges the copied history itself. Read models, \
                the read log and the vault are not copied: `rebuild` builds the read models; `backup` copies a whole \
                ledger directory with its stores. Either side may be a directory or a ledger on PostgreSQL \
                (postgres://USER@HOST:PORT/DATABASE?ledger=NAME), created there when missing.
                """
        )

        @Option(
            name: .long,
            help: ArgumentHelp("The ledger to copy: a directory, or postgres://USER@HOST:PORT/DATABASE?ledger=NAME.", valueName: "SRC"))
        var from: String

        @Option(
            name: .long,
            help: ArgumentHelp("The ledger to copy into (a directory or a URL): new, or an earlier copy of SRC.", valueName: "DST"))
        var to: String

        @Option(name: .long, help: ArgumentHelp("Records per transaction.", valueName: "N"))
        var batch: Int = 10_000

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        func run() async throws {
            guard batch >= 1 else { throw ValidationError("--batch is at least 1.") }
            let source = try LedgerAddress(from, local: nil, temporaryLocal: true)
            let destination = try LedgerAddress(to, local: nil, temporaryLocal: true)
            guard source.description != destination.description else {
                throw ValidationError("--from and --to name the same ledger: give another destination.")
            }
            let report: CopyReport
            let verification: VerificationReport
            do {
                var sourceOptions = EventLedger.Options.readOnly
                sourceOptions.create = false
                let sourceLedger = try source.open(options: sourceOptions)
                let destinationLedger = try destination.open(options: EventLedger.Options())
                let quiet = json
                report = try await destinationLedger.copy(from: sourceLedger, batchSize: batch) { copied, target in
                    if !quiet { FileHandle.standardError.write(Data("copied \(copied) of \(target)\n".utf8)) }
                }
                verification = try destinationLedger.verify()
            } catch let error as LedgerError {
                throw ValidationError("The copy stopped: \(error.message) What was committed stays; run the copy again to go on.")
            }
            guard verification.isIntact else {
                throw ValidationError(
                    "The copy in \(destination) does not verify at position \(verification.firstBadPosition ?? 0): \(verification.problem ?? ""). Run `verify` on the source."
                )
            }
            if json {
                print(try JSONOutput.encode(report))
                return
            }
            print("copied      \(report.copied) records (\(report.alreadyPresent) were there already)")
            print("head        \(report.head)")
            print("verified    \(verification.checkedRecords) records, chain intact; the head equals the source's")
        }
    }
}
