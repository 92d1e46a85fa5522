import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("Reference rules: what an event names must exist and fit")
struct ReferenceRulesTests {
    /// Records `event`, expects a refusal naming `field`, and checks the ledger did not move.
    func expectRefusal(_ event: SchoolEvent, field: String, in school: SchoolScenario, _ comment: Comment? = nil) async throws {
        let head = try school.journal.ledger.head()
        let error = await #expect(throws: SchoolValidationError.self, comment) { try await school.record(event) }
        #expect(error?.field == field, comment)
        #expect(error?.eventType == event.eventType)
        #expect(try school.journal.ledger.head() == head)
    }

    @Test func aMarkForAStudentOfTheLessonsClassIsRecorded() async throws {
        let school = try await SchoolScenario()
        let mark = SchoolScenario.mark("S-1", "L-1")
        let result = try await school.record(mark)
        #expect(result.positions.count == 1)
        #expect(try school.journal.entries(inStream: mark.stream).map(\.entry.event) == [mark])
    }

    @Test func aMarkForAnUnknownLessonIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-1", "L-404"), field: "lesson_id", in: school)
    }

    @Test func aMarkForAnUnknownStudentIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-404", "L-1"), field: "student_id", in: school)
    }

    @Test func aMarkForAStudentOfAnotherClassIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-3", "L-1"), field: "student_id", in: school)
    }

    @Test func aMarkInAnotherSubjectThanTheLessonsIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-1", "L-1", "ENG"), field: "subject_id", in: school)
    }

    @Test func classMembershipFollowsTheTransferDate() async throws {
        let school = try await SchoolScenario()
        // S-4 was in 7A on 7 September and in 7B from 1 October.
        _ = try await school.record(SchoolScenario.mark("S-4", "L-1"))
        try await expectRefusal(SchoolScenario.mark("S-4", "L-4"), field: "student_id", in: school)
    }

    @Test func groupMembershipFollowsTheDateAStudentJoined() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-2", "L-2", "ENG"), field: "student_id", in: school, "S-2 joins on 15 October")
        _ = try await school.record(SchoolScenario.mark("S-2", "L-3", "ENG"))
        try await expectRefusal(SchoolScenario.mark("S-3", "L-3", "ENG"), field: "student_id", in: school, "S-3 is not in the group")
    }

    @Test func attendanceFollowsTheSameMembershipRules() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(.attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-2", status: .present)))
        try await expectRefusal(
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .absent)),
            field: "student_id", in: school)
    }

    @Test func aLessonOutsideTheAcademicYearIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.lesson("L-9", "MATH", .class("7A"), "2027-07-01"), field: "date", in: school)
    }

    @Test func aLessonInsideAHolidayIsRefusedButAnotherGradesHolidayIsNot() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.lesson("L-9", "MATH", .class("7A"), "2026-10-28"), field: "date", in: school)
        _ = try await school.record(SchoolScenario.lesson("L-10", "MATH", .class("7A"), "2027-02-17"))
    }

    @Test func aLessonForAnUnknownSubjectOrTargetIsRefused() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.lesson("L-9", "CHEM", .class("7A"), "2026-09-08"), field: "subject_id", in: school)
        try await expectRefusal(SchoolScenario.lesson("L-9", "MATH", .class("9Z"), "2026-09-08"), field: "target", in: school)
    }

    @Test func aMovedLessonIsCheckedOnItsNewDate() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(
            .lessonRescheduled(LessonRescheduled(lessonID: "L-1", newDate: SchoolScenario.date("2026-11-02"), newLessonNumber: 2)),
            field: "new_date", in: school)
        _ = try await school.record(
            .lessonRescheduled(LessonRescheduled(lessonID: "L-1", newDate: SchoolScenario.date("2026-10-02"), newLessonNumber: 2)))
        // On 2 October S-4 is already in 7B.
        try await expectRefusal(SchoolScenario.mark("S-4", "L-1"), field: "student_id", in: school)
    }

    @Test func aMarkForACancelledLessonIsRefused() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(.lessonCancelled(LessonCancelled(lessonID: "L-1", reason: "карантин")))
        try await expectRefusal(SchoolScenario.mark("S-1", "L-1"), field: "lesson_id", in: school)
    }

    @Test func laterEntriesOfOneCallSeeTheEarlierOnes() async throws {
        let school = try await SchoolScenario()
        let entries = [
            SchoolEvent.studentEnrolled(
                StudentEnrolled(
                    studentID: "S-5", classID: "7A", enrollmentDate: SchoolScenario.date("2026-09-05"),
                    personalData: SchoolScenario.sealed("S-5"))),
            SchoolScenario.mark("S-5", "L-1"),
        ].map { JournalEntry(event: $0, actor: SchoolScenario.admin, occurredAt: SchoolScenario.at("2026-09-07")) }
        let result = try await school.journal.recordTrusted(entries)
        #expect(result.positions.count == 2)
    }

    @Test func resendingRecordedEntriesReturnsTheirPositions() async throws {
        let school = try await SchoolScenario()
        let entry = JournalEntry(
            event: SchoolScenario.mark("S-1", "L-1"), actor: SchoolScenario.teacher, occurredAt: SchoolScenario.at("2026-09-07"))
        let first = try await school.journal.recordTrusted([entry])
        _ = try await school.record(.lessonCancelled(LessonCancelled(lessonID: "L-1")))
        let again = try await school.journal.recordTrusted([entry])
        #expect(again.wasDuplicate)
        #expect(again.positions == first.positions)
    }

    @Test func fieldRulesComeBeforeTheLedger() async throws {
        let school = try await SchoolScenario()
        try await expectRefusal(SchoolScenario.mark("S-1", "L-1", value: 6), field: "value", in: school)
    }
}
