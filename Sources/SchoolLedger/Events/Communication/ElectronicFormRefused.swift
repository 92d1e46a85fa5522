/// A parent refuses to receive information electronically (отказ от
/// получения информации в электронной форме); paper extracts are owed.
///
/// Who may record it: the parent (electronically), or the class teacher on
/// the parent's behalf from a signed paper form. Stream: `parent/<parentID>`.
public struct ElectronicFormRefused: ParentFormEvent {
    /// The generated message it is stored as.
    package typealias Stored = Schoolledger_V1_ElectronicFormRefused

    /// The parent who refuses.
    public var parentID: ParentID
    /// The student whose results are concerned.
    public var studentID: StudentID
    /// How the refusal reached the journal.
    public var submittedVia: SubmissionMedium
    /// The signed paper form's registration reference, 1...200 bytes; `nil`:
    /// not given. Only for a paper form.
    public var paperFormReference: String?

    /// Creates the event.
    public init(parentID: ParentID, studentID: StudentID, submittedVia: SubmissionMedium, paperFormReference: String? = nil) {
        self.parentID = parentID
        self.studentID = studentID
        self.submittedVia = submittedVia
        self.paperFormReference = paperFormReference
    }
}
