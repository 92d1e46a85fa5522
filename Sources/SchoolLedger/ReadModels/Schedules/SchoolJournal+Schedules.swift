import EventLedger

extension SchoolJournal {
    /// A class's timetable for a date range: its own lessons, its groups' and
    /// its teaching streams', with substitutions, moves and cancellations.
    func timetable(of classID: ClassID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            let targets = try folds.targets(ofClass: classID, reader: index)
            var entries = [TimetableEntry]()
            for target in targets {
                entries += try folds.lessons(of: target, from: from, to: to, index: index, includeCancelled: true).map(Self.entry)
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
                    entries.append(Self.entry(lesson))
                }
                return true
            }
            return Timetable(
                owner: "teacher \(teacher)", from: from, to: to, entries: entries.sorted(by: Self.order), asOfPosition: index.checkpoint)
        }
    }

    private static func entry(_ lesson: SchoolFolds.Lesson) -> TimetableEntry {
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
            for target in try folds.targets(ofClass: classID, reader: index) {
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
                return Holiday(holidayID: h.holidayID, title: h.title, dates: h.dates, gradeLevels: h.gradeLevels)
            }.sorted { $0.dates.start < $1.dates.start }
        }
    }

    /// The teachers working with a class (its class teacher and subject
    /// teachers), a study group, a teaching stream or a student on an
    /// individual plan, as assigned on `date`.
    func teachers(of target: TeachingTarget, on date: CivilDate, asOf: AsOf = .now) throws -> [AssignedTeacher] {
        try withIndex(asOf) { index in
            var classTeacher: AssignedTeacher?
            var subjects = [SubjectID: AssignedTeacher]()
            for recorded in try index.journalEntries(target.stream) {
                switch recorded.entry.event {
                case .classTeacherAssigned(let e) where e.effectiveDate <= date:
                    classTeacher = AssignedTeacher(teacherID: e.teacherID, subjectID: nil, from: e.effectiveDate, until: nil)
                case .teacherAssigned(let e) where e.target == target && e.effectiveDate <= date && (e.endDate.map { $0 >= date } ?? true):
                    subjects[e.subjectID] = AssignedTeacher(
                        teacherID: e.teacherID, subjectID: e.subjectID, from: e.effectiveDate, until: e.endDate)
                default:
                    break
                }
            }
            return (classTeacher.map { [$0] } ?? []) + subjects.keys.sorted().map { subjects[$0]! }
        }
    }
}
