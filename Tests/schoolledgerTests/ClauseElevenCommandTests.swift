import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 11 through the command line: an import that lacks the derived
/// events, and `verify` on a ledger a plain ledger wrote voids into.
@Suite("Clause 11 through the command line")
struct ClauseElevenCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func importingTheDemosExportWithoutItsOperationsVoidedGivesTheSameVoidsAndHead() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo"), imported = dir.sub("imported")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        #expect(try cli("export", "--ledger", demo, "--output", dir.sub("all.jsonl")).status == 0)
        let lines = try String(contentsOfFile: dir.sub("all.jsonl"), encoding: .utf8).split(separator: "\n")
        let stripped = lines.filter { !$0.contains("\"operationsVoided\"") }
        #expect(stripped.count == lines.count - 1)
        try (stripped.joined(separator: "\n") + "\n").write(toFile: dir.sub("stripped.jsonl"), atomically: true, encoding: .utf8)
        let result = try cli("import", "--ledger", imported, dir.sub("stripped.jsonl"))
        #expect(result.status == 0, "\(result.error)")
        // The read log is not part of an export: the exposure stays with the demo's ledger.
        func audits(_ ledger: String) throws -> (audits: [CompromiseNoticeAudit], exposed: [DataSubject]) {
            let text = try cli("audit", "compromise", "--ledger", ledger, "--json").output
            var audits = try JSONDecoder().decode([CompromiseNoticeAudit].self, from: Data(text.utf8))
            let exposed = audits.flatMap { $0.exposure?.exposedSubjects ?? [] }
            for i in audits.indices { audits[i].exposure = nil }
            return (audits, exposed)
        }
        let (original, exposed) = try audits(demo)
        let (again, none) = try audits(imported)
        #expect(original == again)
        #expect(exposed == [.student("S-1001"), .student("S-1002")])
        #expect(none.isEmpty)
        #expect(original.contains { $0.voided.contains { $0.summary.contains("M-X-THIEF-1") } })
        #expect(try cli("head", "--ledger", demo).output == (try cli("head", "--ledger", imported).output))
        #expect(try cli("verify", "--ledger", imported).status == 0)
    }

    @Test func verifyExitsOneNamingVoidsAPlainLedgerForged() async throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        let (notice, honest): (RecordedJournalEntry, UInt64) = try {
            let journal = try SchoolJournal.open(at: demo, options: .readOnly)
            let log = try journal.entries()
            let notice = try #require(log.first { $0.entry.event.eventType == "CompromiseReported" })
            let honest = try #require(log.first { $0.entry.event.eventType == "MarkRecorded" && $0.entry.actor != "teacher-english" })
            return (notice, honest.position)
        }()
        #expect(try cli("verify", "--ledger", demo).status == 0)
        do {
            let plain = try EventLedger.open(at: demo)
            let forged = OperationsVoided(
                noticeEventID: notice.entry.id, noticePosition: notice.position, accountID: "teacher-english",
                voidedPositions: [honest], window: CompromiseWindow(opensAt: notice.recordedAt))
            _ = try await plain.append(
                try EventCoding.newEvent(
                    JournalEntry(
                        event: .operationsVoided(forged), actor: "system:invalidator",
                        occurredAt: notice.recordedAt)))
        }
        let verify = try cli("verify", "--ledger", demo)
        #expect(verify.status == 1)
        #expect(verify.output.contains("CLAUSE 11 VIOLATED"))
        #expect(verify.output.contains("position \(honest): declared void, but clause 11 does not void it"))
    }
}
