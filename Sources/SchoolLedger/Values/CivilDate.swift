public import EventLedger

/// A civil date of the school (дата): a day of the Gregorian calendar in the
/// school's own time zone, with no time of day, such as the date of a lesson.
///
/// Its text form is `YYYY-MM-DD` (e.g. `2026-09-01`), the form the event
/// schemas store and JSON carries. A `CivilDate` is always a real day of the
/// years 1...9999: the initializers return `nil` for February 30th or
/// `2026-9-1`.
///
/// ```swift
/// let firstDay = CivilDate("2026-09-01")!
/// let lastDay = CivilDate(year: 2027, month: 5, day: 26)!
/// firstDay < lastDay   // true
/// firstDay.description // "2026-09-01"
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible, Codable {
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...31 (up to the month's length).
    public let day: Int

    /// The date, or `nil` when the year is outside 1...9999 or the day does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (exactly 10 characters, ASCII digits); `nil` for
    /// any other text or a day that does not exist.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The text form, `YYYY-MM-DD`.
    public var description: String {
        // Ten ASCII bytes written in place: row keys of every read model
        // carry a date's text, so this runs for each row written and read.
        String(unsafeUninitializedCapacity: 10) { bytes in
            func digits(_ value: Int, _ count: Int, at start: Int) {
                var rest = value
                for i in (start..<(start + count)).reversed() {
                    bytes[i] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            digits(year, 4, at: 0)
            bytes[4] = UInt8(ascii: "-")
            digits(month, 2, at: 5)
            bytes[7] = UInt8(ascii: "-")
            digits(day, 2, at: 8)
            return 10
        }
    }

    /// Orders dates in time.
    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Decodes from the text form, `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a civil date YYYY-MM-DD such as 2026-09-01")
        }
        self = date
    }

    /// Encodes as the text form, `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        CivilDate(of: midnightUTC.adding(microseconds: Int64(days) * 86_400_000_000))
    }

    /// Midnight UTC at the start of this date. (Date arithmetic goes through
    /// it, never through text: formatting and parsing an ISO 8601 string per
    /// day was a fifth of a diary query.)
    var midnightUTC: Instant { Instant(midnightUTCOfYear: year, month: month, day: day) }

    /// The date an instant falls on at `utcOffsetSeconds` east of UTC (the
    /// school's offset; 10,800 for Moscow). The instant must fall in the
    /// years 1...9999 there.
    public init(of instant: Instant, utcOffsetSeconds: Int = 0) {
        let (year, month, day) = instant.adding(microseconds: Int64(utcOffsetSeconds) * 1_000_000).dateUTC
        guard let date = CivilDate(year: year, month: month, day: day) else {
            preconditionFailure("\(instant) falls in the year \(year), outside a civil date's 1...9999")
        }
        self = date
    }

    /// Whether `year` is a leap year of the Gregorian calendar.
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` (1...12) of `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
