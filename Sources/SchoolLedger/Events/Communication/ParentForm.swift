package import SwiftProtobuf

/// What a parent's form about the electronic journal stores: consent
/// (``ConsentGiven``), its withdrawal (``ConsentWithdrawn``) and the refusal
/// of the electronic form (``ElectronicFormRefused``) carry the same four
/// fields, read, written and checked by one piece of code.
package protocol ParentFormMessage: SwiftProtobuf.Message {
    /// `parent_id`.
    var parentID: String { get set }
    /// `student_id`.
    var studentID: String { get set }
    /// `submitted_via`.
    var submittedVia: Schoolledger_V1_SubmissionMedium { get set }
    /// `paper_form_reference`, empty when not given.
    var paperFormReference: String { get set }
}

extension Schoolledger_V1_ConsentGiven: ParentFormMessage {}
extension Schoolledger_V1_ConsentWithdrawn: ParentFormMessage {}
extension Schoolledger_V1_ElectronicFormRefused: ParentFormMessage {}

/// An event of a parent's form: its stream is the parent's, its medium is
/// required, and a paper form's registration reference is 1...200 bytes
/// and only for a paper form.
package protocol ParentFormEvent: CatalogEvent where Stored: ParentFormMessage {
    /// The parent (законный представитель).
    var parentID: ParentID { get }
    /// The student whose results are concerned.
    var studentID: StudentID { get }
    /// How the form reached the journal.
    var submittedVia: SubmissionMedium { get }
    /// The signed paper form's registration reference; `nil`: not given.
    var paperFormReference: String? { get }
    /// The event with these fields.
    init(parentID: ParentID, studentID: StudentID, submittedVia: SubmissionMedium, paperFormReference: String?)
}

extension ParentFormEvent {
    /// `parent/<parentID>`.
    package var stream: String { SchoolStream.parent(parentID) }

    /// Reads the stored form; the medium is required.
    package init(stored: Stored, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            parentID: ParentID(stored.parentID), studentID: StudentID(stored.studentID),
            submittedVia: try read.enumCase(stored.submittedVia, "submitted_via"),
            paperFormReference: stored.paperFormReference.nonEmpty)
    }

    /// The stored form.
    package var stored: Stored {
        var s = Stored()
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
