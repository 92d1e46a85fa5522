public import EventLedger

/// A mark as a paper extract prints it.
public struct ExtractMark: Sendable, Hashable, Codable {
    /// The lesson's date.
    public var date: CivilDate
    /// The mark.
    public var value: MarkValue
    /// The weight of the kind of work (1...10).
    public var weight: Int
    /// The kind of work.
    public var workKind: WorkKind
}

/// A final mark (итоговая отметка) of a reporting period that ends within the extract's dates.
public struct ExtractFinalMark: Sendable, Hashable, Codable {
    /// The reporting period.
    public var periodID: ReportingPeriodID
    /// The period's title, e.g. `1 четверть`, when the ledger holds it.
    public var periodTitle: String?
    /// The final mark.
    public var value: MarkValue
}

/// One subject of a paper extract: the marks and their averages.
public struct ExtractSubject: Sendable, Hashable, Codable {
    /// The subject.
    public var subjectID: SubjectID
    /// The marks that count (voided and cancelled ones left out), by date.
    public var marks: [ExtractMark]
    /// Σ(mark × weight) / Σ weight over the numeric marks; `nil` without any.
    public var weightedAverage: Double?
    /// The plain mean of the numeric marks.
    public var plainAverage: Double?
    /// Final marks of reporting periods ending within the extract's dates.
    public var finalMarks: [ExtractFinalMark]
}

/// A lesson the student missed or was late to.
public struct ExtractAbsence: Sendable, Hashable, Codable {
    /// The lesson's date.
    public var date: CivilDate
    /// Its number in the day.
    public var lessonNumber: Int
    /// The subject.
    public var subjectID: SubjectID
    /// Absent (unexcused), absent for a valid reason, or late.
    public var status: AttendanceStatus
}

/// The attendance (посещаемость) part of a paper extract.
public struct ExtractAttendance: Sendable, Hashable, Codable {
    /// Lessons (not cancelled) with the student's attendance recorded.
    public var lessonsRecorded: Int
    /// Lessons missed for a valid reason (по уважительной причине).
    public var absentExcused: Int
    /// Lessons missed without a valid reason (без уважительной причины).
    public var absentUnexcused: Int
    /// Lessons the student was late to.
    public var late: Int
    /// The absences and latenesses, by date.
    public var entries: [ExtractAbsence]
}

/// Homework (домашнее задание) as a paper extract prints it.
public struct ExtractHomework: Sendable, Hashable, Codable {
    /// The date of the lesson it was set in.
    public var date: CivilDate
    /// The subject.
    public var subjectID: SubjectID
    /// What to do.
    public var text: String
    /// When it is due.
    public var dueDate: CivilDate
}

/// A paper extract of a student's diary (выписка из электронного дневника,
/// clause 2) for a parent who has no internet access or refused the
/// electronic form: the school, the class, the period, marks by subject with
/// weighted and plain averages, attendance, homework, tests and teachers'
/// recommendations, as the read models have them (void operations left
/// out). Print it with ``renderHTML()`` or ``renderText()``.
public struct PaperExtract: Sendable, Hashable, Codable {
    /// The school's full name (`SchoolRegistered`), if recorded.
    public var schoolName: String?
    /// The student.
    public var studentID: StudentID
    /// The student's name read through the personal-data vault (or the
    /// erased marker); `nil` when none can be read, and the extract shows the
    /// student id.
    public var studentName: String?
    /// The student's class on the last date (or else the first date) of the extract.
    public var classID: ClassID?
    /// The class's name, e.g. `7А`.
    public var className: String?
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// Marks by subject, in subject-id order.
    public var subjects: [ExtractSubject]
    /// Attendance.
    public var attendance: ExtractAttendance
    /// Homework set in the range, by date.
    public var homework: [ExtractHomework]
    /// Tests in the range and in the two weeks after it.
    public var tests: [ScheduledTest]
    /// Teachers' recommendations given in the range.
    public var recommendations: [DiaryRecommendation]
    /// Subject names by subject id, as the ledger defines them.
    public var subjectNames: [String: String]
    /// The log position the extract reflects.
    public var asOfPosition: UInt64

    /// The id of the extract of `student` for `parent` covering `covers`:
    /// `S-1/P-1/2026-09-01..2026-09-30` (or `…/Q1` for a period), or, when
    /// that is longer than 64 bytes, `PE-` and a name-based UUID of it. The
    /// same extract always gets the same id.
    public static func extractID(student: StudentID, parent: ParentID, covers: ExtractCoverage) -> ExtractID {
        let readable = "\(student.rawValue)/\(parent.rawValue)/\(coverKey(covers))"
        if readable.utf8.count <= 64 { return ExtractID(readable) }
        return ExtractID("PE-\(EventID.derived(from: "paper-extract-id/\(readable)"))")
    }

    static func coverKey(_ covers: ExtractCoverage) -> String {
        switch covers {
        case .period(let id): id.rawValue
        case .dates(let range): "\(range.start)..\(range.end)"
        }
    }

    /// The subject's name, or its id when the ledger has no name for it.
    public func subjectTitle(_ id: SubjectID) -> String { subjectNames[id.rawValue] ?? id.rawValue }

    /// The student's name when known, else `ученик <id>`.
    var studentTitle: String { studentName ?? "ученик \(studentID.rawValue)" }
}

extension SchoolJournal {
    /// A paper extract of `student`'s diary for the school dates `from`
    /// through `to` (clause 2), as of now or of a past position / instant.
    ///
    /// - Throws: ``SchoolValidationError`` for an unknown student or `to` before `from`.
    func paperExtract(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> PaperExtract {
        guard from <= to else {
            throw SchoolValidationError(eventType: "query", field: "to", value: to.description, rule: "must not be before from (\(from))")
        }
        guard try ledger.read({ try $0.streamVersion(SchoolStream.student(student)) }) > 0 else {
            throw SchoolValidationError(
                eventType: "query", field: "student", value: student.rawValue,
                rule: "must name a student the ledger holds (StudentEnrolled)")
        }
        // The diary and the marks at one position: pinned when the head moved between the two reads.
        var diary = try self.diary(of: student, from: from, to: to, asOf: asOf)
        var marks = try self.marks(of: student, from: from, to: to, asOf: asOf)
        if marks.asOfPosition != diary.asOfPosition {
            let pinned = AsOf.position(min(marks.asOfPosition, diary.asOfPosition))
            diary = try self.diary(of: student, from: from, to: to, asOf: pinned)
            marks = try self.marks(of: student, from: from, to: to, asOf: pinned)
        }
        let last = diary.asOfPosition
        let facts = try ledger.read { reader in try ExtractFacts(student: student, through: last, reader: reader) }

        let classID = facts.classOf(on: to) ?? facts.classOf(on: from)
        let subjects = marks.subjects.map { subject in
            ExtractSubject(
                subjectID: subject.subjectID,
                marks: subject.marks.map { ExtractMark(date: $0.date, value: $0.value, weight: $0.weight, workKind: $0.workKind) },
                weightedAverage: subject.weightedAverage, plainAverage: subject.plainAverage,
                finalMarks: subject.finalMarks.compactMap { final in
                    guard let period = facts.periods[final.periodID], period.dates.end >= from, period.dates.end <= to else { return nil }
                    return ExtractFinalMark(periodID: final.periodID, periodTitle: period.title, value: final.value)
                })
        }.filter { !$0.marks.isEmpty || !$0.finalMarks.isEmpty }
        var attendance = ExtractAttendance(lessonsRecorded: 0, absentExcused: 0, absentUnexcused: 0, late: 0, entries: [])
        var homework = [ExtractHomework]()
        for lesson in diary.lessons where !lesson.isCancelled {
            homework += lesson.homework.map {
                ExtractHomework(date: lesson.date, subjectID: lesson.subjectID, text: $0.text, dueDate: $0.dueDate)
            }
            guard let status = lesson.attendance else { continue }
            attendance.lessonsRecorded += 1
            switch status {
            case .present: continue
            case .absent: attendance.absentUnexcused += 1
            case .absentExcused: attendance.absentExcused += 1
            case .late: attendance.late += 1
            }
            attendance.entries.append(
                ExtractAbsence(date: lesson.date, lessonNumber: lesson.lessonNumber, subjectID: lesson.subjectID, status: status))
        }
        return PaperExtract(
            schoolName: facts.schoolName, studentID: student, studentName: try studentName(student), classID: classID,
            className: classID.flatMap { facts.classNames[$0] }, from: from, to: to, subjects: subjects, attendance: attendance,
            homework: homework, tests: diary.tests, recommendations: diary.recommendations,
            subjectNames: Dictionary(facts.subjectNames.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a }),
            asOfPosition: last)
    }
}

/// The names and dates an extract prints, read from the log up to a position
/// with void operations left out.
private struct ExtractFacts {
    var schoolName: String?
    var studentEvents = [SchoolEvent]()
    var classNames = [ClassID: String]()
    var subjectNames = [SubjectID: String]()
    var periods = [ReportingPeriodID: ReportingPeriodDefined]()

    init(student: StudentID, through last: UInt64, reader: borrowing LedgerReader) throws {
        let voided = try CompromiseRegister.read(reader, through: last).allVoided
        func events(_ stream: String) throws -> [SchoolEvent] {
            var out = [SchoolEvent]()
            try reader.forEach(inStream: stream) { view in
                guard view.position <= last else { return false }
                if !voided.contains(view.position), let event = EventCoding.decodedEvent(view) { out.append(event) }
                return true
            }
            return out
        }
        for case .schoolRegistered(let e) in try events(SchoolStream.school) { schoolName = e.fullName }
        studentEvents = try events(SchoolStream.student(student))
        var classes = Set<ClassID>()
        for event in studentEvents {
            if case .studentEnrolled(let e) = event { classes.insert(e.classID) }
            if case .studentTransferred(let e) = event { classes.insert(e.toClassID) }
        }
        for c in classes {
            for case .classFormed(let e) in try events(SchoolStream.class(c)) { classNames[c] = e.name }
        }
        var streams = [String]()
        try reader.forEachStream(withPrefix: "subject/") { stream, _ in
            streams.append(stream); return true
        }
        for stream in streams {
            for case .subjectDefined(let e) in try events(stream) { subjectNames[e.subjectID] = e.name }
        }
        streams = []
        try reader.forEachStream(withPrefix: "year/") { stream, _ in
            streams.append(stream); return true
        }
        for stream in streams {
            for case .reportingPeriodDefined(let e) in try events(stream) { periods[e.periodID] = e }
        }
    }

    func classOf(on date: CivilDate) -> ClassID? { SchoolFolds.classOf(studentEvents, on: date) }
}

// MARK: Rendering

extension PaperExtract {
    /// The extract as one self-contained HTML page in Russian (`lang="ru"`),
    /// with inline print CSS for A4 portrait (`@page { size: A4; margin: 15mm }`),
    /// every value HTML-escaped, and lines for the class teacher's and the
    /// parent's signatures.
    public func renderHTML() -> String {
        let e = Self.escape
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

        h.append("<h2>Успеваемость</h2>")
        if subjects.isEmpty {
            h.append("<p>Отметок за период нет.</p>")
        } else {
            h.append("<table>")
            h.append(
                "<colgroup><col style=\"width: 22%\"><col style=\"width: 44%\"><col style=\"width: 11%\"><col style=\"width: 11%\"><col style=\"width: 12%\"></colgroup>"
            )
            h.append(
                "<thead><tr><th>Предмет</th><th>Отметки (дата, вес)</th><th>Средний взвешенный</th><th>Средний</th><th>Итоговые</th></tr></thead>"
            )
            h.append("<tbody>")
            for s in subjects {
                let marks = s.marks.map { e(Self.mark($0)) }.joined(separator: "<br>")
                let finals = s.finalMarks.map { e("\($0.periodTitle ?? $0.periodID.rawValue): \($0.value.text)") }.joined(separator: "<br>")
                h.append(
                    "<tr><td>\(e(subjectTitle(s.subjectID)))</td><td>\(marks)</td><td class=\"num\">\(e(Self.number(s.weightedAverage)))</td>"
                        + "<td class=\"num\">\(e(Self.number(s.plainAverage)))</td><td>\(finals)</td></tr>")
            }
            h.append("</tbody>")
            h.append("</table>")
        }

        h.append("<h2>Посещаемость</h2>")
        h.append("<p>\(e(attendanceLine))</p>")
        if !attendance.entries.isEmpty {
            h.append("<table>")
            h.append("<thead><tr><th>Дата</th><th>Урок</th><th>Предмет</th><th>Отметка</th></tr></thead>")
            h.append("<tbody>")
            for a in attendance.entries {
                h.append(
                    "<tr><td>\(e(Self.date(a.date)))</td><td class=\"num\">\(a.lessonNumber)</td><td>\(e(subjectTitle(a.subjectID)))</td>"
                        + "<td>\(e(Self.attendance(a.status)))</td></tr>")
            }
            h.append("</tbody>")
            h.append("</table>")
        }

        h.append("<h2>Домашние задания</h2>")
        if homework.isEmpty {
            h.append("<p>Домашних заданий за период нет.</p>")
        } else {
            h.append("<table>")
            h.append(
                "<colgroup><col style=\"width: 14%\"><col style=\"width: 22%\"><col style=\"width: 50%\"><col style=\"width: 14%\"></colgroup>"
            )
            h.append("<thead><tr><th>Дата</th><th>Предмет</th><th>Задание</th><th>Срок</th></tr></thead>")
            h.append("<tbody>")
            for w in homework {
                h.append(
                    "<tr><td>\(e(Self.date(w.date)))</td><td>\(e(subjectTitle(w.subjectID)))</td><td>\(e(w.text))</td><td>\(e(Self.date(w.dueDate)))</td></tr>"
                )
            }
            h.append("</tbody>")
            h.append("</table>")
        }

        h.append("<h2>Контрольные работы</h2>")
        if tests.isEmpty {
            h.append("<p>Контрольных работ не запланировано.</p>")
        } else {
            h.append("<table>")
            h.append("<thead><tr><th>Дата</th><th>Предмет</th><th>Вид работы</th><th>Тема</th></tr></thead>")
            h.append("<tbody>")
            for t in tests {
                h.append(
                    "<tr><td>\(e(Self.date(t.date)))</td><td>\(e(subjectTitle(t.subjectID)))</td><td>\(e(t.workKind.russianName))</td><td>\(e(t.topic ?? ""))</td></tr>"
                )
            }
            h.append("</tbody>")
            h.append("</table>")
        }

        h.append("<h2>Рекомендации учителей</h2>")
        if recommendations.isEmpty {
            h.append("<p>Рекомендаций за период нет.</p>")
        } else {
            h.append("<table>")
            h.append(
                "<colgroup><col style=\"width: 14%\"><col style=\"width: 20%\"><col style=\"width: 18%\"><col style=\"width: 48%\"></colgroup>"
            )
            h.append("<thead><tr><th>Дата</th><th>Предмет</th><th>Учитель</th><th>Рекомендация</th></tr></thead>")
            h.append("<tbody>")
            for r in recommendations {
                h.append(
                    "<tr><td>\(e(Self.date(r.date)))</td><td>\(e(r.subjectID.map(subjectTitle) ?? "—"))</td><td>\(e(r.teacherID.rawValue))</td><td>\(e(r.text))</td></tr>"
                )
            }
            h.append("</tbody>")
            h.append("</table>")
        }

        h.append("<div class=\"signatures\">")
        h.append("<p>Классный руководитель: ____________________ / ____________________ /</p>")
        h.append("<p>Подпись родителя (законного представителя): ______</p>")
        h.append("<p>Дата получения: «____» ______________ 20___ г.</p>")
        h.append("</div>")
        h.append("<p class=\"footnote\">\(e(footnote))</p>")
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }

    /// The extract as plain text in Russian, with lines for the class
    /// teacher's and the parent's signatures.
    public func renderText() -> String {
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
            t.append("  \(Self.date(a.date)), урок \(a.lessonNumber), \(subjectTitle(a.subjectID)): \(Self.attendance(a.status))")
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
        return t.joined(separator: "\n") + "\n"
    }

    private var attendanceLine: String {
        "Отмечено уроков: \(attendance.lessonsRecorded); пропущено по уважительной причине: \(attendance.absentExcused); "
            + "без уважительной причины: \(attendance.absentUnexcused); опозданий: \(attendance.late)."
    }

    private var footnote: String {
        "Выписка составлена по данным электронного журнала (позиция журнала \(asOfPosition)). "
            + "Средний взвешенный балл: сумма произведений отметок на их веса, делённая на сумму весов."
    }

    /// `&`, `<`, `>`, `"` and `'` as HTML entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
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

    static func attendance(_ status: AttendanceStatus) -> String {
        switch status {
        case .present: "присутствовал(а)"
        case .absent: "н — без уважительной причины"
        case .absentExcused: "у — по уважительной причине"
        case .late: "оп — опоздание"
        }
    }
}

// MARK: Recording that an extract was handed over

extension AccountSession {
    /// Records that a paper extract of `student`'s diary covering `covers`
    /// was handed to `parent` (`PaperExtractIssued`), checked against this
    /// account's rights first (the class teacher of the student's class).
    ///
    /// The extract id and the event id are derived from the student, the
    /// parent and what the extract covers (``PaperExtract/extractID(student:parent:covers:)``),
    /// so recording the same extract again appends nothing and returns the
    /// original position (`wasDuplicate`).
    ///
    /// - Parameters:
    ///   - student: the student whose diary the extract shows.
    ///   - parent: the parent who received it.
    ///   - covers: the dates or the reporting period it covers.
    ///   - reason: why the parent gets paper; `nil` takes the reason
    ///     the parents' view gives today (``ParentChildStatus/paperExtractReason``).
    ///   - occurredAt: when it was handed over.
    /// - Throws: ``AccessDenied`` when this account may not record it;
    ///   ``SchoolValidationError`` when `reason` is `nil` and `parent` is not
    ///   linked to `student` today or needs no paper extract (reads the diary
    ///   electronically), when another account already recorded this
    ///   extract, or when a field breaks its rule. Nothing is appended then.
    @discardableResult
    public func recordPaperExtract(
        student: StudentID, parent: ParentID, covers: ExtractCoverage, reason: ExtractReason? = nil,
        occurredAt: Instant
    ) async throws -> AppendResult {
        let extractID = PaperExtract.extractID(student: student, parent: parent, covers: covers)
        let id = EventID.derived(from: "paper-extract/\(extractID.rawValue)")
        func entry(_ reason: ExtractReason) -> JournalEntry {
            JournalEntry(
                id: id,
                event: .paperExtractIssued(
                    PaperExtractIssued(
                        extractID: extractID, studentID: student, parentID: parent,
                        covers: covers, reason: reason)),
                actor: account, occurredAt: occurredAt)
        }
        // The rights first (the reason does not change them), also for a repeat,
        // which the journal would otherwise answer from the log unchecked.
        let now = journal.ledger.options.clock.now()
        let journal = self.journal
        let (today, original) = try journal.ledger.read { reader -> (CivilDate, RecordedJournalEntry?) in
            var facts = JournalFacts(compromiseRegister: journal.compromiseRegister)
            facts.now = now
            let today = try facts.today(at: now, reader: reader)
            try AccessPolicy.authorize(entry(reason ?? .noInternet), today: today, facts: &facts, reader: reader)
            guard let position = try reader.position(of: id), let view = try reader.record(at: position) else { return (today, nil) }
            return (today, try EventCoding.entry(from: view))
        }
        if let original {
            guard original.entry.actor == account else {
                throw SchoolValidationError(
                    eventType: PaperExtractIssued.eventType, field: "extract_id", value: extractID.rawValue,
                    rule: "was already recorded as handed over by \(original.entry.actor) at position \(original.position)")
            }
            // The same extract again: resend the original, which the ledger answers with its position.
            return try await journal.record([original.entry])
        }
        if let reason { return try await journal.record([entry(reason)]) }
        let due = try journal.withIndex(.now) { index -> ExtractReason? in
            var folds = QueryFolds()
            guard try folds.parents(of: student, on: today, index: index).contains(parent) else {
                throw SchoolValidationError(
                    eventType: PaperExtractIssued.eventType, field: "parent_id", value: parent.rawValue,
                    rule: "must be a parent linked to \(student) on \(today)")
            }
            return try folds.status(of: parent, children: [student], index: index).children.first?.paperExtractReason
        }
        guard let due else {
            throw SchoolValidationError(
                eventType: PaperExtractIssued.eventType, field: "parent_id", value: parent.rawValue,
                rule:
                    "must be a parent who gets paper extracts for \(student) (refused the electronic form, gave no consent, or has no access); this parent reads the diary electronically"
            )
        }
        return try await journal.record([entry(due)])
    }
}

extension SchoolJournal {
    /// The student's name for an extract, read through the vault: the full
    /// name, the erased marker, or `nil` when no name can be read.
    fileprivate func studentName(_ student: StudentID) throws -> String? {
        let name = try displayName(of: PersonID(student))
        return name == student.rawValue ? nil : name
    }
}
