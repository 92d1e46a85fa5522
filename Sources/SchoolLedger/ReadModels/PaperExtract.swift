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
