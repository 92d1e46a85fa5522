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

    /// Reads the stored form; the relation and the effective date are required.
    package init(stored: Schoolledger_V1_ParentLinked, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            parentID: ParentID(stored.parentID), studentID: StudentID(stored.studentID),
            relation: try read.enumCase(stored.relation, "relation"),
            personalData: stored.hasPersonalData ? SealedPersonalData(stored: stored.personalData) : nil,
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_ParentLinked {
        var s = Schoolledger_V1_ParentLinked()
        s.parentID = parentID.rawValue
        s.studentID = studentID.rawValue
        s.relation = relation.stored
        if let personalData { s.personalData = personalData.stored }
        s.effectiveDate = effectiveDate.description
        return s
    }

    /// Checks the ids and, when given, the sealed data (subject is the parent, 12-byte nonce, 16-byte tag).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        if let personalData { try check.sealed(personalData, "personal_data", subject: PersonID(parentID)) }
    }
}
