import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 11 as the school meets it, on the access school (see ``AccessSchool``).
@Suite("Breach scenarios from the school")
struct CompromiseScenarioTests {
    static func at(_ text: String) -> Instant { Instant(iso8601: text)! }
    static let week = (from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)

    static func value(of mark: MarkID, in journal: SchoolJournal, asOf: AsOf = .now) throws -> MarkValue? {
        try journal.trusted.marks(of: "S-1", from: week.from, to: week.to, asOf: asOf).subjects.flatMap(\.marks).first {
            $0.markID == mark
        }?.value
    }

    @Test(arguments: Backend.allCases) func aTeachersAccountStolenOnFridayEveningAndTheNoticeEnteredOnMonday(backend: Backend) async throws
    {
        let school = try await AccessSchool(backend: backend)
        let stolen = school.session(.mathTeacher)
        // Friday 18:00: the teacher's own last work of the week.
        school.clock.set(Self.at("2026-09-25T18:00:00Z"))
        let own = try await stolen.record(
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .present)), occurredAt: school.clock.now())
        // 19:10: the thief, between the discovery (19:00) and the call to support (19:30).
        school.clock.set(Self.at("2026-09-25T19:10:00Z"))
        let early = try await stolen.record(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-THIEF", lessonID: "L-2", text: "всё", dueDate: CivilDate("2026-09-28")!)),
            occurredAt: school.clock.now())
        // 19:40 the thief lowers a mark (still in its edit window), and on Sunday gives a new one.
        school.clock.set(Self.at("2026-09-25T19:40:00Z"))
        let lowered = try await stolen.record(
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(2), reason: "пересмотр")),
            occurredAt: school.clock.now())
        school.clock.set(Self.at("2026-09-27T12:00:00Z"))
        let given = try await stolen.record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-THIEF", studentID: "S-1", lessonID: "L-2", subjectID: "MATH",
                    value: .numeric(2), weight: 5, workKind: .test)), occurredAt: school.clock.now())
        #expect(try Self.value(of: "M-NEW", in: school.journal) == .numeric(2))
        let beforeNotice = try school.head.position

        // Monday 09:00: the head enters the notice support received on Friday at 19:30.
        school.clock.set(Self.at("2026-09-28T09:00:00Z"))
        let notice = CompromiseReported(
            accountID: "t-math", discoveredAt: Self.at("2026-09-25T19:00:00Z"),
            receivedBySupportAt: Self.at("2026-09-25T19:30:00Z"), reportedBy: "head", reporter: .head,
            compromised: [.password])
        let reported = try await school.session(.head).record(.compromiseReported(notice), occurredAt: school.clock.now())
        #expect(reported.derivedPositions.count == 1)
        // Friday's receipt is more than 24 hours before the entry: on the head's word alone
        // the window opens on Sunday 09:00, and the audit shows what support's confirmation would add.
        #expect(try Self.value(of: "M-NEW", in: school.journal) == .numeric(2))
        #expect(try Self.value(of: "M-THIEF", in: school.journal) == nil)
        let pending = try #require(try school.journal.trusted.compromiseAudit(account: "t-math").first)
        #expect(pending.window.opensAt == Self.at("2026-09-27T09:00:00Z"))
        #expect(pending.pendingOpening == Self.at("2026-09-25T19:30:00Z"))
        #expect(pending.pendingVoids.map(\.position) == [lowered.positions[0]])
        // Support confirms the receipt it took on Friday with a notice of its own.
        school.clock.set(Self.at("2026-09-28T09:05:00Z"))
        try await school.session(.support).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", discoveredAt: Self.at("2026-09-25T19:00:00Z"),
                    receivedBySupportAt: Self.at("2026-09-25T19:30:00Z"),
                    reportedBy: "support", reporter: .support, compromised: [.password])), occurredAt: school.clock.now())

        // The weekend's operations are void: the corrected mark is back, the thief's mark is gone.
        #expect(try Self.value(of: "M-NEW", in: school.journal) == .numeric(5))
        #expect(try Self.value(of: "M-THIEF", in: school.journal) == nil)
        // As of Sunday evening the ledger did not know yet: the view then shows what was recorded.
        #expect(try Self.value(of: "M-NEW", in: school.journal, asOf: .position(beforeNotice)) == .numeric(2))
        #expect(try Self.value(of: "M-THIEF", in: school.journal, asOf: .instant(Self.at("2026-09-27T23:00:00Z"))) == .numeric(2))

        let audit = try #require(try school.journal.trusted.compromiseAudit(account: "t-math").first)
        #expect(audit.voided.map(\.position) == [lowered.positions[0], given.positions[0]])
        #expect(audit.suspect.map(\.position) == [early.positions[0]])
        #expect(!audit.suspect.map(\.position).contains(own.positions[0]))
        #expect(!audit.isLate)
        #expect(audit.window.isOpen)

        // Until support resets the credentials, the account is refused; afterwards it works again.
        await #expect(throws: AccessDenied.self) {
            try await stolen.record(.lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")), occurredAt: school.clock.now())
        }
        school.clock.set(Self.at("2026-09-28T10:00:00Z"))
        let reset = try await school.session(.support).resetCredentials(
            account: "t-math", channel: .inPerson, occurredAt: school.clock.now())
        try await stolen.record(.lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")), occurredAt: school.clock.now())
        let closed = try #require(try school.journal.trusted.compromiseAudit(account: "t-math").first)
        #expect(closed.window.closedByPosition == reset.result.positions[0])
        #expect(try await school.journal.ledger.check(JournalIndexProjection().name).isEmpty)
    }

    @Test(arguments: Backend.allCases) func aParentsAccountUsedToWithdrawConsentAndAcknowledgeTheDiaryAfterTheBreach(backend: Backend)
        async throws
    {
        let school = try await AccessSchool(backend: backend)
        let mother = school.session(.parent)
        school.clock.set(Self.at("2026-09-21T20:00:00Z"))
        try await mother.record(
            .diaryAcknowledged(DiaryAcknowledged(parentID: "P-1", studentID: "S-1", upToDate: CivilDate("2026-09-21"))),
            occurredAt: school.clock.now())
        try await mother.record(
            .consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)),
            occurredAt: school.clock.now())
        #expect(throws: AccessDenied.self) { try mother.diary(of: "S-1", from: Self.week.from, to: Self.week.to) }
        // She reports it herself, through her (compromised) account: allowed even so, and
        // received when recorded (her own word dates nothing back).
        school.clock.set(Self.at("2026-09-22T07:00:00Z"))
        try await mother.record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "acc-p1", discoveredAt: Self.at("2026-09-21T19:30:00Z"),
                    receivedBySupportAt: Self.at("2026-09-21T19:45:00Z"),
                    reportedBy: "acc-p1", reporter: .participant)), occurredAt: school.clock.now())
        #expect(
            try school.journal.trusted.parents(ofClass: "7A", on: CivilDate("2026-09-21")!).first { $0.parentID == "P-1" }?.children.first?
                .hasConsent == false)
        // Support, who took her call on Sunday at 19:45, enters that receipt.
        school.clock.set(Self.at("2026-09-22T07:10:00Z"))
        try await school.session(.support).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "acc-p1", discoveredAt: Self.at("2026-09-21T19:30:00Z"),
                    receivedBySupportAt: Self.at("2026-09-21T19:45:00Z"),
                    reportedBy: "support", reporter: .support)), occurredAt: school.clock.now())
        // Consent is back, the acknowledgement is gone: the control list names her again.
        let status = try #require(
            try school.journal.trusted.parents(ofClass: "7A", on: CivilDate("2026-09-21")!).first { $0.parentID == "P-1" })
        #expect(status.children.first?.hasConsent == true)
        #expect(status.children.first?.acknowledgedUpToDate == nil)
        let control = try school.session(.classTeacher).unacknowledgedMarks(ofClass: "7A", olderThan: 0, now: school.clock.now())
        #expect(control.map(\.parentID) == ["P-1"])
        // Locked until the class teacher resets her credentials; then she sees the diary again.
        #expect(throws: AccessDenied.self) { try mother.diary(of: "S-1", from: Self.week.from, to: Self.week.to) }
        _ = try await school.session(.classTeacher).resetCredentials(account: "acc-p1", channel: .paper, occurredAt: school.clock.now())
        _ = try mother.diary(of: "S-1", from: Self.week.from, to: Self.week.to)
    }

    @Test(arguments: Backend.allCases) func theHeadReportsForATeacherWhoIsAwayAndAnotherAccountsWorkStays(backend: Backend) async throws {
        let school = try await AccessSchool(backend: backend)
        school.clock.set(Self.at("2026-09-21T10:00:00Z"))
        // Someone uses the class teacher's account while she is away.
        let used = try await school.session(.classTeacher).record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-RUS-X", studentID: "S-1", lessonID: "L-3", subjectID: "RUS", value: .numeric(2), weight: 5, workKind: .test)),
            occurredAt: school.clock.now())
        // The mother acknowledges the diary with that mark in it: her operation is hers, and stays.
        school.clock.set(Self.at("2026-09-21T12:00:00Z"))
        let acknowledged = try await school.session(.parent).record(
            .diaryAcknowledged(
                DiaryAcknowledged(
                    parentID: "P-1", studentID: "S-1", upToPosition: used.positions[0])), occurredAt: school.clock.now())
        school.clock.set(Self.at("2026-09-21T15:00:00Z"))
        try await school.session(.head).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-class", receivedByHeadAt: Self.at("2026-09-21T09:00:00Z"), reportedBy: "head", reporter: .head,
                    note: "учитель в отпуске")), occurredAt: school.clock.now())
        let marks = try school.journal.trusted.marks(of: "S-1", from: Self.week.from, to: Self.week.to).subjects
        #expect(!marks.flatMap(\.marks).contains { $0.markID == "M-RUS-X" })
        let register = try school.journal.trusted.compromiseAudit(account: "t-class")
        #expect(register.first?.voided.map(\.position) == [used.positions[0]])
        let voidedPositions = register.first?.voided.map(\.position) ?? []
        #expect(!voidedPositions.contains(acknowledged.positions[0]))
        let status = try #require(
            try school.journal.trusted.parents(ofClass: "7A", on: CivilDate("2026-09-21")!).first { $0.parentID == "P-1" })
        #expect(status.children.first?.acknowledgedUpToPosition == used.positions[0])
    }

    @Test(arguments: Backend.allCases) func aNoticeEnteredInErrorIsWithdrawnAndItsVoidsAreLifted(backend: Backend) async throws {
        let school = try await AccessSchool(backend: backend)
        school.clock.set(Self.at("2026-09-21T10:00:00Z"))
        let teacher = school.session(.mathTeacher)
        try await teacher.record(
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(3), reason: "ошибка ввода")), occurredAt: school.clock.now())
        school.clock.set(Self.at("2026-09-21T11:00:00Z"))
        let head = school.session(.head)
        let reported = try await head.record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Self.at("2026-09-21T09:30:00Z"), reportedBy: "head", reporter: .head)),
            occurredAt: school.clock.now())
        #expect(try Self.value(of: "M-NEW", in: school.journal) == .numeric(5))
        let notice = try #require(try school.journal.entries(from: reported.positions[0], through: reported.positions[0]).first)
        let withdrawal = try await head.record(
            .compromiseNoticeWithdrawn(
                CompromiseNoticeWithdrawn(
                    noticeEventID: notice.entry.id, noticePosition: notice.position, reason: "перепутали учителей")),
            occurredAt: school.clock.now())
        #expect(withdrawal.derivedPositions.count == 1)
        #expect(try Self.value(of: "M-NEW", in: school.journal) == .numeric(3))
        // The account works again without a reset; the audit keeps the story.
        try await teacher.record(.lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")), occurredAt: school.clock.now())
        let audit = try #require(try school.journal.trusted.compromiseAudit(account: "t-math").first)
        #expect(audit.withdrawnAtPosition == withdrawal.positions[0])
        #expect(audit.voided.count == 1)
        #expect(audit.voided.allSatisfy { !$0.isVoid })
        // A second withdrawal of the same notice is refused.
        await #expect(throws: SchoolValidationError.self) {
            try await head.record(
                .compromiseNoticeWithdrawn(
                    CompromiseNoticeWithdrawn(
                        noticeEventID: notice.entry.id, noticePosition: notice.position, reason: "ещё раз")), occurredAt: school.clock.now()
            )
        }
    }

    @Test(arguments: Backend.allCases) func overlappingNoticesJoinAndANoticeAfterAResetOpensANewWindow(backend: Backend) async throws {
        let school = try await AccessSchool(backend: backend)
        let teacher = school.session(.mathTeacher)
        let head = school.session(.head)
        func work(_ hour: Int) async throws -> UInt64 {
            school.clock.set(Self.at("2026-09-21T\(hour < 10 ? "0" : "")\(hour):00:00Z"))
            return try await teacher.record(
                .lessonConducted(LessonConducted(lessonID: "L-2", topic: "Тема \(hour)")), occurredAt: school.clock.now()
            )
            .positions[0]
        }
        let eight = try await work(8), nine = try await work(9), ten = try await work(10)
        school.clock.set(Self.at("2026-09-21T11:00:00Z"))
        // Two notices about the same theft: support heard at 9:30, the head at 8:30.
        let first = try await head.record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Self.at("2026-09-21T09:30:00Z"), reportedBy: "head", reporter: .head)),
            occurredAt: school.clock.now())
        let second = try await school.session(.support).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedBySupportAt: Self.at("2026-09-21T08:30:00Z"), reportedBy: "support", reporter: .support)),
            occurredAt: school.clock.now())
        let audits = try school.journal.trusted.compromiseAudit(account: "t-math")
        #expect(audits.map { $0.voided.map(\.position) } == [[ten], [nine]])
        // Withdrawing the first leaves the second's window (from 8:30) in force: both stay void.
        let notice = try #require(try school.journal.entries(from: first.positions[0], through: first.positions[0]).first)
        try await head.record(
            .compromiseNoticeWithdrawn(
                CompromiseNoticeWithdrawn(
                    noticeEventID: notice.entry.id, noticePosition: notice.position,
                    reason: "дубликат")), occurredAt: school.clock.now())
        let after = try school.journal.trusted.compromiseAudit(account: "t-math")
        #expect(after[0].voided.allSatisfy { $0.isVoid })
        #expect(after[1].voided.allSatisfy { $0.isVoid })
        _ = second
        // A reset at 12:00 closes the window; work at 13:00 is valid; a new notice at 14:00 opens a new window.
        school.clock.set(Self.at("2026-09-21T12:00:00Z"))
        _ = try await school.session(.support).resetCredentials(account: "t-math", channel: .inPerson, occurredAt: school.clock.now())
        let thirteen = try await work(13)
        school.clock.set(Self.at("2026-09-21T14:30:00Z"))
        try await head.record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Self.at("2026-09-21T14:00:00Z"), reportedBy: "head", reporter: .head)),
            occurredAt: school.clock.now())
        let third = try #require(try school.journal.trusted.compromiseAudit(account: "t-math").last)
        #expect(third.voided.isEmpty)
        #expect(third.window.isOpen)
        let voided = Set(
            try school.journal.trusted.compromiseAudit(account: "t-math").flatMap { $0.voided.filter { $0.isVoid }.map(\.position) })
        #expect(voided == [nine, ten])
        #expect(!voided.contains(eight) && !voided.contains(thirteen))
    }
}
