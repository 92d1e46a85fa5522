/// A holiday period is declared (каникулы). No lesson may be scheduled in it
/// for the grade levels it covers.
///
/// Who may record it: admin, deputy head. Stream: `year/<academicYearID>`.
public struct HolidayPeriodDeclared: CatalogEvent {
    /// The holiday period's id, 1...64 bytes.
    public var holidayID: HolidayID
    /// The academic year it belongs to.
    public var academicYearID: AcademicYearID
    /// Its title, e.g. `Осенние каникулы`, 1...100 bytes.
    public var title: String
    /// Its first and last day, inclusive.
    public var dates: DateRange
    /// The grade levels (параллели) it applies to, 1...11 each, none twice;
    /// empty: the whole school (e.g. the extra February holidays of grade 1,
    /// дополнительные каникулы для первоклассников).
    public var gradeLevels: [Int]

    /// Creates the event.
    public init(holidayID: HolidayID, academicYearID: AcademicYearID, title: String, dates: DateRange, gradeLevels: [Int] = []) {
        self.holidayID = holidayID
        self.academicYearID = academicYearID
        self.title = title
        self.dates = dates
        self.gradeLevels = gradeLevels
    }

    /// `year/<academicYearID>`.
    package var stream: String { SchoolStream.year(academicYearID) }

    /// Checks the ids, the title (1...100 bytes), the dates' order and the grade levels.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(holidayID, "holiday_id")
        try check.id(academicYearID, "academic_year_id")
        try check.text(title, "title", maxBytes: 100)
        try check.dates(dates, "dates")
        try check.gradeLevels(gradeLevels, "grade_levels")
    }
}
