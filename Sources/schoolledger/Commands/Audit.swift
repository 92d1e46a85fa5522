import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger audit`: views for auditors.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Views for auditors: breach notices, what they voided and exposed, histories, the read log.",
            subcommands: [Compromise.self, Exposure.self, Reads.self, History.self])

        /// `schoolledger audit compromise`: the breach notices of clause 11.
        struct Compromise: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Every breach notice with its window, the operations it voided, suspect operations and late reports.",
                discussion: """
                    A notice's window opens at its earliest receipt by the head or support and closes at the account's \
                    first credentials reset or issue after that; every operation of the account recorded in it is void. \
                    Operations between the stated discovery and the window's start are SUSPECT (not void) for the head \
                    to review. A notice received more than one hour after the discovery is flagged LATE (clause 11).
                    """)

            @OptionGroup var options: LedgerOptions

            @Option(name: .long, help: "Only the notices about this account.")
            var account: String?

            @Option(
                name: .customLong("as-of"),
                help: ArgumentHelp("Answer as of a log position or an ISO 8601 instant.", valueName: "POSITION|INSTANT"))
            var asOf: String?

            @Flag(name: .long, help: "Print JSON instead of text.")
            var json = false

            func run() throws {
                let journal = try options.openJournal()
                let when = try AsOf(option: asOf)
                let audits = try options.session(journal, as: nil).compromiseAudit(account: account.map { AccountID($0) }, asOf: when)
                if json {
                    print(try JSONOutput.encode(audits))
                    return
                }
                if audits.isEmpty { print("No breach notices\(account.map { " about \($0)" } ?? "").") }
                for audit in audits { print(Self.text(audit)) }
            }

            static func text(_ a: CompromiseNoticeAudit) -> String {
                var lines = [
                    "Notice #\(a.position): account \(a.accountID), reported by \(a.reportedBy) (\(a.reporter)), entered \(a.enteredAt)"
                ]
                if let d = a.discoveredAt { lines.append("  discovered         \(d)") }
                if let h = a.receivedByHeadAt { lines.append("  received by head   \(h)") }
                if let s = a.receivedBySupportAt { lines.append("  received by support \(s)") }
                let close =
                    a.window.closesAt.map { "\($0) (closed by the credentials reset at #\(a.window.closedByPosition!))" }
                    ?? "open: credentials not reset yet"
                lines.append("  window             \(a.window.opensAt) ..< \(close)")
                if a.isLate, let seconds = a.secondsFromDiscoveryToReceipt {
                    lines.append(
                        "  LATE: received \(seconds / 3600) h \((seconds % 3600) / 60) min after the discovery; clause 11 asks for one hour at most"
                    )
                }
                if let w = a.withdrawnAtPosition { lines.append("  WITHDRAWN by the head at #\(w): its voids are lifted") }
                lines.append("")
                lines.append("  Voided operations (\(a.voided.count)):")
                lines.append(contentsOf: table(a.voided).split(separator: "\n").map { "  " + $0 })
                if !a.suspect.isEmpty {
                    lines.append("")
                    lines.append("  SUSPECT operations between the discovery and the window (\(a.suspect.count)), for the head to review:")
                    lines.append(contentsOf: table(a.suspect).split(separator: "\n").map { "  " + $0 })
                }
                if let exposure = a.exposure {
                    lines.append("")
                    lines.append(contentsOf: Exposure.text(exposure).map { "  " + $0 })
                }
                lines.append("")
                return lines.joined(separator: "\n")
            }

            static func table(_ operations: [AuditedOperation]) -> String {
                var table = TextTable("position", "recorded at", "type", "summary", "status")
                for op in operations {
                    table.add(["#\(op.position)", "\(op.recordedAt)", op.eventType, op.summary, op.isVoid ? "VOID" : "valid"])
                }
                return table.rendered
            }
        }
    }
}
