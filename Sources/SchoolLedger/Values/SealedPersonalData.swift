#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A person's personal data (ФИО, дата рождения, телефон, e-mail; 152-FZ)
/// sealed with AES-256-GCM under the data subject's own key, as an event
/// stores it (зашифрованные персональные данные).
///
/// This is only the sealed value: the sealing, opening and key handling
/// (the personal-data vault) live elsewhere. The plaintext is a serialized
/// `PersonalDataFields` message. Erasing the subject
/// (``PersonalDataErased``) destroys the key; the event keeps this value and
/// the fields read as erased.
public struct SealedPersonalData: Hashable, Sendable, CustomStringConvertible {
    /// The data subject (субъект персональных данных) whose key sealed this:
    /// the student id or parent id, 1...64 bytes. Also the associated data of
    /// the seal, so a sealed box cannot be moved to another subject.
    public var subjectID: PersonID
    /// The AES-GCM nonce: 12 random bytes, never reused under one key.
    public var nonce: [UInt8]
    /// The ciphertext of the serialized fields; as long as the plaintext.
    public var ciphertext: [UInt8]
    /// The AES-GCM authentication tag: 16 bytes.
    public var tag: [UInt8]

    /// The length of an AES-GCM nonce, in bytes: 12.
    package static let nonceByteCount = 12
    /// The length of an AES-GCM tag, in bytes: 16.
    package static let tagByteCount = 16

    /// A sealed value from its parts.
    public init(subjectID: PersonID, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
        self.subjectID = subjectID
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.tag = tag
    }

    /// The subject and the sizes only, never the bytes.
    public var description: String {
        "SealedPersonalData(subject: \(subjectID), \(ciphertext.count) bytes sealed)"
    }
}

extension SealedPersonalData {
    /// The value read from its stored form.
    init(stored: Schoolledger_V1_SealedPersonalData) {
        self.init(
            subjectID: PersonID(stored.subjectID), nonce: Array(stored.nonce), ciphertext: Array(stored.ciphertext),
            tag: Array(stored.tag))
    }

    /// The stored form.
    var stored: Schoolledger_V1_SealedPersonalData {
        var s = Schoolledger_V1_SealedPersonalData()
        s.subjectID = subjectID.rawValue
        s.nonce = Data(nonce)
        s.ciphertext = Data(ciphertext)
        s.tag = Data(tag)
        return s
    }
}
