/// A parent is no longer linked to a student (прекращение
/// представительства): they lose access to the student's diary.
///
/// Who may record it: the student's class teacher; admin. Stream: `student/<studentID>`.
public struct ParentUnlinked: CatalogEvent {
    /// The parent.
    public var parentID: ParentID
    /// The student.
    public var studentID: StudentID
    /// The first day the link no longer holds.
    public var effectiveDate: CivilDate
    /// Why (причина), 1...1000 bytes; `nil`: not given. Must not contain personal data.
    public var reason: String?

    /// Creates the event.
    public init(parentID: ParentID, studentID: StudentID, effectiveDate: CivilDate, reason: String? = nil) {
        self.parentID = parentID
        self.studentID = studentID
        self.effectiveDate = effectiveDate
        self.reason = reason
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
