public import EventLedger
import Foundation
import SwiftProtobuf

/// Commands: journal entries as an embedding service receives them from its
/// own clients (a web front end, a mobile app, a school's integration).
///
/// A command is a `schoolledger.v1.Envelope`, in protobuf's binary encoding
/// or its canonical JSON mapping, that says what to do:
/// `event_id` (optional: a new UUIDv7 when empty; send the same id to retry),
/// `occurred_at`, optional `correlation_id` / `causation_id`, and
/// exactly one `payload`. The fields only the ledger sets (`position`,
/// `stream_version`, `recorded_at`, `previous_hash`, `hash`, the
/// back-pointers) must be absent, and `type` and `stream`, when present,
/// must agree with the payload. Without `schema_version` the payload is read
/// as the version this library writes; an older version is upcast.
///
/// Who does it never comes from the client: the decoder takes the actor
/// from the caller, the account the service authenticated (a session's, in
/// ``AccountSession/record(commandJSON:)``); an `actor` field naming anyone
/// else is refused. Decoding checks the event's field rules; rights,
/// references and the compromise rule are checked when the entry is
/// recorded. ``SchoolJournal/record(_:)-([JournalEntry])`` of decoded
/// entries is for trusted replays only; a client's command goes through its
/// account's session.
extension JournalEntry {
    /// The largest command accepted, in bytes (1 MiB): far above any event
    /// of the catalog, and a bound on what one request can make us allocate.
    public static let maxCommandBytes = 1 << 20

    /// Decodes a command in protobuf's binary encoding.
    ///
    /// - Throws: ``InterchangeError`` naming the field and the rule broken.
    public init(commandBytes bytes: some Collection<UInt8>, actor: AccountID) throws(InterchangeError) {
        guard bytes.count <= Self.maxCommandBytes else {
            throw InterchangeError(
                field: "command", rule: "has \(bytes.count) bytes, more than \(Self.maxCommandBytes): send one event per command")
        }
        let envelope: Schoolledger_V1_Envelope
        do {
            envelope = try Schoolledger_V1_Envelope(serializedBytes: Array(bytes))
        } catch {
            throw InterchangeError(field: "command", rule: "does not decode as a binary schoolledger.v1.Envelope (\(error))")
        }
        try self.init(command: envelope, actor: actor)
    }

    /// Decodes a command in protobuf's canonical JSON mapping; unknown
    /// fields are refused.
    ///
    /// - Throws: ``InterchangeError`` naming the field and the rule broken.
    public init(commandJSON text: String, actor: AccountID) throws(InterchangeError) {
        guard text.utf8.count <= Self.maxCommandBytes else {
            throw InterchangeError(
                field: "command", rule: "has \(text.utf8.count) bytes, more than \(Self.maxCommandBytes): send one event per command")
        }
        let envelope: Schoolledger_V1_Envelope
        do {
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = false
            envelope = try Schoolledger_V1_Envelope(jsonString: text, options: options)
        } catch {
            throw InterchangeError(field: "command", rule: "does not parse as a JSON schoolledger.v1.Envelope (\(error))")
        }
        try self.init(command: envelope, actor: actor)
    }

    /// The entry a decoded command envelope asks for, done by `actor`.
    ///
    /// - Throws: ``InterchangeError`` naming the field and the rule broken.
    package init(command given: Schoolledger_V1_Envelope, actor: AccountID) throws(InterchangeError) {
        guard given.actor.isEmpty || given.actor == actor.rawValue else {
            throw InterchangeError(
                field: "actor",
                rule:
                    "names \(given.actor), but the command comes from \(actor): the actor is the account the service authenticated, never the client's word; leave the field out"
            )
        }
        var envelope = given
        envelope.actor = actor.rawValue
        let ledgerFields: [(String, Bool)] = [
            ("position", envelope.position != 0), ("stream_version", envelope.streamVersion != 0),
            ("recorded_at", envelope.hasRecordedAt), ("previous_hash", !envelope.previousHash.isEmpty),
            ("hash", !envelope.hash.isEmpty), ("previous_in_stream", envelope.previousInStream != 0),
            ("previous_by_actor", envelope.previousByActor != 0),
        ]
        if let (field, _) = ledgerFields.first(where: { $0.1 }) {
            throw InterchangeError(field: field, rule: "is set by the ledger when it appends: leave it out of a command")
        }
        if envelope.hasSignature, envelope.eventID.isEmpty {
            throw InterchangeError(
                field: "event_id", rule: "is required in a signed command: the signature covers the event id, so the device must choose it")
        }
        let id = envelope.eventID.isEmpty ? EventID.generate() : try EventCoding.eventID(envelope.eventID)
        let operation = try EventCoding.operation(of: envelope, unversioned: nil)
        self.init(
            id: id, event: operation.event, actor: AccountID(rawValue: operation.actor), occurredAt: operation.occurredAt,
            correlationID: operation.correlation, causationID: operation.causation, signature: EventCoding.signature(of: envelope))
    }
}

extension AccountSession {
    /// Decodes a client's command (protobuf's JSON mapping of a
    /// `schoolledger.v1.Envelope`) as done by this session's account and
    /// records it with the account's rights checked.
    ///
    /// - Throws: ``InterchangeError`` for a bad command (an `actor` naming
    ///   another account included); what ``record(_:occurredAt:id:)`` throws.
    @discardableResult
    public func record(commandJSON text: String) async throws -> AppendResult {
        try await journal.record([try JournalEntry(commandJSON: text, actor: account)])
    }

    /// Decodes a client's command (binary protobuf) as done by this
    /// session's account and records it with the account's rights checked.
    @discardableResult
    public func record(commandBytes bytes: some Collection<UInt8>) async throws -> AppendResult {
        try await journal.record([try JournalEntry(commandBytes: bytes, actor: account)])
    }
}
