import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("Test schedule, holidays and teachers")
struct SchedulesTests {
    func d(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test func theTestScheduleOfAClassInAPeriodIncludesItsGroupsTests() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(
            .reportingPeriodDefined(
                ReportingPeriodDefined(
                    periodID: "2026-Q1", academicYearID: "2026-2027", kind: .quarter, ordinal: 1,
                    title: "I четверть", dates: DateRange(start: d("2026-09-01"), end: d("2026-10-25")))))
        _ = try await school.record(
            .testScheduled(TestScheduled(testID: "T-1", subjectID: "MATH", target: .class("7A"), date: d("2026-10-14"), workKind: .test)))
        _ = try await school.record(
            .testScheduled(
                TestScheduled(testID: "T-2", subjectID: "ENG", target: .group("ENG-1"), date: d("2026-09-30"), workKind: .dictation)))
        _ = try await school.record(
            .testScheduled(TestScheduled(testID: "T-3", subjectID: "MATH", target: .class("7A"), date: d("2026-11-20"), workKind: .test)))
        _ = try await school.record(
            .testScheduled(TestScheduled(testID: "T-4", subjectID: "MATH", target: .class("7B"), date: d("2026-10-14"), workKind: .test)))
        _ = try await school.record(.testRescheduled(TestRescheduled(testID: "T-3", newDate: d("2026-10-21"))))
        _ = try await school.record(.testCancelled(TestCancelled(testID: "T-1")))
        let tests = try school.journal.trusted.testSchedule(of: "7A", period: "2026-Q1")
        #expect(tests.map(\.testID) == ["T-2", "T-3"])
        #expect(tests.last?.date == d("2026-10-21"))
    }

    @Test func holidaysOfTheYear() async throws {
        let school = try await SchoolScenario()
        let holidays = try school.journal.trusted.holidays(of: "2026-2027")
        #expect(holidays.map(\.holidayID) == ["autumn", "grade-1-winter"])
        #expect(holidays.last?.gradeLevels == [1])
    }

    @Test func theTeachersOfAClassOnADate() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7A", teacherID: "teacher-sidorova", effectiveDate: d("2026-09-01"))))
        _ = try await school.record(
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "teacher-ivanova", subjectID: "MATH", target: .class("7A"),
                    effectiveDate: d("2026-09-01"), endDate: d("2026-12-31"))))
        _ = try await school.record(
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "teacher-orlov", subjectID: "MATH", target: .class("7A"),
                    effectiveDate: d("2027-01-01"))))
        _ = try await school.record(
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "teacher-petrova", subjectID: "ENG", target: .group("ENG-1"),
                    effectiveDate: d("2026-09-01"))))
        let autumn = try school.journal.trusted.teachers(of: .class("7A"), on: d("2026-10-01"))
        #expect(autumn.map(\.teacherID) == ["teacher-sidorova", "teacher-ivanova"])
        #expect(autumn.first?.subjectID == nil)
        let spring = try school.journal.trusted.teachers(of: .class("7A"), on: d("2027-02-01"))
        #expect(spring.map(\.teacherID) == ["teacher-sidorova", "teacher-orlov"])
        #expect(try school.journal.trusted.teachers(of: .group("ENG-1"), on: d("2026-10-01")).map(\.teacherID) == ["teacher-petrova"])
    }
}
