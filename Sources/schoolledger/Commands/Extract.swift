import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger extract`: a paper extract of a student's diary (выписка, clause 2).
    struct Extract: AsyncParsableCommand {
        /// How the extract is printed.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case html, text
        }

        static let configuration = CommandConfiguration(
            abstract:
                "Print a paper extract of a student's diary (выписка) as HTML or text, and optionally record that it was handed over.",
            discussion: """
                The extract holds the school, the class, the period, marks by subject with weighted and plain averages, \
                attendance, homework, tests and teachers' recommendations, with void operations left out. HTML is one \
                self-contained page for A4 portrait. With --out the extract goes to that file and its absolute path is printed.

                --issue records PaperExtractIssued through the account given with --as (the class teacher of the \
                student's class), for the parent given with --parent, who must be a parent who gets paper extracts \
                (refused the electronic form, gave no consent, or has no access). Recording the same extract again \
                (same student, parent and dates) appends nothing.
                """)

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: "The student.")
        var student: String

        @Option(name: .long, help: ArgumentHelp("The first date, YYYY-MM-DD.", valueName: "DATE"))
        var from: String

        @Option(name: .long, help: ArgumentHelp("The last date, YYYY-MM-DD.", valueName: "DATE"))
        var to: String

        @Option(name: .long, help: "html or text.")
        var format: Format

        @Option(name: .long, help: ArgumentHelp("Write the extract to this file and print its absolute path.", valueName: "FILE"))
        var out: String?

        @Flag(name: .long, help: "Also record that the extract was handed over (PaperExtractIssued); needs --as and --parent.")
        var issue = false

        @Option(
            name: .customLong("as"),
            help: ArgumentHelp(
                "The account acting: with --issue, who hands the extract over; without, the extract is printed only if this account may read the student's diary.",
                valueName: "ACCOUNT"))
        var account: String?

        @Option(name: .long, help: "With --issue: the parent who receives the extract.")
        var parent: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "A head of this ledger signed with the school's key (`head --sign --out`): the extract is made as of it and carries the proofs of its records, which verify_proof.py checks offline.",
                valueName: "HEADFILE"))
        var head: String?

        func date(_ text: String, _ flag: String) throws -> CivilDate {
            guard let date = CivilDate(text) else { throw ValidationError("--\(flag) '\(text)' is not a date: write it as YYYY-MM-DD.") }
            return date
        }

        func validate() throws {
            let first = try date(from, "from"), last = try date(to, "to")
            guard first <= last else { throw ValidationError("--to \(to) is before --from \(from).") }
            guard !student.isEmpty else { throw ValidationError("--student must not be empty.") }
            if issue {
                guard account?.isEmpty == false else {
                    throw ValidationError("--issue needs --as ACCOUNT: the class teacher who hands the extract over.")
                }
                guard parent?.isEmpty == false else {
                    throw ValidationError("--issue needs --parent ID: the parent who receives the extract.")
                }
            } else if parent != nil {
                throw ValidationError("--parent is only for --issue.")
            }
        }

        func run() async throws {
            let first = try date(from, "from"), last = try date(to, "to")
            let studentID = StudentID(student)
            let journal = try options.openJournal(writable: issue)
            let session = options.session(journal, as: account)
            var note: String?
            let extract: PaperExtract
            var proofs: ExtractProofs?
            do {
                if let head {
                    let (signed, tree) = try SchoolLedgerCommand.Prove.signedHead(head, matching: journal.ledger)
                    extract = try session.paperExtract(of: studentID, from: first, to: last, asOf: .position(tree.size))
                    proofs = try journal.proofs(of: extract, against: signed)
                } else {
                    extract = try session.paperExtract(of: studentID, from: first, to: last)
                }
                if issue, let account, let parent {
                    note = try await record(extract, by: AccountID(account), for: ParentID(parent), in: journal)
                }
            } catch let error as SchoolValidationError {
                throw ValidationError(error.message)
            }
            let rendered = format == .html ? extract.renderHTML(proofs: proofs) : extract.renderText(proofs: proofs)
            if let out {
                let path = URL(fileURLWithPath: out).standardizedFileURL.path
                do {
                    try Data(rendered.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                } catch {
                    throw ValidationError("Cannot write the extract to \(path): \(error.localizedDescription)")
                }
                print(path)
                if let note { print(note) }
            } else {
                print(rendered, terminator: "")
                if let note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            }
        }

        /// Records the extract as handed over to `parent` by `account`, for the reason the parents' view gives.
        private func record(_ extract: PaperExtract, by account: AccountID, for parent: ParentID, in journal: SchoolJournal) async throws
            -> String
        {
            let covers = ExtractCoverage.dates(DateRange(start: extract.from, end: extract.to))
            let result = try await journal.session(for: account).recordPaperExtract(
                student: extract.studentID, parent: parent, covers: covers,
                occurredAt: SystemClock().now())
            let id = PaperExtract.extractID(student: extract.studentID, parent: parent, covers: covers)
            if result.wasDuplicate {
                return
                    "Extract \(id) was already recorded as handed over to \(parent) at position \(result.positions[0]); nothing appended."
            }
            var reason = ""
            if let recorded = try journal.entries(from: result.positions[0], through: result.positions[0]).first,
                case .paperExtractIssued(let e) = recorded.entry.event
            {
                reason = ", reason \(e.reason)"
            }
            return "Recorded PaperExtractIssued \(id) (handed over to \(parent)\(reason)) at position \(result.positions[0])."
        }
    }
}
