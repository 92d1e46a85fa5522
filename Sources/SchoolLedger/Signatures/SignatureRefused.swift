public import EventLedger

/// An operation's electronic signature (clause 10) was refused: missing
/// where the school's settings ask for one, made with a key the ledger does
/// not hold for the actor, with a key not valid at that moment (expired,
/// revoked, named in a breach notice), or not a valid signature at all.
/// Nothing was appended.
///
/// ```swift
/// do {
///     try await journal.record([entry])
/// } catch let refused as SignatureRefused {
///     print(refused)
///     // MarkRecorded 0192…: by teacher-ivanova must be signed: the school's settings ask for a signature on MarkRecorded. Sign the operation on the participant's device (JournalEntry.bytesToSign) and send it again.
/// }
/// ```
public struct SignatureRefused: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// The operation must be signed and is not.
        case unsigned
        /// No key of that id is registered for the actor.
        case unknownKey
        /// The key is not valid at that moment (before its `valid_from`, at or after its `valid_until`).
        case keyNotValid
        /// The key was revoked (``SignatureKeyRevoked``) before the operation.
        case keyRevoked
        /// A breach notice naming the signature key revoked it from the window's opening.
        case keyCompromised
        /// The signature is not the key's over the operation's canonical bytes.
        case badSignature
    }

    /// Why the signature was refused.
    public var reason: Reason
    /// The operation's event id.
    public var eventID: EventID
    /// Its event type.
    public var eventType: String
    /// The actor who signed (or should have).
    public var actor: AccountID
    /// The key the signature names, if any.
    public var keyID: String?
    /// What was wrong and what to do, as the end of a sentence.
    package var detail: String
    /// The operation's position, for one found in the log by
    /// ``SchoolJournal/verifySignatures(_:)``; `nil` at append.
    public var position: UInt64?

    /// A refusal.
    init(reason: Reason, eventID: EventID, eventType: String, actor: AccountID, keyID: String?, detail: String) {
        self.reason = reason
        self.eventID = eventID
        self.eventType = eventType
        self.actor = actor
        self.keyID = keyID
        self.detail = detail
    }

    /// E.g. `MarkRecorded 0192…: by teacher-ivanova must be signed: …`,
    /// after `position N: ` for one found in the log.
    public var description: String { (position.map { "position \($0): " } ?? "") + "\(eventType) \(eventID): by \(actor) \(detail)" }
}
