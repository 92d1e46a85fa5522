import EventLedger

/// A homework (домашнее задание) as the diary shows it.
public struct DiaryHomework: Sendable, Hashable, Codable {
    /// The homework.
    public var homeworkID: HomeworkID
    /// What to do (after any amendment).
    public var text: String
    /// When it is due.
    public var dueDate: CivilDate
}

/// A lesson in a student's diary, with moves and substitutions applied and flagged.
public struct DiaryLesson: Sendable, Hashable, Codable {
    /// The lesson.
    public var lessonID: LessonID
    /// Its date (after any move).
    public var date: CivilDate
    /// Its number in the day (after any move).
    public var lessonNumber: Int
    /// The subject.
    public var subjectID: SubjectID
    /// The scheduled teacher.
    public var teacherID: AccountID
    /// The substitute teacher (замена), if one was assigned.
    public var substituteID: AccountID?
    /// Whether the lesson was moved (перенос) from its scheduled date or slot.
    public var isMoved: Bool
    /// Whether the lesson was cancelled.
    public var isCancelled: Bool
    /// The topic, once conducted.
    public var topic: String?
    /// Homework set in the lesson.
    public var homework: [DiaryHomework]
    /// The student's marks in the lesson.
    public var marks: [MarkValue]
    /// The student's attendance, if recorded.
    public var attendance: AttendanceStatus?
}

/// A teacher's recommendation (рекомендация) in the diary.
public struct DiaryRecommendation: Sendable, Hashable, Codable {
    /// The recommendation.
    public var recommendationID: RecommendationID
    /// The subject, if it is about one.
    public var subjectID: SubjectID?
    /// The text.
    public var text: String
    /// The day it was given (UTC date of when it happened).
    public var date: CivilDate
    /// The teacher who gave it.
    public var teacherID: AccountID
}

/// A student's diary (электронный дневник) for a date range.
public struct StudentDiary: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// The lessons, by date and number.
    public var lessons: [DiaryLesson]
    /// Tests in the range and in the two weeks after it (coming up).
    public var tests: [ScheduledTest]
    /// Recommendations given in the range.
    public var recommendations: [DiaryRecommendation]
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}
