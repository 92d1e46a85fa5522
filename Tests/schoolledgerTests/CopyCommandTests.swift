import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("copy: a ledger's history into another, resumable, head checked")
struct CopyCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func aCopyOfTheDemoHasItsHeadVerifiesAndARunAgainCopiesNothing() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo"), copy = dir.sub("copy")
        #expect(try cli("demo", "--ledger", demo).status == 0)

        let run = try cli("copy", "--from", demo, "--to", copy, "--batch", "500", "--json")
        #expect(run.status == 0, "\(run.error)")
        let report = try JSONDecoder().decode(CopyReport.self, from: Data(run.output.utf8))
        let head = try JSONDecoder().decode(ChainHead.self, from: Data(try cli("head", "--ledger", demo).output.utf8))
        #expect(report.head == head)
        #expect(report.copied == head.position)
        #expect(try JSONDecoder().decode(ChainHead.self, from: Data(try cli("head", "--ledger", copy).output.utf8)) == head)
        // The copy is a journal's ledger like the demo: `verify` judges it, clause 11 included.
        let verify = try cli("verify", "--ledger", copy)
        #expect(verify.status == 0, "\(verify.output) \(verify.error)")

        let again = try cli("copy", "--from", demo, "--to", copy)
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("copied      0 records (\(head.position) were there already)"), "\(again.output)")

        // A batch of nothing is refused before anything opens (another
        // history is refused by the library: `CopyTests`).
        let refused = try cli("copy", "--from", copy, "--to", dir.sub("demo-2"), "--batch", "0")
        #expect(refused.status != 0)
        #expect(refused.error.contains("--batch is at least 1"))
    }

    @Test func theDemoCopiedToPostgreSQLAndBackHasTheSameHeadAndEveryCommandReadsIt() throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo"), back = dir.sub("back")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        let url = try TestPostgres.location(ledger: "copy-\(UUID().uuidString)").description
        let head = try JSONDecoder().decode(ChainHead.self, from: Data(try cli("head", "--ledger", demo).output.utf8))

        let there = try cli("copy", "--from", demo, "--to", url)
        #expect(there.status == 0, "\(there.error)")
        let onServer = try cli("head", "--ledger", url, "--local", dir.sub("node"))
        #expect(try JSONDecoder().decode(ChainHead.self, from: Data(onServer.output.utf8)) == head, "\(onServer.error)")
        // verify on the copy on PostgreSQL: chain, and clause 11 judged again.
        let verify = try cli("verify", "--ledger", url, "--local", dir.sub("node"))
        #expect(verify.status == 0, "\(verify.output) \(verify.error)")
        // The journal's commands read it through this node's local read models.
        let stats = try cli("stats", "--ledger", url, "--local", dir.sub("node"))
        #expect(stats.status == 0 && stats.output.contains("\(head.position)"), "\(stats.output) \(stats.error)")
        let diary = try cli(
            "query", "--ledger", url, "--local", dir.sub("node"), "diary", "--student", "S-1001", "--from", "2026-08-31", "--to",
            "2026-09-06", "--as", "parent-1001")
        #expect(diary.status == 0, "\(diary.error)")
        let onDirectory = try cli(
            "query", "--ledger", demo, "diary", "--student", "S-1001", "--from", "2026-08-31", "--to", "2026-09-06", "--as", "parent-1001")
        // The same diary, but for names: the demo's vault is beside its directory, not on this node.
        #expect(diary.output.split(separator: "\n").count == onDirectory.output.split(separator: "\n").count, "\(diary.output)")
        let rebuild = try cli("rebuild", "--ledger", url, "--local", dir.sub("node"), "--check")
        #expect(rebuild.status == 0, "\(rebuild.output) \(rebuild.error)")

        let home = try cli("copy", "--from", url, "--to", back)
        #expect(home.status == 0, "\(home.error)")
        #expect(try JSONDecoder().decode(ChainHead.self, from: Data(try cli("head", "--ledger", back).output.utf8)) == head)
        let verifyBack = try cli("verify", "--ledger", back)
        #expect(verifyBack.status == 0, "\(verifyBack.output) \(verifyBack.error)")

        // A URL that names no ledger there is refused by name, nothing created.
        let missing = try cli("head", "--ledger", url.replacingOccurrences(of: "ledger=copy-", with: "ledger=none-"))
        #expect(missing.status != 0)
        #expect(missing.error.contains("There is no ledger"), "\(missing.error)")
    }
}
