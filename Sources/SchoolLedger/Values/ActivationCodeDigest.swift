public import EventLedger

/// What the ledger keeps of a one-time activation code (код активации)
/// handed out with credentials: a salt and a salted hash, never the code.
///
/// The embedding application derives ``hash`` with its key-derivation
/// function over the code and ``salt``, and compares a code the person types
/// against it. Used by ``CredentialsIssued`` and ``CredentialsReset``.
public struct ActivationCodeDigest: Hashable, Sendable, CustomStringConvertible {
    /// Random bytes salting the hash: 16 bytes.
    public var salt: [UInt8]
    /// The salted hash of the code: 32 bytes.
    public var hash: [UInt8]
    /// When the code expires (срок действия кода), UTC; `nil`: it does not expire.
    public var expiresAt: Instant?

    /// The length of the salt, in bytes: 16.
    package static let saltByteCount = 16
    /// The length of the hash, in bytes: 32.
    package static let hashByteCount = 32

    /// A digest from its parts.
    public init(salt: [UInt8], hash: [UInt8], expiresAt: Instant? = nil) {
        self.salt = salt
        self.hash = hash
        self.expiresAt = expiresAt
    }

    /// The sizes and the expiry only, never the bytes.
    public var description: String {
        "ActivationCodeDigest(\(salt.count)-byte salt, \(hash.count)-byte hash, expires: \(expiresAt.map { "\($0)" } ?? "never"))"
    }
}
