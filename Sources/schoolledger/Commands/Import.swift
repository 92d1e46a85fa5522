import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger import`: append a JSON Lines file, all of it or nothing.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a JSON Lines file (as `export` writes it) to a ledger, all lines or none.",
            discussion: """
                Event ids are kept: importing the same file again appends nothing. Each line's recorded_at \
                is kept when it neither goes back in time nor lies after this machine's clock. Clause 11 judges \
                the history: the voids a file lacks are derived, and an OperationsVoided or VoidsLifted line \
                that is not what the rule derives at that point is refused. A bad line rejects the whole file, naming the \
                line, the field and the rule. Creates the ledger when the directory has none.
                """)

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The ledger to append to (created when missing): a directory, or postgres://USER@HOST:PORT/DATABASE?ledger=NAME.",
                valueName: "DIR|URL"))
        var ledger: String

        @Option(
            name: .customLong("local"),
            help: ArgumentHelp("For a ledger on PostgreSQL: this node's read models, read log and vault.", valueName: "DIR"))
        var local: String?

        @Argument(help: ArgumentHelp("The JSON Lines file to import.", valueName: "FILE"))
        var file: String

        func run() async throws {
            // Through a journal, so clause 11's rule judges the import (it derives the voids a file lacks).
            let target = try LedgerAddress(ledger, local: local).openJournal(options: EventLedger.Options())
            do {
                let result = try await JournalImport.importFile(at: file, into: target.ledger)
                print(
                    "imported \(result.appended) events, skipped \(result.skipped) already present; the log ends at position \(result.lastPosition)"
                )
            } catch let error as InterchangeError {
                FileHandle.standardError.write(Data("import refused, nothing appended: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
