import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger verify`: recompute the hash chain.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and report the first bad position.",
            discussion: "Exits 0 when the chain holds and 1 when it does not; prints the head either way.")

        @OptionGroup var options: LedgerOptions

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        func run() throws {
            let ledger = try options.openReadOnly()
            let report = try ledger.verify()
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
