import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("The notification outbox")
struct OutboxTests {
    func d(_ text: String) -> CivilDate { CivilDate(text)! }

    /// P-1 (S-1's mother) consents and wants SMS; P-2 (S-2's father) wants SMS but gave no consent.
    func parents(_ school: SchoolScenario) async throws {
        try await school.record(
            .parentLinked(ParentLinked(parentID: "P-1", studentID: "S-1", relation: .mother, effectiveDate: d("2026-09-01"))))
        try await school.record(
            .parentLinked(ParentLinked(parentID: "P-2", studentID: "S-2", relation: .father, effectiveDate: d("2026-09-01"))))
        try await school.record(.consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)))
        for parent: ParentID in ["P-1", "P-2"] {
            try await school.record(
                .notificationPreferenceSet(
                    NotificationPreferenceSet(
                        parentID: parent, channel: .sms, enabled: true,
                        contact: SchoolScenario.sealed(parent.rawValue), submittedVia: .electronic)))
        }
    }

    func deliver(_ message: OutboxMessage, _ school: SchoolScenario) async throws {
        try await school.journal.recordTrusted([
            JournalEntry(
                id: EventID(high: 0x0192_F000_0000_7000, low: 0x8000_0000_0000_0000 | message.aboutPosition),  // the same id on a retry
                event: .notificationDelivered(
                    NotificationDelivered(
                        notificationID: message.notificationID, parentID: message.parentID,
                        channel: message.channel, aboutPosition: message.aboutPosition)),
                actor: "sms-gateway", occurredAt: SchoolScenario.at("2026-09-07"))
        ])
    }

    @Test func onlyConsentingSubscribedParentsAreOwedAndADeliveryDrainsOnce() async throws {
        let school = try await SchoolScenario()
        try await parents(school)
        let mark = try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
        try await school.record(JournalQueryTests.mark("M-2", "S-2", "L-1", "MATH", 4, weight: 1))
        let owed = try school.journal.trusted.outbox()
        #expect(owed.map(\.parentID) == ["P-1"])
        #expect(owed.first?.reason == .newMark)
        #expect(owed.first?.aboutPosition == mark.positions[0])
        #expect(owed.first?.value == .numeric(5))
        let message = try #require(owed.first)
        try await deliver(message, school)
        try await deliver(message, school)  // a retried report appends nothing and changes nothing
        #expect(try school.journal.trusted.outbox().isEmpty)
        // After a restart the outbox is the same.
        let reopened = try SchoolJournal.open(at: school.dir.path)
        #expect(try reopened.trusted.outbox().isEmpty)
    }

    @Test func aCorrectionIsOwedAndAVoidedDeliveredMarkOwesACorrection() async throws {
        let school = try await SchoolScenario()
        try await parents(school)
        try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
        try await deliver(try #require(try school.journal.trusted.outbox().first), school)
        let correction = try await school.record(.markCorrected(MarkCorrected(markID: "M-1", newValue: .numeric(2), reason: "пересчёт")))
        let corrected = try #require(try school.journal.trusted.outbox().first)
        #expect(corrected.reason == .correctedMark)
        #expect(corrected.value == .numeric(2))
        try await deliver(corrected, school)
        // A breach notice received when the correction was made voids it: the parent was told about it.
        let notice = CompromiseReported(
            accountID: SchoolScenario.teacher, receivedByHeadAt: correction.recordedAt, reportedBy: "head",
            reporter: .head)
        let reported = try await school.journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: correction.recordedAt)
        let voids = try #require(try school.journal.entries(from: reported.derivedPositions[0]).first)
        guard case .operationsVoided(let voided) = voids.entry.event else { Issue.record("no OperationsVoided"); return }
        #expect(voided.voidedPositions == correction.positions)
        let owed = try school.journal.trusted.outbox()
        #expect(owed.map(\.reason) == [.voidedMark])
        #expect(owed.first?.aboutPosition == correction.positions[0])
        // The diary shows the earlier value again.
        let marks = try school.journal.trusted.marks(of: "S-1", from: d("2026-09-01"), to: d("2026-09-30"))
        #expect(marks.subjects.first?.marks.first?.value == .numeric(5))
    }

    @Test func aWithdrawnConsentStopsMessagesAboutLaterMarks() async throws {
        let school = try await SchoolScenario()
        try await parents(school)
        try await school.record(.consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)))
        try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
        #expect(try school.journal.trusted.outbox().isEmpty)
    }

    /// Consent is judged at delivery: a message owed before the parent
    /// withdrew consent, switched the channel off or refused the electronic
    /// form is not offered after it; a voided withdrawal brings it back.
    @Test func aMessageOwedBeforeAWithdrawalIsNotOfferedAfterIt() async throws {
        let school = try await SchoolScenario()
        try await parents(school)
        try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
        let owed = try school.journal.trusted.outbox()
        #expect(owed.map(\.parentID) == ["P-1"])
        let withdrawal = try await school.record(
            .consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)))
        #expect(try school.journal.trusted.outbox().isEmpty)
        // The withdrawal was made with a stolen account: the notice voids it, and the message is owed again.
        let notice = CompromiseReported(
            accountID: SchoolScenario.teacher, receivedByHeadAt: withdrawal.recordedAt, reportedBy: "head",
            reporter: .head)
        try await school.journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: withdrawal.recordedAt)
        #expect(try school.journal.trusted.outbox() == owed)
    }

    @Test func aChannelSwitchedOffOrARefusedElectronicFormStopsWhatWasOwed() async throws {
        for change: SchoolEvent in [
            .notificationPreferenceSet(
                NotificationPreferenceSet(parentID: "P-1", channel: .sms, enabled: false, submittedVia: .electronic)),
            .electronicFormRefused(ElectronicFormRefused(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)),
            .parentUnlinked(ParentUnlinked(parentID: "P-1", studentID: "S-1", effectiveDate: d("2026-09-08"))),
        ] {
            let school = try await SchoolScenario()
            try await parents(school)
            try await school.record(JournalQueryTests.mark("M-1", "S-1", "L-1", "MATH", 5, weight: 1))
            #expect(try school.journal.trusted.outbox().count == 1)
            try await school.record(change)
            #expect(try school.journal.trusted.outbox().isEmpty, "\(change.eventType)")
        }
    }
}
