import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// `schoolledger report` on a ledger built here: the demo defines no
/// reporting period. One class 7A with S-1 and S-2, a quarter Q1 and a
/// quarter Q2, a subject whose id needs escaping in HTML.
@Suite("AnalyticalReport: the schoolledger report command")
struct AnalyticalReportCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    static func date(_ text: String) -> CivilDate { CivilDate(text)! }

    static func sealed(_ subject: String) -> SealedPersonalData {
        SealedPersonalData(
            subjectID: PersonID(subject), nonce: [UInt8](repeating: 1, count: 12),
            ciphertext: Array("sealed \(subject)".utf8), tag: [UInt8](repeating: 2, count: 16))
    }

    /// The ledger, and the head before the Q2 marks.
    static func ledger(at path: String) async throws -> (journal: SchoolJournal, beforeQ2Marks: UInt64) {
        let journal = try SchoolJournal.open(at: path)
        let year: AcademicYearID = "2026-2027"
        func period(_ id: ReportingPeriodID, _ n: Int, _ from: String, _ to: String) -> SchoolEvent {
            .reportingPeriodDefined(
                ReportingPeriodDefined(
                    periodID: id, academicYearID: year, kind: .quarter, ordinal: n, title: "\(n) четверть",
                    dates: DateRange(start: date(from), end: date(to))))
        }
        func lesson(_ id: LessonID, _ day: String) -> SchoolEvent {
            .lessonScheduled(
                LessonScheduled(
                    lessonID: id, subjectID: "ALG<b>", target: .class("7A"), teacherID: "teacher", date: date(day), lessonNumber: 1))
        }
        func mark(_ id: MarkID, _ student: StudentID, _ lesson: LessonID, _ value: Int, _ weight: Int) -> SchoolEvent {
            .markRecorded(
                MarkRecorded(
                    markID: id, studentID: student, lessonID: lesson, subjectID: "ALG<b>", value: .numeric(value), weight: weight,
                    workKind: .classwork))
        }
        let setup: [SchoolEvent] = [
            .staffRoleGranted(StaffRoleGranted(accountID: "admin", role: .admin, effectiveDate: date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "teacher", role: .teacher, effectiveDate: date("2026-09-01"))),
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-17", title: "2026/2027",
                    dates: DateRange(start: date("2026-09-01"), end: date("2027-05-31")))),
            period("Q1", 1, "2026-09-01", "2026-10-25"),
            period("Q2", 2, "2026-11-05", "2026-12-28"),
            .subjectDefined(SubjectDefined(subjectID: "ALG<b>", name: "Алгебра")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, letter: "А", name: "7А")),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-1", classID: "7A", enrollmentDate: date("2026-09-01"), personalData: sealed("S-1"))),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-2", classID: "7A", enrollmentDate: date("2026-09-01"), personalData: sealed("S-2"))),
            lesson("L-1", "2026-09-07"), lesson("L-2", "2026-11-09"), lesson("L-3", "2026-11-16"),
            // Q1: S-1 4, S-2 4: weighted 4. Q2: S-1 5 (w5), 4 (w1); S-2 2 (w3); S-2 absent from L-3.
            mark("M-1", "S-1", "L-1", 4, 3), mark("M-2", "S-2", "L-1", 4, 3),
        ]
        let at = Instant(iso8601: "2026-09-01T09:00:00Z")!
        try await journal.recordTrusted(setup.map { JournalEntry(event: $0, actor: "admin", occurredAt: at) })
        let before = try journal.ledger.head().position
        let q2: [SchoolEvent] = [
            mark("M-3", "S-1", "L-2", 5, 5), mark("M-4", "S-1", "L-3", 4, 1), mark("M-5", "S-2", "L-2", 2, 3),
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-3", status: .absent)),
        ]
        try await journal.recordTrusted(q2.map { JournalEntry(event: $0, actor: "teacher", occurredAt: at) })
        return (journal, before)
    }

    @Test func theClassReportPrintsATableAndJSONEqualToTheLibrarysReport() async throws {
        let dir = TemporaryDirectory()
        let (journal, before) = try await Self.ledger(at: dir.path)
        let table = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q2")
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.contains("class 7A, 2 четверть (Q2, 2026-11-05–2026-12-28)"))
        #expect(table.output.contains("Previous period: 1 четверть (Q1"))
        // S-2 is at risk: weighted 2 < 2.5, and 1 unexcused absence of 2 lessons.
        #expect(table.output.contains("S-2"))
        #expect(table.output.contains("средний балл ниже 2.5"))
        let json = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q2", "--json")
        #expect(json.status == 0, "\(json.error)")
        let decoded = try JSONDecoder().decode(ClassReport.self, from: Data(json.output.utf8))
        #expect(decoded == (try journal.trusted.analyticalReport(ofClass: "7A", period: "Q2")))
        // (25 + 4 + 6) / (5 + 1 + 3) = 35 / 9; against Q1's 4.
        #expect(decoded.overall.weightedAverage == 35.0 / 9.0)
        #expect(decoded.overall.change?.weightedAverage == 35.0 / 9.0 - 4.0)
        let earlier = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q2", "--format", "json", "--as-of", "\(before)")
        #expect(earlier.status == 0, "\(earlier.error)")
        let then = try JSONDecoder().decode(ClassReport.self, from: Data(earlier.output.utf8))
        #expect(then.asOfPosition == before)
        #expect(then.overall.distribution.total == 0)
        #expect(then.overall.attendance.lessons == 2)
    }

    @Test func theStudentReportAsHTMLIsWrittenToAFileWithEveryValueEscaped() async throws {
        let dir = TemporaryDirectory()
        let (journal, _) = try await Self.ledger(at: dir.sub("ledger"))
        let result = try cli(
            "report", "--ledger", dir.sub("ledger"), "--student", "S-1", "--period", "Q2", "--format", "html",
            "--out", dir.sub("s1.html"))
        #expect(result.status == 0, "\(result.error)")
        let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path.hasPrefix("/"))
        #expect(path.hasSuffix("/s1.html"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"ru\">"))
        #expect(html.contains("<style>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("ALG&lt;b&gt;"))
        #expect(!html.contains("ALG<b>"))
        #expect(html.contains("Аналитический отчёт: ученик S-1"))
        let json = try cli("report", "--ledger", dir.sub("ledger"), "--student", "S-1", "--period", "Q2", "--json")
        let decoded = try JSONDecoder().decode(StudentReport.self, from: Data(json.output.utf8))
        #expect(decoded == (try journal.trusted.analyticalReport(ofStudent: "S-1", period: "Q2")))
        #expect(decoded.results.first?.marks == [.numeric(5), .numeric(4)])
    }

    @Test func missingOrConflictingOptionsAreUsageErrorsNamingTheFlag() async throws {
        let dir = TemporaryDirectory()
        _ = try await Self.ledger(at: dir.path)
        let neither = try cli("report", "--ledger", dir.path, "--period", "Q2")
        #expect(neither.status != 0)
        #expect(neither.error.contains("--class or --student"))
        let both = try cli("report", "--ledger", dir.path, "--class", "7A", "--student", "S-1", "--period", "Q2")
        #expect(both.status != 0)
        #expect(both.error.contains("not both"))
        let noPeriod = try cli("report", "--ledger", dir.path, "--class", "7A")
        #expect(noPeriod.status != 0)
        #expect(noPeriod.error.contains("--period"))
        let conflict = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q2", "--json", "--format", "html")
        #expect(conflict.status != 0)
        #expect(conflict.error.contains("--json"))
        let unknown = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q9")
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("period"))
        #expect(unknown.error.contains("Q9"))
        let badAsOf = try cli("report", "--ledger", dir.path, "--class", "7A", "--period", "Q2", "--as-of", "yesterday")
        #expect(badAsOf.error.contains("--as-of"))
    }
}
