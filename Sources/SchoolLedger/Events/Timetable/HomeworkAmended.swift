/// Homework is changed (изменение домашнего задания); the new version is
/// given in full.
///
/// Who may record it: the teacher who set it, or the subject teacher now
/// assigned to that subject and target. Stream: `homework/<homeworkID>`.
public struct HomeworkAmended: CatalogEvent {
    /// The homework.
    public var homeworkID: HomeworkID
    /// The new text (текст задания), 1...8000 bytes; may span lines.
    public var text: String
    /// The new due day.
    public var dueDate: CivilDate
    /// The lesson it is now due for; `nil`: not given.
    public var dueLessonID: LessonID?
    /// Why (причина изменения), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(homeworkID: HomeworkID, text: String, dueDate: CivilDate, dueLessonID: LessonID? = nil, reason: String? = nil) {
        self.homeworkID = homeworkID
        self.text = text
        self.dueDate = dueDate
        self.dueLessonID = dueLessonID
        self.reason = reason
    }

    /// `homework/<homeworkID>`.
    package var stream: String { SchoolStream.homework(homeworkID) }

    /// Checks the ids, the text (1...8000 bytes) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(homeworkID, "homework_id")
        try check.text(text, "text", maxBytes: 8000, .paragraph)
        try check.id(dueLessonID, "due_lesson_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
