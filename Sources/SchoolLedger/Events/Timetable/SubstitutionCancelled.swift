/// A substitution is withdrawn and the scheduled teacher takes the lesson
/// again (отмена замены).
///
/// Who may record it: admin, deputy head. Stream: `lesson/<lessonID>`.
public struct SubstitutionCancelled: CatalogEvent {
    /// The lesson.
    public var lessonID: LessonID
    /// The substitute teacher's account whose substitution ends.
    public var substituteTeacherID: AccountID
    /// Why, 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(lessonID: LessonID, substituteTeacherID: AccountID, reason: String? = nil) {
        self.lessonID = lessonID
        self.substituteTeacherID = substituteTeacherID
        self.reason = reason
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the ids and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.id(substituteTeacherID, "substitute_teacher_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
