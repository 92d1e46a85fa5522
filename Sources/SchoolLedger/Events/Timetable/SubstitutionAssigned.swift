/// Another teacher takes a lesson (замена урока). The substitute may record
/// the lesson, attendance, marks and homework of that lesson. A later
/// substitution of the same lesson replaces the earlier one.
///
/// Who may record it: admin, deputy head. Stream: `lesson/<lessonID>`.
public struct SubstitutionAssigned: CatalogEvent {
    /// The lesson.
    public var lessonID: LessonID
    /// The substitute teacher's account (заменяющий учитель).
    public var substituteTeacherID: AccountID
    /// The scheduled teacher's account (заменяемый учитель); not the substitute.
    public var replacedTeacherID: AccountID
    /// The subject the substitute teaches in that slot when it differs from
    /// the lesson's subject (замена предмета); `nil`: the same subject.
    public var subjectID: SubjectID?
    /// Why (причина замены), 1...1000 bytes; `nil`: not given. Must not
    /// contain personal data (no diagnosis).
    public var reason: String?

    /// Creates the event.
    public init(
        lessonID: LessonID, substituteTeacherID: AccountID, replacedTeacherID: AccountID, subjectID: SubjectID? = nil,
        reason: String? = nil
    ) {
        self.lessonID = lessonID
        self.substituteTeacherID = substituteTeacherID
        self.replacedTeacherID = replacedTeacherID
        self.subjectID = subjectID
        self.reason = reason
    }

    /// `lesson/<lessonID>`.
    package var stream: String { SchoolStream.lesson(lessonID) }

    /// Checks the ids (two different teachers) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(lessonID, "lesson_id")
        try check.id(substituteTeacherID, "substitute_teacher_id")
        try check.id(replacedTeacherID, "replaced_teacher_id")
        try check.require(
            substituteTeacherID != replacedTeacherID, "substitute_teacher_id", substituteTeacherID.rawValue,
            "must differ from replaced_teacher_id")
        try check.id(subjectID, "subject_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
