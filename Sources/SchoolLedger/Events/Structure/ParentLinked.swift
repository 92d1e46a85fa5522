/// A parent (legal representative) is linked to a student (родитель,
/// законный представитель).
///
/// Who may record it: the student's class teacher; admin. Stream: `student/<studentID>`.
public struct ParentLinked: CatalogEvent {
    /// The parent's id, 1...64 bytes; also the subject id of their personal data.
    public var parentID: ParentID
    /// The student.
    public var studentID: StudentID
    /// How the parent represents the student.
    public var relation: ParentRelation
    /// The parent's name and contacts (ФИО, телефон, e-mail), sealed under the
    /// parent's key, its subject ``parentID``; `nil` when the parent is
    /// already known from an earlier link.
    public var personalData: SealedPersonalData?
    /// The first day the link holds.
    public var effectiveDate: CivilDate

    /// Creates the event.
    public init(
        parentID: ParentID, studentID: StudentID, relation: ParentRelation, personalData: SealedPersonalData? = nil,
        effectiveDate: CivilDate
    ) {
        self.parentID = parentID
        self.studentID = studentID
        self.relation = relation
        self.personalData = personalData
        self.effectiveDate = effectiveDate
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids and, when given, the sealed data (subject is the parent, 12-byte nonce, 16-byte tag).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        if let personalData { try check.sealed(personalData, "personal_data", subject: PersonID(parentID)) }
    }
}
