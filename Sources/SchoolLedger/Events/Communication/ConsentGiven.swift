/// A parent consents to processing of personal data for electronic delivery
/// of the student's results (согласие на обработку персональных данных).
/// From it on, the parent may view the diary electronically.
///
/// Who may record it: the parent (electronically), or the class teacher on
/// the parent's behalf from a signed paper form. Stream: `parent/<parentID>`.
public struct ConsentGiven: CatalogEvent {
    /// The parent (законный представитель) who consents.
    public var parentID: ParentID
    /// The student whose results are concerned.
    public var studentID: StudentID
    /// How the consent reached the journal.
    public var submittedVia: SubmissionMedium
    /// The signed paper form's registration reference (регистрационный номер
    /// заявления), 1...200 bytes; `nil`: not given. Only for a paper form.
    public var paperFormReference: String?

    /// Creates the event.
    public init(parentID: ParentID, studentID: StudentID, submittedVia: SubmissionMedium, paperFormReference: String? = nil) {
        self.parentID = parentID
        self.studentID = studentID
        self.submittedVia = submittedVia
        self.paperFormReference = paperFormReference
    }

    /// `parent/<parentID>`.
    package var stream: String { SchoolStream.parent(parentID) }

    /// Reads the stored form; the medium is required.
    package init(stored: Schoolledger_V1_ConsentGiven, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            parentID: ParentID(stored.parentID), studentID: StudentID(stored.studentID),
            submittedVia: try read.enumCase(stored.submittedVia, "submitted_via"),
            paperFormReference: stored.paperFormReference.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_ConsentGiven {
        var s = Schoolledger_V1_ConsentGiven()
        s.parentID = parentID.rawValue
        s.studentID = studentID.rawValue
        s.submittedVia = submittedVia.stored
        s.paperFormReference = paperFormReference ?? ""
        return s
    }

    /// Checks the ids and the paper form's reference (1...200 bytes, only for a paper form).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        try check.paperFormReference(paperFormReference, "paper_form_reference", submittedVia: submittedVia)
    }
}
