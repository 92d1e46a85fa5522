import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

// The README's session example, compiled and run on the access school. The
// lines between the markers must equal the README's block after
// `<!-- example: session -->` (without its import line).

// README example begin
/// `teacher` and `parent` are the accounts your service authenticated.
func markAndDiary(
    journal: SchoolJournal, teacher: AccountID, parent: AccountID,
    mark: MarkRecorded, lessonStart: Instant
) async throws -> StudentDiary {
    let session = journal.session(for: teacher)
    try await session.record(.markRecorded(mark), occurredAt: lessonStart)
    let page = try session.journalPage(subject: mark.subjectID, target: .class("7A"), period: "2026-Q1")
    print("\(page.rows.count) students on the page")
    // A parent sees only her own children, and only once consent is registered:
    return try journal.session(for: parent).diary(
        of: mark.studentID, from: CivilDate("2026-09-14")!,
        to: CivilDate("2026-09-20")!)
}
// README example end

@Suite("The README's session example")
struct ReadmeSessionExampleTests {
    @Test func theSessionExampleRecordsAMarkAndShowsItInTheMothersDiary() async throws {
        let school = try await AccessSchool()
        let mark = MarkRecorded(
            markID: "M-README", studentID: "S-1", lessonID: "L-2", subjectID: "MATH", value: .numeric(5), weight: 2,
            workKind: .classwork)
        let diary = try await markAndDiary(
            journal: school.journal, teacher: "t-math", parent: "acc-p1", mark: mark, lessonStart: AccessSchool.today)
        #expect(diary.lessons.first { $0.lessonID == "L-2" }?.marks == [.numeric(5), .numeric(5)])
        var another = mark
        another.markID = "M-README-2"
        await #expect(throws: AccessDenied.self) {
            _ = try await markAndDiary(
                journal: school.journal, teacher: "t-math", parent: "acc-p3", mark: another, lessonStart: AccessSchool.today)
        }
    }

    @Test func theREADMEShowsExactlyTheCompiledExample() throws {
        let example = try Fixture.readmeExample("session", compiledIn: #filePath)
        #expect(!example.compiled.isEmpty)
        #expect(example.shown == example.compiled)
    }
}
