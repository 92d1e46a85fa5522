import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The queries on the small school of `SchoolScenario`, with answers checked by hand.
@Suite("Journal queries")
struct JournalQueryTests {
    static func mark(
        _ id: MarkID, _ student: StudentID, _ lesson: LessonID, _ subject: SubjectID, _ value: Int, weight: Int,
        kind: WorkKind = .classwork
    ) -> SchoolEvent {
        .markRecorded(
            MarkRecorded(
                markID: id, studentID: student, lessonID: lesson, subjectID: subject, value: .numeric(value),
                weight: weight, workKind: kind))
    }

    static func september(_ school: SchoolScenario) async throws {
        // S-1 in maths: 5 (test, weight 5), 3 (weight 1), 4 (weight 3) on L-1 (7 Sep) and L-5 (14 Sep).
        _ = try await school.record(SchoolScenario.lesson("L-5", "MATH", .class("7A"), "2026-09-14", number: 2))
        _ = try await school.record(mark("M-1", "S-1", "L-1", "MATH", 5, weight: 5, kind: .test))
        _ = try await school.record(mark("M-2", "S-1", "L-1", "MATH", 3, weight: 1))
        _ = try await school.record(mark("M-3", "S-1", "L-5", "MATH", 4, weight: 3))
        _ = try await school.record(mark("M-4", "S-2", "L-1", "MATH", 2, weight: 3))
    }

    @Test func aStudentsMarksHaveWeightedAndPlainAverages() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        let report = try school.journal.trusted.marks(of: "S-1", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
        let maths = try #require(report.subjects.first { $0.subjectID == "MATH" })
        #expect(maths.marks.map(\.markID) == ["M-1", "M-2", "M-3"])
        // (5·5 + 3·1 + 4·3) / (5 + 1 + 3) = 40 / 9; plain (5 + 3 + 4) / 3 = 4.
        #expect(abs((maths.weightedAverage ?? 0) - 40.0 / 9.0) < 1e-9)
        #expect(maths.plainAverage == 4)
        #expect(report.subjects.count == 1)
    }

    @Test func aCorrectionShowsInTheHistoryAndACancelledMarkLeavesTheAverage() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        _ = try await school.record(.markCorrected(MarkCorrected(markID: "M-2", newValue: .numeric(4), reason: "пересчёт баллов")))
        _ = try await school.record(.markCancelled(MarkCancelled(markID: "M-3", reason: "ошибка ввода")))
        let maths = try #require(
            try school.journal.trusted.marks(of: "S-1", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!).subjects.first)
        #expect(maths.marks.map(\.markID) == ["M-1", "M-2"])
        let corrected = try #require(maths.marks.last)
        #expect(corrected.value == .numeric(4))
        #expect(corrected.history.map(\.kind) == [.recorded, .corrected])
        #expect(corrected.history.last?.before == .numeric(3))
        #expect(corrected.history.last?.reason == "пересчёт баллов")
        #expect(corrected.history.last?.actor == SchoolScenario.teacher)
        // (5·5 + 4·1) / 6 = 29 / 6.
        #expect(abs((maths.weightedAverage ?? 0) - 29.0 / 6.0) < 1e-9)
    }

    @Test func theJournalPageShowsLessonsStudentsMarksAndAttendance() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        _ = try await school.record(.attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-5", status: .absent)))
        _ = try await school.record(
            .substitutionAssigned(
                SubstitutionAssigned(
                    lessonID: "L-5", substituteTeacherID: "teacher-petrova",
                    replacedTeacherID: SchoolScenario.teacher)))
        let page = try school.journal.trusted.journalPage(
            subject: "MATH", target: .class("7A"), from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
        #expect(page.lessons.map(\.lessonID) == ["L-1", "L-5"])
        #expect(page.lessons.last?.substituteID == "teacher-petrova")
        // In September 7A has S-1, S-2 and S-4 (S-4 moves to 7B on 1 October).
        #expect(page.rows.map(\.studentID) == ["S-1", "S-2", "S-4"])
        let s1 = try #require(page.rows.first)
        #expect(s1.cells.map(\.marks) == [[.numeric(5), .numeric(3)], [.numeric(4)]])
        let s2 = try #require(page.rows.dropFirst().first)
        #expect(s2.cells.map(\.attendance) == [nil, .absent])
        #expect(s2.weightedAverage == 2)
    }

    @Test func aMovedLessonAppearsOnItsNewDateAndIsFlagged() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        _ = try await school.record(
            .lessonRescheduled(LessonRescheduled(lessonID: "L-5", newDate: CivilDate("2026-10-02")!, newLessonNumber: 4)))
        let september = try school.journal.trusted.journalPage(
            subject: "MATH", target: .class("7A"), from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
        #expect(september.lessons.map(\.lessonID) == ["L-1"])
        let october = try school.journal.trusted.journalPage(
            subject: "MATH", target: .class("7A"), from: CivilDate("2026-10-01")!, to: CivilDate("2026-10-31")!)
        #expect(october.lessons.map(\.lessonID) == ["L-5", "L-4"])
        #expect(october.lessons.first?.isMoved == true)
        #expect(october.lessons.first?.date == CivilDate("2026-10-02")!)
        // The mark moves with its lesson.
        let marks = try school.journal.trusted.marks(of: "S-1", from: CivilDate("2026-10-01")!, to: CivilDate("2026-10-31")!)
        #expect(marks.subjects.first?.marks.map(\.markID) == ["M-3"])
    }

    @Test func groupListsFollowTheDateAStudentMovedBetweenGroups() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: "ENG-2", classIDs: ["7A"], subjectID: "ENG", name: "Английский, группа 2",
                    studentIDs: ["S-2"], effectiveDate: CivilDate("2026-09-01")!)))
        _ = try await school.record(
            .studyGroupMembershipChanged(
                StudyGroupMembershipChanged(
                    groupID: "ENG-2", addedStudentIDs: [], removedStudentIDs: ["S-2"],
                    effectiveDate: CivilDate("2026-10-15")!)))
        // S-2 is in ENG-2 until 15 October, in ENG-1 from then on.
        #expect(try school.journal.trusted.groupList("ENG-1", on: CivilDate("2026-10-14")!) == ["S-1"])
        #expect(try school.journal.trusted.groupList("ENG-1", on: CivilDate("2026-10-15")!) == ["S-1", "S-2"])
        #expect(try school.journal.trusted.groupList("ENG-2", on: CivilDate("2026-10-14")!) == ["S-2"])
        #expect(try school.journal.trusted.groupList("ENG-2", on: CivilDate("2026-10-15")!) == [])
        #expect(try school.journal.trusted.classList("7A", on: CivilDate("2026-09-30")!) == ["S-1", "S-2", "S-4"])
        #expect(try school.journal.trusted.classList("7B", on: CivilDate("2026-10-01")!) == ["S-3", "S-4"])
    }

    @Test func asOfAPastPositionAnswersAsTheLedgerStoodThen() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        let before = try school.journal.ledger.head().position
        _ = try await school.record(.markCorrected(MarkCorrected(markID: "M-1", newValue: .numeric(4), reason: "апелляция")))
        let now = try school.journal.trusted.marks(of: "S-1", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
        let then = try school.journal.trusted.marks(
            of: "S-1", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!, asOf: .position(before))
        #expect(now.subjects.first?.marks.first?.value == .numeric(4))
        #expect(then.subjects.first?.marks.first?.value == .numeric(5))
        #expect(then.asOfPosition == before)
    }

    @Test func aSubstitutionIndexedBeforeItsLessonMovedEqualsARebuild() async throws {
        let school = try await SchoolScenario()
        _ = try await school.record(
            .substitutionAssigned(
                SubstitutionAssigned(
                    lessonID: "L-1", substituteTeacherID: "teacher-petrova",
                    replacedTeacherID: SchoolScenario.teacher)))
        let beforeMove = try school.journal.ledger.head().position
        _ = try await school.record(
            .lessonRescheduled(LessonRescheduled(lessonID: "L-1", newDate: CivilDate("2026-09-09")!, newLessonNumber: 3)))
        #expect(try await school.journal.ledger.check(JournalIndexProjection().name).isEmpty)
        let then = try school.journal.trusted.timetable(
            ofTeacher: "teacher-petrova", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!,
            asOf: .position(beforeMove))
        #expect(then.entries.map(\.date) == [CivilDate("2026-09-07")!])
        let now = try school.journal.trusted.timetable(
            ofTeacher: "teacher-petrova", from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
        #expect(now.entries.map(\.date) == [CivilDate("2026-09-09")!])
    }

    @Test func theIndexKeptInlineEqualsARebuild() async throws {
        let school = try await SchoolScenario()
        try await Self.september(school)
        #expect(try await school.journal.ledger.check(JournalIndexProjection().name).isEmpty)
    }
}
