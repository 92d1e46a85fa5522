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

    /// Reads the stored form.
    package init(stored: Schoolledger_V1_LessonCancelled, schemaVersion: UInt32) throws(SchoolSchemaError) {
        _ = try Self.reader(version: schemaVersion)
        self.init(lessonID: LessonID(stored.lessonID), reason: stored.reason.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_LessonCancelled {
        var s = Schoolledger_V1_LessonCancelled()
        s.lessonID = lessonID.rawValue
        s.reason = reason ?? ""
        return s
    }

    /// Checks the id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
