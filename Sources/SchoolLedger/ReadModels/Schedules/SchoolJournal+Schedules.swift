import EventLedger

extension SchoolJournal {
    /// A class's timetable for a date range: its own lessons, its groups' and
    /// its teaching streams', with substitutions, moves and cancellations.
    func timetable(of classID: ClassID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            let targets = try folds.targets(ofClass: classID, index: index)
            var entries = [TimetableEntry]()
            for target in targets {
                entries += try folds.lessons(of: target, from: from, to: to, index: index, includeCancelled: true).map(Self.timetableEntry)
            }
            return Timetable(
                owner: "class \(classID)", from: from, to: to, entries: entries.sorted(by: Self.order), asOfPosition: index.checkpoint)
        }
    }

    /// A teacher's timetable for a date range: the lessons they teach or
    /// substitute in, with moves and cancellations.
    func timetable(ofTeacher teacher: AccountID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            var entries = [TimetableEntry]()
            var seen = Set<LessonID>()
            try index.forEach("lessons-by-teacher", prefix: RowKey.prefix(teacher.rawValue)) { key, _ in
                let parts = RowKey.parts(key)
                guard parts.count == 4 else { return true }
                let id = LessonID(parts[3])
                if !seen.contains(id), let lesson = try folds.lesson(id, reader: index), lesson.date >= from, lesson.date <= to,
                    lesson.substituteID == teacher || (lesson.teacherID == teacher)
                {
                    seen.insert(id)
                    entries.append(Self.timetableEntry(lesson))
                }
                return true
            }
            return Timetable(
                owner: "teacher \(teacher)", from: from, to: to, entries: entries.sorted(by: Self.order), asOfPosition: index.checkpoint)
        }
    }

    /// A lesson as a timetable line.
    static func timetableEntry(_ lesson: SchoolFolds.Lesson) -> TimetableEntry {
        TimetableEntry(
            date: lesson.date, lessonNumber: lesson.lessonNumber, lessonID: lesson.lessonID, subjectID: lesson.subjectID,
            target: lesson.target.description, teacherID: lesson.teacherID, substituteID: lesson.substituteID,
            isMoved: lesson.isMoved, isCancelled: lesson.isCancelled)
    }

    private static func order(_ a: TimetableEntry, _ b: TimetableEntry) -> Bool {
        (a.date, a.lessonNumber, a.lessonID) < (b.date, b.lessonNumber, b.lessonID)
    }
}

extension SchoolJournal {
    /// The tests (контрольные работы) of a class in a reporting period or
    /// date range: the class's own, its groups' and its teaching streams'.
    func testSchedule(
        of classID: ClassID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> [ScheduledTest] {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            let (start, end) = try folds.range(period: period, from: from, to: to, index: index)
            var tests = [ScheduledTest]()
            for target in try folds.targets(ofClass: classID, index: index) {
                tests += try folds.tests(of: target, from: start, to: end, index: index)
            }
            return tests.sorted { ($0.date, $0.testID) < ($1.date, $1.testID) }
        }
    }

    /// The holidays of an academic year.
    func holidays(of year: AcademicYearID, asOf: AsOf = .now) throws -> [Holiday] {
        try withIndex(asOf) { index in
            try index.journalEntries(SchoolStream.year(year)).compactMap { recorded -> Holiday? in
                guard case .holidayPeriodDeclared(let h) = recorded.entry.event else { return nil }
                return Holiday(h)
            }.sorted { $0.dates.start < $1.dates.start }
        }
    }

    /// The teachers working with a class (its class teacher and subject
    /// teachers), a study group, a teaching stream or a student on an
    /// individual plan, as assigned on `date`.
    func teachers(of target: TeachingTarget, on date: CivilDate, asOf: AsOf = .now) throws -> [AssignedTeacher] {
        try withIndex(asOf) { index in
            Self.assignedTeachers(try index.journalEntries(target.stream), of: target, on: [date]).map(\.teacher)
        }
    }

    /// The assignments among `entries` (the stream of `target`) in force on
    /// at least one of `days`, each with its record's position: on a day,
    /// the class teacher is the last assigned with an effective date not
    /// after it, and a subject's teacher the last assigned whose dates
    /// cover it. The class teachers come first, then the subject teachers
    /// by subject and start.
    static func assignedTeachers(_ entries: [RecordedJournalEntry], of target: TeachingTarget, on days: [CivilDate]) -> [(
        teacher: AssignedTeacher, position: UInt64
    )] {
        var classTeachers = [(teacher: AssignedTeacher, position: UInt64)]()
        var subjectTeachers = [(subject: SubjectID, teacher: AssignedTeacher, position: UInt64)]()
        for recorded in entries {
            switch recorded.entry.event {
            case .classTeacherAssigned(let e):
                classTeachers.append(
                    (AssignedTeacher(teacherID: e.teacherID, subjectID: nil, from: e.effectiveDate, until: nil), recorded.position))
            case .teacherAssigned(let e) where e.target == target:
                let teacher = AssignedTeacher(teacherID: e.teacherID, subjectID: e.subjectID, from: e.effectiveDate, until: e.endDate)
                subjectTeachers.append((e.subjectID, teacher, recorded.position))
            default:
                break
            }
        }
        var inForce = Set<UInt64>()
        for day in days {
            if let current = classTeachers.last(where: { $0.teacher.from <= day }) { inForce.insert(current.position) }
            var bySubject = [SubjectID: UInt64]()
            for s in subjectTeachers where s.teacher.from <= day && (s.teacher.until.map { $0 >= day } ?? true) {
                bySubject[s.subject] = s.position
            }
            inForce.formUnion(bySubject.values)
        }
        let subjects = subjectTeachers.filter { inForce.contains($0.position) }.sorted {
            ($0.subject, $0.teacher.from, $0.position) < ($1.subject, $1.teacher.from, $1.position)
        }
        return classTeachers.filter { inForce.contains($0.position) } + subjects.map { ($0.teacher, $0.position) }
    }
}

extension Holiday {
    /// The holiday a declaration declares.
    init(_ declared: HolidayPeriodDeclared) {
        self.init(holidayID: declared.holidayID, title: declared.title, dates: declared.dates, gradeLevels: declared.gradeLevels)
    }
}
