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
}
