import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand.Audit {
    /// `schoolledger audit history`: every operation concerning a student, an account or a lesson.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every operation concerning a student, an account or a lesson, oldest first, with void and suspect ones marked.",
            discussion: """
                A student's history holds their own stream, their marks and final marks, and the attendance facts \
                about them; an account's, everything it recorded; a lesson's, its stream, its marks and its homework. \
                Operations a breach notice voided are shown as VOID with the notice's position; operations recorded \
                between a notice's stated discovery and its receipt as SUSPECT. Corrections show the value before and after. \
                --as-of answers as the ledger stood at a log position (a number) or an instant (2026-10-01T12:00:00Z).
                """)

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The student whose history to show.")
        var student: String?

        @Option(name: .long, help: "The account whose operations to show.")
        var account: String?

        @Option(name: .long, help: "The lesson whose history to show.")
        var lesson: String?

        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp("Answer as of a log position or an ISO 8601 instant.", valueName: "POSITION|INSTANT"))
        var asOf: String?

        @Flag(name: .long, help: "Print JSON instead of text.")
        var json = false

        /// The one subject given.
        var subject: AuditSubject? {
            if let student { return .student(StudentID(student)) }
            if let account { return .account(AccountID(account)) }
            if let lesson { return .lesson(LessonID(lesson)) }
            return nil
        }

        func validate() throws {
            let given = [student, account, lesson].compactMap { $0 }
            guard given.count == 1 else {
                throw ValidationError(
                    "Give exactly one of --student, --account, --lesson (\(given.isEmpty ? "none" : "\(given.count)") given).")
            }
            guard !given[0].isEmpty else { throw ValidationError("The subject's id must not be empty.") }
        }

        func run() throws {
            guard let subject else { throw ValidationError("Give exactly one of --student, --account, --lesson.") }
            let journal = try options.openJournal()
            let entries: [HistoryEntry]
            do {
                entries = try options.session(journal, as: nil).auditHistory(of: subject, asOf: AsOf(option: asOf))
            } catch let error as SchoolValidationError {
                throw ValidationError(error.message)
            }
            if json {
                print(try JSONOutput.encode(entries))
                return
            }
            print("History of \(subject)\(asOf.map { " as of \($0)" } ?? ""): \(entries.count) operation(s)")
            print("")
            print(Self.table(entries))
        }

        static func table(_ entries: [HistoryEntry]) -> String {
            var table = TextTable(
                "position", "recorded at", "occurred at", "actor", "signed with key", "type", "summary", "before → after", "status")
            for e in entries {
                let change =
                    e.before == nil && e.after == nil ? "" : "\(e.before.map { "\($0)" } ?? "—") → \(e.after.map { "\($0)" } ?? "—")"
                let status: String
                switch e.status {
                case .valid: status = "valid"
                case .void: status = "VOID" + (e.noticePosition.map { " (notice #\($0))" } ?? "")
                case .suspect: status = "SUSPECT" + (e.noticePosition.map { " (notice #\($0))" } ?? "")
                }
                table.add([
                    "#\(e.position)", "\(e.recordedAt)", "\(e.occurredAt)", e.actor.rawValue, e.signatureKeyID ?? "—", e.eventType,
                    e.summary,
                    change, status,
                ])
            }
            return table.rendered
        }
    }
}
