/// A student's attendance at a lesson is recorded (отметка о посещаемости);
/// at most one per student and lesson, later changes are ``AttendanceCorrected``.
///
/// Who may record it: the subject teacher assigned to that subject and the
/// student's class, group, teaching stream or plan, or the substitute
/// assigned to that lesson. Stream: `lesson/<lessonID>`.
public struct AttendanceMarked: CatalogEvent {
    /// The student.
    public var studentID: StudentID
    /// The lesson.
    public var lessonID: LessonID
    /// Present, absent, absent for a valid reason, or late.
    public var status: AttendanceStatus
    /// Minutes late (опоздание, мин), 1...90, exactly when ``status`` is
    /// ``AttendanceStatus/late``; `nil` otherwise.
    public var minutesLate: Int?

    /// Creates the event.
    public init(studentID: StudentID, lessonID: LessonID, status: AttendanceStatus, minutesLate: Int? = nil) {
        self.studentID = studentID
        self.lessonID = lessonID
        self.status = status
        self.minutesLate = minutesLate
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the ids and the minutes late (1...90, given exactly for a late student).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.id(lessonID, "lesson_id")
        try check.minutesLate(minutesLate, "minutes_late", status: status)
    }
}
