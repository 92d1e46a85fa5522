import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// An extract carries the proofs of its records against a head signed with
/// the school's key: they verify in Swift and with the standard-library
/// Python script, and fail once a byte of a record's history is changed.
@Suite("Paper extracts with their records' proofs")
struct ExtractProofsTests {
    static let from = CivilDate("2026-09-01")!
    static let to = CivilDate("2026-09-30")!

    /// Runs `Schemas/examples/verify_proof.py` on an extract file; its exit status and output.
    static func python(_ file: String, publicKey: String) throws -> (Int32, String) {
        let script = Fixture.repositoryRoot.appendingPathComponent("Schemas/examples/verify_proof.py").path
        let child = try Spawned("/usr/bin/env", ["python3", script, file, "--public-key", publicKey])
        return (child.wait().status, child.output + child.errorOutput)
    }

    @Test func anExtractsProofsVerifyInSwiftAndPythonAndFailAfterAByteOfTheHistoryChanges() async throws {
        let school = try await AccessSchool()
        // Homework with a text the test can find in the data file.
        try await school.journal.recordTrusted(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-PROOF", lessonID: "L-2", text: "MARKER-HW-0001", dueDate: Self.to)),
            by: "t-math", occurredAt: AccessSchool.today)
        let key = Curve25519.Signing.PrivateKey()
        let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        let head = try school.journal.ledger.signedHead(with: key, at: school.clock.now())
        let tree = try #require(head.tree)
        let it = school.journal.trustedSession(for: "it-proofs")
        let extract = try it.paperExtract(of: "S-1", from: Self.from, to: Self.to, asOf: .position(tree.size))
        let proofs = try school.journal.proofs(of: extract, against: head)
        // The marks M-OLD and M-NEW, the homework H-1 and H-PROOF, S-1's attendance in L-2, the timetable's
        // lessons L-1 to L-3 and L-2's substitute, and 7A's class teacher and its maths and Russian teachers,
        // each a record.
        let types = try school.journal.entries().filter { r in proofs.records.contains { $0.position == r.position } }
            .map(\.entry.event.eventType)
        #expect(
            types.sorted() == [
                "AttendanceMarked", "ClassTeacherAssigned", "HomeworkAssigned", "HomeworkAssigned", "LessonScheduled", "LessonScheduled",
                "LessonScheduled", "MarkRecorded", "MarkRecorded", "SubstitutionAssigned", "TeacherAssigned", "TeacherAssigned",
            ])
        #expect(proofs.records.allSatisfy { $0.verify() })
        #expect(proofs.records.map(\.position) == proofs.records.map(\.position).sorted())

        let files = TemporaryDirectory("extract-proofs")
        for (name, text) in [("extract.txt", extract.renderText(proofs: proofs)), ("extract.html", extract.renderHTML(proofs: proofs))] {
            #expect(text.contains("-----BEGIN SCHOOLLEDGER PROOFS-----"))
            #expect(text.contains(name.hasSuffix("html") ? "<h2>Проверка подлинности</h2>" : "ПРОВЕРКА ПОДЛИННОСТИ"))
            try text.write(toFile: files.sub(name), atomically: true, encoding: .utf8)
            let (status, output) = try Self.python(files.sub(name), publicKey: publicKey)
            #expect(status == 0, "\(output)")
            #expect(output.contains("valid: 12 record(s) of the extract are in the signed log"))
            #expect(output.contains("MarkRecorded on mark/M-NEW by t-math"))
        }
        // An edited record in the extract's proofs fails.
        var edited = proofs
        var bytes = try #require(Data(base64Encoded: edited.records[0].record))
        bytes[bytes.count / 2] ^= 1
        edited.records[0].record = bytes.base64EncodedString()
        #expect(!edited.records[0].verify())
        try extract.renderText(proofs: edited).write(toFile: files.sub("edited.txt"), atomically: true, encoding: .utf8)
        #expect(try Self.python(files.sub("edited.txt"), publicKey: publicKey).0 == 1)
        // Another key than the school's fails.
        if MerkleChecks.pythonChecksSignatures {
            let stranger = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
            #expect(try Self.python(files.sub("extract.txt"), publicKey: stranger).0 == 1)
        }

        // A byte of the homework's record changed in a copy of the ledger: the copy's extract
        // against the same signed head names that record invalid.
        try await school.journal.ledger.catchUpProjections()
        try school.journal.ledger.sync()
        let copy = TemporaryDirectory("extract-proofs-copy")
        try Fixture.copyDataFile(from: school.journal.ledger.directory, to: copy.path, replacing: "MARKER-HW-0001", with: "MARKER-HW-0009")
        let forged = try SchoolJournal.open(at: copy.path, options: .readOnly)
        let forgedExtract = try forged.trustedSession(for: "it-proofs").paperExtract(
            of: "S-1", from: Self.from, to: Self.to, asOf: .position(tree.size))
        let forgedProofs = try forged.proofs(of: forgedExtract, against: head)
        #expect(forgedProofs.records.filter { !$0.verify() }.count == 1)
        try forgedExtract.renderText(proofs: forgedProofs).write(toFile: files.sub("forged.txt"), atomically: true, encoding: .utf8)
        let (status, output) = try Self.python(files.sub("forged.txt"), publicKey: publicKey)
        #expect(status == 1)
        #expect(output.contains("invalid: the record's bytes do not hash to the proof's record hash: position"))
        #expect(output.contains("invalid: 1 of 12 record(s) fail"))
    }

    @Test func aHeadWithoutTheExtractOrOfAnotherLedgerIsRefused() async throws {
        let school = try await AccessSchool()
        let other = try await AccessSchool()
        let key = Curve25519.Signing.PrivateKey()
        let short = try school.journal.ledger.signedHead(with: key, at: school.clock.now())
        try await school.journal.recordTrusted(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-LATER", lessonID: "L-2", text: "позже", dueDate: Self.to)),
            by: "t-math", occurredAt: AccessSchool.today)
        let it = school.journal.trustedSession(for: "it-proofs")
        let extract = try it.paperExtract(of: "S-1", from: Self.from, to: Self.to)
        let early = #expect(throws: SchoolValidationError.self) { try school.journal.proofs(of: extract, against: short) }
        #expect(early?.rule.contains("must cover the extract") == true)
        try await other.journal.recordTrusted(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-OTHER", lessonID: "L-2", text: "другая школа", dueDate: Self.to)),
            by: "t-math", occurredAt: AccessSchool.today)
        let foreign = try other.journal.ledger.signedHead(with: key, at: other.clock.now())
        let wrong = #expect(throws: SchoolValidationError.self) { try school.journal.proofs(of: extract, against: foreign) }
        #expect(wrong?.rule.contains("another ledger") == true)
    }
}

/// Whether the Python verifier checks Ed25519 signatures here.
enum MerkleChecks {
    static let pythonChecksSignatures: Bool = {
        guard let child = try? Spawned("/usr/bin/env", ["python3", "-c", "import cryptography"]) else { return false }
        return child.wait().status == 0
    }()
}
