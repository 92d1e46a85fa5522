/// A lesson is put in the timetable (расписание занятий, урок).
///
/// Who may record it: admin, deputy head. Stream: `lesson/<lessonID>`.
public struct LessonScheduled: CatalogEvent {
    /// The lesson's id, 1...64 bytes.
    public var lessonID: LessonID
    /// The subject taught.
    public var subjectID: SubjectID
    /// Whom it is taught to: one class, study group, teaching stream or individual student.
    public var target: TeachingTarget
    /// The teacher's account: the teacher assigned to this subject and target (учитель-предметник).
    public var teacherID: AccountID
    /// The lesson's date: inside the academic year and outside any holiday of the target's grade level.
    public var date: CivilDate
    /// The lesson's number within the day (номер урока), 1...12.
    public var lessonNumber: Int
    /// The room (кабинет), e.g. `214`, 1...50 bytes; `nil`: not given.
    public var room: String?

    /// Creates the event.
    public init(
        lessonID: LessonID, subjectID: SubjectID, target: TeachingTarget, teacherID: AccountID, date: CivilDate, lessonNumber: Int,
        room: String? = nil
    ) {
        self.lessonID = lessonID
        self.subjectID = subjectID
        self.target = target
        self.teacherID = teacherID
        self.date = date
        self.lessonNumber = lessonNumber
        self.room = room
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the ids, the lesson number (1...12) and the room (1...50 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.id(subjectID, "subject_id")
        try check.target(target, "target")
        try check.id(teacherID, "teacher_id")
        try check.lessonNumber(lessonNumber, "lesson_number")
        try check.text(room, "room", maxBytes: 50)
    }
}
