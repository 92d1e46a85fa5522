import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 10 with one touch for a lesson's marks: the device signs the
/// batch's text once, each operation carries its place in the batch, and
/// every path in checks each operation alone against that one signature.
@Suite("Signatures (clause 10): operations signed together, one signature a batch")
struct BatchSignatureTests {
    static func lesson(_ prefix: String, _ count: Int) -> [JournalEntry] {
        (0..<count).map { SignatureTests.entry("\(prefix)-\($0)") }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func aLessonsMarksSignedTogetherAreAcceptedInAnyCallsAndEachChecksAlone() async throws {
        let school = try await SignatureTests.signingSchool()
        let marks = try Self.lesson("M-BATCH", 5).signedTogether(school: "school-1", with: AccessSchool.mathKey)
        #expect(Set(marks.map { $0.signature?.signature ?? [] }).count == 1)
        #expect(marks.map { $0.signature?.batch?.index } == [0, 1, 2, 3, 4])
        // Two in one call, three in another: each operation carries all it needs.
        let first = try await school.journal.record(Array(marks[0..<2])).positions
        let rest = try await school.journal.record(Array(marks[2...])).positions
        let stored = try school.journal.entries(from: first[0], through: try #require(rest.last)).map(\.entry)
        #expect(stored == marks)
        // A verifier with the public key alone: the operation's text, its path to the root, the batch's text.
        let bytes = try marks.bytesToSign(school: "school-1", keyID: AccessSchool.mathKeyID)
        #expect(AccessSchool.mathKey.publicKey.isValidSignature(marks[0].signature?.signature ?? [], for: bytes))
        for mark in stored {
            let place = try #require(mark.signature?.batch)
            let text = try mark.bytesToSign(school: "school-1", keyID: AccessSchool.mathKeyID)
            let root = try #require(
                MerkleTree.root(leafHash: MerkleTree.leafHash(text), leaf: UInt64(place.index), treeSize: 5, proof: place.path))
            let batchText = "schoolledger-batch-v1\nschool school-1\nkey \(AccessSchool.mathKeyID)\noperations 5\nroot \(Self.hex(root))\n"
            #expect(Array(batchText.utf8) == bytes)
        }
        // A batch of one is a batch like any other.
        try await school.journal.record(try Self.lesson("M-ONE", 1).signedTogether(school: "school-1", with: AccessSchool.mathKey))
        let report = try SchoolJournal.verifySignatures(school.journal.ledger)
        #expect(report.holds, "\(report.findings)")
        #expect(report.signed == 6 && report.required == 6)
        let history = try school.session(.deputy).auditHistory(of: .account(SignatureTests.teacher))
        #expect(history.filter { $0.signatureKeyID == AccessSchool.mathKeyID }.count == 6)
    }

    @Test func aChangedMovedForeignOrMalformedOperationIsRefusedWithItsCallAndTheHeadUnchanged() async throws {
        let school = try await SignatureTests.signingSchool()
        let marks = try Self.lesson("M-B", 4).signedTogether(school: "school-1", with: AccessSchool.mathKey)
        var changed = marks[2]
        changed.event = SignatureTests.mark("M-B-2-CHANGED")
        var moved = marks[1]
        moved.signature?.batch = marks[2].signature?.batch
        var foreign = SignatureTests.entry("M-B-FOREIGN")
        foreign.signature = marks[0].signature
        var resized = marks[3]
        resized.signature?.batch?.size = 5
        var oversized = marks[3]
        oversized.signature?.batch?.size = 5_000
        var outside = marks[3]
        outside.signature?.batch?.index = 4
        var short = marks[3]
        short.signature?.batch?.path.removeLast()
        var badHash = marks[3]
        badHash.signature?.batch?.path[0] = [1, 2, 3]
        var stranger = try Self.lesson("M-B", 4).signedTogether(school: "school-1", with: Curve25519.Signing.PrivateKey())[3]
        stranger.signature?.keyID = AccessSchool.mathKeyID
        let cases = [
            ("changed", [marks[0], marks[1], changed]), ("moved", [moved]), ("foreign", [foreign]), ("resized", [resized]),
            ("oversized", [oversized]), ("outside", [outside]), ("short", [short]), ("bad hash", [badHash]),
            ("another key", [marks[0], stranger]),
        ]
        for (name, call) in cases {
            let head = try school.head
            let refused = await #expect(throws: SignatureRefused.self, "\(name)") { try await school.journal.record(call) }
            #expect(refused?.reason == .badSignature, "\(name): \(String(describing: refused))")
            #expect(refused?.eventID == call.last?.id, "\(name)")
            #expect(try school.head == head, "\(name)")
        }
        // The batch as signed goes in whole after all that.
        #expect(try await school.journal.record(marks).positions.count == 4)
        #expect(try SchoolJournal.verifySignatures(school.journal.ledger).holds)
    }

    @Test func theRulesHoldForBatchesOnTheLedgerOnACommandOnAnImportAndInVerify() async throws {
        let school = try await SignatureTests.signingSchool()
        let marks = try Self.lesson("M-P", 3).signedTogether(school: "school-1", with: AccessSchool.mathKey)
        var changed = marks[1]
        changed.occurredAt = changed.occurredAt.adding(microseconds: 1)
        // Straight to the journal's ledger, past the journal's own checks.
        let head = try school.head
        let plainError = await #expect(throws: LedgerError.self) {
            try await school.journal.ledger.append([try EventCoding.newEvent(marks[0]), try EventCoding.newEvent(changed)])
        }
        #expect(plainError?.field == "signature" && plainError?.eventID == changed.id)
        #expect(try school.head == head)
        _ = try await school.journal.ledger.append(try EventCoding.newEvent(marks[0]))
        // A client's signed command (protobuf JSON) keeps the batch's place.
        let position = try await school.session(.mathTeacher).record(commandJSON: try SignatureTests.commandJSON(marks[1])).positions[0]
        #expect(try school.journal.entries(from: position, through: position).first?.entry == marks[1])
        try await school.journal.record([marks[2]])
        #expect(try SchoolJournal.verifySignatures(school.journal.ledger).signed == 3)

        // Export and import: the places travel with the records and hold again.
        let (_, _, copy) = try await SignatureTests.exportAndImport(school, "batch")
        #expect(try copy.ledger.head() == (try school.head))
        #expect(try SchoolJournal.verifySignatures(copy.ledger).holds)

        // A plain ledger that appends a changed operation of the batch past the rules: verify names it.
        let plainDir = TemporaryDirectory("batch-plain")
        try await Fixture.copyDataFile(of: school.journal.ledger, to: plainDir.path)
        let plain = try EventLedger.open(at: plainDir.path, options: Fixture.options(clock: school.clock, relaxed: true))
        var later = try Self.lesson("M-Q", 2).signedTogether(school: "school-1", with: AccessSchool.mathKey)
        later[1].event = SignatureTests.mark("M-Q-1-CHANGED")
        let appended = try await plain.append(try later.map(EventCoding.newEvent)).positions
        let report = try SchoolJournal.verifySignatures(plain)
        #expect(report.findings.compactMap(\.position) == [appended[1]])
        #expect(report.findings.map(\.reason) == [.badSignature])
    }

    @Test func aBatchHoldsOneToFourThousandNinetySixOperations() throws {
        let none = #expect(throws: SchoolValidationError.self) {
            try [JournalEntry]().bytesToSign(school: "school-1", keyID: AccessSchool.mathKeyID)
        }
        #expect(none?.field == "batch")
        let many = Self.lesson("M-MANY", 4_097)
        #expect(throws: SchoolValidationError.self) { try many.bytesToSign(school: "school-1", keyID: AccessSchool.mathKeyID) }
        let most = try Array(many.dropLast()).signedTogether(school: "school-1", keyID: AccessSchool.mathKeyID, signature: [])
        #expect(most.last?.signature?.batch?.path.count == 12)
    }
}
