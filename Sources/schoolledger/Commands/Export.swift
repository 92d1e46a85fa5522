import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger export`: the ledger's history as JSON Lines.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the ledger's events as JSON Lines (one schoolledger.v1.Envelope per line).",
            discussion: "Any protobuf runtime reads the lines with Schemas/ alone; `import` appends them to another ledger.")

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The first position to export.")
        var from: UInt64 = 1

        @Option(name: .long, help: "The last position to export (default: the end).")
        var to: UInt64?

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
        var output: String?

        func validate() throws {
            guard from >= 1 else { throw ValidationError("--from starts at 1, the first position.") }
            if let to, to < from { throw ValidationError("--to \(to) is before --from \(from): give a range that is not empty.") }
        }

        func run() throws {
            let journal = try options.openJournal()
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ValidationError("Cannot create \(output): check the directory and permissions.")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let count = try options.session(journal, as: nil).export(from: from, through: to ?? .max, to: handle)
            if output != nil {
                try handle.close()
                print("exported \(count) events to \(output!)")
            }
        }
    }
}
