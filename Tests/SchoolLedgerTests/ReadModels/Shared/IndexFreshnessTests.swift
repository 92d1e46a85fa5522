import EventLedger
import Foundation
import LedgerTestSupport
@testable import SchoolLedger
import Testing

/// A query as of now reads the journal index as it stands at the log's end,
/// and one as of the past reads the index's history; either says why it
/// cannot, and never folds the whole log into a temporary model behind the
/// caller's back.
@Suite("Queries on an index that lags or was never built")
struct IndexFreshnessTests {
    static let winter = JournalEntry(
        event: .holidayPeriodDeclared(
            HolidayPeriodDeclared(
                holidayID: "H-WINTER", academicYearID: "2026-2027", title: "Зимние каникулы",
                dates: DateRange(start: CivilDate("2026-12-29")!, end: CivilDate("2027-01-08")!))),
        actor: "admin", occurredAt: Fixture.occurred)

    @Test func aReadOnlyJournalWhoseIndexWasNeverBuiltSaysHowToBuildIt() async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try EventLedger.open(at: dir.path)
            _ = try await ledger.append(try EventCoding.newEvent(Self.winter))
        }
        let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir.path, options: .readOnly), readLogDirectory: dir.sub("reads"))
        let error = #expect(throws: LedgerError.self) { try journal.holidays(of: "2026-2027") }
        #expect(error?.code == .projectionNotBuilt)
        #expect(error?.message.contains("projections --catch-up") == true, "\(String(describing: error))")
    }

    @Test func aReadOnlyJournalWhoseIndexLagsAnswersThePastItHasFromItsHistoryAndNothingLater() async throws {
        let dir = TemporaryDirectory()
        do {
            let journal = try SchoolJournal.open(at: dir.path)
            try await journal.recordTrusted([Self.winter])
            try await journal.ledger.catchUpProjections()
        }
        do {
            // Another program appends without the journal: the index lags by one.
            var spring = Self.winter
            spring.id = .generate()
            spring.event = .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "H-SPRING", academicYearID: "2026-2027", title: "Весенние каникулы",
                    dates: DateRange(start: CivilDate("2027-03-23")!, end: CivilDate("2027-03-31")!)))
            _ = try await EventLedger.open(at: dir.path).append(try EventCoding.newEvent(spring))
        }
        let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir.path, options: .readOnly), readLogDirectory: dir.sub("reads"))
        let head = try journal.ledger.head().position
        // What the index has passed is read from its history, in a read-only open.
        #expect(try journal.holidays(of: "2026-2027", asOf: .position(head - 1)).map(\.title) == ["Зимние каникулы"])
        // What it has not reached is refused, not folded behind the caller's back.
        for asOf in [AsOf.now, .position(head)] {
            let error = #expect(throws: LedgerError.self) { try journal.holidays(of: "2026-2027", asOf: asOf) }
            #expect(error?.code == .projectionStale, "\(String(describing: error))")
        }
    }

    @Test func aWritableJournalCatchesItsIndexUpBeforeAnswering() async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try EventLedger.open(at: dir.path)
            _ = try await ledger.append(try EventCoding.newEvent(Self.winter))
        }
        // Registered at open, caught up by the query itself if the background has not yet.
        let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir.path), readLogDirectory: dir.sub("reads"))
        #expect(try journal.holidays(of: "2026-2027").map(\.title) == ["Зимние каникулы"])
        #expect(try journal.ledger.projectionStatus().first { $0.name == "journal-index" }?.lag == 0)
    }
}
