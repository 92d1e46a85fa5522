import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clauses 1 and 9: the class teacher sees who of the class has no
/// credentials yet, and whose holder was not told the rules of access since
/// the credentials were last handed over.
@Suite("The access control list (clauses 1 and 9)")
struct AccessControlListTests {
    static let date = CivilDate("2026-09-20")!

    @Test func theListNamesWhoHasNoCredentialsAndWhoWasNotToldTheRulesSinceTheLastHandover() async throws {
        let school = try await AccessSchool()
        let teacher = school.session(.classTeacher)
        func list() throws -> [String] {
            try teacher.accessControlList(ofClass: "7A", on: Self.date).map { "\($0.person) \($0.accountID?.rawValue ?? "-")" }
        }
        // 7A: S-1 (acc-s1) with P-1 (acc-p1), S-2 without an account with P-2 (acc-p2); nobody told yet.
        #expect(try list() == ["student/S-1 acc-s1", "parent/P-1 acc-p1", "student/S-2 -", "parent/P-2 acc-p2"])
        try await teacher.record(.accessRulesExplained(AccessRulesExplained(accountID: "acc-s1")), occurredAt: AccessSchool.today)
        try await school.session(.support).record(
            .accessRulesExplained(AccessRulesExplained(accountID: "acc-p2", signedFormReference: "журнал выдачи № 4")),
            occurredAt: AccessSchool.today)
        #expect(try list() == ["parent/P-1 acc-p1", "student/S-2 -"])
        // Issuing S-2's credentials with the rules told takes S-2 off the list in one call.
        let issued = try await teacher.issueCredentials(
            account: "acc-s2", person: "S-2", holder: .student, channel: .paper, explainingAccessRules: true,
            occurredAt: AccessSchool.today)
        #expect(issued.result.positions.count == 2)
        #expect(try list() == ["parent/P-1 acc-p1"])
        // A reset hands the credentials over again: the holder must be told again.
        school.clock.advance(seconds: 60)
        _ = try await teacher.resetCredentials(account: "acc-s1", channel: .paper, occurredAt: AccessSchool.today)
        #expect(try list() == ["student/S-1 acc-s1", "parent/P-1 acc-p1"])
        _ = try await teacher.resetCredentials(
            account: "acc-s1", channel: .paper, explainingAccessRules: true, occurredAt: AccessSchool.today)
        #expect(try list() == ["parent/P-1 acc-p1"])

        // Only for an account with credentials, and not by a parent; the head stays where it was.
        let head = try school.head
        let unknown = await #expect(throws: SchoolValidationError.self) {
            try await teacher.record(.accessRulesExplained(AccessRulesExplained(accountID: "acc-nobody")), occurredAt: AccessSchool.today)
        }
        #expect(unknown?.field == "account_id")
        await #expect(throws: AccessDenied.self) {
            try await school.session(.parent).record(
                .accessRulesExplained(AccessRulesExplained(accountID: "acc-p1")), occurredAt: AccessSchool.today)
        }
        #expect(try school.head == head)
        // A parent does not see the list.
        #expect(throws: AccessDenied.self) { try school.session(.parent).accessControlList(ofClass: "7A", on: Self.date) }
    }
}
