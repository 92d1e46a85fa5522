/// The school is registered in the journal (регистрация ОО): the first event
/// of a ledger, which keeps one school.
///
/// Who may record it: admin. Stream: `school`.
public struct SchoolRegistered: CatalogEvent {
    /// The school's id, 1...64 bytes.
    public var schoolID: SchoolID
    /// The full official name (полное наименование ОО), 1...500 bytes; not personal data.
    public var fullName: String
    /// The short name (краткое наименование), e.g. `МБОУ СОШ № 12`, 1...200 bytes; `nil`: none.
    public var shortName: String?
    /// The IANA time zone of the school, e.g. `Europe/Moscow`: the journal's
    /// civil dates are dates in this zone.
    public var timeZone: String

    /// Creates the event.
    public init(schoolID: SchoolID, fullName: String, shortName: String? = nil, timeZone: String) {
        self.schoolID = schoolID
        self.fullName = fullName
        self.shortName = shortName
        self.timeZone = timeZone
    }

    /// `school`.
    package var stream: String { SchoolStream.school }

    /// Checks the id, the names' lengths and the time zone's form.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(schoolID, "school_id")
        try check.text(fullName, "full_name", maxBytes: 500)
        try check.text(shortName, "short_name", maxBytes: 200)
        try check.timeZone(timeZone, "time_zone")
    }
}
