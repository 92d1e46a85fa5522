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
    /// Set when the signature covers several operations signed together
    /// (`[JournalEntry].signedTogether(school:keyID:signature:)`): where
    /// this one stands in the batch.
    package var batch: SignedBatch?

    /// A signature made with the key `keyID`.
    public init(keyID: String, signature: [UInt8]) {
        self.keyID = keyID
        self.signature = signature
    }

    /// The bytes the signature is over, for an operation whose canonical
    /// text is `operationText`: that text, or for a batch the batch's text
    /// (``SignedBatch/text(school:keyID:size:root:)``) with the root the
    /// batch's path climbs to from the text's leaf; `nil` for a batch that
    /// is not well formed.
    func signedBytes(operationText: [UInt8], school: String) -> [UInt8]? {
        guard let batch else { return operationText }
        guard batch.size >= 1, batch.size <= SignedBatch.maxSize, batch.path.allSatisfy({ $0.count == SHA256.byteCount }),
            let root = MerkleTree.root(
                leafHash: MerkleTree.leafHash(operationText), leaf: UInt64(batch.index), treeSize: UInt64(batch.size), proof: batch.path)
        else { return nil }
        return SignedBatch.text(school: school, keyID: keyID, size: batch.size, root: root)
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

/// Where one operation stands in a batch of operations one participant
/// signed together, with one signature (a lesson's marks, signed with one
/// touch): the signature is over the batch's text, whose root is the
/// RFC 9162 Merkle root of the operations' canonical texts (each a leaf,
/// in the batch's order), and `path` is the inclusion proof of this
/// operation's text. Each operation carries all it needs: it is checked
/// alone, in any call, against the same signature.
package struct SignedBatch: Sendable, Hashable, Codable {
    /// The operation's index in the batch.
    package var index: UInt32
    /// How many operations were signed together.
    package var size: UInt32
    /// The inclusion proof of the operation's text, nearest sibling first.
    package var path: [[UInt8]]

    /// The most operations one batch signature covers.
    static let maxSize: UInt32 = 4_096

    /// What a batch signature is over, version 1: a fixed text naming the
    /// school, the key, how many operations and their root (64 hex digits).
    ///
    /// ```text
    /// schoolledger-batch-v1
    /// school <school id>
    /// key <key id>
    /// operations <count>
    /// root <64 hex digits>
    /// ```
    static func text(school: String, keyID: String, size: UInt32, root: [UInt8]) -> [UInt8] {
        let text = """
            schoolledger-batch-v1
            school \(school)
            key \(keyID)
            operations \(size)
            root \(Hex.encode(root))

            """
        return Array(text.utf8)
    }

    /// The batch of the operations whose canonical texts are `texts`: the
    /// text to sign, and each operation's place in it.
    static func of(_ texts: [[UInt8]], school: String, keyID: String) -> (bytesToSign: [UInt8], places: [SignedBatch]) {
        let leaves = MerkleLeaves(inputs: texts)
        let size = UInt64(texts.count)
        let places = (0..<size).map { leaf in
            let path = MerkleTree.inclusionProof(leaf: leaf, treeSize: size) { leaves.subtree(level: $0, index: $1) }
            return SignedBatch(index: UInt32(leaf), size: UInt32(size), path: path)
        }
        let root = leaves.root(size: size)
        return (text(school: school, keyID: keyID, size: UInt32(size), root: root), places)
    }
}

extension [JournalEntry] {
    /// The bytes a participant's device signs once for all these
    /// operations (one participant's, e.g. a lesson's marks) in `school`
    /// with the key `keyID`: the batch's text, naming the Merkle root of
    /// each operation's ``JournalEntry/bytesToSign(school:keyID:)``. One
    /// Ed25519 verification then checks the whole batch at append.
    ///
    /// ```swift
    /// let bytes = try marks.bytesToSign(school: "school-1", keyID: keyID)
    /// let signed = try marks.signedTogether(school: "school-1", keyID: keyID, signature: try deviceSign(bytes))
    /// try await journal.record(signed)
    /// ```
    ///
    /// - Throws: ``SchoolValidationError`` when an event breaks its field
    ///   rules, or the batch is empty or holds more than 4,096 operations.
    public func bytesToSign(school: SchoolID, keyID: String) throws -> [UInt8] {
        try batch(school: school, keyID: keyID).bytesToSign
    }

    /// These operations, each carrying `signature`, the device's signature
    /// over ``bytesToSign(school:keyID:)``, and its own place in the batch:
    /// each can be recorded in any call, alone or with the others.
    ///
    /// - Throws: as ``bytesToSign(school:keyID:)``.
    public func signedTogether(school: SchoolID, keyID: String, signature: [UInt8]) throws -> [JournalEntry] {
        let places = try batch(school: school, keyID: keyID).places
        return zip(self, places).map { entry, place in
            var copy = entry
            copy.signature = OperationSignature(keyID: keyID, signature: signature)
            copy.signature?.batch = place
            return copy
        }
    }

    /// These operations signed together with `key`, as a device signs them
    /// (for tools, tests and the demo).
    package func signedTogether(school: SchoolID, with key: Curve25519.Signing.PrivateKey) throws -> [JournalEntry] {
        let keyID = SignatureKeyRegistered.keyID(of: [UInt8](key.publicKey.rawRepresentation))
        return try signedTogether(
            school: school, keyID: keyID, signature: [UInt8](try key.signature(for: bytesToSign(school: school, keyID: keyID))))
    }

    private func batch(school: SchoolID, keyID: String) throws -> (bytesToSign: [UInt8], places: [SignedBatch]) {
        guard (1...Int(SignedBatch.maxSize)).contains(count) else {
            throw SchoolValidationError(
                eventType: "OperationSignature", field: "batch", value: "\(count) operations",
                rule: "must hold 1 to 4,096 operations signed together: split the operations into batches of at most 4,096")
        }
        return SignedBatch.of(try map { try $0.bytesToSign(school: school, keyID: keyID) }, school: school.rawValue, keyID: keyID)
    }
}
