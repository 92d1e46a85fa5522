import EventLedger

/// A teacher working with a class, group, teaching stream or student.
public struct AssignedTeacher: Sendable, Hashable, Codable {
    /// The teacher's account.
    public var teacherID: AccountID
    /// The subject taught; `nil` for the class teacher (классный руководитель).
    public var subjectID: SubjectID?
    /// Since when.
    public var from: CivilDate
    /// Until when, if the assignment ends.
    public var until: CivilDate?
}

/// A holiday (каникулы) of the school year.
public struct Holiday: Sendable, Hashable, Codable {
    /// The holiday.
    public var holidayID: HolidayID
    /// Its title.
    public var title: String
    /// Its dates.
    public var dates: DateRange
    /// The grades it is for (empty: every grade).
    public var gradeLevels: [Int]
}

extension SchoolJournal {
    /// The tests (контрольные работы) of a class in a reporting period or
    /// date range: the class's own, its groups' and its teaching streams'.
    func testSchedule(
        of classID: ClassID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> [ScheduledTest] {
        try withIndex(asOf) { index in
            var folds = QueryFolds()
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
