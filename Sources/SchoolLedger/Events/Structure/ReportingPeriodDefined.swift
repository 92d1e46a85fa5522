/// A reporting period of the year is defined (отчётный период: четверть,
/// триместр, полугодие, год).
///
/// Who may record it: admin, deputy head. Stream: `year/<academicYearID>`.
public struct ReportingPeriodDefined: CatalogEvent {
    /// The period's id, 1...64 bytes.
    public var periodID: ReportingPeriodID
    /// The academic year it belongs to.
    public var academicYearID: AcademicYearID
    /// Quarter, trimester, half-year or year.
    public var kind: ReportingPeriodKind
    /// Its number within the year (номер периода): 1...4 for quarters, 1...3
    /// for trimesters, 1...2 for half-years, 1 for the year.
    public var ordinal: Int
    /// Its title, e.g. `1 четверть`, 1...100 bytes.
    public var title: String
    /// Its first and last day, inclusive, within the academic year.
    public var dates: DateRange
    /// The grade levels (параллели) it applies to, 1...11 each, none twice;
    /// empty: the whole school (e.g. grades 10-11 may work in half-years).
    public var gradeLevels: [Int]

    /// Creates the event.
    public init(
        periodID: ReportingPeriodID, academicYearID: AcademicYearID, kind: ReportingPeriodKind, ordinal: Int, title: String,
        dates: DateRange, gradeLevels: [Int] = []
    ) {
        self.periodID = periodID
        self.academicYearID = academicYearID
        self.kind = kind
        self.ordinal = ordinal
        self.title = title
        self.dates = dates
        self.gradeLevels = gradeLevels
    }

    /// `year/<academicYearID>`.
    package var stream: String { SchoolStream.year(academicYearID) }

    /// Checks the ids, the ordinal against the kind, the title (1...100
    /// bytes), the dates' order and the grade levels (1...11, none twice).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(periodID, "period_id")
        try check.id(academicYearID, "academic_year_id")
        try check.number(ordinal, "ordinal", kind.ordinals)
        try check.text(title, "title", maxBytes: 100)
        try check.dates(dates, "dates")
        try check.gradeLevels(gradeLevels, "grade_levels")
    }
}
