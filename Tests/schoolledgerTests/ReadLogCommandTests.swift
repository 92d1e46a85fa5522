import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The read log, the exposure audit and the vault's key through the command line.
@Suite("audit exposure, audit reads, vault rotate")
struct ReadLogCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func theDemosStolenAccountExposedTheStudentsItReadAndTheirReadsAreListed() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo")
        let run = try cli("demo", "--ledger", demo)
        #expect(run.status == 0)
        // The demo ends by naming the ids to try next.
        #expect(run.output.contains("period 2026-Q1") && run.output.contains("parent-1001") && run.output.contains("L-7A-ENG-1"))
        let json = try cli("audit", "exposure", "--ledger", demo, "--account", "teacher-english", "--json")
        #expect(json.status == 0, "\(json.error)")
        let exposures = try JSONDecoder().decode([NoticeExposure].self, from: Data(json.output.utf8))
        #expect(exposures.count == 1)
        #expect(exposures.first?.exposedSubjects == [.student("S-1001"), .student("S-1002")])
        #expect(exposures.first?.windowReads.map(\.view) == ["journal-page", "group-list"])
        let text = try cli("audit", "exposure", "--ledger", demo, "--account", "teacher-english")
        #expect(text.output.contains("EXPOSURE inside the window") && text.output.contains("student/S-1002"))
        let reads = try cli("audit", "reads", "--ledger", demo, "--student", "S-1001", "--operator", "it-auditor")
        #expect(reads.status == 0)
        #expect(reads.output.contains("teacher-english") && reads.output.contains("journal-page"))
        // The audits themselves are reads: the log names the operator who ran them.
        let again = try cli("audit", "reads", "--ledger", demo, "--student", "S-1001")
        #expect(again.output.contains("it-auditor"))
        #expect(try cli("audit", "reads", "--ledger", demo).status != 0)
    }

    @Test func vaultRotateRewrapsTheKeysAndNamesStillOpen() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        let keyFile = demo + ".vault-key"
        let before = try Data(contentsOf: URL(fileURLWithPath: keyFile))
        let diary = [
            "query", "--ledger", demo, "diary", "--student", "S-1001", "--from", "2026-08-31", "--to", "2026-09-06", "--as", "parent-1001",
        ]
        #expect(try Fixture.run("schoolledger", diary).output.contains("Иванова"))
        let rotated = try cli("vault", "rotate", "--ledger", demo)
        #expect(rotated.status == 0, "\(rotated.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyFile)) != before)
        #expect(try Fixture.run("schoolledger", diary).output.contains("Иванова"))
        // The old key no longer opens the vault: with it, the names stay sealed.
        try before.write(to: URL(fileURLWithPath: dir.sub("old.key")))
        #expect(!(try Fixture.run("schoolledger", diary + ["--vault-key", dir.sub("old.key")]).output.contains("Иванова")))
        // A key file inside the ledger's directory is refused.
        let inside = try cli("vault", "rotate", "--ledger", demo, "--vault-key", demo + "/vault.key")
        #expect(inside.status != 0)
        #expect(inside.error.contains("inside the ledger's directory"))
    }
}
