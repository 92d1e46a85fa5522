import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Rules that keep one account from rewriting what belongs to another:
/// created things are created once, accounts keep their holder, a locked
/// account files no notices about others.
@Suite("Integrity rules around the rights")
struct IntegrityRulesTests {
    let at = AccessSchool.today

    @Test func anAccountKeepsItsHolder() async throws {
        let school = try await AccessSchool()
        let head = try school.head
        // The class teacher cannot issue the head's account to a student of hers.
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.classTeacher).record(
                .credentialsIssued(
                    CredentialsIssued(
                        accountID: "head", personID: "S-1", holder: .student, channel: .paper)), occurredAt: at)
        }
        // Nor another family's parent account to another parent.
        let error = await #expect(throws: SchoolValidationError.self) {
            try await school.session(.classTeacher).record(
                .credentialsIssued(
                    CredentialsIssued(
                        accountID: "acc-p1", personID: "P-2", holder: .parent, channel: .paper)), occurredAt: at)
        }
        #expect(error?.rule.contains("already belongs to them") == true)
        #expect(try school.head == head)
    }

    @Test func createdThingsAreCreatedOnce() async throws {
        let school = try await AccessSchool()
        let teacher = school.session(.mathTeacher)
        let head = try school.head
        let again: [SchoolEvent] = [
            // Another MarkRecorded for an existing mark would overwrite it past the author and the edit window.
            .markRecorded(
                MarkRecorded(
                    markID: "M-OLD", studentID: "S-1", lessonID: "L-2", subjectID: "MATH", value: .numeric(2), weight: 1,
                    workKind: .classwork)),
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-1", lessonID: "L-2", text: "другое", dueDate: CivilDate("2026-09-22")!)),
            .testScheduled(TestScheduled(testID: "T-1", subjectID: "MATH", target: .class("7A"), date: CivilDate("2026-09-29")!)),
            .finalMarkSet(FinalMarkSet(finalMarkID: "F-1", studentID: "S-1", subjectID: "MATH", periodID: "2026-Q1", value: .numeric(2))),
            // Attendance is marked once; changing it is a correction, with its window.
            .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-2", status: .absent)),
        ]
        for event in again {
            await #expect(throws: SchoolValidationError.self, "\(event.eventType)") { try await teacher.record(event, occurredAt: at) }
        }
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.otherTeacher).record(
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: "S-1", classID: "7B", enrollmentDate: CivilDate("2026-09-21")!, personalData: AccessSchool.sealed("S-1"))
                ), occurredAt: at)
        }
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.classTeacher).record(
                .studyGroupFormed(
                    StudyGroupFormed(
                        groupID: "G-1", classIDs: ["7A"], subjectID: "RUS", name: "Группа", studentIDs: [],
                        effectiveDate: CivilDate("2026-09-21")!)),
                occurredAt: at)
        }
        // A transfer names the class the student is in, and its class teacher hands the student over.
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.otherTeacher).record(
                .studentTransferred(
                    StudentTransferred(
                        studentID: "S-1", fromClassID: "7B", toClassID: "7B", effectiveDate: CivilDate("2026-09-21")!)), occurredAt: at)
        }
        await #expect(throws: AccessDenied.self) {
            try await school.session(.otherTeacher).record(
                .studentTransferred(
                    StudentTransferred(
                        studentID: "S-1", fromClassID: "7A", toClassID: "7B", effectiveDate: CivilDate("2026-09-21")!)), occurredAt: at)
        }
        // A correction of something that was never recorded is refused, not waved through.
        await #expect(throws: AccessDenied.self) {
            try await teacher.record(.markCorrected(MarkCorrected(markID: "M-NONE", newValue: .numeric(5), reason: "?")), occurredAt: at)
        }
        #expect(try school.head == head)
    }

    @Test func aLockedAccountFilesNoNoticeAboutOthersButMayReportItself() async throws {
        let school = try await AccessSchool()
        let locked = school.session(.compromised)
        // acc-x is a deputy head under an open notice; give it the head role to try the worst case.
        try await school.journal.recordTrusted(
            .staffRoleGranted(StaffRoleGranted(accountID: "acc-x", role: .head, effectiveDate: CivilDate("2026-09-01")!)),
            by: "admin", occurredAt: at)
        let head = try school.head
        await #expect(throws: AccessDenied.self) {
            try await locked.record(
                .compromiseReported(
                    CompromiseReported(
                        accountID: "t-math",
                        receivedByHeadAt: CivilDate("2026-09-01").map { _ in
                            Instant(iso8601: "2026-09-01T08:00:00Z")!
                        }, reportedBy: "acc-x", reporter: .head)), occurredAt: at)
        }
        #expect(try school.head == head)
        try await locked.record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "acc-x", receivedBySupportAt: at.adding(microseconds: -3_600_000_000),
                    reportedBy: "acc-x", reporter: .participant)), occurredAt: at)
    }

    @Test func aParticipantsOwnReportReachesBackOneDayAtMost() async throws {
        let school = try await AccessSchool()
        let error = await #expect(throws: SchoolValidationError.self) {
            try await school.session(.mathTeacher).record(
                .compromiseReported(
                    CompromiseReported(
                        accountID: "t-math", receivedBySupportAt: Instant(iso8601: "2026-09-02T08:00:00Z")!, reportedBy: "t-math",
                        reporter: .participant)),
                occurredAt: at)
        }
        #expect(error?.field == "received_by_support_at")
        // The head may enter an older receipt she saw.
        try await school.session(.head).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Instant(iso8601: "2026-09-02T08:00:00Z")!, reportedBy: "head", reporter: .head)),
            occurredAt: at)
    }

    @Test func aNoticeAndAnOperationOfItsAccountInOneCallRefuseTheOperation() async throws {
        let school = try await AccessSchool()
        let head = try school.head
        await #expect(throws: AccessDenied.self) {
            try await school.journal.record([
                JournalEntry(
                    event: .compromiseReported(
                        CompromiseReported(
                            accountID: "t-math", receivedByHeadAt: at.adding(microseconds: -60_000_000),
                            reportedBy: "head", reporter: .head)), actor: "head", occurredAt: at),
                JournalEntry(event: .lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")), actor: "t-math", occurredAt: at),
            ])
        }
        #expect(try school.head == head)
    }

    @Test func noActivationCodeWorksWhileTheAccountIsLocked() async throws {
        let school = try await AccessSchool()
        let issued = try await school.session(.classTeacher).resetCredentials(account: "acc-p1", channel: .paper, occurredAt: at)
        #expect(try school.journal.verifyActivationCode(issued.activationCode.text, for: "acc-p1"))
        school.clock.advance(seconds: 60)
        try await school.session(.parent).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "acc-p1", receivedBySupportAt: school.clock.now(), reportedBy: "acc-p1", reporter: .participant)),
            occurredAt: at)
        #expect(try !school.journal.verifyActivationCode(issued.activationCode.text, for: "acc-p1"))
    }
}
