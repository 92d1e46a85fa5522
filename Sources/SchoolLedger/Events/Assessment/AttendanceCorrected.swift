/// A student's attendance at a lesson is changed (исправление
/// посещаемости), e.g. an absence becomes excused when a note arrives.
///
/// Who may record it: as for marks, the teacher who marked it within the
/// school's edit window; after it, the deputy head. Stream: `lesson/<lessonID>`.
public struct AttendanceCorrected: CatalogEvent {
    /// The student.
    public var studentID: StudentID
    /// The lesson.
    public var lessonID: LessonID
    /// The new status.
    public var newStatus: AttendanceStatus
    /// Minutes late, 1...90, exactly when ``newStatus`` is ``AttendanceStatus/late``; `nil` otherwise.
    public var newMinutesLate: Int?
    /// Why (причина), 1...1000 bytes; `nil`: not given. Must not contain
    /// personal data (no diagnosis: `справка` is enough).
    public var reason: String?

    /// Creates the event.
    public init(
        studentID: StudentID, lessonID: LessonID, newStatus: AttendanceStatus, newMinutesLate: Int? = nil, reason: String? = nil
    ) {
        self.studentID = studentID
        self.lessonID = lessonID
        self.newStatus = newStatus
        self.newMinutesLate = newMinutesLate
        self.reason = reason
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the ids, the minutes late (1...90, given exactly for a late
    /// student) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.id(lessonID, "lesson_id")
        try check.minutesLate(newMinutesLate, "new_minutes_late", status: newStatus)
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
