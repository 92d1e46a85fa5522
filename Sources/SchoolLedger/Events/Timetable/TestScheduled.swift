/// A test is put in the schedule of tests (график контрольных работ), shown
/// to parents in advance.
///
/// Who may record it: the subject teacher assigned to that subject and
/// target. Stream: `test/<testID>` (the test's own stream, since its moves
/// and cancellation name only the test).
public struct TestScheduled: CatalogEvent {
    /// The test's id, 1...64 bytes.
    public var testID: TestID
    /// The subject.
    public var subjectID: SubjectID
    /// Who writes it: one class, study group, teaching stream or individual student.
    public var target: TeachingTarget
    /// The day of the test.
    public var date: CivilDate
    /// The lesson it is written in, when already scheduled; `nil` otherwise.
    public var lessonID: LessonID?
    /// The lesson number within the day (номер урока), 1...12; `nil`: not given.
    public var lessonNumber: Int?
    /// The kind of work: ``WorkKind/test`` (контрольная работа) unless the
    /// school also schedules dictations or laboratory works.
    public var workKind: WorkKind
    /// The topic (тема контрольной работы), 1...1000 bytes; `nil`: not given.
    public var topic: String?

    /// Creates the event.
    public init(
        testID: TestID, subjectID: SubjectID, target: TeachingTarget, date: CivilDate, lessonID: LessonID? = nil,
        lessonNumber: Int? = nil, workKind: WorkKind = .test, topic: String? = nil
    ) {
        self.testID = testID
        self.subjectID = subjectID
        self.target = target
        self.date = date
        self.lessonID = lessonID
        self.lessonNumber = lessonNumber
        self.workKind = workKind
        self.topic = topic
    }

    /// `test/<testID>`.
    package var stream: String { SchoolStream.test(testID) }

    /// Checks the ids, the lesson number (1...12 when given) and the topic (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(testID, "test_id")
        try check.id(subjectID, "subject_id")
        try check.target(target, "target")
        try check.id(lessonID, "lesson_id")
        try check.lessonNumber(lessonNumber, "lesson_number")
        try check.text(topic, "topic", maxBytes: 1000, .paragraph)
    }
}
