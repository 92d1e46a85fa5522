import Foundation
import EventLedger
import SchoolLedger
import Testing

@Suite("CivilDate: YYYY-MM-DD")
struct CivilDateTests {
    @Test func parsesAndPrintsTheTextForm() throws {
        let date = try #require(CivilDate("2026-09-01"))
        #expect(date.year == 2026 && date.month == 9 && date.day == 1)
        #expect(date.description == "2026-09-01")
        #expect(CivilDate(year: 7, month: 3, day: 8)?.description == "0007-03-08")
        #expect(CivilDate(year: 1, month: 1, day: 1)?.description == "0001-01-01")
        #expect(CivilDate(year: 9999, month: 12, day: 31)?.description == "9999-12-31")
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-9-1", "26-09-01", " 2026-09-01",
        "2026/09/01", "2026-09-01Z", "", "0000-01-01", "２０２６-09-01", "2026-09-0a",
    ])
    func refusesTextThatIsNotARealDay(text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test func knowsLeapYears() {
        #expect(CivilDate("2028-02-29") != nil)
        #expect(CivilDate("2000-02-29") != nil)
        #expect(CivilDate("2100-02-29") == nil)
        #expect(CivilDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test func ordersDatesInTime() throws {
        let dates = ["2027-05-26", "2026-09-01", "2026-12-31", "2026-10-05"].compactMap(CivilDate.init)
        #expect(dates.sorted().map(\.description) == ["2026-09-01", "2026-10-05", "2026-12-31", "2027-05-26"])
    }

    @Test func isCodableAsItsText() throws {
        let date = try #require(CivilDate("2026-09-01"))
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-09-01"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }

    @Test func aDateRangeContainsItsEndsAndKnowsWhetherItIsValid() throws {
        let range = DateRange(start: try #require(CivilDate("2026-10-26")), end: try #require(CivilDate("2026-11-03")))
        #expect(range.contains(try #require(CivilDate("2026-10-26"))))
        #expect(range.contains(try #require(CivilDate("2026-11-03"))))
        #expect(!range.contains(try #require(CivilDate("2026-11-04"))))
        #expect(range.isValid)
        #expect(!DateRange(start: range.end, end: range.start).isValid)
    }

    /// The day after `date`, by the calendar's rules alone (the oracle of date arithmetic).
    static func nextDay(_ date: CivilDate) -> CivilDate {
        if let next = CivilDate(year: date.year, month: date.month, day: date.day + 1) { return next }
        if let next = CivilDate(year: date.year, month: date.month + 1, day: 1) { return next }
        return CivilDate(year: date.year + 1, month: 1, day: 1)!
    }

    @Test func addsDaysAndPrintsAndFindsTheDateOfAnInstantAsTheCalendarSteps() throws {
        // Every day from 1969-12-01 to 2130-01-31, stepped one at a time by the calendar's rules.
        let first = try #require(CivilDate("1969-12-01"))
        let firstMidnight = try #require(Instant(iso8601: "1969-12-01T00:00:00Z"))
        var date = first
        for n in 0..<58_500 {
            #expect(first.adding(days: n) == date, "\(first) + \(n)")
            #expect(date.description == String(format: "%04d-%02d-%02d", date.year, date.month, date.day))
            #expect(date.adding(days: -n) == first, "\(date) - \(n)")
            let midnight = firstMidnight.adding(microseconds: Int64(n) * 86_400_000_000)
            #expect(CivilDate(of: midnight) == date)
            #expect(CivilDate(of: midnight.adding(microseconds: 86_400_000_000 - 1)) == date, "the last microsecond of \(date)")
            // Moscow, three hours east: 21:00 UTC the day before is already this date.
            #expect(CivilDate(of: midnight.adding(microseconds: -3 * 3_600_000_000), utcOffsetSeconds: 10_800) == date)
            date = Self.nextDay(date)
        }
        #expect(date.description == "2130-01-31")
    }
}
