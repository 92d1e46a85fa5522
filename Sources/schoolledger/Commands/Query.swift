import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger query`: the school's read models, as tables or JSON.
    struct Query: ParsableCommand {
        /// The views this command answers.
        enum View: String, ExpressibleByArgument, CaseIterable {
            case diary, marks, journal, timetable, tests, holidays, teachers, parents, acknowledgements, outbox
            case classList = "class-list"
            case groupList = "group-list"

            var summary: String {
                switch self {
                case .diary:
                    "a student's diary: lessons, moves, substitutions, topics, homework, marks, attendance, tests, recommendations (--student, --from/--to)"
                case .timetable:
                    "the timetable of a class or a teacher, with substitutions, moves and cancellations (--class or --teacher, --from/--to)"
                case .tests:
                    "the tests of a class in a reporting period, its groups' and streams' included (--class, --period or --from/--to)"
                case .holidays: "the holidays of an academic year (--year)"
                case .teachers: "the teachers working with a class, group or student on a date (--class, --group or --student, --on)"
                case .parents:
                    "the parents of a class: consent, refusal, notifications, credentials, paper extracts due and issued (--class, --on)"
                case .acknowledgements: "parents who have not acknowledged marks older than N days (--class, --days, default 7)"
                case .outbox: "SMS and e-mail messages owed to consenting, subscribed parents until delivery is reported (--limit)"
                case .marks:
                    "a student's marks by subject with weighted and plain averages and history (--student, --period or --from/--to)"
                case .journal: "the journal page of a class or group in a subject (--class or --group, --subject, --period or --from/--to)"
                case .classList: "the students of a class on a date (--class, --on)"
                case .groupList: "the members of a study group on a date (--group, --on)"
                }
            }
        }

        static let configuration = CommandConfiguration(
            abstract: "Answer a read-model query, as a table or as JSON.",
            discussion: "Views:\n"
                + View.allCases.map { "  \($0.rawValue)\(String(repeating: " ", count: max(1, 18 - $0.rawValue.count)))\($0.summary)" }
                .joined(separator: "\n")
                + "\n\n--as-of answers as the ledger stood at a log position (a number) or an instant (2026-10-01T12:00:00Z)."
                + "\n--as ACCOUNT answers only what that account may see, and refuses otherwise (exit code 1).")

        @OptionGroup var options: LedgerOptions

        @Argument(help: ArgumentHelp("The view (see the list below).", valueName: "view"))
        var view: View

        @Option(name: .long, help: "The student (for marks).")
        var student: String?
        @Option(name: .long, help: "The class (for journal, class-list).")
        var `class`: String?
        @Option(name: .long, help: "The study group (for journal, group-list).")
        var group: String?
        @Option(name: .long, help: "The most messages to list (for outbox).")
        var limit: Int = 100
        @Option(name: .long, help: "How many days old unacknowledged marks must be (for acknowledgements).")
        var days: Int = 7
        @Option(name: .long, help: "The academic year (for holidays).")
        var year: String?
        @Option(name: .long, help: "The teacher's account (for timetable).")
        var teacher: String?
        @Option(name: .long, help: "The subject (for journal).")
        var subject: String?
        @Option(name: .long, help: "A reporting period; its dates are the range.")
        var period: String?
        @Option(name: .long, help: ArgumentHelp("The first date, YYYY-MM-DD.", valueName: "DATE"))
        var from: String?
        @Option(name: .long, help: ArgumentHelp("The last date, YYYY-MM-DD.", valueName: "DATE"))
        var to: String?
        @Option(name: .long, help: ArgumentHelp("The date of a list, YYYY-MM-DD (default: today).", valueName: "DATE"))
        var on: String?
        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp("Answer as of a log position or an ISO 8601 instant.", valueName: "POSITION|INSTANT"))
        var asOf: String?
        @Option(
            name: .customLong("as"),
            help: ArgumentHelp(
                "Answer only if this account may see the view (its rights are checked as the library checks an embedding service's queries).",
                valueName: "ACCOUNT"))
        var account: String?
        @Flag(name: .long, help: "Print JSON instead of a table.")
        var json = false

        func date(_ text: String?, _ flag: String) throws -> CivilDate? {
            guard let text else { return nil }
            guard let date = CivilDate(text) else { throw ValidationError("--\(flag) '\(text)' is not a date: write it as YYYY-MM-DD.") }
            return date
        }

        func require(_ value: String?, _ flag: String) throws -> String {
            guard let value, !value.isEmpty else { throw ValidationError("The \(view.rawValue) view needs --\(flag).") }
            return value
        }

        func run() throws {
            let journal = try options.openJournal()
            let asOf = try AsOf(option: asOf)
            let from = try date(from, "from"), to = try date(to, "to")
            let period = period.map { ReportingPeriodID($0) }
            let session = options.session(journal, as: account)
            do {
                switch view {
                case .diary:
                    guard let from, let to else { throw ValidationError("The diary view needs --from and --to.") }
                    let diary = try session.diary(of: StudentID(require(student, "student")), from: from, to: to, asOf: asOf)
                    let name = try session.displayName(of: PersonID(diary.studentID))
                    try output(diary) { Self.table(diary, name: name) }
                case .timetable:
                    guard let from, let to else { throw ValidationError("The timetable view needs --from and --to.") }
                    let timetable =
                        try teacher.map { try session.timetable(ofTeacher: AccountID($0), from: from, to: to, asOf: asOf) }
                        ?? session.timetable(of: ClassID(require(`class`, "class or --teacher")), from: from, to: to, asOf: asOf)
                    try output(timetable) { Self.table(timetable) }
                case .marks:
                    let report = try session.marks(
                        of: StudentID(require(student, "student")), period: period, from: from, to: to, asOf: asOf)
                    try output(report) { Self.table(report) }
                case .journal:
                    let target: TeachingTarget
                    if let group {
                        target = .group(StudyGroupID(group))
                    } else {
                        target = .class(ClassID(try require(`class`, "class or --group")))
                    }
                    let page = try session.journalPage(
                        subject: SubjectID(require(subject, "subject")), target: target, period: period,
                        from: from, to: to, asOf: asOf)
                    try output(page) { Self.table(page) }
                case .tests:
                    let tests = try session.testSchedule(
                        of: ClassID(require(`class`, "class")), period: period, from: from, to: to, asOf: asOf)
                    try output(tests) {
                        var table = TextTable("date", "subject", "kind", "topic")
                        for t in tests { table.add(["\(t.date)", t.subjectID.rawValue, "\(t.workKind)", t.topic ?? ""]) }
                        return table.rendered
                    }
                case .holidays:
                    let holidays = try session.holidays(of: AcademicYearID(require(year, "year")), asOf: asOf)
                    try output(holidays) {
                        var table = TextTable("from", "to", "holiday", "grades")
                        for h in holidays {
                            table.add([
                                "\(h.dates.start)", "\(h.dates.end)", h.title,
                                h.gradeLevels.isEmpty ? "all" : h.gradeLevels.map(String.init).joined(separator: ","),
                            ])
                        }
                        return table.rendered
                    }
                case .teachers:
                    let target: TeachingTarget
                    if let group {
                        target = .group(StudyGroupID(group))
                    } else if let student {
                        target = .student(StudentID(student))
                    } else {
                        target = .class(ClassID(try require(`class`, "class, --group or --student")))
                    }
                    let day = try date(on, "on") ?? CivilDate(String(SystemClock().now().iso8601.prefix(10)))!
                    let teachers = try session.teachers(of: target, on: day, asOf: asOf)
                    try output(teachers) {
                        var table = TextTable("teacher", "subject", "since", "until")
                        for t in teachers {
                            table.add([
                                t.teacherID.rawValue, t.subjectID?.rawValue ?? "классный руководитель", "\(t.from)",
                                t.until.map { "\($0)" } ?? "",
                            ])
                        }
                        return table.rendered
                    }
                case .parents:
                    let day = try date(on, "on") ?? CivilDate(String(SystemClock().now().iso8601.prefix(10)))!
                    let parents = try session.parents(ofClass: ClassID(require(`class`, "class")), on: day, asOf: asOf)
                    try output(parents) {
                        var table = TextTable("parent", "child", "consent", "refused", "notifications", "credentials", "paper extracts")
                        for p in parents {
                            for c in p.children {
                                table.add([
                                    p.parentID.rawValue + " " + ((try? session.displayName(of: PersonID(p.parentID))) ?? ""),
                                    c.studentID.rawValue, c.hasConsent ? "да" : "нет", c.refusedElectronicForm ? "да" : "",
                                    p.notificationsOn.map { "\($0)" }.joined(separator: ","),
                                    p.credentials.map { $0.accountID.rawValue + ($0.lastResetAt == nil ? "" : " (reset)") }.joined(
                                        separator: ","),
                                    (c.paperExtractReason.map { "due (\($0))" } ?? "")
                                        + (c.extractsIssued.isEmpty
                                            ? "" : " issued: \(c.extractsIssued.map(\.rawValue).joined(separator: ","))"),
                                ])
                            }
                        }
                        return table.rendered
                    }
                case .acknowledgements:
                    let lines = try session.unacknowledgedMarks(
                        ofClass: ClassID(require(`class`, "class")), olderThan: days, now: SystemClock().now(), asOf: asOf)
                    try output(lines) {
                        var table = TextTable("parent", "child", "marks not acknowledged", "oldest")
                        for l in lines { table.add([l.parentID.rawValue, l.studentID.rawValue, "\(l.count)", "\(l.oldest)"]) }
                        return table.rendered
                    }
                case .outbox:
                    let messages = try session.outbox(limit: limit, asOf: asOf)
                    try output(messages) {
                        var table = TextTable("notification", "parent", "child", "channel", "about", "reason", "mark / lesson", "failed")
                        for m in messages {
                            let what = m.lessonID.map { "\($0)" + (m.newDate.map { " → \($0)" } ?? "") } ?? m.value.map { "\($0)" } ?? ""
                            table.add([
                                m.notificationID.rawValue, m.parentID.rawValue, m.studentID.rawValue, "\(m.channel)", "#\(m.aboutPosition)",
                                m.reason.rawValue, what, "\(m.failedAttempts)",
                            ])
                        }
                        return table.rendered
                    }
                case .classList, .groupList:
                    let day = try date(on, "on") ?? CivilDate(String(SystemClock().now().iso8601.prefix(10)))!
                    let students =
                        view == .classList
                        ? try session.classList(ClassID(require(`class`, "class")), on: day, asOf: asOf)
                        : try session.groupList(StudyGroupID(require(group, "group")), on: day, asOf: asOf)
                    try output(students) {
                        var table = TextTable("№", "student", "name")
                        for (n, s) in students.enumerated() {
                            table.add(["\(n + 1)", s.rawValue, (try? session.displayName(of: PersonID(s))) ?? ""])
                        }
                        return table.rendered
                    }
                }
            } catch let error as SchoolValidationError {
                throw ValidationError(error.message)
            }
        }

        private func output(_ value: some Encodable, table: () -> String) throws {
            print(json ? try JSONOutput.encode(value) : table())
        }

        static func number(_ value: Double?) -> String {
            value.map { String(format: "%.2f", $0) } ?? "—"
        }

        static func table(_ report: StudentMarks) -> String {
            var lines = ["Marks of \(report.studentID), \(report.from)–\(report.to) (as of position \(report.asOfPosition))", ""]
            var table = TextTable("subject", "marks", "weighted", "plain", "final")
            for s in report.subjects {
                table.add([
                    s.subjectID.rawValue, s.marks.map { "\($0.value)" + ($0.weight == 1 ? "" : "×\($0.weight)") }.joined(separator: " "),
                    number(s.weightedAverage), number(s.plainAverage), s.finalMarks.map { "\($0.value)" }.joined(separator: " "),
                ])
            }
            lines.append(table.rendered)
            let changed = report.subjects.flatMap(\.marks).filter { $0.history.count > 1 }
            if !changed.isEmpty {
                lines.append("")
                lines.append("History of changed marks:")
                for mark in changed {
                    for change in mark.history {
                        lines.append(
                            "  \(mark.markID) #\(change.position) \(change.recordedAt) \(change.actor): \(change.kind.rawValue) \(change.before.map { "\($0)" } ?? "—") → \(change.after.map { "\($0)" } ?? "—")\(change.reason.map { " (\($0))" } ?? "")"
                        )
                    }
                }
            }
            return lines.joined(separator: "\n")
        }

        static func table(_ diary: StudentDiary, name: String) -> String {
            var table = TextTable("date", "№", "subject", "teacher", "topic", "homework", "marks", "attendance")
            for l in diary.lessons {
                let flags = (l.isMoved ? " перенос" : "") + (l.isCancelled ? " отменён" : "")
                table.add([
                    "\(l.date)", "\(l.lessonNumber)\(flags)", l.subjectID.rawValue,
                    (l.substituteID.map { "\($0) (замена)" } ?? l.teacherID.rawValue), l.topic ?? "",
                    l.homework.map { "\($0.text) → \($0.dueDate)" }.joined(separator: "; "),
                    l.marks.map { "\($0)" }.joined(separator: " "), l.attendance.map { "\($0)" } ?? "",
                ])
            }
            let who = name == diary.studentID.rawValue ? name : "\(diary.studentID) \(name)"
            var lines = ["Diary of \(who), \(diary.from)–\(diary.to) (as of position \(diary.asOfPosition))", "", table.rendered]
            if !diary.tests.isEmpty {
                lines += ["", "Tests coming up:"] + diary.tests.map { "  \($0.date) \($0.subjectID) \($0.topic ?? "")" }
            }
            if !diary.recommendations.isEmpty {
                lines += ["", "Recommendations:"] + diary.recommendations.map { "  \($0.date) \($0.teacherID): \($0.text)" }
            }
            return lines.joined(separator: "\n")
        }

        static func table(_ timetable: Timetable) -> String {
            var table = TextTable("date", "№", "subject", "who", "teacher", "note")
            for e in timetable.entries {
                let note = [e.isMoved ? "перенос" : "", e.isCancelled ? "отменён" : "", e.substituteID.map { "замена: \($0)" } ?? ""]
                    .filter { !$0.isEmpty }.joined(separator: ", ")
                table.add(["\(e.date)", "\(e.lessonNumber)", e.subjectID.rawValue, e.target, e.teacherID.rawValue, note])
            }
            return "Timetable of \(timetable.owner), \(timetable.from)–\(timetable.to) (as of position \(timetable.asOfPosition))\n\n"
                + table.rendered
        }

        static func table(_ page: JournalPage) -> String {
            var header = ["student"]
            header += page.lessons.map { lesson in
                let date = lesson.date.description.dropFirst(5)  // MM-DD
                return "\(date)" + (lesson.isMoved ? "*" : "") + (lesson.substituteID == nil ? "" : "з")
            }
            header.append("avg")
            var table = TextTable()
            table.header = header
            for row in page.rows {
                var cells = [row.studentID.rawValue]
                cells += row.cells.map { cell in
                    let marks = cell.marks.map { "\($0)" }.joined(separator: " ")
                    let absence =
                        cell.attendance == .absent || cell.attendance == .absentExcused ? "н" : cell.attendance == .late ? "оп" : ""
                    return [absence, marks].filter { !$0.isEmpty }.joined(separator: " ")
                }
                cells.append(number(row.weightedAverage))
                table.add(cells)
            }
            return "Journal: \(page.subjectID), \(page.target), \(page.from)–\(page.to) (as of position \(page.asOfPosition))\n"
                + "* moved lesson, з substitute teacher, н absent, оп late\n\n" + table.rendered
        }
    }
}
