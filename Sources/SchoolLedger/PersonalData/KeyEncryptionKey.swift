#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Crypto
import EventLedger
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wraps and unwraps the vault's per-person keys with a key-encryption key
/// that the ledger's directory never holds (envelope encryption): a copy of
/// the ledger and its vault opens no name without it.
///
/// ``KeyFile`` keeps the key-encryption key in a file outside the ledger's
/// directory; an embedding service with an HSM or a KMS implements this
/// protocol instead, so the key never leaves the device.
public protocol KeyEncryptionKeyProvider: Sendable {
    /// The id of the key-encryption key that ``wrap(_:for:)`` uses now;
    /// stored beside each wrapped key, so a rotation can tell old wraps from new.
    var keyID: String { get }
    /// Wraps a person's 32-byte key; `subject` is bound into the wrap, so a
    /// wrapped key cannot be moved to another person.
    func wrap(_ key: [UInt8], for subject: PersonID) throws -> [UInt8]
    /// Unwraps a key wrapped by the key-encryption key `keyID`.
    ///
    /// - Throws: when this provider does not hold that key-encryption key,
    ///   or the wrap does not open with it.
    func unwrap(_ wrapped: [UInt8], keyID: String, for subject: PersonID) throws -> [UInt8]
}

/// A key-encryption key of 32 random bytes in a file of its own (mode 0600),
/// refused inside the ledger's directory, so that the directory and its
/// backups never carry it. AES-256-GCM wraps each person's key.
public struct KeyFile: KeyEncryptionKeyProvider {
    /// The file.
    public let path: String
    /// The first 16 hex digits of the key's SHA-256.
    public let keyID: String
    private let key: SymmetricKey

    /// Where a journal looks for its key file unless told otherwise: beside
    /// the ledger's directory, not in it (`/var/lib/school/ledger` →
    /// `/var/lib/school/ledger.vault-key`).
    public static func defaultPath(forLedger directory: String) -> String {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + ".vault-key"
    }

    /// Loads the key file at `path`, or creates it with a fresh key when
    /// missing and `create` is set.
    ///
    /// - Throws: ``PersonalDataError`` when the path lies inside
    ///   `ledgerDirectory`, the file is missing (and not to be created), or
    ///   it does not hold exactly 32 bytes.
    public static func load(at path: String, creating create: Bool = false, ledgerDirectory: String? = nil) throws -> KeyFile {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if let ledgerDirectory {
            let ledger = URL(fileURLWithPath: ledgerDirectory).standardizedFileURL.path
            if absolute == ledger || absolute.hasPrefix(ledger.hasSuffix("/") ? ledger : ledger + "/") {
                throw PersonalDataError(
                    subject: "vault",
                    message:
                        "the key-encryption key file \(absolute) is inside the ledger's directory \(ledger), which every copy of the ledger carries: keep it elsewhere (by default \(defaultPath(forLedger: ledger)))"
                )
            }
        }
        if !FileManager.default.fileExists(atPath: absolute) {
            guard create else {
                throw PersonalDataError(
                    subject: "vault",
                    message:
                        "no key-encryption key at \(absolute): the vault's keys cannot be unwrapped without it; give its path (--vault-key), or restore it from where the school keeps it"
                )
            }
            try write(Array(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }), to: absolute)
        }
        guard let bytes = FileManager.default.contents(atPath: absolute), bytes.count == 32 else {
            throw PersonalDataError(
                subject: "vault",
                message: "the key-encryption key file \(absolute) does not hold exactly 32 bytes: it is not a key file of this library")
        }
        return KeyFile(path: absolute, key: SymmetricKey(data: bytes))
    }

    /// Writes `bytes` to a new file at `path` with mode 0600 and syncs it.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw PersonalDataError(subject: "vault", message: "cannot create the key file \(path) (errno \(errno))") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw PersonalDataError(subject: "vault", message: "cannot write the key file \(path) (errno \(errno))")
        }
    }

    private init(path: String, key: SymmetricKey) {
        self.path = path
        self.key = key
        keyID = SHA256.hash(data: key.withUnsafeBytes { Array($0) }).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private static func context(_ subject: PersonID) -> [UInt8] { Array("schoolledger-vault-key/\(subject.rawValue)".utf8) }

    /// Seals the key with AES-256-GCM, the subject as associated data.
    public func wrap(_ personKey: [UInt8], for subject: PersonID) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(personKey, using: key, authenticating: Self.context(subject)).combined else {
            throw PersonalDataError(subject: subject, message: "AES-GCM gave no combined box")
        }
        return Array(combined)
    }

    /// Opens a wrap made with this key.
    public func unwrap(_ wrapped: [UInt8], keyID: String, for subject: PersonID) throws -> [UInt8] {
        guard keyID == self.keyID else {
            throw PersonalDataError(
                subject: subject,
                message:
                    "the person's key is wrapped by key-encryption key \(keyID), not by \(self.keyID) at \(path): give the key file it was wrapped with"
            )
        }
        let box = try AES.GCM.SealedBox(combined: wrapped)
        return Array(try AES.GCM.open(box, using: key, authenticating: Self.context(subject)))
    }
}
