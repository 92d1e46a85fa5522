import EventLedger

extension AccountSession {
    /// A class's timetable for the school dates `from` through `to`.
    public func timetable(of classID: ClassID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try read(.classTimetable(classID), detail: "\(classID)", subjects: { _ in [] }) {
            try journal.timetable(of: classID, from: from, to: to, asOf: asOf)
        }
    }

    /// A teacher's timetable for the school dates `from` through `to`.
    public func timetable(ofTeacher teacher: AccountID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try read(.teacherTimetable(teacher), detail: "\(teacher)", subjects: { _ in [] }) {
            try journal.timetable(ofTeacher: teacher, from: from, to: to, asOf: asOf)
        }
    }

    /// A class's test schedule, in a period or between dates.
    public func testSchedule(
        of classID: ClassID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> [ScheduledTest] {
        try read(.testSchedule(classID), detail: "\(classID)", subjects: { _ in [] }) {
            try journal.testSchedule(of: classID, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The holidays of an academic year, for any account of the school.
    public func holidays(of year: AcademicYearID, asOf: AsOf = .now) throws -> [Holiday] {
        try read(.holidays, detail: "\(year)", subjects: { _ in [] }) { try journal.holidays(of: year, asOf: asOf) }
    }

    /// The teachers working with a class, group, stream or student on a date.
    public func teachers(of target: TeachingTarget, on date: CivilDate, asOf: AsOf = .now) throws -> [AssignedTeacher] {
        try read(.teachers(target), detail: "\(target) \(date)", subjects: { _ in [] }) {
            try journal.teachers(of: target, on: date, asOf: asOf)
        }
    }
}
