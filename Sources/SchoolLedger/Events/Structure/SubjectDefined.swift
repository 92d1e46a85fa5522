/// A subject is defined (учебный предмет).
///
/// Who may record it: admin, deputy head. Stream: `subject/<subjectID>`.
public struct SubjectDefined: CatalogEvent {
    /// The subject's id, 1...64 bytes.
    public var subjectID: SubjectID
    /// Its name, e.g. `Алгебра`, 1...200 bytes.
    public var name: String
    /// Its short name for the journal grid, e.g. `Алг.`, 1...50 bytes; `nil`: none.
    public var shortName: String?

    /// Creates the event.
    public init(subjectID: SubjectID, name: String, shortName: String? = nil) {
        self.subjectID = subjectID
        self.name = name
        self.shortName = shortName
    }

    /// `subject/<subjectID>`.
    package var stream: String { SchoolStream.subject(subjectID) }

    /// Checks the id and the names' lengths.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(subjectID, "subject_id")
        try check.text(name, "name", maxBytes: 200)
        try check.text(shortName, "short_name", maxBytes: 50)
    }
}
