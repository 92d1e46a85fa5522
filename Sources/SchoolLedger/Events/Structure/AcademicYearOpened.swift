/// An academic year is opened (начало учебного года).
///
/// Who may record it: admin, deputy head. Stream: `year/<academicYearID>`.
public struct AcademicYearOpened: CatalogEvent {
    /// The academic year's id, 1...64 bytes.
    public var academicYearID: AcademicYearID
    /// The school's id.
    public var schoolID: SchoolID
    /// Its title, e.g. `2026/2027`, 1...50 bytes.
    public var title: String
    /// The first and last school day of the year, inclusive (начало и окончание учебного года).
    public var dates: DateRange

    /// Creates the event.
    public init(academicYearID: AcademicYearID, schoolID: SchoolID, title: String, dates: DateRange) {
        self.academicYearID = academicYearID
        self.schoolID = schoolID
        self.title = title
        self.dates = dates
    }

    /// `year/<academicYearID>`.
    package var stream: String { SchoolStream.year(academicYearID) }

    /// Checks the ids, the title (1...50 bytes) and that the year does not end before it starts.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(academicYearID, "academic_year_id")
        try check.id(schoolID, "school_id")
        try check.text(title, "title", maxBytes: 50)
        try check.dates(dates, "dates")
    }
}
