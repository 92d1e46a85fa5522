/// The kind of a reporting period (отчётный период).
///
/// Used by ``ReportingPeriodDefined``. A school works in quarters,
/// trimesters or half-years (grades 10-11 often in half-years), and gives
/// year marks for the whole ``year``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum ReportingPeriodKind: Hashable, Sendable, CaseIterable {
    /// A quarter (четверть), numbered 1...4.
    case quarter

    /// A trimester (триместр), numbered 1...3.
    case trimester

    /// A half-year (полугодие), numbered 1...2.
    case halfYear

    /// The whole academic year (учебный год), for year marks (годовая отметка); numbered 1.
    case year

    /// The numbers a period of this kind may have within the year (номер периода).
    package var ordinals: ClosedRange<Int> {
        switch self {
        case .quarter: 1...4
        case .trimester: 1...3
        case .halfYear: 1...2
        case .year: 1...1
        }
    }
}

extension ReportingPeriodKind: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_ReportingPeriodKind

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_ReportingPeriodKind {
        switch self {
        case .quarter: .quarter
        case .trimester: .trimester
        case .halfYear: .halfYear
        case .year: .year
        }
    }
}
