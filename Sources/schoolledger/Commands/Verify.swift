import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger verify`: recompute the hash chain.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and report the first bad position; with --against, prove the log begins with a saved (signed) head.",
            discussion: "Exits 0 when the chain holds and 1 when it does not; prints the head either way.")

        @OptionGroup var options: LedgerOptions

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        @Option(name: .long, help: ArgumentHelp("A head saved earlier (`head --sign --out`): prove the log still begins with that history.", valueName: "HEADFILE"))
        var against: String?

        @Option(name: .customLong("public-key"), help: ArgumentHelp("The signer's public key (base64, or a file holding it), for a signed head.", valueName: "KEY"))
        var publicKey: String?

        func run() throws {
            let ledger = try options.openReadOnly()
            let report: VerificationReport
            if let against {
                guard let data = FileManager.default.contents(atPath: against) else { throw ValidationError("Cannot read --against \(against).") }
                if let signed = try? JSONDecoder().decode(SignedChainHead.self, from: data) {
                    guard let publicKey else {
                        throw ValidationError("\(against) is a signed head: give the signer's --public-key (keygen printed it).")
                    }
                    report = try ledger.verify(against: signed, publicKey: try KeyFiles.publicKey(publicKey))
                } else if let head = try? JSONDecoder().decode(ChainHead.self, from: data) {
                    report = try ledger.verify(against: head)
                } else {
                    throw ValidationError("--against \(against) is not a head written by `schoolledger head`.")
                }
            } else {
                report = try ledger.verify()
            }
            if json {
                print(try JSONOutput.encode(report))
            } else if let bad = report.firstBadPosition {
                print("BROKEN at position \(bad): \(report.problem ?? "unknown problem")")
                print("intact through \(report.head)")
            } else {
                print("OK: \(report.checkedRecords) records, chain intact")
                print("head: \(report.head)")
            }
            if !report.isIntact { throw ExitCode(1) }
        }
    }
}

/// JSON for the CLI's `--json` output: sorted keys, readable.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
