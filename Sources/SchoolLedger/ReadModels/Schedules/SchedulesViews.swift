import EventLedger

/// A test (контрольная работа) in the schedule.
public struct ScheduledTest: Sendable, Hashable, Codable {
    /// The test.
    public var testID: TestID
    /// The subject.
    public var subjectID: SubjectID
    /// Its date (after any move).
    public var date: CivilDate
    /// The kind of work.
    public var workKind: WorkKind
    /// Its topic, if given.
    public var topic: String?
}

/// A line of a timetable (расписание).
public struct TimetableEntry: Sendable, Hashable, Codable {
    /// The date (after any move).
    public var date: CivilDate
    /// The lesson number (after any move).
    public var lessonNumber: Int
    /// The lesson.
    public var lessonID: LessonID
    /// The subject.
    public var subjectID: SubjectID
    /// Who is taught.
    public var target: String
    /// The scheduled teacher.
    public var teacherID: AccountID
    /// The substitute teacher, if any.
    public var substituteID: AccountID?
    /// Whether the lesson was moved.
    public var isMoved: Bool
    /// Whether the lesson was cancelled.
    public var isCancelled: Bool
}

/// A class's or a teacher's timetable for a date range (usually a week).
public struct Timetable: Sendable, Hashable, Codable {
    /// Whose timetable: `class 7A` or `teacher <id>`.
    public var owner: String
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// The lessons, by date and number.
    public var entries: [TimetableEntry]
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}

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
