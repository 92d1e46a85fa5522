#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Crypto
package import EventLedger
import SwiftProtobuf
import Synchronization

/// A failure of the personal-data vault: what went wrong and what to do.
public struct PersonalDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data subject concerned.
    public var subject: PersonID
    /// What went wrong and what to do.
    public var message: String

    /// `<subject>: <message>`.
    public var description: String { "\(subject): \(message)" }
}

/// Where the vault's key-encryption key comes from.
public enum VaultKeys: Sendable {
    /// A provider the embedding service implements (HSM, KMS).
    case provider(any KeyEncryptionKeyProvider)
    /// A ``KeyFile`` at `path`, refused inside `ledgerDirectory`; created
    /// with a fresh key when missing, but only for a writable vault that
    /// holds no wrapped key yet (a missing file for wrapped keys is an error,
    /// never a reason to start a new key).
    case file(path: String, ledgerDirectory: String?)
}

/// The personal-data vault (152-FZ): one AES-256-GCM key per data subject
/// (a student or a parent), kept in an EventLedger `KeyValueStore` of its own, away
/// from the ledger's log, each key wrapped (envelope encryption) by a
/// key-encryption key the vault does not hold (see ``KeyEncryptionKeyProvider``).
///
/// Personal data is sealed before it is appended, so the ledger's files
/// never hold it in clear; a view opens it with the subject's key, which
/// only the key-encryption key unwraps: a copy of the ledger's directory
/// with its vault opens no name. Erasure destroys the key and compacts the
/// vault's file, so the wrapped key's bytes are not left behind in LMDB's
/// free pages: the events stay, the hash chain still verifies, and the
/// sealed boxes can no longer be opened. A backup of the vault taken before
/// the erasure still holds the wrapped key; ``rotate(to:)`` re-wraps the
/// live keys under a new key-encryption key, and once the old one is
/// destroyed, no key in such a backup unwraps.
///
/// The sealed box's associated data is the subject id, so a box cannot be
/// moved to another person.
package final class PersonalDataVault: Sendable {
    /// The directory of the vault's store.
    package var directory: String { store.directory }
    private let store: KeyValueStore
    /// The vault's store, for a backup beside the ledger's (its keys stay
    /// wrapped: the key-encryption key is never in the store).
    package var storeForBackup: KeyValueStore { store }
    private let keys: Mutex<any KeyEncryptionKeyProvider>
    private let readOnly: Bool

    private static let keysName = "personal-data.keys"
    private static let erasedName = "personal-data.erased"

    private init(store: KeyValueStore, keys: any KeyEncryptionKeyProvider, readOnly: Bool) {
        self.store = store
        self.keys = Mutex(keys)
        self.readOnly = readOnly
    }

    /// Opens (creating unless `readOnly`) the vault in `directory`, its keys
    /// wrapped by the key-encryption key `keys` names. A vault written before
    /// envelope encryption (keys in clear) has its keys wrapped, and its file
    /// compacted, at its first writable open.
    package static func open(at directory: String, readOnly: Bool = false, keys source: VaultKeys) throws -> PersonalDataVault {
        var options = KeyValueStore.Options(tables: [keysName, erasedName])
        options.readOnly = readOnly
        options.fileMode = 0o600
        let store = try KeyValueStore.open(directory: directory, options: options)
        let keys: any KeyEncryptionKeyProvider
        switch source {
        case .provider(let provider): keys = provider
        case .file(let path, let ledgerDirectory):
            let mayCreate = try !readOnly && !storedKeys(store).contains { $0.value.count != 32 }
            keys = try KeyFile.load(at: path, creating: mayCreate, ledgerDirectory: ledgerDirectory)
        }
        let vault = PersonalDataVault(store: store, keys: keys, readOnly: readOnly)
        if !readOnly { try vault.wrapClearKeys() }
        return vault
    }

    /// The id of the key-encryption key the vault wraps with now.
    package var keyEncryptionKeyID: String { keys.withLock { $0.keyID } }

    /// A stored key: version 1, the key-encryption key's id, the wrap.
    private static func stored(_ wrapped: [UInt8], keyID: String) -> [UInt8] {
        [1, UInt8(keyID.utf8.count)] + Array(keyID.utf8) + wrapped
    }

    private static func key(_ subject: PersonID) -> [UInt8] { Array(subject.rawValue.utf8) }

    /// Every key entry of the vault, as stored.
    private static func storedKeys(_ store: KeyValueStore) throws -> [(subject: PersonID, value: [UInt8])] {
        try store.read { txn in
            var out = [(subject: PersonID, value: [UInt8])]()
            try txn.forEach(keysName) { key, value in
                out.append((PersonID(String(decoding: key, as: UTF8.self)), value))
                return true
            }
            return out
        }
    }

    /// Wraps keys stored in clear by an older version, then compacts the file.
    private func wrapClearKeys() throws {
        let clear = try Self.storedKeys(store).filter { $0.value.count == 32 }
        guard !clear.isEmpty else { return }
        try rewrite(clear.map(\.subject))
    }

    /// Re-wraps every live key under `newKeys` (a new key-encryption key),
    /// in one transaction, then compacts the vault's file so the old wraps
    /// are not left in free pages. From then on the vault needs `newKeys`;
    /// destroy the old key-encryption key (and its copies) so that backups
    /// taken before, erased people's keys included, unwrap nothing.
    package func rotate(to newKeys: any KeyEncryptionKeyProvider) throws {
        guard !readOnly else {
            throw PersonalDataError(subject: "vault", message: "the vault is open read-only: open it writable to rotate its key")
        }
        try rewrite(try Self.storedKeys(store).map(\.subject), to: newKeys)
    }

    /// Stores the keys of `subjects` wrapped by `target` (by default the
    /// current key-encryption key), then compacts the file.
    private func rewrite(_ subjects: [PersonID], to target: (any KeyEncryptionKeyProvider)? = nil) throws {
        let current = keys.withLock { $0 }
        let next = target ?? current
        try store.write { txn in
            for subject in subjects {
                guard let value = try txn.get(Self.keysName, key: Self.key(subject)) else { continue }
                let key = try Self.unwrap(value, for: subject, with: current)
                let wrapped = try next.wrap(key, for: subject)
                try txn.put(Self.keysName, key: Self.key(subject), value: Self.stored(wrapped, keyID: next.keyID))
            }
        }
        keys.withLock { $0 = next }
        try compact(subject: "vault")
    }

    /// The person's key from its stored form.
    private static func unwrap(_ value: [UInt8], for subject: PersonID, with keys: any KeyEncryptionKeyProvider) throws -> [UInt8] {
        if value.count == 32 { return value }  // written in clear by an older version; wrapped at the next writable open
        guard value.count > 2, value[0] == 1, value.count > 2 + Int(value[1]) else {
            throw PersonalDataError(subject: subject, message: "the vault's entry for this person is not a wrapped key of this library")
        }
        let idLength = Int(value[1])
        let keyID = String(decoding: value[2..<(2 + idLength)], as: UTF8.self)
        do {
            return try keys.unwrap(Array(value[(2 + idLength)...]), keyID: keyID, for: subject)
        } catch let error as PersonalDataError {
            throw error
        } catch {
            throw PersonalDataError(
                subject: subject,
                message:
                    "the person's key does not unwrap with key-encryption key \(keys.keyID) (\(error)): give the key file it was wrapped with"
            )
        }
    }

    /// Rewrites the vault's file without free pages (so no bytes of deleted
    /// or rewritten values are left in it).
    private func compact(subject: PersonID) throws {
        do {
            try store.compact()
        } catch {
            throw PersonalDataError(
                subject: subject,
                message: "the change is written, but the vault's file could not be compacted (\(error)): "
                    + "the old file may still hold the old bytes in a free page; run the operation again")
        }
    }

    /// Seals `data` for `subject`, making the subject's key on first use.
    ///
    /// - Throws: ``PersonalDataError`` when the subject was erased (no new
    ///   data is sealed for an erased person) or the vault is read-only.
    package func seal(_ data: PersonalData, for subject: PersonID) throws -> SealedPersonalData {
        let wrapping = keys.withLock { $0 }
        if let key = try key(of: subject, keys: wrapping) { return try Self.seal(data, for: subject, with: key) }
        guard !readOnly else { throw PersonalDataError(subject: subject, message: "no key yet, and the vault is open read-only") }
        let key = try store.write { txn -> SymmetricKey in
            if try txn.get(Self.erasedName, key: Self.key(subject)) != nil {
                throw PersonalDataError(subject: subject, message: "the person's data was erased; nothing new is sealed for them")
            }
            if let existing = try txn.get(Self.keysName, key: Self.key(subject)) {
                return SymmetricKey(data: try Self.unwrap(existing, for: subject, with: wrapping))
            }
            let key = SymmetricKey(size: .bits256)
            let wrapped = try wrapping.wrap(key.withUnsafeBytes { Array($0) }, for: subject)
            try txn.put(Self.keysName, key: Self.key(subject), value: Self.stored(wrapped, keyID: wrapping.keyID))
            return key
        }
        return try Self.seal(data, for: subject, with: key)
    }

    private static func seal(_ data: PersonalData, for subject: PersonID, with key: SymmetricKey) throws -> SealedPersonalData {
        let plaintext: [UInt8] = try data.stored.serializedBytes()
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(subject.rawValue.utf8))
        return SealedPersonalData(subjectID: subject, nonce: Array(box.nonce), ciphertext: Array(box.ciphertext), tag: Array(box.tag))
    }

    /// Opens a sealed box: the data, `.erased` when the subject's key was
    /// destroyed, `.unavailable` when this vault never had it.
    ///
    /// - Throws: ``PersonalDataError`` when the box does not open with the
    ///   subject's key (changed bytes, or a box moved to another subject).
    package func open(_ sealed: SealedPersonalData) throws -> PersonalDataReading {
        let subject = sealed.subjectID
        let wrapping = keys.withLock { $0 }
        guard let key = try key(of: subject, keys: wrapping) else { return try isErased(subject) ? .erased : .unavailable }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: sealed.nonce), ciphertext: sealed.ciphertext, tag: sealed.tag)
            let plaintext = try AES.GCM.open(box, using: key, authenticating: Array(subject.rawValue.utf8))
            return .known(PersonalData(stored: try Schoolledger_V1_PersonalDataFields(serializedBytes: plaintext)))
        } catch {
            throw PersonalDataError(
                subject: subject,
                message:
                    "a sealed box does not open with the person's key (\(error)): the ledger's copy was changed or belongs to someone else")
        }
    }

    /// The stored (wrapped) entry of `subject`, for tests that look for its bytes on disk.
    func storedKey(of subject: PersonID) throws -> [UInt8]? {
        try Self.storedKeys(store).first { $0.subject == subject }?.value
    }

    /// The raw (unwrapped) key of `subject`, for tests that look for its bytes on disk.
    func keyBytes(of subject: PersonID) throws -> [UInt8]? {
        let wrapping = keys.withLock { $0 }
        return try key(of: subject, keys: wrapping).map { key in key.withUnsafeBytes { Array($0) } }
    }

    /// Whether `subject`'s data was erased here.
    package func isErased(_ subject: PersonID) throws -> Bool {
        try store.read { txn in try txn.get(Self.erasedName, key: Self.key(subject)) != nil }
    }

    /// Destroys `subject`'s key, remembers the subject as erased, and
    /// rewrites the vault's file without free pages (so the key's bytes are
    /// gone from it). Erasing twice is harmless.
    package func erase(_ subject: PersonID) throws {
        guard !readOnly else {
            throw PersonalDataError(subject: subject, message: "the vault is open read-only: open it writable to erase")
        }
        try store.write { txn in
            try txn.delete(Self.keysName, key: Self.key(subject))
            try txn.put(Self.erasedName, key: Self.key(subject), value: [1])
        }
        try compact(subject: subject)
    }

    /// The person's key, unwrapped; `nil` when the vault holds none.
    private func key(of subject: PersonID, keys wrapping: any KeyEncryptionKeyProvider) throws -> SymmetricKey? {
        let stored = try store.read { txn in try txn.get(Self.keysName, key: Self.key(subject)) }
        return try stored.map { SymmetricKey(data: try Self.unwrap($0, for: subject, with: wrapping)) }
    }
}
