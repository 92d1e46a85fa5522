/// A parent consents to processing of personal data for electronic delivery
/// of the student's results (согласие на обработку персональных данных).
/// From it on, the parent may view the diary electronically.
///
/// Who may record it: the parent (electronically), or the class teacher on
/// the parent's behalf from a signed paper form. Stream: `parent/<parentID>`.
public struct ConsentGiven: ParentFormEvent {
    /// The generated message it is stored as.
    package typealias Stored = Schoolledger_V1_ConsentGiven

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
}
