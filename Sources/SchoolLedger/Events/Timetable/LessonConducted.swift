/// A lesson took place and its topic is recorded (проведение урока, тема урока).
///
/// Who may record it: the subject teacher assigned to that subject and
/// target, or the substitute assigned to that lesson. Stream: `lesson/<lessonID>`.
public struct LessonConducted: CatalogEvent {
    /// The lesson.
    public var lessonID: LessonID
    /// The topic (тема урока), 1...1000 bytes.
    public var topic: String

    /// Creates the event.
    public init(lessonID: LessonID, topic: String) {
        self.lessonID = lessonID
        self.topic = topic
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the id and the topic (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.text(topic, "topic", maxBytes: 1000, .paragraph)
    }
}
