import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand.Audit {
    /// `schoolledger audit exposure`: whose data a compromised account read.
    struct Exposure: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "For each breach notice of an account: whose personal data it read inside the window and the suspect span.",
            discussion: """
                From the read log: every read of the compromised account inside the notice's compromise window \
                (its exposure), and apart, inside the suspect span between the stated discovery and the window's \
                opening; who (the data subjects), what kind of data (the view), when. The material of the notice to \
                Roskomnadzor (152-FZ art. 21 part 3.1: within 24 hours, results within 72 hours).
                """)

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The compromised account.")
        var account: String

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let journal = try options.openJournal()
            let exposures = try options.session(journal, as: nil).exposure(of: AccountID(account))
            if json {
                print(try JSONOutput.encode(exposures))
                return
            }
            if exposures.isEmpty { print("No breach notices about \(account).") }
            for exposure in exposures {
                print("Notice #\(exposure.noticePosition): account \(exposure.accountID)\(exposure.isEffective ? "" : " (not in effect)")")
                for line in Self.text(exposure) { print("  " + line) }
                print("")
            }
        }

        /// The exposure as text lines: the subjects, then the reads.
        static func text(_ e: NoticeExposure) -> [String] {
            var lines = [
                "EXPOSURE inside the window \(e.window): \(e.exposedSubjects.count) data subject(s)"
                    + (e.exposedSubjects.isEmpty ? "" : ": " + e.exposedSubjects.map(\.description).joined(separator: ", "))
            ]
            lines.append(contentsOf: table(e.windowReads).split(separator: "\n").map(String.init))
            if let span = e.suspectSpan {
                lines.append(
                    "Suspect span \(span.lowerBound)..<\(span.upperBound): \(e.suspectSubjects.count) more data subject(s)"
                        + (e.suspectSubjects.isEmpty ? "" : ": " + e.suspectSubjects.map(\.description).joined(separator: ", ")))
                if !e.suspectReads.isEmpty { lines.append(contentsOf: table(e.suspectReads).split(separator: "\n").map(String.init)) }
            }
            return lines
        }

        static func table(_ reads: [ExposedRead]) -> String {
            var table = TextTable("read", "at", "view", "data subjects", "asked for", "client")
            for read in reads {
                table.add([
                    "#\(read.sequence)", "\(read.readAt)", read.view, read.subjects.map(\.description).joined(separator: " "),
                    read.detail, [read.context.clientAddress, read.context.sessionID].compactMap { $0 }.joined(separator: " "),
                ])
            }
            return table.rendered
        }
    }

    /// `schoolledger audit reads`: who saw a child's (or a parent's) data.
    struct Reads: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who read a student's or a parent's data: every read log entry that names them.")

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The student.")
        var student: String?

        @Option(name: .long, help: "The parent.")
        var parent: String?

        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            guard (student == nil) != (parent == nil) else { throw ValidationError("Give exactly one of --student, --parent.") }
        }

        func run() throws {
            let journal = try options.openJournal()
            let subject: DataSubject = student.map { .student(StudentID($0)) } ?? .parent(ParentID(parent ?? ""))
            let reads = try options.session(journal, as: nil).reads(of: subject)
            if json {
                print(try JSONOutput.encode(reads))
                return
            }
            var table = TextTable("read", "at", "account", "view", "asked for", "rights", "client")
            for read in reads {
                table.add([
                    "#\(read.sequence)", "\(read.readAt)", read.account.rawValue, read.view, read.detail,
                    read.rightsChecked ? "checked" : "trusted",
                    [read.context.clientAddress, read.context.sessionID].compactMap { $0 }.joined(separator: " "),
                ])
            }
            print("Reads of \(subject)'s data: \(reads.count)")
            print(table.rendered)
        }
    }
}
