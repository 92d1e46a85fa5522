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

    /// Checks the ids and the text (1...8000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(homeworkID, "homework_id")
        try check.id(lessonID, "lesson_id")
        try check.text(text, "text", maxBytes: 8000, .paragraph)
        try check.id(dueLessonID, "due_lesson_id")
    }
}
