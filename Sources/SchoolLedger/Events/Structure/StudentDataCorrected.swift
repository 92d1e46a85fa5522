/// A student's personal data is corrected (корректировка данных обучающегося).
///
/// Both versions are sealed under the student's key, so erasing the
/// student's data erases them too; only the names of the changed fields are
/// readable.
///
/// Who may record it: the student's class teacher; admin. Stream: `student/<studentID>`.
public struct StudentDataCorrected: CatalogEvent {
    /// The student.
    public var studentID: StudentID
    /// All the student's fields before the correction, sealed under the student's key.
    public var before: SealedPersonalData
    /// All the student's fields after the correction, sealed under the student's key.
    public var after: SealedPersonalData
    /// Which fields changed, by name only (no values), at least one, none twice.
    public var changedFields: [PersonalDataField]
    /// Why (причина), 1...1000 bytes; `nil`: not given. Must not contain personal data.
    public var reason: String?

    /// Creates the event.
    public init(
        studentID: StudentID, before: SealedPersonalData, after: SealedPersonalData, changedFields: [PersonalDataField],
        reason: String? = nil
    ) {
        self.studentID = studentID
        self.before = before
        self.after = after
        self.changedFields = changedFields
        self.reason = reason
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the id, both sealed values (subject is the student), the
    /// changed fields (at least one, none twice) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.sealed(before, "before", subject: PersonID(studentID))
        try check.sealed(after, "after", subject: PersonID(studentID))
        try check.require(!changedFields.isEmpty, "changed_fields", "", "must name at least one field")
        try check.unique(changedFields, "changed_fields") { "\($0)" }
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
