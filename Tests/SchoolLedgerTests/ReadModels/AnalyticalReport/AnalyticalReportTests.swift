import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The analytical report on the small school of `SchoolScenario`, with two
/// quarters added; every figure is computed by hand in the comments.
///
/// Class 7A: S-1 and S-2 all autumn; S-4 until 30 September (then 7B).
/// The English group ENG-1 of 7A: S-1; S-2 joins on 15 October.
///
/// Q1 (1 четверть, 1–30 Sep), maths lessons L-1 (7 Sep) and L-5 (14 Sep):
///   S-1: 4 (w3), 4 (w1); S-2: 3 (w3), 2 (w1); S-4: 5 (w5).
/// Q2 (2 четверть, 1–25 Oct):
///   maths L-4 (5 Oct), L-6 (12 Oct), L-7 (19 Oct, cancelled):
///     S-1: 5 (w5) in L-4, 3 (w1) in L-6; final mark 4.
///     S-2: 2 (w3), 3 (w1) in L-6; a 5 (w5) in L-6 that is cancelled; final mark 2.
///     A 1 (w10) for S-1 in L-6 by teacher-petrova, whose account is reported
///     compromised (the invalidator voids it).
///     Attendance: S-2 absent (н) in L-4; S-1 absent in L-6, corrected to late;
///     S-2 absent in the cancelled L-7.
///   English L-2 (5 Oct, S-1), L-3 (20 Oct, S-1 and S-2), L-8 (22 Oct, S-1 and S-2):
///     S-1: 4 (w3) in L-2, зач (w1) in L-3; S-2: 5 (w3) in L-3.
///     Attendance: S-1 absent for a valid reason (у) in L-8; S-2 present in L-8.
@Suite("AnalyticalReport: a class and a student for a reporting period")
struct AnalyticalReportTests {
    static let petrova: AccountID = "teacher-petrova"

    struct School {
        let school: SchoolScenario
        /// The head just before the final marks of Q2.
        let beforeFinals: UInt64
        /// The head just before the breach notice.
        let beforeNotice: UInt64
        var journal: SchoolJournal { school.journal }
    }

    static func mark(
        _ id: MarkID, _ student: StudentID, _ lesson: LessonID, _ subject: SubjectID, _ value: MarkValue, weight: Int,
        kind: WorkKind = .classwork
    ) -> SchoolEvent {
        .markRecorded(
            MarkRecorded(markID: id, studentID: student, lessonID: lesson, subjectID: subject, value: value, weight: weight, workKind: kind)
        )
    }

    static func attendance(_ student: StudentID, _ lesson: LessonID, _ status: AttendanceStatus) -> SchoolEvent {
        .attendanceMarked(AttendanceMarked(studentID: student, lessonID: lesson, status: status))
    }

    static func period(_ id: ReportingPeriodID, _ ordinal: Int, _ from: String, _ to: String) -> SchoolEvent {
        .reportingPeriodDefined(
            ReportingPeriodDefined(
                periodID: id, academicYearID: "2026-2027", kind: .quarter, ordinal: ordinal,
                title: "\(ordinal) четверть",
                dates: DateRange(start: SchoolScenario.date(from), end: SchoolScenario.date(to))))
    }

    static func make() async throws -> School {
        let school = try await SchoolScenario(manualClock: true)
        school.clock.set(Instant(iso8601: "2026-10-26T08:00:00Z")!)
        let setup: [SchoolEvent] = [
            period("2026-Q1", 1, "2026-09-01", "2026-09-30"),
            period("Q2", 2, "2026-10-01", "2026-10-25"),
            SchoolScenario.lesson("L-5", "MATH", .class("7A"), "2026-09-14"),
            SchoolScenario.lesson("L-6", "MATH", .class("7A"), "2026-10-12"),
            SchoolScenario.lesson("L-7", "MATH", .class("7A"), "2026-10-19"),
            SchoolScenario.lesson("L-8", "ENG", .group("ENG-1"), "2026-10-22"),
            // Q1.
            mark("M-Q1-1", "S-1", "L-1", "MATH", .numeric(4), weight: 3),
            mark("M-Q1-2", "S-1", "L-5", "MATH", .numeric(4), weight: 1),
            mark("M-Q1-3", "S-2", "L-1", "MATH", .numeric(3), weight: 3),
            mark("M-Q1-4", "S-2", "L-5", "MATH", .numeric(2), weight: 1),
            mark("M-Q1-5", "S-4", "L-1", "MATH", .numeric(5), weight: 5, kind: .test),
            // Q2, maths.
            mark("M-1", "S-1", "L-4", "MATH", .numeric(5), weight: 5, kind: .test),
            mark("M-2", "S-1", "L-6", "MATH", .numeric(3), weight: 1),
            mark("M-3", "S-2", "L-6", "MATH", .numeric(2), weight: 3),
            mark("M-4", "S-2", "L-6", "MATH", .numeric(3), weight: 1),
            mark("M-5", "S-2", "L-6", "MATH", .numeric(5), weight: 5),
            .markCancelled(MarkCancelled(markID: "M-5", reason: "не тот ученик")),
            attendance("S-2", "L-4", .absent),
            attendance("S-1", "L-6", .absent),
            .attendanceCorrected(
                AttendanceCorrected(studentID: "S-1", lessonID: "L-6", newStatus: .late, newMinutesLate: 10, reason: "пришёл позже")),
            attendance("S-2", "L-7", .absent),
            .lessonCancelled(LessonCancelled(lessonID: "L-7", reason: "учитель заболел")),
            // Q2, English.
            mark("M-6", "S-1", "L-2", "ENG", .numeric(4), weight: 3),
            mark("M-7", "S-1", "L-3", "ENG", .pass, weight: 1),
            mark("M-8", "S-2", "L-3", "ENG", .numeric(5), weight: 3),
            attendance("S-1", "L-8", .absentExcused),
            attendance("S-2", "L-8", .present),
        ]
        for event in setup { try await school.record(event) }
        let beforeFinals = try school.journal.ledger.head().position
        try await school.record(
            .finalMarkSet(FinalMarkSet(finalMarkID: "F-1", studentID: "S-1", subjectID: "MATH", periodID: "Q2", value: .numeric(4))))
        try await school.record(
            .finalMarkSet(FinalMarkSet(finalMarkID: "F-2", studentID: "S-2", subjectID: "MATH", periodID: "Q2", value: .numeric(2))))
        // Clause 11: teacher-petrova's account gives a 1 at 10:00; the head received the notice at 09:30.
        school.clock.set(Instant(iso8601: "2026-10-27T10:00:00Z")!)
        try await school.journal.recordTrusted(
            mark("M-THIEF", "S-1", "L-6", "MATH", .numeric(1), weight: 10), by: petrova,
            occurredAt: Instant(iso8601: "2026-10-27T10:00:00Z")!)
        let beforeNotice = try school.journal.ledger.head().position
        school.clock.set(Instant(iso8601: "2026-10-27T12:00:00Z")!)
        let notice = CompromiseReported(
            accountID: petrova, receivedByHeadAt: Instant(iso8601: "2026-10-27T09:30:00Z")!, reportedBy: "head",
            reporter: .head, compromised: [.password])
        let reported = try await school.journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: school.clock.now())
        #expect(reported.derivedPositions.count == 1)
        return School(school: school, beforeFinals: beforeFinals, beforeNotice: beforeNotice)
    }

    @Test func theClassReportGivesEveryFigureOfEachSubject() async throws {
        let school = try await Self.make()
        let report = try school.journal.trusted.analyticalReport(ofClass: "7A", period: "Q2")
        #expect(
            report.period
                == ReportPeriod(
                    periodID: "Q2", academicYearID: "2026-2027", title: "2 четверть", kind: "quarter", ordinal: 2,
                    from: CivilDate("2026-10-01")!, to: CivilDate("2026-10-25")!))
        #expect(report.previousPeriod?.periodID == "2026-Q1")
        // S-4 was in 7B on every day of Q2.
        #expect(report.studentIDs == ["S-1", "S-2"])
        #expect(report.subjects.map(\.subjectID) == ["ENG", "MATH"])

        let maths = try #require(report.subjects.last)
        #expect(maths.students == 2)
        // Marks that count: 5·w5, 3·w1 (S-1); 2·w3, 3·w1 (S-2); the cancelled 5 and the voided 1 do not.
        // Weighted (25 + 3 + 6 + 3) / (5 + 1 + 3 + 1) = 37 / 10; plain (5 + 3 + 2 + 3) / 4 = 13 / 4.
        #expect(maths.weightedAverage == 37.0 / 10.0)
        #expect(maths.plainAverage == 13.0 / 4.0)
        #expect(maths.distribution == MarkDistribution(fives: 1, threes: 2, twos: 1))
        // Final marks replace the current ones in the shares: S-1 [4] succeeds and is good, S-2 [2] neither.
        #expect((maths.assessedStudents, maths.succeedingStudents, maths.gradedStudents, maths.goodStudents) == (2, 1, 2, 1))
        #expect(maths.successRate == 0.5)
        #expect(maths.qualityRate == 0.5)
        // L-4 and L-6 (L-7 is cancelled), each with S-1 and S-2: 4 student-lessons; н: S-2 in L-4; оп: S-1 in L-6 (corrected).
        #expect(maths.attendance == AttendanceSummary(lessons: 2, studentLessons: 4, absentExcused: 0, absentUnexcused: 1, late: 1))
        #expect(maths.attendance.attendanceRate == 3.0 / 4.0)
        // S-2: weighted (6 + 3) / 4 = 2.25 < 2.5; final 2; 1 unexcused of 2 lessons = 50% > 30%.
        #expect(maths.atRisk.map(\.studentID) == ["S-2"])
        let risk = try #require(maths.atRisk.first)
        #expect(risk.reasons == [.lowAverage, .failingFinalMark, .unexcusedAbsences])
        #expect(risk.weightedAverage == 9.0 / 4.0)
        #expect(risk.failingFinalMarks == [.numeric(2)])
        #expect((risk.absentUnexcused, risk.lessons) == (1, 2))

        let english = try #require(report.subjects.first)
        #expect(english.students == 2)
        // 4·w3 and 5·w3 (зач is not numeric): weighted 27 / 6, plain 9 / 2.
        #expect(english.weightedAverage == 27.0 / 6.0)
        #expect(english.plainAverage == 9.0 / 2.0)
        #expect(english.distribution == MarkDistribution(fives: 1, fours: 1, nonNumeric: 1))
        // No finals: S-1 [4, зач] and S-2 [5] both succeed and are good.
        #expect((english.assessedStudents, english.succeedingStudents, english.gradedStudents, english.goodStudents) == (2, 2, 2, 2))
        #expect(english.successRate == 1)
        #expect(english.qualityRate == 1)
        // L-2 (S-1), L-3 and L-8 (S-1, S-2): 5 student-lessons; у: S-1 in L-8.
        #expect(english.attendance == AttendanceSummary(lessons: 3, studentLessons: 5, absentExcused: 1, absentUnexcused: 0, late: 0))
        #expect(english.attendance.attendanceRate == 4.0 / 5.0)
        #expect(english.atRisk.isEmpty)
    }

    @Test func theClassReportTotalsAndRowsPoolAllSubjects() async throws {
        let school = try await Self.make()
        let report = try school.journal.trusted.analyticalReport(ofClass: "7A", period: "Q2")
        let overall = report.overall
        #expect(overall.subjectID == nil)
        // All numeric marks: 37 + 27 over 10 + 6 weight; values 5, 3, 2, 3, 4, 5.
        #expect(overall.weightedAverage == 64.0 / 16.0)
        #expect(overall.plainAverage == 22.0 / 6.0)
        #expect(overall.distribution == MarkDistribution(fives: 2, fours: 1, threes: 2, twos: 1, nonNumeric: 1))
        // S-1: MATH [4] + ENG [4, зач] succeeds and is good; S-2: MATH [2] + ENG [5] neither.
        #expect((overall.assessedStudents, overall.succeedingStudents, overall.gradedStudents, overall.goodStudents) == (2, 1, 2, 1))
        #expect(overall.attendance == AttendanceSummary(lessons: 5, studentLessons: 9, absentExcused: 1, absentUnexcused: 1, late: 1))
        #expect(overall.attendance.attendanceRate == 7.0 / 9.0)
        #expect(overall.atRisk.map { "\($0.studentID) \($0.subjectID)" } == ["S-2 MATH"])

        let s1 = try #require(report.students.first)
        #expect(s1.studentID == "S-1")
        #expect(s1.subjects.map(\.subjectID) == ["ENG", "MATH"])
        let s1Maths = try #require(s1.subjects.last)
        #expect(s1Maths.marks == [.numeric(5), .numeric(3)])
        #expect(s1Maths.finalMarks == [.numeric(4)])
        // (25 + 3) / 6 = 14 / 3; plain 4.
        #expect(s1Maths.weightedAverage == 28.0 / 6.0)
        #expect(s1Maths.plainAverage == 4)
        #expect(s1Maths.attendance == AttendanceSummary(lessons: 2, studentLessons: 2, absentExcused: 0, absentUnexcused: 0, late: 1))
        #expect(s1.subjects.first?.marks == [.numeric(4), .pass])
        // S-1 over both subjects: (25 + 3 + 12) / (5 + 1 + 3) = 40 / 9; plain (5 + 3 + 4) / 3 = 4.
        #expect(s1.weightedAverage == 40.0 / 9.0)
        #expect(s1.plainAverage == 4)
        #expect(s1.isSucceeding == true)
        #expect(s1.hasOnlyGoodMarks == true)
        #expect(s1.attendance == AttendanceSummary(lessons: 5, studentLessons: 5, absentExcused: 1, absentUnexcused: 0, late: 1))
        #expect(!s1.isAtRisk)

        let s2 = try #require(report.students.last)
        // (6 + 3 + 15) / (3 + 1 + 3) = 24 / 7; plain (2 + 3 + 5) / 3 = 10 / 3.
        #expect(s2.weightedAverage == 24.0 / 7.0)
        #expect(s2.plainAverage == 10.0 / 3.0)
        #expect(s2.isSucceeding == false)
        #expect(s2.hasOnlyGoodMarks == false)
        #expect(s2.attendance == AttendanceSummary(lessons: 4, studentLessons: 4, absentExcused: 0, absentUnexcused: 1, late: 0))
        #expect(s2.isAtRisk)
        #expect(s2.subjects.last?.riskReasons == [.lowAverage, .failingFinalMark, .unexcusedAbsences])
    }

    @Test func theChangeIsAgainstTheQuarterBeforeAndAbsentWithoutOne() async throws {
        let school = try await Self.make()
        let q1 = try school.journal.trusted.analyticalReport(ofClass: "7A", period: "2026-Q1")
        // Q1 has no earlier quarter.
        #expect(q1.previousPeriod == nil)
        #expect(q1.overall.change == nil)
        #expect(q1.subjects.allSatisfy { $0.change == nil })
        // Q1: S-1, S-2 and S-4; maths only: (12 + 4 + 9 + 2 + 25) / 13 = 52 / 13 = 4; plain 18 / 5.
        #expect(q1.studentIDs == ["S-1", "S-2", "S-4"])
        #expect(q1.subjects.map(\.subjectID) == ["MATH"])
        let q1Maths = try #require(q1.subjects.first)
        #expect(q1Maths.weightedAverage == 4)
        #expect(q1Maths.plainAverage == 18.0 / 5.0)
        // S-2 [3, 2] fails; S-1 [4, 4] and S-4 [5] succeed and are good.
        #expect(q1Maths.successRate == 2.0 / 3.0)
        #expect(q1Maths.qualityRate == 2.0 / 3.0)
        #expect(q1Maths.attendance == AttendanceSummary(lessons: 2, studentLessons: 6, absentExcused: 0, absentUnexcused: 0, late: 0))
        // S-2's weighted 11 / 4 = 2.75 is not below 2.5, and there are no finals.
        #expect(q1Maths.atRisk.isEmpty)

        let q2 = try school.journal.trusted.analyticalReport(ofClass: "7A", period: "Q2")
        let maths = try #require(q2.subjects.first { $0.subjectID == "MATH" }?.change)
        #expect(maths.previousPeriodID == "2026-Q1")
        #expect(maths.weightedAverage == 37.0 / 10.0 - 52.0 / 13.0)
        #expect(maths.plainAverage == 13.0 / 4.0 - 18.0 / 5.0)
        #expect(maths.successRate == 1.0 / 2.0 - 2.0 / 3.0)
        #expect(maths.qualityRate == 1.0 / 2.0 - 2.0 / 3.0)
        // English had no lessons in Q1: the change names Q1 but has no figures.
        let english = try #require(q2.subjects.first { $0.subjectID == "ENG" }?.change)
        #expect(english.previousPeriodID == "2026-Q1")
        #expect([english.weightedAverage, english.plainAverage, english.successRate, english.qualityRate] == [nil, nil, nil, nil])
        let overall = try #require(q2.overall.change)
        #expect(overall.weightedAverage == 64.0 / 16.0 - 52.0 / 13.0)
        #expect(overall.plainAverage == 22.0 / 6.0 - 18.0 / 5.0)
        #expect(overall.successRate == 1.0 / 2.0 - 2.0 / 3.0)
        #expect(overall.qualityRate == 1.0 / 2.0 - 2.0 / 3.0)
    }

    @Test func beforeTheFinalMarksTheCurrentMarksDecideTheShares() async throws {
        let school = try await Self.make()
        let report = try school.journal.trusted.analyticalReport(ofClass: "7A", period: "Q2", asOf: .position(school.beforeFinals))
        let maths = try #require(report.subjects.first { $0.subjectID == "MATH" })
        // S-1 [5, 3] succeeds but is not good; S-2 [2, 3] fails.
        #expect((maths.assessedStudents, maths.succeedingStudents, maths.gradedStudents, maths.goodStudents) == (2, 1, 2, 0))
        #expect(maths.qualityRate == 0)
        // Without a final mark S-2 is at risk for the average and the absences only.
        #expect(maths.atRisk.first?.reasons == [.lowAverage, .unexcusedAbsences])
        #expect(maths.weightedAverage == 37.0 / 10.0)
    }

    @Test func aVoidedMarkCountsNowhereButShowsAsOfBeforeTheNotice() async throws {
        let school = try await Self.make()
        let audit = try #require(try school.journal.trusted.compromiseAudit(account: Self.petrova).first)
        #expect(audit.voided.map(\.position) == [school.beforeNotice])
        let now = try school.journal.trusted.analyticalReport(ofStudent: "S-1", period: "Q2")
        #expect(now.results.first { $0.subjectID == "MATH" }?.marks == [.numeric(5), .numeric(3)])
        // As the ledger stood before the notice, the 1 (w10) counted: (25 + 3 + 10) / 16.
        let then = try school.journal.trusted.analyticalReport(ofStudent: "S-1", period: "Q2", asOf: .position(school.beforeNotice))
        let maths = try #require(then.results.first { $0.subjectID == "MATH" })
        #expect(maths.marks == [.numeric(5), .numeric(3), .numeric(1)])
        #expect(maths.weightedAverage == 38.0 / 16.0)
        #expect(maths.riskReasons == [.lowAverage])
        #expect(then.asOfPosition == school.beforeNotice)
    }

    @Test func theStudentReportIsTheClassFiguresForOneStudent() async throws {
        let school = try await Self.make()
        let report = try school.journal.trusted.analyticalReport(ofStudent: "S-2", period: "Q2")
        #expect(report.subjects.map(\.subjectID) == ["ENG", "MATH"])
        #expect(report.subjects.allSatisfy { $0.students == 1 })
        let maths = try #require(report.results.last)
        #expect(maths.subjectID == "MATH")
        #expect(maths.marks == [.numeric(2), .numeric(3)])
        #expect(maths.finalMarks == [.numeric(2)])
        #expect(maths.weightedAverage == 9.0 / 4.0)
        #expect(maths.plainAverage == 5.0 / 2.0)
        #expect(maths.isSucceeding == false)
        #expect(maths.riskReasons == [.lowAverage, .failingFinalMark, .unexcusedAbsences])
        #expect(maths.attendance == AttendanceSummary(lessons: 2, studentLessons: 2, absentExcused: 0, absentUnexcused: 1, late: 0))
        let english = try #require(report.results.first)
        #expect(english.marks == [.numeric(5)])
        #expect(english.hasOnlyGoodMarks == true)
        #expect(english.attendance == AttendanceSummary(lessons: 2, studentLessons: 2, absentExcused: 0, absentUnexcused: 0, late: 0))
        // The averages are those of the student's marks query.
        let marks = try school.journal.trusted.marks(of: "S-2", period: "Q2")
        for subject in marks.subjects {
            let figures = try #require(report.subjects.first { $0.subjectID == subject.subjectID })
            #expect(figures.weightedAverage == subject.weightedAverage)
            #expect(figures.plainAverage == subject.plainAverage)
        }
        // Overall: (6 + 3 + 15) / 7; shares 0 of 1; against Q1 (3·w3, 2·w1: 11 / 4, plain 5 / 2, failing).
        #expect(report.overall.weightedAverage == 24.0 / 7.0)
        #expect(report.overall.successRate == 0)
        #expect(report.overall.qualityRate == 0)
        let change = try #require(report.subjects.last?.change)
        #expect(change.weightedAverage == 9.0 / 4.0 - 11.0 / 4.0)
        #expect(change.plainAverage == 0)
        #expect(change.successRate == 0)
        #expect(report.overall.atRisk.map(\.subjectID) == ["MATH"])
    }

    @Test func unknownClassStudentOrPeriodIsATypedErrorNamingTheField() async throws {
        let school = try await Self.make()
        let journal = school.journal
        let noClass = #expect(throws: SchoolValidationError.self) { try journal.trusted.analyticalReport(ofClass: "9Z", period: "Q2") }
        #expect(noClass?.field == "class")
        #expect(noClass?.value == "9Z")
        let noStudent = #expect(throws: SchoolValidationError.self) {
            try journal.trusted.analyticalReport(ofStudent: "S-99", period: "Q2")
        }
        #expect(noStudent?.field == "student")
        #expect(noStudent?.value == "S-99")
        let noPeriod = #expect(throws: SchoolValidationError.self) { try journal.trusted.analyticalReport(ofClass: "7A", period: "Q9") }
        #expect(noPeriod?.field == "period")
        #expect(noPeriod?.value == "Q9")
    }
}
