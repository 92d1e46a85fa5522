import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger report`: the analytical report of a class or a student
    /// for a reporting period, as a table, JSON or a printable HTML page.
    struct Report: ParsableCommand {
        /// How the report is written.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, html
        }

        static let configuration = CommandConfiguration(
            abstract: "The analytical report of a class or a student for a reporting period.",
            discussion: """
                Per subject and overall: the weighted average Σ(mark × weight) / Σ weight and the plain average over the \
                period's numeric current marks (cancelled and voided marks never count); успеваемость = students with no \
                failing mark (2, 1, незач, н/а) / students with a mark; качество знаний = students with only 4s and 5s / \
                students with a numeric mark (a subject's final marks of the period, once set, replace its current marks \
                in both shares); the distribution of marks; attendance (absences excused / unexcused, lateness); students \
                at risk (weighted average below 2.5, a failing final mark, or unexcused absences above 30% of the lessons); \
                and the change against the previous period of the same kind.

                --as-of answers as the ledger stood at a log position (a number) or an instant (2026-10-01T12:00:00Z).
                --out writes the report to a file and prints the file's absolute path.
                """)

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The class to report on (or give --student).")
        var `class`: String?
        @Option(name: .long, help: "The student to report on (or give --class).")
        var student: String?
        @Option(name: .long, help: "The reporting period.")
        var period: String
        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp("Answer as of a log position or an ISO 8601 instant.", valueName: "POSITION|INSTANT"))
        var asOf: String?
        @Flag(name: .long, help: "Print JSON instead of a table (the same as --format json).")
        var json = false
        @Option(name: .long, help: ArgumentHelp("text (the default), json, or html: a self-contained printable page.", valueName: "FORMAT"))
        var format: Format?
        @Option(name: .long, help: ArgumentHelp("Write the report to this file and print its absolute path.", valueName: "FILE"))
        var out: String?

        func validate() throws {
            switch (`class`, student) {
            case (nil, nil): throw ValidationError("The report needs --class or --student.")
            case (.some, .some): throw ValidationError("Give --class or --student, not both.")
            default: break
            }
            if `class`?.isEmpty == true { throw ValidationError("--class must not be empty.") }
            if student?.isEmpty == true { throw ValidationError("--student must not be empty.") }
            if period.isEmpty { throw ValidationError("--period must not be empty.") }
            if json, let format, format != .json {
                throw ValidationError("--json conflicts with --format \(format.rawValue): give one of them.")
            }
            if out?.isEmpty == true { throw ValidationError("--out must name a file.") }
        }

        @Option(
            name: .customLong("as"),
            help: ArgumentHelp(
                "Answer only if this account may see the report (class teacher of the class, head, deputy head).", valueName: "ACCOUNT"))
        var account: String?

        func run() throws {
            let journal = try options.openJournal()
            let asOf = try AsOf(option: asOf)
            let session = options.session(journal, as: account)
            let names = { (student: StudentID) -> String in
                let name = (try? session.displayName(of: PersonID(student))) ?? student.rawValue
                return name == student.rawValue ? name : "\(name) (\(student))"
            }
            let format = json ? .json : (format ?? .text)
            let text: String
            do {
                if let classID = `class` {
                    let report = try session.analyticalReport(ofClass: ClassID(classID), period: ReportingPeriodID(period), asOf: asOf)
                    switch format {
                    case .text: text = report.renderText(names: names)
                    case .json: text = try JSONOutput.encode(report)
                    case .html: text = report.renderHTML(names: names)
                    }
                } else {
                    let report = try session.analyticalReport(
                        ofStudent: StudentID(student ?? ""), period: ReportingPeriodID(period), asOf: asOf)
                    switch format {
                    case .text: text = report.renderText(names: names)
                    case .json: text = try JSONOutput.encode(report)
                    case .html: text = report.renderHTML(names: names)
                    }
                }
            } catch let error as SchoolValidationError {
                throw ValidationError(error.message)
            }
            guard let out else {
                print(text)
                return
            }
            let url = URL(fileURLWithPath: out).standardizedFileURL
            do {
                try Data((text.hasSuffix("\n") ? text : text + "\n").utf8).write(to: url, options: .atomic)
            } catch {
                throw ValidationError("--out '\(out)' cannot be written: \(error.localizedDescription)")
            }
            print(url.path)
        }
    }
}
