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
                    case .text: text = ReportText.text(report, names: names)
                    case .json: text = try JSONOutput.encode(report)
                    case .html: text = ReportHTML.page(report, names: names)
                    }
                } else {
                    let report = try session.analyticalReport(
                        ofStudent: StudentID(student ?? ""), period: ReportingPeriodID(period), asOf: asOf)
                    switch format {
                    case .text: text = ReportText.text(report, names: names)
                    case .json: text = try JSONOutput.encode(report)
                    case .html: text = ReportHTML.page(report, names: names)
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

/// How the report's numbers are written.
enum ReportNumbers {
    static func mark(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }

    static func share(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func markChange(_ value: Double?) -> String { value.map { String(format: "%+.2f", $0) } ?? "—" }

    static func shareChange(_ value: Double?) -> String { value.map { String(format: "%+.1f п.п.", $0 * 100) } ?? "—" }

    static func period(_ p: ReportPeriod) -> String { "\(p.title) (\(p.periodID), \(p.from)–\(p.to))" }

    static func reasons(_ reasons: [RiskReason]) -> String {
        reasons.map { reason in
            switch reason {
            case .lowAverage: "средний балл ниже 2.5"
            case .failingFinalMark: "неудовлетворительная итоговая"
            case .unexcusedAbsences: "пропуски без уважительной причины > 30%"
            }
        }.joined(separator: "; ")
    }

    static func yesNo(_ value: Bool?) -> String { value.map { $0 ? "да" : "нет" } ?? "—" }

    /// The header and cells of the figures table.
    static let figuresHeader = [
        "subject", "students", "weighted", "plain", "успеваемость", "качество", "5", "4", "3", "2", "1", "other",
        "lessons", "у", "н", "оп", "attendance", "at risk", "Δ weighted", "Δ успев.", "Δ кач.",
    ]

    /// The same header in Russian, for the printed page.
    static let figuresHeaderRussian = [
        "предмет", "учеников", "средневзв.", "средний", "успеваемость", "качество", "«5»", "«4»", "«3»", "«2»", "«1»",
        "прочие", "уроков", "у", "н", "оп", "посещаемость", "в группе риска", "Δ средневзв.", "Δ успев.", "Δ кач.",
    ]

    static func figuresCells(_ f: ReportFigures) -> [String] {
        let d = f.distribution, a = f.attendance
        return [
            f.subjectID?.rawValue ?? "итого", "\(f.students)", mark(f.weightedAverage), mark(f.plainAverage),
            share(f.successRate), share(f.qualityRate), "\(d.fives)", "\(d.fours)", "\(d.threes)", "\(d.twos)", "\(d.ones)",
            "\(d.nonNumeric)", "\(a.lessons)", "\(a.absentExcused)", "\(a.absentUnexcused)", "\(a.late)", share(a.attendanceRate),
            "\(Set(f.atRisk.map(\.studentID)).count)", markChange(f.change?.weightedAverage), shareChange(f.change?.successRate),
            shareChange(f.change?.qualityRate),
        ]
    }
}

/// The report as text tables for the terminal.
enum ReportText {
    static func header(_ who: String, _ period: ReportPeriod, _ previous: ReportPeriod?, _ position: UInt64) -> [String] {
        [
            "Analytical report: \(who), \(ReportNumbers.period(period)) (as of position \(position))",
            "Previous period: " + (previous.map(ReportNumbers.period) ?? "none (no change shown)"),
            "у absent excused, н absent unexcused, оп late; shares over students with marks",
        ]
    }

    static func figures(_ subjects: [ReportFigures], _ overall: ReportFigures) -> String {
        var table = TextTable()
        table.header = ReportNumbers.figuresHeader
        for f in subjects + [overall] { table.add(ReportNumbers.figuresCells(f)) }
        return table.rendered
    }

    static func risks(_ overall: ReportFigures, names: (StudentID) -> String) -> [String] {
        guard !overall.atRisk.isEmpty else { return ["", "Students at risk: none"] }
        var table = TextTable("student", "subject", "weighted", "unexcused", "why")
        for r in overall.atRisk {
            table.add([
                names(r.studentID), r.subjectID.rawValue, ReportNumbers.mark(r.weightedAverage), "\(r.absentUnexcused)/\(r.lessons)",
                ReportNumbers.reasons(r.reasons),
            ])
        }
        return ["", "Students at risk:", table.rendered]
    }

    static func text(_ report: ClassReport, names: (StudentID) -> String = { $0.rawValue }) -> String {
        var lines = header("class \(report.classID)", report.period, report.previousPeriod, report.asOfPosition)
        lines += ["", figures(report.subjects, report.overall), ""]
        var header = ["student"] + report.subjects.compactMap { $0.subjectID?.rawValue }
        header += ["weighted", "plain", "успевает", "качество", "absences", "at risk"]
        var table = TextTable()
        table.header = header
        for row in report.students {
            var cells = [names(row.studentID)]
            for subject in report.subjects {
                let result = row.subjects.first { $0.subjectID == subject.subjectID }
                let final = result.map { $0.finalMarks.isEmpty ? "" : " [\($0.finalMarks.map(\.text).joined(separator: ","))]" } ?? ""
                cells.append(result.map { ReportNumbers.mark($0.weightedAverage) + final } ?? "")
            }
            cells += [
                ReportNumbers.mark(row.weightedAverage), ReportNumbers.mark(row.plainAverage), ReportNumbers.yesNo(row.isSucceeding),
                ReportNumbers.yesNo(row.hasOnlyGoodMarks), "\(row.attendance.absentExcused + row.attendance.absentUnexcused)",
                row.isAtRisk ? "да" : "",
            ]
            table.add(cells)
        }
        lines += ["Students (weighted average per subject, [final marks]):", table.rendered]
        lines += risks(report.overall, names: names)
        return lines.joined(separator: "\n")
    }

    static func text(_ report: StudentReport, names: (StudentID) -> String = { $0.rawValue }) -> String {
        var lines = header("student \(names(report.studentID))", report.period, report.previousPeriod, report.asOfPosition)
        var table = TextTable(
            "subject", "marks", "final", "weighted", "plain", "успевает", "качество", "lessons", "у", "н", "оп", "at risk")
        for r in report.results {
            table.add([
                r.subjectID.rawValue, r.marks.map(\.text).joined(separator: " "), r.finalMarks.map(\.text).joined(separator: " "),
                ReportNumbers.mark(r.weightedAverage), ReportNumbers.mark(r.plainAverage), ReportNumbers.yesNo(r.isSucceeding),
                ReportNumbers.yesNo(r.hasOnlyGoodMarks), "\(r.attendance.lessons)", "\(r.attendance.absentExcused)",
                "\(r.attendance.absentUnexcused)", "\(r.attendance.late)", ReportNumbers.reasons(r.riskReasons),
            ])
        }
        lines += ["", table.rendered, "", figures(report.subjects, report.overall)]
        lines += risks(report.overall, names: names)
        return lines.joined(separator: "\n")
    }
}

/// The report as a self-contained, printable HTML page (inline CSS, no
/// scripts, every value escaped).
enum ReportHTML {
    static func escape(_ text: String) -> String { PaperExtract.escape(text) }

    static func table(_ header: [String], _ rows: [[String]], firstColumnHeads: Bool = true) -> String {
        var html = "<table>\n<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html +=
                "<tr>"
                + row.enumerated().map { n, cell in
                    n == 0 && firstColumnHeads ? "<th scope=\"row\">\(escape(cell))</th>" : "<td>\(escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static let style = """
        body { font-family: "PT Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt; margin: 1.5em; color: #111; }
        h1 { font-size: 16pt; margin: 0 0 0.3em; } h2 { font-size: 13pt; margin: 1.2em 0 0.4em; }
        p.meta { margin: 0.1em 0; color: #444; }
        table { border-collapse: collapse; margin: 0.3em 0 0.8em; page-break-inside: auto; }
        tr { page-break-inside: avoid; }
        th, td { border: 1px solid #999; padding: 2px 6px; text-align: right; white-space: nowrap; }
        thead th { background: #eee; text-align: center; }
        tbody th { text-align: left; font-weight: normal; }
        @media print { body { margin: 0; font-size: 9pt; } thead { display: table-header-group; } }
        @page { size: A4 landscape; margin: 12mm; }
        """

    static func page(title: String, meta: [String], body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ru">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>
        \(meta.map { "<p class=\"meta\">\(escape($0))</p>" }.joined(separator: "\n"))
        \(body)</body>
        </html>
        """
    }

    static func meta(_ period: ReportPeriod, _ previous: ReportPeriod?, _ position: UInt64) -> [String] {
        [
            "Отчётный период: \(ReportNumbers.period(period))",
            "Предыдущий период: " + (previous.map(ReportNumbers.period) ?? "нет"),
            "По состоянию журнала на позицию \(position)",
            "у — пропуск по уважительной причине, н — без уважительной причины, оп — опоздание",
        ]
    }

    static func figures(_ subjects: [ReportFigures], _ overall: ReportFigures) -> String {
        "<h2>Показатели по предметам</h2>\n"
            + table(ReportNumbers.figuresHeaderRussian, (subjects + [overall]).map(ReportNumbers.figuresCells))
    }

    static func risks(_ overall: ReportFigures, names: (StudentID) -> String) -> String {
        guard !overall.atRisk.isEmpty else { return "<h2>Группа риска</h2>\n<p>нет</p>\n" }
        return "<h2>Группа риска</h2>\n"
            + table(
                ["ученик", "предмет", "средневзвешенный", "пропуски без ув. причины", "причины"],
                overall.atRisk.map { r in
                    [
                        names(r.studentID), r.subjectID.rawValue, ReportNumbers.mark(r.weightedAverage),
                        "\(r.absentUnexcused)/\(r.lessons)",
                        ReportNumbers.reasons(r.reasons),
                    ]
                })
    }

    static func page(_ report: ClassReport, names: (StudentID) -> String = { $0.rawValue }) -> String {
        let subjects = report.subjects.compactMap(\.subjectID)
        let rows = report.students.map { row -> [String] in
            [names(row.studentID)]
                + subjects.map { subject in
                    guard let r = row.subjects.first(where: { $0.subjectID == subject }) else { return "" }
                    return ReportNumbers.mark(r.weightedAverage)
                        + (r.finalMarks.isEmpty ? "" : " [\(r.finalMarks.map(\.text).joined(separator: ","))]")
                } + [
                    ReportNumbers.mark(row.weightedAverage), ReportNumbers.mark(row.plainAverage), ReportNumbers.yesNo(row.isSucceeding),
                    ReportNumbers.yesNo(row.hasOnlyGoodMarks), "\(row.attendance.absentExcused + row.attendance.absentUnexcused)",
                    row.isAtRisk ? "да" : "",
                ]
        }
        let students =
            "<h2>Ученики</h2>\n"
            + table(
                ["ученик"] + subjects.map(\.rawValue)
                    + ["средневзв.", "средний", "успевает", "качество", "пропуски", "риск"], rows)
        return page(
            title: "Аналитический отчёт: класс \(report.classID)", meta: meta(report.period, report.previousPeriod, report.asOfPosition),
            body: figures(report.subjects, report.overall) + students + risks(report.overall, names: names))
    }

    static func page(_ report: StudentReport, names: (StudentID) -> String = { $0.rawValue }) -> String {
        let results =
            "<h2>Результаты по предметам</h2>\n"
            + table(
                ["предмет", "отметки", "итоговые", "средневзв.", "средний", "успевает", "качество", "уроков", "у", "н", "оп", "риск"],
                report.results.map { r in
                    [
                        r.subjectID.rawValue, r.marks.map(\.text).joined(separator: " "), r.finalMarks.map(\.text).joined(separator: " "),
                        ReportNumbers.mark(r.weightedAverage), ReportNumbers.mark(r.plainAverage), ReportNumbers.yesNo(r.isSucceeding),
                        ReportNumbers.yesNo(r.hasOnlyGoodMarks), "\(r.attendance.lessons)", "\(r.attendance.absentExcused)",
                        "\(r.attendance.absentUnexcused)", "\(r.attendance.late)", ReportNumbers.reasons(r.riskReasons),
                    ]
                })
        return page(
            title: "Аналитический отчёт: ученик \(names(report.studentID))",
            meta: meta(report.period, report.previousPeriod, report.asOfPosition),
            body: results + figures(report.subjects, report.overall) + risks(report.overall, names: names))
    }
}
