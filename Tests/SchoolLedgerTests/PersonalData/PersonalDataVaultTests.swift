import EventLedger
import Foundation
import LedgerTestSupport
@testable import SchoolLedger
import Testing

@Suite("The personal-data vault")
struct PersonalDataVaultTests {
    static let anna = PersonalData(
        familyName: "Иванова", givenName: "Анна", patronymic: "Сергеевна", birthDate: CivilDate("2013-03-14"),
        phone: "+79161234567", email: "anna.ivanova@example.ru")

    /// The contents of every file under `directory`, one `Data` a file.
    static func files(under directory: String) throws -> [Data] {
        var out = [Data]()
        let walker = FileManager.default.enumerator(atPath: directory)
        while let file = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + file
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return out
    }

    /// Every byte of every file under `directory`.
    static func allBytes(under directory: String) throws -> Data {
        try files(under: directory).reduce(into: Data()) { $0.append($1) }
    }

    /// The key file the tests' vaults use: beside their directory.
    static func keys(_ dir: TemporaryDirectory) -> VaultKeys { .file(path: dir.path + ".vault-key", ledgerDirectory: nil) }

    @Test func sealedDataOpensOnlyForItsSubjectAndUnchanged() throws {
        let dir = TemporaryDirectory("vault")
        let vault = try PersonalDataVault.open(at: dir.path, keys: Self.keys(dir))
        let sealed = try vault.seal(Self.anna, for: "S-1")
        #expect(try vault.open(sealed) == .known(Self.anna))
        // Moved to another subject, or changed by one byte, it does not open.
        var moved = sealed
        moved.subjectID = "S-2"
        _ = try vault.seal(PersonalData(givenName: "Пётр"), for: "S-2")
        #expect(throws: PersonalDataError.self) { try vault.open(moved) }
        var changed = sealed
        changed.ciphertext[0] ^= 1
        #expect(throws: PersonalDataError.self) { try vault.open(changed) }
        // A subject this vault never saw reads as unavailable.
        var stranger = sealed
        stranger.subjectID = "S-9"
        #expect(try vault.open(stranger) == .unavailable)
    }

    @Test func erasureDestroysTheKeyAndLeavesNoTraceOfItInTheVaultsFiles() throws {
        let dir = TemporaryDirectory("vault")
        let vault = try PersonalDataVault.open(at: dir.path, keys: Self.keys(dir))
        let sealed = try vault.seal(Self.anna, for: "S-1")
        _ = try vault.seal(PersonalData(givenName: "Пётр"), for: "S-2")
        let key = try #require(try vault.keyBytes(of: "S-1"))
        let stored = try #require(try vault.storedKey(of: "S-1"))
        // The key is on disk only wrapped.
        #expect(try Self.allBytes(under: dir.path).range(of: Data(key)) == nil)
        #expect(try Self.allBytes(under: dir.path).range(of: Data(stored)) != nil)
        try vault.erase("S-1")
        #expect(try vault.open(sealed) == .erased)
        #expect(try vault.isErased("S-1"))
        #expect(try vault.keyBytes(of: "S-1") == nil)
        #expect(try Self.allBytes(under: dir.path).range(of: Data(stored)) == nil)
        // The others are untouched; nothing new is sealed for the erased person; erasing again is harmless.
        #expect(try vault.open(try vault.seal(PersonalData(givenName: "Пётр"), for: "S-2")).data?.givenName == "Пётр")
        #expect(throws: PersonalDataError.self) { try vault.seal(Self.anna, for: "S-1") }
        try vault.erase("S-1")
        // After the swap the vault writes to the new file: a key made now is on disk.
        _ = try vault.seal(PersonalData(givenName: "Ольга"), for: "S-3")
        let newKey = try #require(try vault.storedKey(of: "S-3"))
        #expect(try Self.allBytes(under: dir.path).range(of: Data(newKey)) != nil)
        // Reopened from disk, it still knows.
        let reopened = try PersonalDataVault.open(at: dir.path, readOnly: true, keys: Self.keys(dir))
        #expect(try reopened.open(sealed) == .erased)
    }

    @Test func theJournalSealsShowsAndErasesAPersonWhileMarksStay() async throws {
        let school = try await AccessSchool()
        let journal = school.journal
        let sealed = try journal.seal(Self.anna, for: "S-5")
        try await school.session(.classTeacher).record(
            .studentEnrolled(
                StudentEnrolled(
                    studentID: "S-5", classID: "7A", enrollmentDate: CivilDate("2026-09-14")!, personalData: sealed)),
            occurredAt: AccessSchool.today)
        try await school.session(.mathTeacher).record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-S5", studentID: "S-5", lessonID: "L-2", subjectID: "MATH", value: .numeric(4), weight: 2,
                    workKind: .classwork)),
            occurredAt: AccessSchool.today)
        #expect(try journal.trusted.displayName(of: "S-5") == "Иванова Анна Сергеевна")
        // A correction changes only the fields it carries.
        try await school.session(.classTeacher).record(
            .studentDataCorrected(
                StudentDataCorrected(
                    studentID: "S-5", before: sealed, after: try journal.seal(PersonalData(familyName: "Петрова"), for: "S-5"),
                    changedFields: [.familyName])),
            occurredAt: AccessSchool.today)
        #expect(try journal.trusted.personalData(of: "S-5").data?.fullName == "Петрова Анна Сергеевна")
        #expect(try journal.trusted.personalData(of: "S-5").data?.phone == "+79161234567")

        // Only admin erases.
        await #expect(throws: AccessDenied.self) {
            try await school.session(.classTeacher).erasePersonalData(of: "S-5", occurredAt: AccessSchool.today)
        }
        try await school.session(.admin).erasePersonalData(of: "S-5", occurredAt: AccessSchool.today)
        #expect(try journal.trusted.personalData(of: "S-5") == .erased)
        #expect(try journal.trusted.displayName(of: "S-5") == SchoolJournal.erasedName)
        // The school's record stays, the chain still verifies.
        #expect(try journal.trusted.marks(of: "S-5", period: "2026-Q1").subjects.first?.marks.map(\.value) == [.numeric(4)])
        #expect(try journal.ledger.verify().isIntact)
        // An export holds the sealed boxes, which no key opens any more, and no name in clear.
        let export = school.dir.sub("export.jsonl")
        #expect(FileManager.default.createFile(atPath: export, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: export))
        _ = try journal.trusted.export(to: handle)
        try handle.close()
        let text = try String(contentsOfFile: export, encoding: .utf8)
        #expect(!text.contains("Иванова") && !text.contains("Петрова") && !text.contains("+79161234567"))
        #expect(text.contains("PersonalDataErased"))
    }

    @Test func anErasureRecordedButNotFinishedIsFinishedWhenTheJournalOpens() async throws {
        let dir = TemporaryDirectory("journal")
        var sealed: SealedPersonalData
        do {
            let journal = try SchoolJournal.open(at: dir.path)
            sealed = try journal.seal(Self.anna, for: "P-7")
            // The erasure event is in the ledger, but the process stopped before the key was destroyed.
            try await journal.recordTrusted(
                .personalDataErased(PersonalDataErased(subjectID: "P-7")), by: "admin", occurredAt: Fixture.occurred)
            #expect(try journal.vault?.open(sealed) == .known(Self.anna))
        }
        let reopened = try SchoolJournal.open(at: dir.path)
        #expect(try reopened.vault?.open(sealed) == .erased)
    }
}
