import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
@_spi(Benchmarks) @testable import SchoolLedger
import Testing

/// The materialised rows against the obvious fold: on random school
/// histories (lessons scheduled for classes, groups, streams and single
/// students, moved, cancelled, substituted and conducted; students enrolled,
/// transferred and withdrawn; groups formed and changed; marks recorded,
/// corrected and cancelled; attendance, homework, tests and
/// recommendations; voids of earlier operations and their lifting), appended
/// in random batches, every student's diary and every target's journal page
/// read from the rows, and the class report's cells of each class, equal
/// ``JournalOracle`` after every batch, a rebuild
/// equals the live model (its rows' history included), and all three read
/// from the rows' history as of every earlier position equal the oracle of
/// the log cut there.
@Suite("Journal rows properties")
struct JournalRowsPropertyTests {
    static let operations = zip(Gen.int(in: 0...27), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 5...80)
    static let day0 = CivilDate("2026-09-01")!

    static func date(_ offset: Int) -> CivilDate { day0.adding(days: offset % 30) }

    static func target(_ k: Int, _ v: Int) -> TeachingTarget {
        switch v % 5 {
        case 0, 1: .class(k % 2 == 0 ? "7A" : "7B")
        case 2: .group(StudyGroupID("G-\(k % 2)"))
        case 3: .teachingStream("X-1")
        default: .student(StudentID("S-\(k)"))
        }
    }

    /// One random operation (not checked against references: the rows must
    /// follow whatever the log holds).
    static func event(kind: Int, k: Int, v: Int, appended: UInt64) -> SchoolEvent {
        let student = StudentID("S-\(k)")
        let lesson = LessonID("L-\(v % 6)")
        let mark = MarkID("M-\(v % 8)")
        switch kind {
        case 0:
            return .studentEnrolled(
                StudentEnrolled(
                    studentID: student, classID: k % 2 == 0 ? "7A" : "7B", enrollmentDate: date(v % 5),
                    personalData: SchoolScenario.sealed(student.rawValue)))
        case 1:
            return .studentTransferred(StudentTransferred(studentID: student, fromClassID: "7A", toClassID: "7B", effectiveDate: date(v)))
        case 2:
            return .studentWithdrawn(StudentWithdrawn(studentID: student, classID: "7B", effectiveDate: date(v), reason: .graduated))
        case 3, 4:
            return .lessonScheduled(
                LessonScheduled(
                    lessonID: lesson, subjectID: "MATH", target: target(k, v / 7), teacherID: "t", date: date(v), lessonNumber: 1 + k))
        case 5: return .lessonRescheduled(LessonRescheduled(lessonID: lesson, newDate: date(v + 3), newLessonNumber: 2 + k))
        case 6: return .lessonCancelled(LessonCancelled(lessonID: lesson))
        case 7: return .substitutionAssigned(SubstitutionAssigned(lessonID: lesson, substituteTeacherID: "t2", replacedTeacherID: "t"))
        case 8: return .substitutionCancelled(SubstitutionCancelled(lessonID: lesson, substituteTeacherID: "t2"))
        case 9: return .lessonConducted(LessonConducted(lessonID: lesson, topic: "Тема \(v % 3)"))
        case 10, 11:
            return .markRecorded(
                MarkRecorded(
                    markID: mark, studentID: student, lessonID: lesson, subjectID: "MATH",
                    value: .numeric(1 + v % 5), weight: 1 + k, workKind: .classwork))
        case 12: return .markCorrected(MarkCorrected(markID: mark, newValue: .numeric(1 + (v + 2) % 5), reason: "исправление"))
        case 13: return .markCancelled(MarkCancelled(markID: mark, reason: "ошибка"))
        case 14:
            let status = AttendanceStatus.allCases[v % 4]
            return .attendanceMarked(
                AttendanceMarked(studentID: student, lessonID: lesson, status: status, minutesLate: status == .late ? 5 : nil))
        case 15:
            let status = AttendanceStatus.allCases[(v + 1) % 4]
            return .attendanceCorrected(
                AttendanceCorrected(
                    studentID: student, lessonID: lesson, newStatus: status, newMinutesLate: status == .late ? 10 : nil, reason: "ошибка"))
        case 16:
            return .homeworkAssigned(
                HomeworkAssigned(homeworkID: HomeworkID("H-\(v % 3)"), lessonID: lesson, text: "Задача \(v % 5)", dueDate: date(v + 2)))
        case 17:
            return .homeworkAmended(HomeworkAmended(homeworkID: HomeworkID("H-\(v % 3)"), text: "Иначе \(v % 5)", dueDate: date(v + 4)))
        case 18:
            return .testScheduled(
                TestScheduled(testID: TestID("T-\(v % 3)"), subjectID: "MATH", target: target(k, v / 7), date: date(v), topic: "Дроби"))
        case 19: return .testRescheduled(TestRescheduled(testID: TestID("T-\(v % 3)"), newDate: date(v + 5)))
        case 20: return .testCancelled(TestCancelled(testID: TestID("T-\(v % 3)")))
        case 21:
            return .studyGroupFormed(
                StudyGroupFormed(
                    groupID: StudyGroupID("G-\(k % 2)"), classIDs: ["7A", "7B"], subjectID: "MATH", name: "Группа",
                    studentIDs: [student, StudentID("S-\((k + 1 + v % 3) % 4)")], effectiveDate: date(v % 7)))
        case 22:
            return .studyGroupMembershipChanged(
                StudyGroupMembershipChanged(
                    groupID: StudyGroupID("G-\(k % 2)"), addedStudentIDs: [student], removedStudentIDs: [StudentID("S-\((k + 1 + v) % 4)")],
                    effectiveDate: date(v)))
        case 23:
            return .streamFormed(
                StreamFormed(
                    teachingStreamID: "X-1", academicYearID: "2026", subjectID: "MATH",
                    classIDs: v % 2 == 0 ? ["7A", "7C"] : ["7A", "7B"],
                    name: "Поток", effectiveDate: day0))
        case 24:
            return .recommendationIssued(
                RecommendationIssued(
                    recommendationID: RecommendationID("R-\(v)"), studentID: student, text: "Читать", toStudent: true, toParents: true))
        case 25: return RandomHistory.void(appended > 0 ? [UInt64(v) % appended + 1] : [], appended: appended)
        case 26:
            // Voids a run of recent records: a breach window over a morning's work.
            return RandomHistory.void(
                (0..<UInt64(1 + v % 4)).reversed().compactMap { d in appended > d ? appended - d : nil }, appended: appended)
        default: return RandomHistory.lift(v, appended: appended)
        }
    }

    static let students = (0...3).map { StudentID("S-\($0)") }

    /// A school to begin with, so that most random operations land on
    /// something: four students in two classes, a group, a stream, and six
    /// lessons, one for each kind of target.
    static let setup: [(Int, Int, Int)] = [
        (0, 0, 0), (0, 1, 0), (0, 2, 0), (0, 3, 0), (21, 0, 0), (23, 0, 1),
        (3, 0, 0), (3, 1, 8), (4, 0, 14 + 2), (4, 0, 21 + 3), (4, 0, 28 + 4), (4, 3, 35 + 5),
    ]

    static func diaries(_ journal: SchoolJournal, asOf: AsOf) throws -> [StudentDiary] {
        try students.map {
            var diary = try journal.diary(of: $0, from: day0, to: date(29), asOf: asOf)
            diary.asOfPosition = 0
            return diary
        }
    }

    static let pageTargets: [TeachingTarget] = [
        .class("7A"), .class("7B"), .group("G-0"), .group("G-1"), .teachingStream("X-1"), .student("S-1"),
    ]

    static func pages(_ journal: SchoolJournal, asOf: AsOf) throws -> [JournalPage] {
        try pageTargets.map {
            var page = try journal.journalPage(subject: "MATH", target: $0, from: day0, to: date(29), asOf: asOf)
            page.asOfPosition = 0
            return page
        }
    }

    /// The class report's cells of both classes over the month, as the report builds them.
    static func reportCells(_ journal: SchoolJournal, asOf: AsOf) throws -> [[SubjectID: [StudentID: JournalOracle.ReportCell]]] {
        let period = ReportingPeriodDefined(
            periodID: "P-1", academicYearID: "2026", kind: .quarter, ordinal: 1, title: "месяц",
            dates: DateRange(start: day0, end: date(29)))
        return try journal.withIndex(asOf) { index in
            try (["7A", "7B"] as [ClassID]).map { classID in
                var folds = JournalFacts()
                let grid = try AnalyticalReportBuilder.classGrid(classID, period: period, folds: &folds, index: index)
                return grid.cells.mapValues { students in
                    students.mapValues { cell in
                        JournalOracle.ReportCell(
                            lessons: cell.lessons, excused: cell.excused, unexcused: cell.unexcused, late: cell.late,
                            marks: cell.marks.map { "\($0.value.text)×\($0.weight)" })
                    }
                }
            }
        }
    }

    /// What each class is taught as, found twice: through the index's
    /// `groups-by-class` and `streams-by-class` rows (what the report and the
    /// schedules read) and by folding every group's and stream's events.
    static func classTargets(_ journal: SchoolJournal, asOf: AsOf) throws -> (byRows: [[TeachingTarget]], byFolds: [[TeachingTarget]]) {
        try journal.withIndex(asOf) { index in
            var (rows, folds) = (JournalFacts(), JournalFacts())
            let classes: [ClassID] = ["7A", "7B", "7C"]
            return (
                try classes.map { try rows.targets(ofClass: $0, index: index) },
                try classes.map { try folds.targets(ofClass: $0, reader: index) }
            )
        }
    }

    static func reportOracle(_ journal: SchoolJournal, through position: UInt64 = .max) throws -> [[SubjectID: [StudentID: JournalOracle
        .ReportCell]]]
    {
        let oracle = JournalOracle(try journal.entries(through: position))
        return (["7A", "7B"] as [ClassID]).map { oracle.reportCells(ofClass: $0, from: day0, to: date(29), students: students) }
    }

    static func oracle(_ journal: SchoolJournal, through position: UInt64 = .max) throws -> [StudentDiary] {
        let oracle = JournalOracle(try journal.entries(through: position))
        return students.map { oracle.diary(of: $0, from: day0, to: date(29)) }
    }

    static func pageOracle(_ journal: SchoolJournal, through position: UInt64 = .max) throws -> [JournalPage] {
        let oracle = JournalOracle(try journal.entries(through: position))
        return pageTargets.map { oracle.journalPage(subject: "MATH", target: $0, from: day0, to: date(29), students: students) }
    }

    /// On LMDB (rows in the append's transaction) and with the log in memory
    /// (rows written right after the log's commit): fewer histories there.
    @Test(arguments: Backend.allCases)
    func diaryRowsEqualTheOracleAfterEveryBatchAndAsOfEveryEarlierPosition(backend: Backend) async throws {
        await propertyCheck(
            count: backend == .lmdb ? Fixture.samples(quick: 30, stress: 60) : Fixture.samples(quick: 8, stress: 15),
            input: Self.operations, Gen.int(in: 1...6)
        ) { ops, batchSize in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                let journal = try RandomHistory.journal(in: TemporaryDirectory("journal-rows-property"), backend: backend)
                let appended = try await RandomHistory.append(
                    Self.setup + ops, batchSize: batchSize, to: journal,
                    event: { Self.event(kind: $0.0, k: $0.1, v: $0.2, appended: $2) },
                    afterBatch: { () throws in
                        #expect(try Self.diaries(journal, asOf: .now) == Self.oracle(journal))
                        #expect(try Self.pages(journal, asOf: .now) == Self.pageOracle(journal))
                        #expect(try Self.reportCells(journal, asOf: .now) == Self.reportOracle(journal))
                        let targets = try Self.classTargets(journal, asOf: .now)
                        #expect(targets.byRows == targets.byFolds)
                    })
                guard appended > 0 else { return }
                #expect(try Self.diaries(journal, asOf: .now) == Self.oracle(journal))
                #expect(try await journal.ledger.check(JournalIndexProjection().name).isEmpty)
                // As of every earlier position, read from the rows' history.
                for position in 1...appended {
                    #expect(try Self.diaries(journal, asOf: .position(position)) == Self.oracle(journal, through: position))
                    #expect(try Self.pages(journal, asOf: .position(position)) == Self.pageOracle(journal, through: position))
                    #expect(
                        try Self.reportCells(journal, asOf: .position(position)) == Self.reportOracle(journal, through: position))
                    let targets = try Self.classTargets(journal, asOf: .position(position))
                    #expect(targets.byRows == targets.byFolds)
                }
            }
        }
    }
}
