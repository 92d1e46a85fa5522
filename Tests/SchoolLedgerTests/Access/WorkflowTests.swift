import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("The school's workflows through the rights checks")
struct WorkflowTests {
    let at = AccessSchool.today

    @Test func aParentOfOneStudentCanReadNothingOfAnother() async throws {
        let school = try await AccessSchool()
        let mother = school.session(.parent)
        let week = (from: CivilDate("2026-09-14")!, to: CivilDate("2026-09-20")!)
        _ = try mother.diary(of: "S-1", from: week.from, to: week.to)
        for student in ["S-2", "S-3"] as [StudentID] {
            #expect(throws: AccessDenied.self) { try mother.diary(of: student, from: week.from, to: week.to) }
            #expect(throws: AccessDenied.self) { try mother.marks(of: student, period: "2026-Q1") }
        }
        #expect(throws: AccessDenied.self) { try mother.timetable(of: "7B", from: week.from, to: week.to) }
        #expect(throws: AccessDenied.self) { try mother.testSchedule(of: "7B", period: "2026-Q1") }
        #expect(throws: AccessDenied.self) { try mother.teachers(of: .class("7B"), on: week.to) }
        #expect(throws: AccessDenied.self) { try mother.classList("7A", on: week.to) }
        #expect(throws: AccessDenied.self) { try mother.parents(ofClass: "7A", on: week.to) }
        #expect(throws: AccessDenied.self) { try mother.journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1") }
        // Nor can she act for another family.
        let head = try school.head
        await #expect(throws: AccessDenied.self) {
            try await mother.record(
                .diaryAcknowledged(DiaryAcknowledged(parentID: "P-3", studentID: "S-3", upToDate: CivilDate("2026-09-20"))),
                occurredAt: at)
        }
        await #expect(throws: AccessDenied.self) {
            try await mother.record(
                .consentWithdrawn(ConsentWithdrawn(parentID: "P-2", studentID: "S-2", submittedVia: .electronic)), occurredAt: at)
        }
        #expect(try school.head == head)
    }

    @Test func theClassTeacherViewsEverySubjectOfHerClassAndEditsOnlyHerOwn() async throws {
        let school = try await AccessSchool()
        let classTeacher = school.session(.classTeacher)
        let maths = try classTeacher.journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1")
        #expect(maths.rows.first { $0.studentID == "S-1" }?.cells.flatMap(\.marks) == [.numeric(4), .numeric(5)])
        let head = try school.head
        let refused: [SchoolEvent] = [
            .markRecorded(
                MarkRecorded(
                    markID: "M-CT", studentID: "S-2", lessonID: "L-2", subjectID: "MATH", value: .numeric(3), weight: 1,
                    workKind: .classwork)),
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(3), reason: "исправление")),
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .absent)),
            .lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")),
        ]
        for event in refused {
            let error = await #expect(throws: AccessDenied.self) { try await classTeacher.record(event, occurredAt: at) }
            #expect(error?.account == "t-class")
        }
        #expect(try school.head == head)
        // Her own subject in her class she edits.
        try await classTeacher.record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-RUS", studentID: "S-2", lessonID: "L-3", subjectID: "RUS",
                    value: .numeric(5), weight: 2, workKind: .dictation)), occurredAt: at)
        #expect(try school.head.position == head.position + 1)
    }

    @Test func aSubstituteRecordsOnlyInTheLessonsSheSubstitutes() async throws {
        let school = try await AccessSchool()
        let substitute = school.session(.substitute)
        try await substitute.record(.attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .absent)), occurredAt: at)
        let head = try school.head
        for lesson in ["L-1", "L-3", "L-4"] as [LessonID] {
            let subject: SubjectID = lesson == "L-3" ? "RUS" : "MATH"
            let student: StudentID = lesson == "L-4" ? "S-3" : "S-2"
            await #expect(throws: AccessDenied.self) {
                try await substitute.record(
                    .markRecorded(
                        MarkRecorded(
                            markID: MarkID("M-\(lesson)"), studentID: student, lessonID: lesson,
                            subjectID: subject, value: .numeric(4), weight: 1, workKind: .classwork)),
                    occurredAt: at)
            }
        }
        #expect(try school.head == head)
    }

    @Test func theEditWindowIsTheSchoolsSetting() async throws {
        let school = try await AccessSchool()
        let correction = SchoolEvent.markCorrected(MarkCorrected(markID: "M-OLD", newValue: .numeric(3), reason: "ошибка"))
        // M-OLD's lesson was on Sep 7: a 7-day window closed on Sep 14.
        let error = await #expect(throws: AccessDenied.self) { try await school.session(.mathTeacher).record(correction, occurredAt: at) }
        #expect(error?.missingRight.contains("2026-09-14") == true)
        try await school.session(.deputy).record(
            .journalSettingsChanged(
                JournalSettingsChanged(
                    schoolID: "school-1", editWindowDays: 14,
                    kindsOfWork: [])), occurredAt: at)
        try await school.session(.mathTeacher).record(correction, occurredAt: at)
        #expect(try school.journal.trusted.marks(of: "S-1", period: "2026-Q1").subjects.first?.marks.first?.value == .numeric(3))
    }

    @Test func aCompromisedAccountIsRefusedUntilItsCredentialsAreReset() async throws {
        let school = try await AccessSchool()
        let locked = school.session(.compromised)
        let refusal = #expect(throws: AccessDenied.self) { try locked.holidays(of: "2026-2027") }
        #expect(refusal?.missingRight.contains("reset the account's credentials") == true)
        #expect(refusal?.isAccountLocked == true)
        let settings = SchoolEvent.journalSettingsChanged(JournalSettingsChanged(schoolID: "school-1", editWindowDays: 5, kindsOfWork: []))
        let writeRefusal = await #expect(throws: AccessDenied.self) { try await locked.record(settings, occurredAt: at) }
        #expect(writeRefusal?.isAccountLocked == true)
        // A right the account lacks is no lock.
        let plain = await #expect(throws: AccessDenied.self) { try await school.session(.parent).record(settings, occurredAt: at) }
        #expect(plain?.isAccountLocked == false)
        let issued = try await school.session(.support).resetCredentials(
            account: "acc-x", channel: .inPerson, reason: "взлом", occurredAt: at)
        #expect(try school.journal.verifyActivationCode(issued.activationCode.text, for: "acc-x"))
        try await locked.record(settings, occurredAt: at)
        _ = try locked.holidays(of: "2026-2027")
    }

    @Test func credentialsKeepOnlyASaltedHashOfTheActivationCode() async throws {
        let school = try await AccessSchool()
        let issued = try await school.session(.classTeacher).issueCredentials(
            account: "acc-p2-new", person: "P-2", holder: .parent,
            channel: .sms, occurredAt: at)
        let code = issued.activationCode.text
        #expect(code.count == 14)
        #expect(try school.journal.verifyActivationCode(code, for: "acc-p2-new"))
        #expect(try school.journal.verifyActivationCode(code.lowercased().replacingOccurrences(of: "-", with: " "), for: "acc-p2-new"))
        #expect(try !school.journal.verifyActivationCode("AAAA-AAAA-AAAA", for: "acc-p2-new"))
        #expect(try !school.journal.verifyActivationCode(code, for: "acc-p1"))
        // Who, when, which channel are recorded; the code is not.
        let recorded = try #require(try school.journal.entries(inStream: "account/acc-p2-new").last)
        guard case .credentialsIssued(let event) = recorded.entry.event else { Issue.record("not CredentialsIssued"); return }
        #expect(recorded.entry.actor == "t-class")
        #expect(event.channel == .sms)
        #expect(event.activationCode?.hash.count == 32)
        let file = try Data(contentsOf: URL(fileURLWithPath: school.dir.path + "/data.mdb"))
        #expect(file.range(of: Data(ActivationCodeText.normalized(code).utf8)) == nil)
        #expect(file.range(of: Data(code.utf8)) == nil)
        // It expires: after 14 days it no longer works.
        school.clock.advance(seconds: 15 * 86_400)
        #expect(try !school.journal.verifyActivationCode(code, for: "acc-p2-new"))
    }

    @Test func aParentWithoutConsentGetsPaperExtractsAndNoSMS() async throws {
        let school = try await AccessSchool()
        let classTeacher = school.session(.classTeacher)
        // Clause 1: the class teacher tells both 7A parents about the diary and its SMS service.
        for (parent, student) in [("P-1", "S-1"), ("P-2", "S-2")] as [(ParentID, StudentID)] {
            try await classTeacher.record(
                .parentsInformedOfServices(
                    ParentsInformedOfServices(
                        parentID: parent, studentID: student,
                        services: [.personalCabinet, .smsMarks])), occurredAt: at)
        }
        // Both want SMS: P-1 from her account, P-2 on a paper form the class teacher records.
        try await school.session(.parent).record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1", channel: .sms, enabled: true,
                    submittedVia: .electronic)), occurredAt: at)
        try await classTeacher.record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-2", channel: .sms, enabled: true,
                    submittedVia: .paperForm)), occurredAt: at)
        // A new mark for each child.
        let teacher = school.session(.mathTeacher)
        for student in ["S-1", "S-2"] as [StudentID] {
            try await teacher.record(
                .markRecorded(
                    MarkRecorded(
                        markID: MarkID("M-SMS-\(student)"), studentID: student, lessonID: "L-2",
                        subjectID: "MATH", value: .numeric(4), weight: 1, workKind: .classwork)), occurredAt: at)
        }
        let outbox = try school.session(.support).outbox()
        #expect(outbox.map(\.parentID) == ["P-1"])
        let due = try classTeacher.paperExtractsDue(ofClass: "7A", on: CivilDate("2026-09-20")!)
        #expect(due.map(\.parentID) == ["P-2"])
        #expect(due.first?.reason == .noConsent)
        try await classTeacher.record(
            .paperExtractIssued(
                PaperExtractIssued(
                    extractID: "X-1", studentID: "S-2", parentID: "P-2",
                    covers: .period("2026-Q1"), reason: .noConsent)), occurredAt: at)
        #expect(try classTeacher.paperExtractsDue(ofClass: "7A", on: CivilDate("2026-09-20")!).first?.extractsIssued == ["X-1"])
        // Refusing the electronic form later moves P-1 to paper too, and stops her SMS.
        try await school.session(.parent).record(
            .electronicFormRefused(
                ElectronicFormRefused(
                    parentID: "P-1", studentID: "S-1",
                    submittedVia: .electronic)), occurredAt: at)
        let reasons = try classTeacher.paperExtractsDue(ofClass: "7A", on: CivilDate("2026-09-20")!).map { "\($0.parentID):\($0.reason)" }
        #expect(reasons == ["P-1:refusedElectronicForm", "P-2:noConsent"])
        try await teacher.record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-AFTER", studentID: "S-1", lessonID: "L-2", subjectID: "MATH",
                    value: .numeric(5), weight: 1, workKind: .classwork)), occurredAt: at)
        // Nothing about the new mark, and the message owed before the refusal is
        // not offered either: consent is judged at delivery.
        #expect(try school.session(.support).outbox().isEmpty)
        // And she no longer sees the diary electronically.
        #expect(throws: AccessDenied.self) {
            try school.session(.parent).diary(of: "S-1", from: CivilDate("2026-09-14")!, to: CivilDate("2026-09-20")!)
        }
    }

    @Test func parentsSubscribedToScheduleChangesAreToldOfMovedAndCancelledLessons() async throws {
        let school = try await AccessSchool()
        let mother = school.session(.parent)
        try await mother.record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1", channel: .sms, enabled: true,
                    submittedVia: .electronic, topics: [.marks, .scheduleChanges])),
            occurredAt: at)
        try await mother.record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1", channel: .email, enabled: true,
                    submittedVia: .electronic, topics: [.scheduleChanges])),
            occurredAt: at)
        // P-2 asked for schedule changes on paper, but has no consent: nothing is owed to him.
        try await school.session(.classTeacher).record(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-2", channel: .sms, enabled: true, submittedVia: .paperForm, topics: [.scheduleChanges])), occurredAt: at)
        let deputy = school.session(.deputy)
        try await deputy.record(
            .lessonRescheduled(LessonRescheduled(lessonID: "L-2", newDate: CivilDate("2026-09-21")!, newLessonNumber: 5)),
            occurredAt: at)
        try await deputy.record(.lessonCancelled(LessonCancelled(lessonID: "L-3", reason: "карантин")), occurredAt: at)
        try await school.session(.mathTeacher).record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-SCHED", studentID: "S-1", lessonID: "L-2",
                    subjectID: "MATH", value: .numeric(5), weight: 1,
                    workKind: .classwork)), occurredAt: at)
        let outbox = try school.session(.support).outbox()
        let lines = outbox.map {
            "\($0.parentID) \($0.studentID) \($0.channel) \($0.reason) \($0.lessonID?.rawValue ?? $0.markID?.rawValue ?? "")"
        }
        #expect(
            lines == [
                "P-1 S-1 email lessonMoved L-2", "P-1 S-1 sms lessonMoved L-2",
                "P-1 S-1 email lessonCancelled L-3", "P-1 S-1 sms lessonCancelled L-3",
                "P-1 S-1 sms newMark M-SCHED",
            ])
        #expect(outbox.first?.newDate == CivilDate("2026-09-21"))
        // Delivering one settles only that one.
        try await school.session(.support).reportDelivered(outbox[0], occurredAt: at)
        #expect(try school.session(.support).outbox().map(\.notificationID) == outbox.dropFirst().map(\.notificationID))
    }

    @Test func acknowledgementEmptiesTheClassTeachersControlList() async throws {
        let school = try await AccessSchool()
        let classTeacher = school.session(.classTeacher)
        let control = try classTeacher.unacknowledgedMarks(ofClass: "7A", olderThan: 0, now: at.adding(microseconds: 1))
        #expect(control.map(\.parentID) == ["P-1"])
        #expect(control.first?.count == 2)
        try await school.session(.parent).record(
            .diaryAcknowledged(
                DiaryAcknowledged(
                    parentID: "P-1", studentID: "S-1",
                    upToDate: CivilDate("2026-09-20"))), occurredAt: at)
        #expect(try classTeacher.unacknowledgedMarks(ofClass: "7A", olderThan: 0, now: at.adding(microseconds: 1)).isEmpty)
        // P-2 has no consent, so cannot acknowledge electronically.
        await #expect(throws: AccessDenied.self) {
            try await school.session(.parentNoConsent).record(
                .diaryAcknowledged(
                    DiaryAcknowledged(
                        parentID: "P-2", studentID: "S-2",
                        upToDate: CivilDate("2026-09-20"))), occurredAt: at)
        }
    }

    @Test func theOutboxDrainedTwiceAcrossARestartDeliversEachMessageOnce() async throws {
        let restarted = TemporaryDirectory("restart")
        let message: OutboxMessage
        do {
            let school = try await AccessSchool()
            try await school.session(.parent).record(
                .notificationPreferenceSet(
                    NotificationPreferenceSet(
                        parentID: "P-1", channel: .sms, enabled: true,
                        submittedVia: .electronic)), occurredAt: at)
            try await school.session(.mathTeacher).record(
                .markRecorded(
                    MarkRecorded(
                        markID: "M-OUT", studentID: "S-1", lessonID: "L-2",
                        subjectID: "MATH", value: .numeric(5), weight: 1,
                        workKind: .classwork)), occurredAt: at)
            let service = school.session(.support)
            let owed = try service.outbox()
            #expect(owed.count == 1)
            message = try #require(owed.first)
            // The service sends, reports, and crashes before it notes the report; after the
            // restart it drains again and reports the same message once more.
            try await service.reportDelivered(message, providerMessageID: "sms-1", occurredAt: at)
            let reportedAt = try school.head
            let again = try await service.reportDelivered(message, providerMessageID: "sms-1", occurredAt: at)
            #expect(again.wasDuplicate)
            #expect(try school.head == reportedAt)
            // The process ends; its files are what a restart finds (LMDB's file is whole at every commit).
            try FileManager.default.createDirectory(atPath: restarted.path + "/ledger", withIntermediateDirectories: true)
            try await Fixture.copyDataFile(of: school.journal.ledger, to: restarted.path + "/ledger")
        }
        let reopened = try SchoolJournal.open(at: restarted.path + "/ledger")
        let service = reopened.session(for: "support")
        #expect(try service.outbox().isEmpty)
        let deliveries = try reopened.entries(inStream: SchoolStream.notification(message.notificationID))
        #expect(deliveries.count == 1)
    }

    /// The class teacher enrols a student, links the mother and hands her
    /// credentials in one call: each entry is judged with the earlier ones of
    /// the call, as if they had been recorded one call each (the parent's
    /// child is a student stream this call begins). A class teacher of
    /// another class is refused the same call, and nothing of it is appended.
    @Test func oneCallThatLinksAParentMayIssueTheParentsCredentials() async throws {
        let school = try await AccessSchool()
        func call(_ student: StudentID, _ parent: ParentID) -> [SchoolEvent] {
            [
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: student, classID: "7A", enrollmentDate: AccessSchool.september,
                        personalData: AccessSchool.sealed(student.rawValue))),
                .parentLinked(ParentLinked(parentID: parent, studentID: student, relation: .mother, effectiveDate: AccessSchool.september)),
                .credentialsIssued(
                    CredentialsIssued(
                        accountID: AccountID("acc-\(parent.rawValue)"), personID: PersonID(parent.rawValue), holder: .parent,
                        channel: .paper)),
            ]
        }
        let head = try school.head
        await #expect(throws: AccessDenied.self) { try await school.session(.otherTeacher).record(call("S-8", "P-8"), occurredAt: at) }
        #expect(try school.head == head)
        try await school.session(.classTeacher).record(call("S-9", "P-9"), occurredAt: at)
        #expect(try school.head.position == head.position + 3)
        // The mother's account works: she consents to the electronic form and acknowledges her child's diary.
        let mother = school.journal.session(for: "acc-P-9")
        try await mother.record(.consentGiven(ConsentGiven(parentID: "P-9", studentID: "S-9", submittedVia: .electronic)), occurredAt: at)
        try await mother.record(
            .diaryAcknowledged(DiaryAcknowledged(parentID: "P-9", studentID: "S-9", upToDate: CivilDate("2026-09-20"))), occurredAt: at)
    }
}

/// What the ledger would hash: the code without separators, upper-cased.
enum ActivationCodeText {
    static func normalized(_ code: String) -> String { code.uppercased().filter { $0 != "-" && $0 != " " } }
}
