/// An event of a parent's form: its stream is the parent's, its medium is
/// required, and a paper form's registration reference is 1...200 bytes
/// and only for a paper form.
package protocol ParentFormEvent: CatalogEvent {
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

    /// Checks the ids and the paper form's reference (1...200 bytes, only for a paper form).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        try check.paperFormReference(paperFormReference, "paper_form_reference", submittedVia: submittedVia)
    }
}
