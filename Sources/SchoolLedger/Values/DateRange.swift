/// An inclusive range of the school's civil dates (период с … по …), such as
/// a reporting period or a holiday.
///
/// Unlike `ClosedRange`, a `DateRange` can hold an end before its start, so
/// that such input can be reported by `validate()` instead of trapping; a
/// valid range has ``end`` not before ``start``.
///
/// ```swift
/// let autumnHolidays = DateRange(start: CivilDate("2026-10-26")!, end: CivilDate("2026-11-03")!)
/// autumnHolidays.contains(CivilDate("2026-11-01")!) // true
/// ```
public struct DateRange: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The first day, inclusive.
    public var start: CivilDate
    /// The last day, inclusive; not before ``start``.
    public var end: CivilDate

    /// A range from `start` through `end`, both inclusive.
    public init(start: CivilDate, end: CivilDate) {
        self.start = start
        self.end = end
    }

    /// Whether `date` lies in the range (always `false` when ``end`` is before ``start``).
    public func contains(_ date: CivilDate) -> Bool {
        start <= date && date <= end
    }

    /// Whether the range holds at least one day (``end`` is not before ``start``).
    public var isValid: Bool { start <= end }

    /// `start...end` in text form, e.g. `2026-10-26...2026-11-03`.
    public var description: String { "\(start)...\(end)" }
}
