/// What a paper extract of the diary (выписка) covers: one reporting period
/// or a range of school dates.
///
/// Used by ``PaperExtractIssued``.
public enum ExtractCoverage: Hashable, Sendable {
    /// A reporting period (отчётный период), e.g. the first quarter.
    case period(ReportingPeriodID)
    /// An inclusive range of school dates (с … по …).
    case dates(DateRange)
}
