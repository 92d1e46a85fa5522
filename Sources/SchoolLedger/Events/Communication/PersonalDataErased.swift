/// A data subject's personal data is erased (уничтожение персональных
/// данных, 152-FZ): their key is destroyed, so every sealed value of that
/// subject reads as erased. Events and the hash chain stay. Carries no
/// personal data itself.
///
/// Who may record it: admin (the school as operator of personal data), when
/// consent is withdrawn and the retention period has ended. Stream:
/// `personal-data/<subjectID>`.
public struct PersonalDataErased: CatalogEvent {
    /// The data subject: a student id or a parent id, 1...64 bytes.
    public var subjectID: PersonID

    /// Creates the event.
    public init(subjectID: PersonID) {
        self.subjectID = subjectID
    }

    /// `personal-data/<subjectID>`.
    package var stream: String { SchoolStream.personalData(subjectID) }

    /// Checks the subject id.
    package func validate() throws(SchoolValidationError) {
        try Self.check.id(subjectID, "subject_id")
    }
}
