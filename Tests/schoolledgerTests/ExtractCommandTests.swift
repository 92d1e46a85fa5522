import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// `schoolledger extract` and `schoolledger audit history` on the demo ledger.
@Suite("The extract and audit history commands")
struct PaperExtractCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func extractWritesAnHTMLFileAndIssuesItOnceForTheFatherWhoRefusedTheElectronicForm() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let file = dir.sub("S-1002.html")
        let written = try cli(
            "extract", "--ledger", path, "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-30",
            "--format", "html", "--out", file)
        #expect(written.status == 0, "\(written.error)")
        #expect(written.output.trimmingCharacters(in: .whitespacesAndNewlines) == URL(fileURLWithPath: file).standardizedFileURL.path)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("<html lang=\"ru\">"))
        #expect(html.contains("S-1002"))
        #expect(html.contains("Подпись родителя (законного представителя): ______"))
        #expect(html.contains("Средняя общеобразовательная школа № 17"))

        let text = try cli(
            "extract", "--ledger", path, "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-30", "--format", "text")
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ДНЕВНИКА"))

        let head = try EventLedger.open(at: path, options: .readOnly).head()
        let issued = try cli(
            "extract", "--ledger", path, "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-30",
            "--format", "html", "--out", file, "--issue", "--as", "teacher-math", "--parent", "P-1002")
        #expect(issued.status == 0, "\(issued.error)")
        #expect(issued.output.contains("Recorded PaperExtractIssued"))
        let afterIssue = try EventLedger.open(at: path, options: .readOnly).head()
        #expect(afterIssue.position == head.position + 1)
        let journal = try SchoolJournal(ledger: EventLedger.open(at: path, options: .readOnly))
        let last = try #require(try journal.entries(from: afterIssue.position, through: afterIssue.position).first)
        guard case .paperExtractIssued(let event) = last.entry.event else {
            Issue.record("expected PaperExtractIssued, got \(last.entry.event.eventType)")
            return
        }
        #expect(event.studentID == "S-1002" && event.parentID == "P-1002" && event.reason == .refusedElectronicForm)
        #expect(last.entry.actor == "teacher-math")

        // Again: nothing appended.
        let again = try cli(
            "extract", "--ledger", path, "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-30",
            "--format", "text", "--out", dir.sub("again.txt"), "--issue", "--as", "teacher-math", "--parent", "P-1002")
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("nothing appended"))
        #expect(try EventLedger.open(at: path, options: .readOnly).head() == afterIssue)

        // The mother of S-1001 reads the diary electronically: no paper extract for her.
        let refused = try cli(
            "extract", "--ledger", path, "--student", "S-1001", "--from", "2026-09-01", "--to", "2026-09-30",
            "--format", "text", "--issue", "--as", "teacher-math", "--parent", "P-1001")
        #expect(refused.status != 0)
        #expect(refused.error.contains("P-1001"))
        #expect(refused.error.contains("must be a parent who gets paper extracts for S-1001"))
        #expect(refused.output.isEmpty)
        #expect(try EventLedger.open(at: path, options: .readOnly).head() == afterIssue)

        let missing = try cli(
            "extract", "--ledger", path, "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-30",
            "--format", "html", "--issue", "--as", "teacher-math")
        #expect(missing.status != 0)
        #expect(missing.error.contains("--parent"))
    }

    @Test func auditHistoryOfAStudentDecodesAndNeedsExactlyOneSubject() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let json = try cli("audit", "history", "--ledger", path, "--student", "S-1001", "--json")
        #expect(json.status == 0, "\(json.error)")
        let entries = try JSONDecoder().decode([HistoryEntry].self, from: Data(json.output.utf8))
        #expect(!entries.isEmpty)
        #expect(entries.map(\.position) == entries.map(\.position).sorted())
        // The demo's stolen English account gave S-1001 a 2 that the breach notice voided.
        #expect(entries.contains { $0.status == .void && $0.actor == "teacher-english" && $0.noticePosition != nil })

        let text = try cli("audit", "history", "--ledger", path, "--account", "teacher-english")
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("VOID (notice #"))

        let none = try cli("audit", "history", "--ledger", path)
        #expect(none.status != 0)
        #expect(none.error.contains("exactly one of --student, --account, --lesson"))
        let two = try cli("audit", "history", "--ledger", path, "--student", "S-1001", "--lesson", "L-7A-MATH-1")
        #expect(two.status != 0)
        #expect(two.error.contains("exactly one"))
    }
}
