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

    /// Reads the stored form; the target and the effective date are required.
    package init(stored: Schoolledger_V1_TeacherAssigned, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            teacherID: AccountID(stored.teacherID), subjectID: SubjectID(stored.subjectID),
            target: try read.target(stored.hasTarget, stored.target, "target"),
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"), endDate: try read.optionalDate(stored.endDate, "end_date")
        )
    }

    /// The stored form.
    package var stored: Schoolledger_V1_TeacherAssigned {
        var s = Schoolledger_V1_TeacherAssigned()
        s.teacherID = teacherID.rawValue
        s.subjectID = subjectID.rawValue
        s.target = target.stored
        s.effectiveDate = effectiveDate.description
        s.endDate = endDate?.description ?? ""
        return s
    }

    /// Checks the ids and that the assignment does not end before it starts.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(teacherID, "teacher_id")
        try check.id(subjectID, "subject_id")
        try check.target(target, "target")
        try check.dateOrder(start: effectiveDate, end: endDate, "end_date")
    }
}
