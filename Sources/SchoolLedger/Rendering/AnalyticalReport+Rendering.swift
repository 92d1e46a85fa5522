// The analytical reports (clause 5) as terminal tables and as printable
// pages; the models and their queries are in ReadModels/AnalyticalReport.swift.
import Foundation

extension ClassReport {
    /// The report as text tables for a terminal: the figures per subject
    /// and overall, a row per student, the students at risk. `names` shows
    /// a student (by default the id; the CLI gives the name from the vault).
    public func renderText(names: (StudentID) -> String = { $0.rawValue }) -> String {
        ReportText.text(self, names: names)
    }

    /// The report as one self-contained, printable HTML page in Russian
    /// (inline CSS for A4 landscape, no scripts, every value escaped).
    public func renderHTML(names: (StudentID) -> String = { $0.rawValue }) -> String {
        ReportHTML.page(self, names: names)
    }
}

extension StudentReport {
    /// The report as text tables for a terminal; see ``ClassReport/renderText(names:)``.
    public func renderText(names: (StudentID) -> String = { $0.rawValue }) -> String {
        ReportText.text(self, names: names)
    }

    /// The report as a printable HTML page; see ``ClassReport/renderHTML(names:)``.
    public func renderHTML(names: (StudentID) -> String = { $0.rawValue }) -> String {
        ReportHTML.page(self, names: names)
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
    static func escape(_ text: String) -> String { HTML.escape(text) }

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
