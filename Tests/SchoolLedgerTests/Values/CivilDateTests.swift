import Foundation
import SchoolLedger
import Testing

@Suite("CivilDate: YYYY-MM-DD")
struct CivilDateTests {
    @Test func parsesAndPrintsTheTextForm() throws {
        let date = try #require(CivilDate("2026-09-01"))
        #expect(date.year == 2026 && date.month == 9 && date.day == 1)
        #expect(date.description == "2026-09-01")
        #expect(CivilDate(year: 7, month: 3, day: 8)?.description == "0007-03-08")
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
}
