/// A lesson is cancelled (отмена урока). Its marks and attendance, if any,
/// are no longer shown.
///
/// Who may record it: admin, deputy head. Stream: `lesson/<lessonID>`.
public struct LessonCancelled: CatalogEvent {
    /// The lesson.
    public var lessonID: LessonID
    /// Why (причина отмены), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(lessonID: LessonID, reason: String? = nil) {
        self.lessonID = lessonID
        self.reason = reason
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
