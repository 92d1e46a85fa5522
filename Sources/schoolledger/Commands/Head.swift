import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger head`: print the exportable chain head.
    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain head (position, hash, time) as JSON, to keep outside the ledger.",
            discussion:
                "Save the output; later `verify --against` proves the log still begins with that history. With --sign the head is signed with an Ed25519 key (see `keygen`), so a rewrite of the files with recomputed hashes cannot forge it."
        )

        @OptionGroup var options: LedgerOptions

        @Option(
            name: .long,
            help: ArgumentHelp("Sign the head with this Ed25519 key (from `keygen`, kept outside the ledger).", valueName: "KEYFILE"))
        var sign: String?

        @Option(name: .long, help: ArgumentHelp("Write the (signed) head to this file instead of printing it.", valueName: "HEADFILE"))
        var out: String?

        func run() throws {
            let ledger = try options.openReadOnly()
            let text: String
            if let sign {
                let key = try KeyFiles.privateKey(at: sign, outside: ledger.directory)
                text = try JSONOutput.encode(try ledger.signedHead(with: key, at: SystemClock().now()))
            } else {
                text = try JSONOutput.encode(try ledger.head())
            }
            if let path = try JSONOutput.emit(text, to: out) { print(path) }
        }
    }
}
