import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("Diary and timetables")
struct DiaryAndTimetableTests {
    static func d(_ text: String) -> CivilDate { CivilDate(text)! }
    func d(_ text: String) -> CivilDate { CivilDate(text)! }

    /// Adds to the scenario: a maths lesson moved, an English lesson with a
    /// substitute, homework, a test, a recommendation, marks and an absence.
    static func week(_ school: SchoolScenario) async throws {
        _ = try await school.record(SchoolScenario.lesson("L-6", "MATH", .class("7A"), "2026-10-19", number: 3))
        _ = try await school.record(.lessonRescheduled(LessonRescheduled(lessonID: "L-6", newDate: d("2026-10-21"), newLessonNumber: 5)))
        _ = try await school.record(
            .substitutionAssigned(
                SubstitutionAssigned(
                    lessonID: "L-3", substituteTeacherID: "teacher-petrova",
                    replacedTeacherID: SchoolScenario.teacher)))
        _ = try await school.record(.lessonConducted(LessonConducted(lessonID: "L-3", topic: "Present Perfect")))
        _ = try await school.record(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-1", lessonID: "L-3", text: "Упр. 5, с. 42", dueDate: d("2026-10-22"))))
        _ = try await school.record(
            .homeworkAmended(HomeworkAmended(homeworkID: "H-1", text: "Упр. 5 и 6, с. 42", dueDate: d("2026-10-23"))))
        _ = try await school.record(
            .testScheduled(
                TestScheduled(
                    testID: "T-1", subjectID: "MATH", target: .class("7A"), date: d("2026-10-28"),
                    workKind: .test, topic: "Дроби")))
        _ = try await school.record(JournalQueryTests.mark("M-9", "S-1", "L-3", "ENG", 5, weight: 2))
        _ = try await school.record(.attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-6", status: .absent)))
        _ = try await school.record(
            .recommendationIssued(
                RecommendationIssued(
                    recommendationID: "R-1", studentID: "S-1", subjectID: "ENG",
                    text: "Повторить неправильные глаголы", toStudent: true, toParents: true)),
            on: "2026-10-20")
    }

    @Test func aStudentsDiaryForAWeek() async throws {
        let school = try await SchoolScenario()
        try await Self.week(school)
        let diary = try school.journal.trusted.diary(of: "S-1", from: d("2026-10-19"), to: d("2026-10-25"))
        #expect(diary.lessons.map(\.lessonID) == ["L-3", "L-6"])
        let english = try #require(diary.lessons.first)
        #expect(english.substituteID == "teacher-petrova")
        #expect(english.topic == "Present Perfect")
        #expect(english.homework.map(\.homeworkID) == ["H-1"])
        #expect(english.homework.first?.text == "Упр. 5 и 6, с. 42")
        #expect(english.homework.first?.dueDate == d("2026-10-23"))
        #expect(english.marks == [.numeric(5)])
        let maths = try #require(diary.lessons.last)
        #expect(maths.isMoved)
        #expect(maths.date == d("2026-10-21"))
        #expect(maths.lessonNumber == 5)
        #expect(maths.attendance == .absent)
        #expect(diary.tests.map(\.testID) == ["T-1"])
        #expect(diary.recommendations.map(\.text) == ["Повторить неправильные глаголы"])
        // S-3 of 7B sees none of 7A's lessons.
        #expect(try school.journal.trusted.diary(of: "S-3", from: d("2026-10-19"), to: d("2026-10-25")).lessons.isEmpty)
    }

    @Test func timetablesOfAClassAndOfATeacher() async throws {
        let school = try await SchoolScenario()
        try await Self.week(school)
        let classWeek = try school.journal.trusted.timetable(of: "7A", from: d("2026-10-19"), to: d("2026-10-25"))
        #expect(classWeek.entries.map(\.lessonID) == ["L-3", "L-6"])
        #expect(classWeek.entries.first?.target == "group ENG-1")
        let substitute = try school.journal.trusted.timetable(ofTeacher: "teacher-petrova", from: d("2026-10-19"), to: d("2026-10-25"))
        #expect(substitute.entries.map(\.lessonID) == ["L-3"])
        let teacher = try school.journal.trusted.timetable(ofTeacher: SchoolScenario.teacher, from: d("2026-10-01"), to: d("2026-10-31"))
        #expect(teacher.entries.map(\.lessonID) == ["L-2", "L-4", "L-3", "L-6"])
        #expect(teacher.entries.first { $0.lessonID == "L-6" }?.isMoved == true)
    }

    @Test func aCancelledLessonStaysInTheDiaryFlagged() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(.lessonCancelled(LessonCancelled(lessonID: "L-4", reason: "карантин")))
        let diary = try school.journal.trusted.diary(of: "S-1", from: d("2026-10-05"), to: d("2026-10-05"))
        #expect(diary.lessons.map(\.lessonID) == ["L-2", "L-4"])
        #expect(diary.lessons.last?.isCancelled == true)
    }

    /// A school date derived from an instant is the date in the school's
    /// time zone: 22:30 UTC on Sep 14 is 08:30 on Sep 15 in Vladivostok.
    @Test func recommendationDatesAndTheControlListUseTheSchoolsTimeZone() async throws {
        let school = try await SchoolScenario(manualClock: true)
        // Asked before the registration names a zone (UTC): the calendar the
        // journal keeps must not outlive the registration below.
        #expect(try school.journal.schoolDate(at: Instant(iso8601: "2026-09-14T22:30:00Z")!) == d("2026-09-14"))
        try await school.journal.recordTrusted(
            .schoolRegistered(
                SchoolRegistered(
                    schoolID: "school-17", fullName: "Школа № 17",
                    timeZone: "Asia/Vladivostok")),
            by: SchoolScenario.admin, occurredAt: SchoolScenario.at("2026-09-01"))
        let lateEvening = Instant(iso8601: "2026-09-14T22:30:00Z")!
        try await school.journal.recordTrusted(
            .recommendationIssued(
                RecommendationIssued(
                    recommendationID: "R-1", studentID: "S-1", subjectID: "MATH",
                    text: "Повторить дроби", toStudent: true, toParents: true)),
            by: SchoolScenario.teacher, occurredAt: lateEvening)
        #expect(try school.journal.schoolDate(at: lateEvening) == d("2026-09-15"))
        let diary = try school.journal.trusted.diary(of: "S-1", from: d("2026-09-15"), to: d("2026-09-15"))
        #expect(diary.recommendations.map(\.date) == [d("2026-09-15")])
        let dayBefore = try school.journal.trusted.diary(of: "S-1", from: d("2026-09-14"), to: d("2026-09-14"))
        #expect(dayBefore.recommendations.isEmpty)
        // The school's today, by the ledger's clock, is the same date.
        school.clock.set(lateEvening)
        #expect(try school.journal.today() == d("2026-09-15"))
    }
}
