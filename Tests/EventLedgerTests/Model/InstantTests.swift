import Foundation
import EventLedger
import Testing

@Suite("Instants")
struct InstantTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-09-01T08:30:00Z", 1_788_251_400_000_000),
        ("2026-09-01T08:30:00.5Z", 1_788_251_400_500_000),
        ("2024-02-29T23:59:59.999999Z", 1_709_251_199_999_999),
        ("2026-09-01T08:30:00.123456789+00:00", 1_788_251_400_123_456),
        ("9999-12-31T23:59:59.999999Z", 253_402_300_799_999_999),
    ])
    func parsesISO8601(text: String, micros: Int64) {
        #expect(Instant(iso8601: text)?.microsecondsSinceEpoch == micros)
    }

    @Test(arguments: [
        "", "2026-09-01", "2026-02-30T00:00:00Z", "2026-09-01T24:00:00Z", "2026-09-01T08:30:00+03:00",
        "2026-09-01T08:30:00", "2026-09-01T08:30:00.Z", "2026-13-01T00:00:00Z", "２０２６-09-01T08:30:00Z",
    ])
    func refusesTextThatIsNotAUTCInstant(text: String) {
        #expect(Instant(iso8601: text) == nil)
    }

    @Test func formatsAndParsesBackOverTheWholeValidRange() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let i = Instant(microsecondsSinceEpoch: Int64.random(in: 0...Instant.latestValid.microsecondsSinceEpoch, using: &rng))
            #expect(Instant(iso8601: i.iso8601) == i)
        }
        #expect(Instant.epoch.iso8601 == "1970-01-01T00:00:00.000000Z")
    }

    @Test func nowIsTheSystemClocks() {
        let before = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let now = Instant.now.microsecondsSinceEpoch
        let after = Int64(Date().timeIntervalSince1970 * 1_000_000)
        #expect(now >= before - 1000 && now <= after + 1000)
    }
}

@Suite("Instants: calendar days without text")
struct InstantCalendarTests {
    @Test func midnightAndTheDateAgreeWithTheTextForm() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let instant = Instant(microsecondsSinceEpoch: Int64.random(in: 0...Instant.latestValid.microsecondsSinceEpoch, using: &rng))
            let text = instant.iso8601
            let (year, month, day) = instant.dateUTC
            #expect(String(format: "%04d-%02d-%02d", year, month, day) == String(text.prefix(10)), "\(text)")
            #expect(Instant(midnightUTCOfYear: year, month: month, day: day) == Instant(iso8601: text.prefix(10) + "T00:00:00Z"))
        }
    }

    @Test func anInstantBeforeTheEpochFallsOnTheDayBefore() {
        #expect(Instant(microsecondsSinceEpoch: -1).dateUTC == (1969, 12, 31))
        #expect(Instant(microsecondsSinceEpoch: -86_400_000_000).dateUTC == (1969, 12, 31))
        #expect(Instant(microsecondsSinceEpoch: -86_400_000_001).dateUTC == (1969, 12, 30))
        #expect(Instant(midnightUTCOfYear: 1969, month: 12, day: 31).microsecondsSinceEpoch == -86_400_000_000)
    }
}
