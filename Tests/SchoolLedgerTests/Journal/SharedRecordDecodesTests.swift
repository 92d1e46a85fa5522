import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The rights checks keep the school's stream across checks (and the
/// records of the streams they read): a check after the stream grew, or
/// after a breach notice voided part of it, must judge what the ledger
/// holds then, not what an earlier check kept.
@Suite("Shared decodes: a kept school stream never outlives a change")
struct SharedRecordDecodesTests {
    static let week = (CivilDate("2026-09-14")!, CivilDate("2026-09-20")!)

    func readsDiary(_ school: AccessSchool, _ account: AccountID) -> Bool {
        (try? school.journal.session(for: account).diary(of: "S-1", from: Self.week.0, to: Self.week.1)) != nil
    }

    @Test func aRoleGrantedThenVoidedIsSeenByTheNextCheckEachTime() async throws {
        let school = try await AccessSchool()
        // Checks before the change keep the school's stream.
        #expect(!readsDiary(school, "t-new"))
        #expect(readsDiary(school, "head"))
        // The admin grants t-new the role of head: the school's stream grew.
        school.clock.set(Instant(iso8601: "2026-09-20T09:00:00Z")!)
        try await school.session(.admin).record(
            .staffRoleGranted(StaffRoleGranted(accountID: "t-new", role: .head, effectiveDate: AccessSchool.september)),
            occurredAt: AccessSchool.today)
        #expect(readsDiary(school, "t-new"), "the grant is seen by the next check")
        #expect(readsDiary(school, "t-new"), "and by the one after, from what was kept")
        // The admin's credentials were compromised since 08:00: the notice voids the grant.
        school.clock.set(Instant(iso8601: "2026-09-20T10:00:00Z")!)
        let notice = CompromiseReported(
            accountID: "admin", receivedByHeadAt: Instant(iso8601: "2026-09-20T08:00:00Z")!, reportedBy: "head", reporter: .head,
            compromised: [.password])
        try await school.session(.head).record(.compromiseReported(notice), occurredAt: AccessSchool.today)
        #expect(!readsDiary(school, "t-new"), "the voided grant counts no more, though the school's stream did not grow")
        #expect(readsDiary(school, "head"))
        // The same answers from a journal opened afresh on the same ledger (nothing kept).
        let fresh = try SchoolJournal(ledger: school.journal.ledger)
        #expect((try? fresh.session(for: "t-new").diary(of: "S-1", from: Self.week.0, to: Self.week.1)) == nil)
    }
}
