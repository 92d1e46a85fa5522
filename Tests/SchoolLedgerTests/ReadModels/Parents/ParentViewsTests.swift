import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("Parents: consent, refusal, notifications, credentials, acknowledgements, extracts")
struct ParentViewsTests {
    func d(_ text: String) -> CivilDate { CivilDate(text)! }

    /// P-1 (mother of S-1): informed, consent electronically, SMS on, credentials issued then reset.
    /// P-2 (father of S-2): refused the electronic form on paper, got a paper extract.
    func families(_ school: SchoolScenario) async throws {
        let linked = d("2026-09-01")
        try await school.record(.parentLinked(ParentLinked(parentID: "P-1", studentID: "S-1", relation: .mother, effectiveDate: linked)))
        try await school.record(.parentLinked(ParentLinked(parentID: "P-2", studentID: "S-2", relation: .father, effectiveDate: linked)))
        try await school.record(
            .parentsInformedOfServices(
                ParentsInformedOfServices(parentID: "P-1", studentID: "S-1", services: [.personalCabinet, .smsMarks])))
        try await school.record(.consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)))
        try await school.record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1", channel: .sms, enabled: true,
                    contact: SchoolScenario.sealed("P-1"), submittedVia: .electronic)))
        try await school.record(
            .credentialsIssued(CredentialsIssued(accountID: "acc-P-1", personID: "P-1", holder: .parent, channel: .paper)))
        try await school.record(.credentialsReset(CredentialsReset(accountID: "acc-P-1", channel: .sms)))
        try await school.record(
            .electronicFormRefused(
                ElectronicFormRefused(
                    parentID: "P-2", studentID: "S-2", submittedVia: .paperForm,
                    paperFormReference: "заявление №14")))
        try await school.record(
            .paperExtractIssued(
                PaperExtractIssued(
                    extractID: "X-1", studentID: "S-2", parentID: "P-2",
                    covers: .dates(DateRange(start: d("2026-09-01"), end: d("2026-09-30"))),
                    reason: .refusedElectronicForm)))
    }

    @Test func theParentsOfAClassWithWhatEachHasRegistered() async throws {
        let school = try await SchoolScenario()
        try await families(school)
        let parents = try school.journal.trusted.parents(ofClass: "7A", on: d("2026-09-15"))
        #expect(parents.map(\.parentID) == ["P-1", "P-2"])
        let mother = parents[0]
        #expect(mother.children.first?.hasConsent == true)
        #expect(mother.children.first?.needsPaperExtracts == false)
        #expect(mother.children.first?.informedOf == [.personalCabinet, .smsMarks])
        #expect(mother.notificationsOn == [.sms])
        #expect(mother.credentials.map(\.accountID) == ["acc-P-1"])
        #expect(mother.credentials.first?.lastResetAt != nil)
        #expect(mother.credentials.first?.channel == .sms)
        let father = parents[1]
        #expect(father.children.first?.refusedElectronicForm == true)
        #expect(father.children.first?.needsPaperExtracts == true)
        #expect(father.children.first?.extractsIssued == ["X-1"])
    }

    @Test func aWithdrawnConsentPutsTheParentOnThePaperExtractList() async throws {
        let school = try await SchoolScenario()
        try await families(school)
        try await school.record(.consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)))
        let mother = try #require(try school.journal.trusted.parents(ofClass: "7A", on: d("2026-09-15")).first)
        #expect(mother.children.first?.hasConsent == false)
        #expect(mother.children.first?.needsPaperExtracts == true)
    }

    @Test func theControlListNamesParentsWhoHaveNotAcknowledgedOldMarks() async throws {
        let school = try await SchoolScenario()
        try await families(school)
        let mark = try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
        try await school.record(JournalQueryTests.mark("M-2", "S-2", "L-1", "MATH", 4, weight: 1))
        let later = try school.journal.ledger.head().recordedAt!.adding(microseconds: 10 * 86_400_000_000)
        var list = try school.journal.trusted.unacknowledgedMarks(ofClass: "7A", olderThan: 7, now: later)
        #expect(list.map(\.parentID) == ["P-1", "P-2"])
        #expect(list.first?.count == 1)
        #expect(list.first?.oldest == d("2026-09-07"))
        try await school.record(.diaryAcknowledged(DiaryAcknowledged(parentID: "P-1", studentID: "S-1", upToPosition: mark.positions[0])))
        list = try school.journal.trusted.unacknowledgedMarks(ofClass: "7A", olderThan: 7, now: later)
        #expect(list.map(\.parentID) == ["P-2"])
        // Not yet older than the limit: nobody is listed.
        #expect(try school.journal.trusted.unacknowledgedMarks(ofClass: "7A", olderThan: 30, now: later).isEmpty)
    }
}
