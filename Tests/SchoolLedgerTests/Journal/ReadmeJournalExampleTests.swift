import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

// The README's journal example, compiled and run on the test school. The
// lines between the markers must equal the README's block after
// `<!-- example: journal -->` (without its import line).

// README example begin
func recordTestMark(in journal: SchoolJournal) async throws {
    let mark = MarkRecorded(
        markID: "M-1", studentID: "S-1", lessonID: "L-1", subjectID: "MATH",
        value: .numeric(5), weight: 5, workKind: .test)
    // The embedding service has authenticated the teacher; the ledger checks her rights.
    let teacher = journal.session(for: "teacher-ivanova")
    try await teacher.record(.markRecorded(mark), occurredAt: Instant(iso8601: "2026-09-07T08:30:00Z")!)
}
// README example end

@Suite("The README's journal example")
struct ReadmeJournalExampleTests {
    @Test func theJournalExampleRecordsAMark() async throws {
        let school = try await SchoolScenario()
        try await recordTestMark(in: school.journal)
        let last = try #require(try school.journal.entries().last)
        #expect(last.entry.event.eventType == "MarkRecorded")
        #expect(last.entry.actor == "teacher-ivanova")
    }

    @Test func theREADMEShowsExactlyTheCompiledExample() throws {
        let example = try Fixture.readmeExample("journal", compiledIn: #filePath)
        #expect(!example.compiled.isEmpty)
        #expect(example.shown == example.compiled)
    }
}
