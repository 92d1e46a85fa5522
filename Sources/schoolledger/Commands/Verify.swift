import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger verify`: recompute the hash chain.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Recompute the hash chain, check clause 11's voids against the rule, and name quarantined records; with --against, prove the log begins with a saved (signed) head.",
            discussion: """
                Exits 0 when the chain holds and the declared voids equal what clause 11 derives from the log, \
                and 1 otherwise, naming each position where they disagree. Quarantined records (events the \
                school domain cannot decode), corrected forgeries, clock jumps and a last record stamped after \
                this machine's clock are named without failing. With --signatures, every operation's \
                electronic signature is checked again, and a bad or missing one fails too. Prints the head either way.
                """)

        @OptionGroup var options: LedgerOptions

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A head saved earlier (`head --sign --out`): prove the log still begins with that history.", valueName: "HEADFILE"))
        var against: String?

        @Flag(
            name: .long,
            help: "Also check every operation's electronic signature again (clause 10): key, validity, revocation, breach, bytes.")
        var signatures = false

        @Option(
            name: .customLong("public-key"),
            help: ArgumentHelp("The signer's public key (base64, or a file holding it), for a signed head.", valueName: "KEY"))
        var publicKey: String?

        func run() throws {
            let ledger = try options.openReadOnly()
            let report: VerificationReport
            if let against {
                guard let data = FileManager.default.contents(atPath: against) else {
                    throw ValidationError("Cannot read --against \(against).")
                }
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
            let clause11 = report.isIntact ? try SchoolJournal.verifyClauseEleven(ledger) : nil
            let signed = signatures && report.isIntact ? try SchoolJournal.verifySignatures(ledger) : nil
            if json {
                print(try JSONOutput.encode(VerifyOutput(chain: report, clauseEleven: clause11, signatures: signed)))
            } else if let bad = report.firstBadPosition {
                print("BROKEN at position \(bad): \(report.problem ?? "unknown problem")")
                print("intact through \(report.head)")
            } else {
                print("OK: \(report.checkedRecords) records, chain intact")
                print("head: \(report.head)")
            }
            if !json, let clause11 {
                if clause11.holds {
                    print("clause 11: the declared voids equal the rule through position \(clause11.checkedThrough)")
                } else {
                    print("CLAUSE 11 VIOLATED: \(clause11.disagreements.count) finding(s)")
                    for finding in clause11.disagreements { print("  \(finding)") }
                }
                for finding in clause11.corrected { print("  corrected since: \(finding)") }
                for q in clause11.quarantined { print("  QUARANTINED position \(q.position) (\(q.type), by \(q.actor)): \(q.reason)") }
            }
            if !json, let signed {
                if signed.holds {
                    print("signatures: \(signed.signed) signed operation(s) checked, \(signed.required) required, all hold")
                } else {
                    print("SIGNATURES FAIL: \(signed.findings.count) finding(s)")
                    for finding in signed.findings { print("  \(finding)") }
                }
            }
            if !json {
                for jump in report.clockJumps { print("  clock jump at \(jump)") }
                if let future = report.recordedInTheFuture {
                    print("  WARNING: the last record is stamped \(future), after this machine's clock: check the clock that wrote it")
                }
            }
            if !report.isIntact || clause11?.holds == false || signed?.holds == false { throw ExitCode(1) }
        }
    }
}

/// `verify --json`: the chain's report and clause 11's.
struct VerifyOutput: Encodable {
    var chain: VerificationReport
    var clauseEleven: ClauseElevenReport?
    var signatures: SignatureReport?
}

/// JSON for the CLI's `--json` output: sorted keys, readable.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `text`, or writes it (with a final newline) to `out`; returns
    /// the path written, `nil` when printed.
    static func emit(_ text: String, to out: String?) throws -> String? {
        guard let out else {
            print(text)
            return nil
        }
        let path = URL(fileURLWithPath: out).standardizedFileURL.path
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) else {
            throw ValidationError("Cannot write \(path): check the directory exists and is writable.")
        }
        return path
    }
}
