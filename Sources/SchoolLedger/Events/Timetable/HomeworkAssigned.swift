/// Homework is set at a lesson (домашнее задание).
///
/// Who may record it: the subject teacher assigned to that subject and
/// target, or the substitute assigned to that lesson. Stream:
/// `homework/<homeworkID>` (the homework's own stream, since its amendments
/// name only the homework).
public struct HomeworkAssigned: CatalogEvent {
    /// The homework's id, 1...64 bytes.
    public var homeworkID: HomeworkID
    /// The lesson it was set at.
    public var lessonID: LessonID
    /// What to do (текст задания), 1...8000 bytes; may span lines.
    public var text: String
    /// The day it is due (срок выполнения).
    public var dueDate: CivilDate
    /// The lesson it is due for, when known; `nil` otherwise.
    public var dueLessonID: LessonID?

    /// Creates the event.
    public init(homeworkID: HomeworkID, lessonID: LessonID, text: String, dueDate: CivilDate, dueLessonID: LessonID? = nil) {
        self.homeworkID = homeworkID
        self.lessonID = lessonID
        self.text = text
        self.dueDate = dueDate
        self.dueLessonID = dueLessonID
    }

    /// `homework/<homeworkID>`.
    package var stream: String { SchoolStream.homework(homeworkID) }

    /// Reads the stored form; the due date is required.
    package init(stored: Schoolledger_V1_HomeworkAssigned, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            homeworkID: HomeworkID(stored.homeworkID), lessonID: LessonID(stored.lessonID), text: stored.text,
            dueDate: try read.date(stored.dueDate, "due_date"), dueLessonID: LessonID(storedOptional: stored.dueLessonID))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_HomeworkAssigned {
        var s = Schoolledger_V1_HomeworkAssigned()
        s.homeworkID = homeworkID.rawValue
        s.lessonID = lessonID.rawValue
        s.text = text
        s.dueDate = dueDate.description
        s.dueLessonID = dueLessonID.storedText()
        return s
    }

    /// Checks the ids and the text (1...8000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(homeworkID, "homework_id")
        try check.id(lessonID, "lesson_id")
        try check.text(text, "text", maxBytes: 8000, .paragraph)
        try check.id(dueLessonID, "due_lesson_id")
    }
}
