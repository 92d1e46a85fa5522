/// A test is moved to another day or lesson (перенос контрольной работы).
///
/// Who may record it: the subject teacher assigned to that subject and
/// target. Stream: `test/<testID>`.
public struct TestRescheduled: CatalogEvent {
    /// The test.
    public var testID: TestID
    /// The new day.
    public var newDate: CivilDate
    /// The lesson it is now written in; `nil`: not given.
    public var newLessonID: LessonID?
    /// The new lesson number within the day, 1...12; `nil`: not given.
    public var newLessonNumber: Int?
    /// Why (причина переноса), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(
        testID: TestID, newDate: CivilDate, newLessonID: LessonID? = nil, newLessonNumber: Int? = nil, reason: String? = nil
    ) {
        self.testID = testID
        self.newDate = newDate
        self.newLessonID = newLessonID
        self.newLessonNumber = newLessonNumber
        self.reason = reason
    }

    /// `test/<testID>`.
    package var stream: String { SchoolStream.test(testID) }

    /// Checks the ids, the lesson number (1...12 when given) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(testID, "test_id")
        try check.id(newLessonID, "new_lesson_id")
        try check.lessonNumber(newLessonNumber, "new_lesson_number")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
