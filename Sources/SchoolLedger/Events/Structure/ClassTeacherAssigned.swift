/// A teacher becomes the class teacher of a class (назначение классного
/// руководителя), replacing the previous one from the effective date.
///
/// Who may record it: admin, deputy head. Stream: `class/<classID>`.
public struct ClassTeacherAssigned: CatalogEvent {
    /// The class.
    public var classID: ClassID
    /// The teacher's account (классный руководитель).
    public var teacherID: AccountID
    /// The first day the assignment holds.
    public var effectiveDate: CivilDate

    /// Creates the event.
    public init(classID: ClassID, teacherID: AccountID, effectiveDate: CivilDate) {
        self.classID = classID
        self.teacherID = teacherID
        self.effectiveDate = effectiveDate
    }

    /// `class/<classID>`.
    package var stream: String { SchoolStream.class(classID) }

    /// Checks the ids.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(classID, "class_id")
        try check.id(teacherID, "teacher_id")
    }
}
