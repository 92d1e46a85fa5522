import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 10 through the command line: `verify --signatures` on the demo,
/// whose teachers sign their marks, and on a copy a plain ledger appended
/// an unsigned mark to; the audit history names the key.
@Suite("Signatures through the command line")
struct SignatureCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func verifySignaturesHoldsOnTheDemoAndExitsOneNamingAnUnsignedMarkAPlainLedgerAppended() async throws {
        let dir = TemporaryDirectory()
        let demo = dir.sub("demo")
        #expect(try cli("demo", "--ledger", demo).status == 0)
        let good = try cli("verify", "--ledger", demo, "--signatures")
        #expect(good.status == 0, "\(good.output)\(good.error)")
        #expect(good.output.contains("signatures: 10 signed operation(s) checked, 10 required, all hold"))
        let history = try cli("audit", "history", "--ledger", demo, "--account", "teacher-math")
        let key = SignatureKeyRegistered.keyID(of: try Self.registeredKey(of: "teacher-math", in: demo))
        #expect(history.output.contains("signed with key") && history.output.contains(key))

        let position: UInt64
        do {
            let plain = try EventLedger.open(at: demo)
            let mark = MarkRecorded(
                markID: "M-PLAIN", studentID: "S-1003", lessonID: "L-7A-MATH-1", subjectID: "MATH", value: .numeric(2), weight: 2,
                workKind: .classwork)
            position = try await plain.append(
                try EventCoding.newEvent(JournalEntry(event: .markRecorded(mark), actor: "teacher-math", occurredAt: .now))
            ).positions[0]
        }
        let bad = try cli("verify", "--ledger", demo, "--signatures")
        #expect(bad.status == 1)
        #expect(bad.output.contains("SIGNATURES FAIL: 1 finding(s)"))
        #expect(bad.output.contains("position \(position): MarkRecorded"))
        #expect(bad.output.contains("by teacher-math must be signed"))
        // Without the flag the chain and clause 11 still pass: signatures are their own check.
        #expect(try cli("verify", "--ledger", demo).status == 0)
        let json = try cli("verify", "--ledger", demo, "--signatures", "--json")
        #expect(json.output.contains("\"reason\" : \"unsigned\""))
    }

    static func registeredKey(of account: AccountID, in ledger: String) throws -> [UInt8] {
        let journal = try SchoolJournal.open(at: ledger, options: .readOnly)
        for recorded in try journal.entries(inStream: "account/\(account)") {
            if case .signatureKeyRegistered(let e) = recorded.entry.event { return e.publicKey }
        }
        throw CancellationError()
    }
}
