import Crypto
public import EventLedger

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import SwiftProtobuf

/// A participant's electronic-signature key is registered (регистрация
/// ключа проверки электронной подписи, clause 10): from ``validFrom`` on,
/// the participant's operations may be signed with it (see
/// ``OperationSignature``).
///
/// A ``SignatureKeyRevoked`` ends it, and so does a breach notice naming
/// the signature key (``CompromisedSecret/signatureKey``), from the
/// window's opening.
///
/// Who may record it: the participant themself (from their device), admin
/// or support. Stream: `account/<accountID>`.
public struct SignatureKeyRegistered: CatalogEvent {
    /// The account whose key it is, 1...64 bytes.
    public var accountID: AccountID
    /// The key's id: ``SignatureKeyRegistered/keyID(of:)`` of ``publicKey``.
    public var keyID: String
    /// The algorithm; the library checks ``SignatureAlgorithm/ed25519``.
    public var algorithm: SignatureAlgorithm
    /// The public key (ключ проверки электронной подписи), raw: 32 bytes for Ed25519.
    public var publicKey: [UInt8]
    /// From when it signs, UTC.
    public var validFrom: Instant
    /// Until when it signs (exclusive), UTC; `nil`: no end.
    public var validUntil: Instant?

    /// Creates the event; the key id is worked out from `publicKey`.
    public init(
        accountID: AccountID, algorithm: SignatureAlgorithm = .ed25519, publicKey: [UInt8], validFrom: Instant,
        validUntil: Instant? = nil
    ) {
        self.accountID = accountID
        self.keyID = Self.keyID(of: publicKey)
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// A key's id: the first 16 bytes of the SHA-256 of its raw public key,
    /// as 32 lower-case hex digits.
    public static func keyID(of publicKey: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: publicKey).prefix(16))
    }

    /// Whether the key signs at `instant` by its own validity (revocations aside).
    func isValid(at instant: Instant) -> Bool {
        validFrom <= instant && validUntil.map { instant < $0 } ?? true
    }

    /// `account/<accountID>`.
    package var stream: String { SchoolStream.account(accountID) }

    /// Reads the stored form; the algorithm and `valid_from` are required.
    package init(stored: Schoolledger_V1_SignatureKeyRegistered, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.accountID = AccountID(stored.accountID)
        self.keyID = stored.keyID
        self.algorithm = try read.enumCase(stored.algorithm, "algorithm")
        self.publicKey = Array(stored.publicKey)
        self.validFrom = try read.requiredInstant(stored.hasValidFrom, stored.validFrom, "valid_from")
        self.validUntil = try read.optionalInstant(stored.hasValidUntil, stored.validUntil, "valid_until")
    }

    /// The stored form.
    package var stored: Schoolledger_V1_SignatureKeyRegistered {
        var s = Schoolledger_V1_SignatureKeyRegistered()
        s.accountID = accountID.rawValue
        s.keyID = keyID
        s.algorithm = algorithm.stored
        s.publicKey = Data(publicKey)
        s.validFrom = Google_Protobuf_Timestamp(storing: validFrom)
        if let validUntil { s.validUntil = Google_Protobuf_Timestamp(storing: validUntil) }
        return s
    }

    /// Checks the account id, that the library checks the algorithm, the
    /// key (32 bytes for Ed25519, a point Ed25519 accepts), the key id (the
    /// key's own) and the validity (valid instants, `valid_until` after
    /// `valid_from`).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.require(
            algorithm.isChecked, "algorithm", "\(algorithm)",
            "is not checked by this version of the library yet (Ed25519 is): register an Ed25519 key")
        try check.require(
            publicKey.count == 32 && (try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)) != nil, "public_key",
            "\(publicKey.count) bytes", "must be a raw Ed25519 public key of 32 bytes")
        try check.require(
            keyID == Self.keyID(of: publicKey), "key_id", keyID,
            "must be the first 16 bytes of the SHA-256 of public_key in lower-case hex (\(Self.keyID(of: publicKey)))")
        try check.instant(validFrom, "valid_from")
        try check.instant(validUntil, "valid_until")
        if let validUntil {
            try check.require(validUntil > validFrom, "valid_until", "\(validUntil)", "must be after valid_from (\(validFrom))")
        }
    }
}
