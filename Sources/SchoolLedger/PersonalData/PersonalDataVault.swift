#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import EventLedger
import LedgerLMDB
import SwiftProtobuf
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the personal-data vault: what went wrong and what to do.
public struct PersonalDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data subject concerned.
    public var subject: PersonID
    /// What went wrong and what to do.
    public var message: String

    /// `<subject>: <message>`.
    public var description: String { "\(subject): \(message)" }
}

/// The personal-data vault (152-FZ): one AES-256-GCM key per data subject
/// (a student or a parent), kept in an LMDB environment of its own, away
/// from the ledger's log.
///
/// Personal data is sealed before it is appended, so the ledger's files
/// never hold it in clear; a view opens it with the subject's key. Erasure
/// destroys the key and compacts the vault's file, so the key's bytes are
/// not left behind in LMDB's free pages: the events stay, the hash chain
/// still verifies, and the sealed boxes can no longer be opened. (Blocks a
/// filesystem or disk kept from the old file are outside the vault's reach:
/// keep the vault on an encrypted volume.)
///
/// The sealed box's associated data is the subject id, so a box cannot be
/// moved to another person.
public final class PersonalDataVault: Sendable {
    /// The directory of the vault's LMDB environment.
    public let directory: String
    private let state: Mutex<Environment?>
    private let readOnly: Bool

    private static let keysName = "personal-data.keys"
    private static let erasedName = "personal-data.erased"

    private init(directory: String, environment: Environment, readOnly: Bool) {
        self.directory = directory
        self.state = Mutex(environment)
        self.readOnly = readOnly
    }

    /// Opens (creating unless `readOnly`) the vault in `directory`.
    public static func open(at directory: String, readOnly: Bool = false) throws -> PersonalDataVault {
        let environment = try openEnvironment(directory, readOnly: readOnly)
        return PersonalDataVault(directory: environment.path, environment: environment, readOnly: readOnly)
    }

    private static func openEnvironment(_ directory: String, readOnly: Bool) throws -> Environment {
        var options = Environment.Options()
        options.readOnly = readOnly
        options.create = !readOnly
        options.mapSize = 8 << 20
        options.maxDatabases = 4
        options.fileMode = 0o600
        let environment = try Environment.open(directory: directory, options: options)
        if !readOnly {
            _ = try environment.openDatabase(keysName, create: true)
            _ = try environment.openDatabase(erasedName, create: true)
        }
        return environment
    }

    private func withEnvironment<R>(_ body: (Environment) throws -> R) throws -> R {
        try state.withLock { environment in
            guard let environment else { throw PersonalDataError(subject: "vault", message: "the vault at \(directory) is closed") }
            return try body(environment)
        }
    }

    /// Seals `data` for `subject`, making the subject's key on first use.
    ///
    /// - Throws: ``PersonalDataError`` when the subject was erased (no new
    ///   data is sealed for an erased person) or the vault is read-only.
    public func seal(_ data: PersonalData, for subject: PersonID) throws -> SealedPersonalData {
        let key = try withEnvironment { environment -> SymmetricKey in
            if let key = try Self.key(of: subject, in: environment) { return key }
            guard !readOnly else { throw PersonalDataError(subject: subject, message: "no key yet, and the vault is open read-only") }
            let erased = try environment.openDatabase(Self.erasedName)
            let keys = try environment.openDatabase(Self.keysName)
            return try environment.write { txn -> SymmetricKey in
                if try txn.get(erased, key: Array(subject.rawValue.utf8)) != nil {
                    throw PersonalDataError(subject: subject, message: "the person's data was erased; nothing new is sealed for them")
                }
                let key = SymmetricKey(size: .bits256)
                try txn.put(keys, key: Array(subject.rawValue.utf8), value: key.withUnsafeBytes { Array($0) })
                return key
            }
        }
        let plaintext: [UInt8] = try data.stored.serializedBytes()
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(subject.rawValue.utf8))
        return SealedPersonalData(subjectID: subject, nonce: Array(box.nonce), ciphertext: Array(box.ciphertext), tag: Array(box.tag))
    }

    /// Opens a sealed box: the data, `.erased` when the subject's key was
    /// destroyed, `.unavailable` when this vault never had it.
    ///
    /// - Throws: ``PersonalDataError`` when the box does not open with the
    ///   subject's key (changed bytes, or a box moved to another subject).
    public func open(_ sealed: SealedPersonalData) throws -> PersonalDataReading {
        let subject = sealed.subjectID
        let (key, erased) = try withEnvironment { environment in
            (try Self.key(of: subject, in: environment), try Self.isErased(subject, in: environment))
        }
        guard let key else { return erased ? .erased : .unavailable }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: sealed.nonce), ciphertext: sealed.ciphertext, tag: sealed.tag)
            let plaintext = try AES.GCM.open(box, using: key, authenticating: Array(subject.rawValue.utf8))
            return .known(PersonalData(stored: try Schoolledger_V1_PersonalDataFields(serializedBytes: plaintext)))
        } catch {
            throw PersonalDataError(subject: subject, message: "a sealed box does not open with the person's key (\(error)): the ledger's copy was changed or belongs to someone else")
        }
    }

    /// The raw key of `subject`, for tests that look for its bytes on disk.
    func keyBytes(of subject: PersonID) throws -> [UInt8]? {
        try withEnvironment { try Self.key(of: subject, in: $0) }.map { key in key.withUnsafeBytes { Array($0) } }
    }

    /// Whether `subject`'s data was erased here.
    public func isErased(_ subject: PersonID) throws -> Bool {
        try withEnvironment { try Self.isErased(subject, in: $0) }
    }

    /// Destroys `subject`'s key, remembers the subject as erased, and
    /// rewrites the vault's file without free pages (so the key's bytes are
    /// gone from it). Erasing twice is harmless.
    public func erase(_ subject: PersonID) throws {
        guard !readOnly else { throw PersonalDataError(subject: subject, message: "the vault is open read-only: open it writable to erase") }
        try state.withLock { environment in
            guard environment != nil else { throw PersonalDataError(subject: subject, message: "the vault at \(directory) is closed") }
            let fm = FileManager.default
            let compact = directory + "/compact-\(UUID().uuidString)"
            try fm.createDirectory(atPath: compact, withIntermediateDirectories: false)
            defer { try? fm.removeItem(atPath: compact) }
            try Self.destroyKey(of: subject, in: environment!, compactingTo: compact)
            // This vault holds the only reference: dropping it closes the environment,
            // so the compact file can take the old one's place before reopening.
            environment = nil
            // rename(2) puts the compact file in place atomically.
            guard rename(compact + "/data.mdb", directory + "/data.mdb") == 0 else {
                let code = errno
                environment = try? Self.openEnvironment(directory, readOnly: false)
                throw PersonalDataError(subject: subject, message: "the key is destroyed, but the compacted vault could not replace the old file (errno \(code)): "
                                        + "the old file may still hold the key's bytes in a free page; erase again")
            }
            environment = try Self.openEnvironment(directory, readOnly: false)
        }
    }

    private static func destroyKey(of subject: PersonID, in environment: Environment, compactingTo compact: String) throws {
        let keys = try environment.openDatabase(keysName)
        let erased = try environment.openDatabase(erasedName)
        try environment.write { txn in
            _ = try txn.delete(keys, key: Array(subject.rawValue.utf8))
            try txn.put(erased, key: Array(subject.rawValue.utf8), value: [1])
        }
        try environment.copyCompacted(to: compact)
    }

    private static func key(of subject: PersonID, in environment: Environment) throws -> SymmetricKey? {
        guard let keys = try? environment.openDatabase(keysName) else { return nil }
        return try environment.read { txn in
            guard let bytes = try txn.get(keys, key: Array(subject.rawValue.utf8)) else { return nil }
            return SymmetricKey(data: Array(bytes))
        }
    }

    private static func isErased(_ subject: PersonID, in environment: Environment) throws -> Bool {
        guard let erased = try? environment.openDatabase(erasedName) else { return false }
        return try environment.read { txn in try txn.get(erased, key: Array(subject.rawValue.utf8)) != nil }
    }
}
