/// A subject teacher is assigned to teach a subject to a class, study group,
/// teaching stream or individual student (закрепление учителя-предметника).
/// A later assignment of the same subject and target replaces the earlier
/// one from its effective date.
///
/// Who may record it: admin, deputy head. Stream: the target's stream,
/// `class/<id>`, `group/<id>`, `teaching-stream/<id>` or `student/<id>`.
public struct TeacherAssigned: CatalogEvent {
    /// The teacher's account (учитель-предметник).
    public var teacherID: AccountID
    /// The subject.
    public var subjectID: SubjectID
    /// Whom the subject is taught to.
    public var target: TeachingTarget
    /// The first day the assignment holds.
    public var effectiveDate: CivilDate
    /// The last day it holds, inclusive; `nil`: open-ended.
    public var endDate: CivilDate?

    /// Creates the event.
    public init(teacherID: AccountID, subjectID: SubjectID, target: TeachingTarget, effectiveDate: CivilDate, endDate: CivilDate? = nil) {
        self.teacherID = teacherID
        self.subjectID = subjectID
        self.target = target
        self.effectiveDate = effectiveDate
        self.endDate = endDate
    }

    /// The target's stream: `class/<id>`, `group/<id>`, `teaching-stream/<id>` or `student/<id>`.
    package var stream: String { target.stream }

    /// Checks the ids and that the assignment does not end before it starts.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(teacherID, "teacher_id")
        try check.id(subjectID, "subject_id")
        try check.target(target, "target")
        try check.dateOrder(start: effectiveDate, end: endDate, "end_date")
    }
}
