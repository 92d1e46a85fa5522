import Crypto
import EventLedger
import Foundation
import LedgerLMDB
import LedgerTestSupport
@testable import SchoolLedger
import Testing

/// Envelope encryption of the vault: what a copy of the ledger's directory
/// (a backup, a support engineer's laptop) can open without the
/// key-encryption key, rotation, and the vaults an older version wrote.
@Suite("The vault's key-encryption key")
struct KeyEncryptionKeyTests {
    static let anna = PersonalDataVaultTests.anna

    /// Tries every 32 bytes at every even offset of every file under
    /// `directory` as the AES key of `sealed`; returns the offsets that open it.
    static func keysThatOpen(_ sealed: SealedPersonalData, in files: [Data]) throws -> Int {
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: sealed.nonce), ciphertext: sealed.ciphertext, tag: sealed.tag)
        var found = 0
        for data in files where data.count >= 32 {
            let bytes = [UInt8](data)
            var offset = 0
            while offset + 32 <= bytes.count {
                let key = SymmetricKey(data: bytes[offset..<(offset + 32)])
                if (try? AES.GCM.open(box, using: key, authenticating: Array(sealed.subjectID.rawValue.utf8))) != nil { found += 1 }
                offset += 2
            }
        }
        return found
    }

    static func files(under directory: String) throws -> [Data] { try PersonalDataVaultTests.files(under: directory) }

    @Test func noValueInTheLedgerOrTheVaultOpensASealedBoxWithoutTheKeyEncryptionKey() async throws {
        let dir = TemporaryDirectory("kek-ledger")
        let sealed: SealedPersonalData
        do {
            let journal = try SchoolJournal.open(at: dir.path)
            sealed = try journal.seal(Self.anna, for: "P-1")
            try await journal.recordTrusted(
                .parentLinked(
                    ParentLinked(
                        parentID: "P-1", studentID: "S-1", relation: .mother,
                        personalData: sealed, effectiveDate: CivilDate("2026-09-01")!)),
                by: "admin", occurredAt: Fixture.occurred)
            #expect(try journal.trusted.personalData(of: "P-1") == .known(Self.anna))
        }
        // The key file is beside the directory, not in it.
        #expect(FileManager.default.fileExists(atPath: dir.path + ".vault-key"))
        // A copy of the directory: no 32 bytes anywhere in it open the box.
        let files = try Self.files(under: dir.path)
        #expect(files.count >= 4)
        #expect(try Self.keysThatOpen(sealed, in: files) == 0)
        // The search does find a key that is there (the vault's own key, unwrapped, planted in a file).
        let vault = try PersonalDataVault.open(
            at: dir.path + "/vault", readOnly: true, keys: .file(path: dir.path + ".vault-key", ledgerDirectory: dir.path))
        let key = try #require(try vault.keyBytes(of: "P-1"))
        #expect(try Self.keysThatOpen(sealed, in: [Data([7, 7]) + Data(key) + Data([9])]) == 1)

        // The copy elsewhere, without the key file: a read-only journal shows no name; a writable one refuses to start a new key.
        let copy = TemporaryDirectory("kek-copy")
        try FileManager.default.removeItem(atPath: copy.path)
        try FileManager.default.copyItem(atPath: dir.path, toPath: copy.path)
        do {
            let readOnly = try SchoolJournal.open(at: copy.path, options: .readOnly)
            #expect(try readOnly.trusted.personalData(of: "P-1") == .unavailable)
        }
        #expect(throws: PersonalDataError.self) { try SchoolJournal.open(at: copy.path) }
        #expect(!FileManager.default.fileExists(atPath: copy.path + ".vault-key"))
    }

    @Test func aKeyFileInsideTheLedgersDirectoryIsRefused() throws {
        let dir = TemporaryDirectory("kek-inside")
        let error = #expect(throws: PersonalDataError.self) {
            try SchoolJournal.open(at: dir.path, vaultKeys: .file(path: dir.path + "/vault.key", ledgerDirectory: dir.path))
        }
        #expect(error?.message.contains("inside the ledger's directory") == true)
        #expect(throws: PersonalDataError.self) { try KeyFile.load(at: dir.path + "/sub/../k", creating: true, ledgerDirectory: dir.path) }
    }

    @Test func afterARotationAndTheOldKeysDestructionAnErasedPersonsKeyInAnEarlierBackupOpensNothing() throws {
        let dir = TemporaryDirectory("kek-rotate")
        let oldKeyPath = dir.path + ".vault-key"
        let vault = try PersonalDataVault.open(at: dir.path, keys: .file(path: oldKeyPath, ledgerDirectory: nil))
        let erasedBox = try vault.seal(Self.anna, for: "S-1")
        let keptBox = try vault.seal(PersonalData(givenName: "Пётр"), for: "S-2")
        // A backup of the vault, taken before the erasure.
        let backup = TemporaryDirectory("kek-backup")
        try FileManager.default.copyItem(atPath: dir.path + "/data.mdb", toPath: backup.sub("data.mdb"))
        try vault.erase("S-1")
        // Rotation: a new key-encryption key re-wraps the live keys; the old key file is destroyed.
        let newKeyPath = dir.path + ".vault-key-2"
        defer { try? FileManager.default.removeItem(atPath: newKeyPath) }
        let newKeys = try KeyFile.load(at: newKeyPath, creating: true)
        let oldID = vault.keyEncryptionKeyID
        try vault.rotate(to: newKeys)
        #expect(vault.keyEncryptionKeyID == newKeys.keyID && newKeys.keyID != oldID)
        try FileManager.default.removeItem(atPath: oldKeyPath)
        // The live vault: the kept person opens with the new key, the erased one stays erased.
        #expect(try vault.open(keptBox) == .known(PersonalData(givenName: "Пётр")))
        #expect(try vault.open(erasedBox) == .erased)
        let reopened = try PersonalDataVault.open(at: dir.path, readOnly: true, keys: .provider(newKeys))
        #expect(try reopened.open(keptBox) == .known(PersonalData(givenName: "Пётр")))
        // The backup: its wrapped keys need the destroyed key; the new one unwraps nothing, and no bytes of it open a box.
        let old = try PersonalDataVault.open(at: backup.path, readOnly: true, keys: .provider(newKeys))
        #expect(throws: PersonalDataError.self) { try old.open(erasedBox) }
        #expect(throws: PersonalDataError.self) { try old.open(keptBox) }
        #expect(try Self.keysThatOpen(erasedBox, in: try Self.files(under: backup.path)) == 0)
        #expect(throws: PersonalDataError.self) {
            try PersonalDataVault.open(at: backup.path, readOnly: true, keys: .file(path: oldKeyPath, ledgerDirectory: nil))
        }
    }

    @Test func aVaultWrittenWithKeysInClearHasThemWrappedAtItsFirstWritableOpen() throws {
        let dir = TemporaryDirectory("kek-legacy")
        // What an older version wrote: the raw key under the subject, in the vault's own database.
        let raw = SymmetricKey(size: .bits256)
        let rawBytes = raw.withUnsafeBytes { Array($0) }
        let box = try AES.GCM.seal(Array("x".utf8), using: raw, authenticating: Array("S-1".utf8))
        do {
            var options = Environment.Options()
            options.maxDatabases = 4
            let environment = try Environment.open(directory: dir.path, options: options)
            let keys = try environment.openDatabase("personal-data.keys", create: true)
            try environment.write { txn in try txn.put(keys, key: Array("S-1".utf8), value: rawBytes) }
        }
        #expect(try PersonalDataVaultTests.allBytes(under: dir.path).range(of: Data(rawBytes)) != nil)
        let vault = try PersonalDataVault.open(at: dir.path, keys: .file(path: dir.path + ".vault-key", ledgerDirectory: nil))
        #expect(try vault.keyBytes(of: "S-1") == rawBytes)
        #expect(try vault.storedKey(of: "S-1")?.count != 32)
        #expect(try PersonalDataVaultTests.allBytes(under: dir.path).range(of: Data(rawBytes)) == nil)
        #expect(
            try Self.keysThatOpen(
                SealedPersonalData(
                    subjectID: "S-1", nonce: Array(box.nonce), ciphertext: Array(box.ciphertext),
                    tag: Array(box.tag)),
                in: try Self.files(under: dir.path)) == 0)
    }
}
