import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("backup: the journal's ledger, read log and vault, copied and verified")
struct BackupCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func aBackupOfTheDemoOpensAsTheJournalWithItsNamesAndItsReadLog() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        // A read before the backup: the read log the copy carries names it.
        #expect(
            try cli("query", "--ledger", demo, "class-list", "--class", "7A", "--on", "2026-09-02", "--operator", "it-before").status == 0)

        let run = try cli("backup", "--ledger", demo, "--to", dir.sub("copy"), "--json")
        #expect(run.status == 0, "\(run.error)")
        let report = try JSONDecoder().decode(BackupReport.self, from: Data(run.output.utf8))
        #expect(report.verification.isIntact)
        #expect(Set(report.stores.keys) == ["read-log", "vault"])
        let head = try cli("head", "--ledger", demo)
        #expect(try JSONDecoder().decode(ChainHead.self, from: Data(head.output.utf8)) == report.head)

        // Restoring is opening the copy: it verifies (clause 11 included), and
        // with the vault's key file, kept apart, the names open.
        let verify = try cli("verify", "--ledger", report.directory)
        #expect(verify.status == 0, "\(verify.output) \(verify.error)")
        let list = try cli(
            "query", "--ledger", report.directory, "--vault-key", demo + ".vault-key", "class-list", "--class", "7A", "--on", "2026-09-02")
        #expect(list.status == 0, "\(list.error)")
        #expect(list.output.contains("Иванова Анна Сергеевна"))
        let reads = try cli("audit", "reads", "--ledger", report.directory, "--vault-key", demo + ".vault-key", "--student", "S-1001")
        #expect(reads.output.contains("it-before"), "\(reads.output) \(reads.error)")
        // The key file is not in the copy.
        #expect(!FileManager.default.fileExists(atPath: report.directory + ".vault-key"))

        // A second backup into the same directory is refused and changes nothing.
        let again = try cli("backup", "--ledger", demo, "--to", dir.sub("copy"))
        #expect(again.status != 0)
        #expect(again.error.contains("not empty"))
        #expect(try cli("verify", "--ledger", report.directory).status == 0)
    }
}
