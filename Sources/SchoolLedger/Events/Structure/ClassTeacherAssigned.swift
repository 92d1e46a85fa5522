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

    /// Reads the stored form; the effective date is required.
    package init(stored: Schoolledger_V1_ClassTeacherAssigned, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            classID: ClassID(stored.classID), teacherID: AccountID(stored.teacherID),
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_ClassTeacherAssigned {
        var s = Schoolledger_V1_ClassTeacherAssigned()
        s.classID = classID.rawValue
        s.teacherID = teacherID.rawValue
        s.effectiveDate = effectiveDate.description
        return s
    }

    /// Checks the ids.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(classID, "class_id")
        try check.id(teacherID, "teacher_id")
    }
}
