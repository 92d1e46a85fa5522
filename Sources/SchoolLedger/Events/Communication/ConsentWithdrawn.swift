/// A parent withdraws consent (отзыв согласия на обработку персональных
/// данных); electronic delivery stops and paper extracts are owed.
///
/// Who may record it: the parent (electronically), or the class teacher on
/// the parent's behalf from a signed paper form. Stream: `parent/<parentID>`.
public struct ConsentWithdrawn: ParentFormEvent {
    /// The generated message it is stored as.
    package typealias Stored = Schoolledger_V1_ConsentWithdrawn

    /// The parent who withdraws.
    public var parentID: ParentID
    /// The student whose results are concerned.
    public var studentID: StudentID
    /// How the withdrawal reached the journal.
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
