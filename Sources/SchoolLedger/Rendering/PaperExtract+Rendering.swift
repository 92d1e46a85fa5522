// The paper extract (clause 2) as a printable page and as plain text; the
// model and its query are in ReadModels/PaperExtract.swift.

extension PaperExtract {
    /// The extract as one self-contained HTML page in Russian (`lang="ru"`),
    /// with inline print CSS for A4 portrait (`@page { size: A4; margin: 15mm }`),
    /// every value HTML-escaped, and lines for the class teacher's and the
    /// parent's signatures. With `proofs` (``SchoolJournal/proofs(of:against:)``),
    /// a last section names the signed head and each record's position, and
    /// the proofs themselves travel in the page for `verify_proof.py`.
    public func renderHTML(proofs: ExtractProofs? = nil) -> String {
        let e = HTML.escape
        var h = [String]()
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"ru\">")
        h.append("<head>")
        h.append("<meta charset=\"utf-8\">")
        h.append("<title>\(e("Выписка из электронного дневника: \(studentTitle), \(Self.date(from))–\(Self.date(to))"))</title>")
        h.append("<style>")
        h.append(
            """
            @page { size: A4; margin: 15mm }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact }
            body { font-family: "Times New Roman", "PT Serif", serif; font-size: 11pt; line-height: 1.3; color: #000; margin: 0 auto; max-width: 180mm }
            h1 { font-size: 14pt; text-align: center; margin: 0 0 2mm }
            h2 { font-size: 12pt; margin: 5mm 0 2mm; page-break-after: avoid; break-after: avoid }
            .school { text-align: center; font-size: 11pt; margin: 0 0 4mm }
            table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 2mm }
            th, td { border: 0.3mm solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; overflow-wrap: anywhere }
            th { font-weight: bold; background: #eee }
            thead { display: table-header-group }
            tr { page-break-inside: avoid; break-inside: avoid }
            td.num { text-align: right; white-space: nowrap }
            .meta td { border: none; padding: 0.5mm 1.5mm 0.5mm 0 }
            .signatures { margin-top: 10mm; page-break-inside: avoid; break-inside: avoid }
            .signatures p { margin: 6mm 0 0 }
            .footnote { font-size: 9pt; margin-top: 4mm }
            @media screen { body { margin: 15mm auto } }
            """)
        h.append("</style>")
        h.append("</head>")
        h.append("<body>")
        if let schoolName { h.append("<p class=\"school\">\(e(schoolName))</p>") }
        h.append("<h1>Выписка из электронного дневника</h1>")
        h.append("<table class=\"meta\">")
        h.append(
            "<tr><td>Обучающийся:</td><td>\(e(studentName ?? studentID.rawValue))\(studentName == nil ? "" : " (\(e(studentID.rawValue)))")</td></tr>"
        )
        if let classID { h.append("<tr><td>Класс:</td><td>\(e(className ?? classID.rawValue))</td></tr>") }
        h.append("<tr><td>Период:</td><td>с \(e(Self.date(from))) по \(e(Self.date(to)))</td></tr>")
        h.append("</table>")

        h += HTML.section("Успеваемость", empty: "Отметок за период нет.", isEmpty: subjects.isEmpty) {
            HTML.table(
                widths: [22, 44, 11, 11, 12], header: ["Предмет", "Отметки (дата, вес)", "Средний взвешенный", "Средний", "Итоговые"],
                rows: subjects.map { s in
                    let marks = s.marks.map { e(Self.mark($0)) }.joined(separator: "<br>")
                    let finals = s.finalMarks.map { e("\($0.periodTitle ?? $0.periodID.rawValue): \($0.value.text)") }.joined(
                        separator: "<br>")
                    return
                        "<tr><td>\(e(subjectTitle(s.subjectID)))</td><td>\(marks)</td><td class=\"num\">\(e(Self.number(s.weightedAverage)))</td>"
                        + "<td class=\"num\">\(e(Self.number(s.plainAverage)))</td><td>\(finals)</td></tr>"
                })
        }

        h.append("<h2>Посещаемость</h2>")
        h.append("<p>\(e(attendanceLine))</p>")
        if !attendance.entries.isEmpty {
            h += HTML.table(
                header: ["Дата", "Урок", "Предмет", "Отметка"],
                rows: attendance.entries.map { a in
                    "<tr><td>\(e(Self.date(a.date)))</td><td class=\"num\">\(a.lessonNumber)</td><td>\(e(subjectTitle(a.subjectID)))</td>"
                        + "<td>\(e(a.status.russianName))</td></tr>"
                })
        }

        h += HTML.section("Расписание уроков", empty: "Уроков за период нет.", isEmpty: timetable.isEmpty) {
            HTML.table(
                widths: [14, 8, 26, 22, 30], header: ["Дата", "Урок", "Предмет", "Учитель", "Изменения"],
                rows: timetable.map { l in
                    "<tr><td>\(e(Self.date(l.date)))</td><td class=\"num\">\(l.lessonNumber)</td><td>\(e(subjectTitle(l.subjectID)))</td>"
                        + "<td>\(e(l.teacherID.rawValue))</td><td>\(e(Self.changes(l)))</td></tr>"
                })
        }

        h += HTML.section("Домашние задания", empty: "Домашних заданий за период нет.", isEmpty: homework.isEmpty) {
            HTML.table(
                widths: [14, 22, 50, 14], header: ["Дата", "Предмет", "Задание", "Срок"],
                rows: homework.map { w in
                    "<tr><td>\(e(Self.date(w.date)))</td><td>\(e(subjectTitle(w.subjectID)))</td><td>\(e(w.text))</td><td>\(e(Self.date(w.dueDate)))</td></tr>"
                })
        }

        h += HTML.section("Контрольные работы", empty: "Контрольных работ не запланировано.", isEmpty: tests.isEmpty) {
            HTML.table(
                header: ["Дата", "Предмет", "Вид работы", "Тема"],
                rows: tests.map { t in
                    "<tr><td>\(e(Self.date(t.date)))</td><td>\(e(subjectTitle(t.subjectID)))</td><td>\(e(t.workKind.russianName))</td><td>\(e(t.topic ?? ""))</td></tr>"
                })
        }

        h += HTML.section("Учителя", empty: "Учителя не назначены.", isEmpty: teaching.isEmpty) {
            HTML.table(
                widths: [30, 26, 22, 22], header: ["Класс, группа, поток", "Предмет", "Учитель", "Период"],
                rows: teaching.flatMap { t in
                    let title = "<td>\(e(Self.teachingTitle(t)))</td>"
                    guard !t.teachers.isEmpty else { return ["<tr>\(title)<td>—</td><td>не назначен</td><td>—</td></tr>"] }
                    return t.teachers.map { a in
                        "<tr>\(title)<td>\(e(a.subjectID.map(subjectTitle) ?? "классный руководитель"))</td>"
                            + "<td>\(e(a.teacherID.rawValue))</td><td>\(e(Self.tenure(a)))</td></tr>"
                    }
                })
        }

        h += HTML.section("Каникулы", empty: "Каникул в период нет.", isEmpty: holidays.isEmpty) {
            HTML.table(
                widths: [60, 40], header: ["Каникулы", "Даты"],
                rows: holidays.map { d in
                    "<tr><td>\(e(d.title))</td><td>\(e(Self.dates(d.dates)))</td></tr>"
                })
        }

        h += HTML.section("Рекомендации учителей", empty: "Рекомендаций за период нет.", isEmpty: recommendations.isEmpty) {
            HTML.table(
                widths: [14, 20, 18, 48], header: ["Дата", "Предмет", "Учитель", "Рекомендация"],
                rows: recommendations.map { r in
                    "<tr><td>\(e(Self.date(r.date)))</td><td>\(e(r.subjectID.map(subjectTitle) ?? "—"))</td><td>\(e(r.teacherID.rawValue))</td><td>\(e(r.text))</td></tr>"
                })
        }

        h.append("<div class=\"signatures\">")
        h.append("<p>Классный руководитель: ____________________ / ____________________ /</p>")
        h.append("<p>Подпись родителя (законного представителя): ______</p>")
        h.append("<p>Дата получения: «____» ______________ 20___ г.</p>")
        h.append("</div>")
        h.append("<p class=\"footnote\">\(e(footnote))</p>")
        if let proofs {
            h.append("<h2>Проверка подлинности</h2>")
            h += Self.proofLines(proofs).map { "<p class=\"footnote\">\(e($0))</p>" }
            h.append("<script type=\"application/json\" id=\"schoolledger-proofs\">")
            h += Self.proofBlock(proofs)
            h.append("</script>")
        }
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }

    /// The extract as plain text in Russian, with lines for the class
    /// teacher's and the parent's signatures; with `proofs`, followed by
    /// the signed head, each record's position and the proofs themselves
    /// (see ``renderHTML(proofs:)``).
    public func renderText(proofs: ExtractProofs? = nil) -> String {
        var t = [String]()
        if let schoolName { t.append(schoolName) }
        t.append("ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ДНЕВНИКА")
        t.append("")
        t.append("Обучающийся: \(studentName.map { "\($0) (\(studentID.rawValue))" } ?? studentID.rawValue)")
        if let classID { t.append("Класс: \(className ?? classID.rawValue)") }
        t.append("Период: с \(Self.date(from)) по \(Self.date(to))")
        t.append("")
        t.append("УСПЕВАЕМОСТЬ")
        if subjects.isEmpty { t.append("  Отметок за период нет.") }
        for s in subjects {
            t.append("  \(subjectTitle(s.subjectID))")
            t.append("    Отметки: \(s.marks.isEmpty ? "—" : s.marks.map(Self.mark).joined(separator: "; "))")
            t.append("    Средний взвешенный балл: \(Self.number(s.weightedAverage)); средний балл: \(Self.number(s.plainAverage))")
            if !s.finalMarks.isEmpty {
                t.append(
                    "    Итоговые: \(s.finalMarks.map { "\($0.periodTitle ?? $0.periodID.rawValue): \($0.value.text)" }.joined(separator: "; "))"
                )
            }
        }
        t.append("")
        t.append("ПОСЕЩАЕМОСТЬ")
        t.append("  \(attendanceLine)")
        for a in attendance.entries {
            t.append("  \(Self.date(a.date)), урок \(a.lessonNumber), \(subjectTitle(a.subjectID)): \(a.status.russianName)")
        }
        t.append("")
        t.append("РАСПИСАНИЕ УРОКОВ")
        if timetable.isEmpty { t.append("  Уроков за период нет.") }
        for l in timetable {
            let changes = Self.changes(l)
            t.append(
                "  \(Self.date(l.date)), урок \(l.lessonNumber), \(subjectTitle(l.subjectID)), \(l.teacherID.rawValue)\(changes.isEmpty ? "" : ": \(changes)")"
            )
        }
        t.append("")
        t.append("ДОМАШНИЕ ЗАДАНИЯ")
        if homework.isEmpty { t.append("  Домашних заданий за период нет.") }
        for w in homework {
            t.append("  \(Self.date(w.date)), \(subjectTitle(w.subjectID)): \(w.text) (срок \(Self.date(w.dueDate)))")
        }
        t.append("")
        t.append("КОНТРОЛЬНЫЕ РАБОТЫ")
        if tests.isEmpty { t.append("  Контрольных работ не запланировано.") }
        for test in tests {
            t.append(
                "  \(Self.date(test.date)), \(subjectTitle(test.subjectID)): \(test.workKind.russianName)\(test.topic.map { ", \($0)" } ?? "")"
            )
        }
        t.append("")
        t.append("УЧИТЕЛЯ")
        if teaching.isEmpty { t.append("  Учителя не назначены.") }
        for group in teaching {
            t.append("  \(Self.teachingTitle(group))")
            if group.teachers.isEmpty { t.append("    учитель не назначен") }
            for a in group.teachers {
                t.append("    \(a.subjectID.map(subjectTitle) ?? "классный руководитель"): \(a.teacherID.rawValue), \(Self.tenure(a))")
            }
        }
        t.append("")
        t.append("КАНИКУЛЫ")
        if holidays.isEmpty { t.append("  Каникул в период нет.") }
        for d in holidays { t.append("  \(d.title): \(Self.dates(d.dates))") }
        t.append("")
        t.append("РЕКОМЕНДАЦИИ УЧИТЕЛЕЙ")
        if recommendations.isEmpty { t.append("  Рекомендаций за период нет.") }
        for r in recommendations {
            t.append("  \(Self.date(r.date)), \(r.subjectID.map(subjectTitle) ?? "—"), \(r.teacherID.rawValue): \(r.text)")
        }
        t.append("")
        t.append("Классный руководитель: ____________________ / ____________________ /")
        t.append("")
        t.append("Подпись родителя (законного представителя): ______")
        t.append("")
        t.append("Дата получения: «____» ______________ 20___ г.")
        t.append("")
        t.append(footnote)
        if let proofs {
            t.append("")
            t.append("ПРОВЕРКА ПОДЛИННОСТИ")
            t += Self.proofLines(proofs).map { "  " + $0 }
            t += Self.proofBlock(proofs)
        }
        return t.joined(separator: "\n") + "\n"
    }

    /// What the proofs section says to a reader.
    static func proofLines(_ proofs: ExtractProofs) -> [String] {
        let tree = proofs.head.tree.map { "\($0.size) записей, корень \($0.root)" } ?? "—"
        return [
            "Записи журнала, из которых составлена выписка, входят в журнал, заверенный подписью школы "
                + "(ключ \(proofs.head.publicKey), подписано \(proofs.head.signedAt); дерево журнала: \(tree)).",
            "Позиции записей: \(proofs.records.map { "#\($0.position)" }.joined(separator: ", ")).",
            "Проверить без доступа к журналу: python3 verify_proof.py ВЫПИСКА --public-key КЛЮЧ_ШКОЛЫ "
                + "(Schemas/examples/verify_proof.py; доказательства ниже).",
        ]
    }

    /// The proofs as the verifier finds them: the JSON between two marker lines.
    static func proofBlock(_ proofs: ExtractProofs) -> [String] {
        ["-----BEGIN SCHOOLLEDGER PROOFS-----", proofs.json, "-----END SCHOOLLEDGER PROOFS-----"]
    }

    private var attendanceLine: String {
        "Отмечено уроков: \(attendance.lessonsRecorded); пропущено по уважительной причине: \(attendance.absentExcused); "
            + "без уважительной причины: \(attendance.absentUnexcused); опозданий: \(attendance.late)."
    }

    private var footnote: String {
        "Выписка составлена по данным электронного журнала (позиция журнала \(asOfPosition)). "
            + "Средний взвешенный балл: сумма произведений отметок на их веса, делённая на сумму весов."
    }

    /// `01.09.2026`.
    static func date(_ d: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(d.day)).\(two(d.month)).\(d.year)"
    }

    /// `4,50` (two decimals, a decimal comma), or `—`.
    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100),\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `07.09.2026: 5 (вес 3, классная работа)`.
    static func mark(_ m: ExtractMark) -> String {
        "\(date(m.date)): \(m.value.text) (вес \(m.weight), \(m.workKind.russianName))"
    }

    /// What changed in a lesson: `перенесён`, `замена: T-2`, `отменён`, or nothing.
    static func changes(_ l: TimetableEntry) -> String {
        var out = [String]()
        if l.isMoved { out.append("перенесён") }
        if let substitute = l.substituteID { out.append("замена: \(substitute.rawValue)") }
        if l.isCancelled { out.append("отменён") }
        return out.joined(separator: "; ")
    }

    /// `класс 7А`, `группа Английский-1`, `поток …`, `индивидуальный учебный план`.
    static func teachingTitle(_ t: ExtractTeaching) -> String {
        switch t.target {
        case .class(let id): "класс \(t.name ?? id.rawValue)"
        case .group(let id): "группа \(t.name ?? id.rawValue)"
        case .teachingStream(let id): "поток \(t.name ?? id.rawValue)"
        case .student: "индивидуальный учебный план"
        }
    }

    /// `с 01.09.2026` or `с 01.09.2026 по 31.12.2026`.
    static func tenure(_ a: AssignedTeacher) -> String {
        "с \(date(a.from))" + (a.until.map { " по \(date($0))" } ?? "")
    }

    /// `26.10.2026–03.11.2026`.
    static func dates(_ range: DateRange) -> String {
        "\(date(range.start))–\(date(range.end))"
    }
}
