/// A lesson is moved (перенос урока); the new placement is given in full.
///
/// Who may record it: admin, deputy head. Stream: `lesson/<lessonID>`.
public struct LessonRescheduled: CatalogEvent {
    /// The lesson.
    public var lessonID: LessonID
    /// The new date; may equal the old one.
    public var newDate: CivilDate
    /// The new lesson number within the day (номер урока), 1...12.
    public var newLessonNumber: Int
    /// The new room (кабинет), 1...50 bytes; `nil`: no room given.
    public var newRoom: String?
    /// Why (причина переноса), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(lessonID: LessonID, newDate: CivilDate, newLessonNumber: Int, newRoom: String? = nil, reason: String? = nil) {
        self.lessonID = lessonID
        self.newDate = newDate
        self.newLessonNumber = newLessonNumber
        self.newRoom = newRoom
        self.reason = reason
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the id, the lesson number (1...12), the room (1...50 bytes) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.lessonNumber(newLessonNumber, "new_lesson_number")
        try check.text(newRoom, "new_room", maxBytes: 50)
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
