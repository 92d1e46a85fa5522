import ArgumentParser
import EventLedger

extension SchoolLedgerCommand {
    /// `schoolledger head`: print the exportable chain head.
    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain head (position, hash, time) as JSON, to keep outside the ledger.",
            discussion: "Save the output; later `verify` against it proves the log still begins with that history.")

        @OptionGroup var options: LedgerOptions

        func run() throws {
            let ledger = try options.openReadOnly()
            print(try JSONOutput.encode(try ledger.head()))
        }
    }
}
