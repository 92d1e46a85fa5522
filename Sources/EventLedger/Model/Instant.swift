/// A moment in UTC with microsecond precision, as the ledger stores it.
///
/// Stored as microseconds since 1970-01-01T00:00:00Z. The ledger accepts
/// instants in ``validRange`` (1970 through 9999); its text form is ISO 8601
/// in UTC, e.g. `2026-09-01T08:30:00.000000Z`.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// An instant from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The Unix epoch, 1970-01-01T00:00:00Z.
    public static let epoch = Instant(microsecondsSinceEpoch: 0)

    /// The system clock's instant now. A ledger stamps its records with its
    /// own clock (`EventLedger.Options.clock`); use `ledger.options.clock.now()`
    /// where the two must agree (a test's manual clock).
    public static var now: Instant { SystemClock().now() }
    /// The last instant the ledger accepts, 9999-12-31T23:59:59.999999Z.
    public static let latestValid = Instant(microsecondsSinceEpoch: 253_402_300_799_999_999)
    /// The instants the ledger accepts.
    public static let validRange = epoch...latestValid

    /// Compares two instants in time order.
    public static func < (a: Instant, b: Instant) -> Bool { a.microsecondsSinceEpoch < b.microsecondsSinceEpoch }

    /// The instant `microseconds` later.
    public func adding(microseconds: Int64) -> Instant {
        Instant(microsecondsSinceEpoch: microsecondsSinceEpoch &+ microseconds)
    }

    /// ISO 8601 text in UTC with six fractional digits.
    public var description: String { iso8601 }

    /// ISO 8601 text in UTC with six fractional digits, e.g. `2026-09-01T08:30:00.000000Z`.
    public var iso8601: String {
        let micros = microsecondsSinceEpoch
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (y, m, d) = CivilDate.civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))Z"
    }

    /// Parses ISO 8601 text in UTC: `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` (a `+00:00` offset is also accepted).
    ///
    /// Returns `nil` for text that is not such an instant, including invalid
    /// calendar dates (February 30th) and offsets other than UTC.
    public init?(iso8601 text: some StringProtocol) {
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116, b[13] == 58, b[16] == 58,
            let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
            let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
            h < 24, mi < 60, s < 60, CivilDate.isValid(year: y, month: mo, day: d)
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < b.count && b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits >= 1 && digits <= 9 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        let rest = b[i...]
        guard rest.elementsEqual("Z".utf8) || rest.elementsEqual("z".utf8) || rest.elementsEqual("+00:00".utf8) else { return nil }
        let days = CivilDate.days(fromYear: y, month: mo, day: d)
        self.init(microsecondsSinceEpoch: ((days * 86_400 + h * 3600 + mi * 60 + s) * 1_000_000) + micros)
    }

    /// Midnight UTC at the start of a day of the proleptic Gregorian
    /// calendar. The date is not checked: February 30th is March 2nd.
    ///
    /// Calendar arithmetic without text: `Instant(midnightUTCOfYear: 2026, month: 9, day: 1)`
    /// is `2026-09-01T00:00:00.000000Z`.
    public init(midnightUTCOfYear year: Int, month: Int, day: Int) {
        let days = CivilDate.days(fromYear: Int64(year), month: Int64(month), day: Int64(day))
        self.init(microsecondsSinceEpoch: days * 86_400_000_000)
    }

    /// The day of the proleptic Gregorian calendar this instant falls on in UTC.
    public var dateUTC: (year: Int, month: Int, day: Int) {
        var days = microsecondsSinceEpoch / 86_400_000_000
        if microsecondsSinceEpoch % 86_400_000_000 < 0 { days -= 1 }
        let (y, m, d) = CivilDate.civil(fromDays: days)
        return (Int(y), Int(m), Int(d))
    }
}

extension Instant: TextCodable {
    static let textExample = "an ISO 8601 UTC instant such as 2026-09-01T08:30:00Z"
    init?(text: String) { self.init(iso8601: text) }
}

/// Proleptic Gregorian calendar arithmetic (days since 1970-01-01), after
/// Howard Hinnant's public-domain `days_from_civil` algorithms.
enum CivilDate {
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isValid(year: Int64, month: Int64, day: Int64) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[Int(month - 1)]
    }
}
