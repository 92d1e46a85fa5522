import EventLedger
import LedgerTestSupport
import PropertyBased
@testable import SchoolLedger
import Testing

/// The two ways the rule reads the log agree: reading it at each judgement
/// (the invalidator, the audit) and reading it once into a transcript
/// (`verify`, which judges after every run of derived events).
@Suite("Clause 11 read once or at each judgement")
struct ClauseElevenTests {
    /// What a judgement says, in a form two judgements compare by.
    static func summary(_ rule: ClauseEleven) -> [String] {
        rule.notices.map { n in
            "notice \(n.act.position): \(n.window) effective \(n.isEffective) withdrawn \(String(describing: n.withdrawnBy)) "
                + "voided \(String(describing: n.voidedBy)) pending \(String(describing: n.pendingOpening))"
        } + rule.voidedBy.sorted { $0.key < $1.key }.map { "void \($0.key) by \($0.value)" }
            + rule.standing.sorted { $0.key < $1.key }.map { "act \($0.key) stands \($0.value)" }
    }

    @Test func theTranscriptJudgesEveryPositionAsTheLogDoes() async throws {
        await propertyCheck(count: 40, input: InvalidatorOracleTests.steps) { steps in
            await #expect(throws: Never.self) {
                let journal = try await InvalidatorOracleTests.run(steps)
                try journal.ledger.read { reader in
                    let transcript = try ClauseEleven.Transcript(reader)
                    let last = try reader.lastPosition()
                    #expect(transcript.acts.contains { $0.notice != nil } || last < 60)
                    for position in 0...last {
                        let once = Self.summary(try transcript.evaluate(through: position))
                        let each = Self.summary(try ClauseEleven.evaluate(reader, through: position))
                        #expect(once == each, "through position \(position)")
                        if once != each { return }
                    }
                }
            }
        }
    }
}
