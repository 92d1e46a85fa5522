package import Crypto
import EventLedger

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A participant's electronic signature over one operation (clause 10),
/// made on the participant's device with the private half of a key the
/// ledger registered (``SignatureKeyRegistered``).
///
/// The embedding service asks the journal for the operation's canonical
/// bytes (``JournalEntry/bytesToSign(school:keyID:)``), has the user's device
/// sign them, and passes the signature on the entry:
///
/// ```swift
/// var entry = JournalEntry(event: .markRecorded(mark), actor: "teacher-ivanova", occurredAt: lessonStart)
/// let bytes = try entry.bytesToSign(school: "school-1", keyID: keyID)
/// entry.signature = OperationSignature(keyID: keyID, signature: try deviceSign(bytes))
/// try await journal.record([entry])
/// ```
///
/// The ledger checks it at append against the key valid at that moment,
/// refuses a bad one (``SignatureRefused``), and keeps it with the record,
/// inside the hash chain.
public struct OperationSignature: Sendable, Hashable, Codable {
    /// The signing key's id (``SignatureKeyRegistered/keyID``).
    public var keyID: String
    /// The signature: 64 bytes for Ed25519.
    public var signature: [UInt8]

    /// A signature made with the key `keyID`.
    public init(keyID: String, signature: [UInt8]) {
        self.keyID = keyID
        self.signature = signature
    }

    /// What is signed, version 1: a fixed text of the operation. Each line
    /// is a name and a value; `payload` is the SHA-256 of the event as
    /// stored, unsigned (`schoolledger.v1.Envelope` with only its oneof set).
    ///
    /// ```text
    /// schoolledger-operation-v1
    /// school <school id>
    /// event <event id>
    /// actor <account>
    /// type <event type>
    /// schema <schema version>
    /// occurred <microseconds since 1970, UTC>
    /// key <key id>
    /// payload <64 hex digits>
    /// ```
    static func signedText(
        school: String, id: EventID, actor: String, type: String, schemaVersion: UInt32, occurredAt: Instant, keyID: String,
        unsignedPayload: [UInt8]
    ) -> [UInt8] {
        let digest = Hex.encode(SHA256.hash(data: unsignedPayload))
        let text = """
            schoolledger-operation-v1
            school \(school)
            event \(id)
            actor \(actor)
            type \(type)
            schema \(schemaVersion)
            occurred \(occurredAt.microsecondsSinceEpoch)
            key \(keyID)
            payload \(digest)

            """
        return Array(text.utf8)
    }

    /// Whether this is a valid Ed25519 signature of `bytes` by `publicKey`.
    func isValid(over bytes: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}

extension JournalEntry {
    /// The bytes a participant's device signs for this operation in `school`
    /// with the key `keyID` (``OperationSignature``'s canonical text): the
    /// same for the same event, id, actor and time, whoever computes them.
    ///
    /// - Throws: ``SchoolValidationError`` when the event breaks its field rules.
    public func bytesToSign(school: SchoolID, keyID: String) throws -> [UInt8] {
        try event.validate()
        return OperationSignature.signedText(
            school: school.rawValue, id: id, actor: actor.rawValue, type: event.eventType, schemaVersion: event.schemaVersion,
            occurredAt: occurredAt, keyID: keyID, unsignedPayload: try EventCoding.payloadBytes(event))
    }

    /// This entry signed with `key`, as a participant's device signs it
    /// (for tools, tests and the demo; a service has the device sign
    /// ``bytesToSign(school:keyID:)`` instead, so that the private key never
    /// leaves it).
    package func signed(school: SchoolID, with key: Curve25519.Signing.PrivateKey) throws -> JournalEntry {
        let keyID = SignatureKeyRegistered.keyID(of: Array(key.publicKey.rawRepresentation))
        var copy = self
        copy.signature = OperationSignature(
            keyID: keyID, signature: Array(try key.signature(for: bytesToSign(school: school, keyID: keyID))))
        return copy
    }
}
