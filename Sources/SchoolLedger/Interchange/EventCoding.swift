public import EventLedger
import Foundation
import SwiftProtobuf

/// Converts between journal entries, the ledger's records and the
/// interchange envelope (`schoolledger.v1.Envelope`).
///
/// A record's payload is an `Envelope` with only its `payload` oneof set (the
/// record carries the metadata); the JSON Lines export is a full `Envelope`
/// per line, in protobuf's canonical JSON mapping.
public enum EventCoding {
    /// The ledger event for `entry`, after checking the event's field rules.
    public static func newEvent(_ entry: JournalEntry) throws -> NewEvent {
        try entry.event.validate()
        return NewEvent(
            id: entry.id, stream: entry.event.stream, type: entry.event.eventType,
            schemaVersion: entry.event.schemaVersion, actor: entry.actor.rawValue,
            occurredAt: entry.occurredAt, correlationID: entry.correlationID,
            causationID: entry.causationID, payload: try payloadBytes(entry.event, signature: entry.signature))
    }

    /// The stored payload of `event`: an envelope with only the oneof set
    /// and, for a signed operation, `signature`.
    public static func payloadBytes(_ event: SchoolEvent, signature: OperationSignature? = nil) throws -> [UInt8] {
        var envelope = Schoolledger_V1_Envelope()
        envelope.payload = event.payload
        if let signature { envelope.signature = stored(signature) }
        return try envelope.serializedBytes()
    }

    /// The stored form of a signature.
    static func stored(_ signature: OperationSignature) -> Schoolledger_V1_OperationSignature {
        var s = Schoolledger_V1_OperationSignature()
        s.keyID = signature.keyID
        s.signature = Data(signature.signature)
        if let batch = signature.batch {
            s.batch.index = batch.index
            s.batch.size = batch.size
            s.batch.path = batch.path.map { Data($0) }
        }
        return s
    }

    /// The signature an envelope carries, if any.
    static func signature(of envelope: Schoolledger_V1_Envelope) -> OperationSignature? {
        guard envelope.hasSignature else { return nil }
        let stored = envelope.signature
        var signature = OperationSignature(keyID: stored.keyID, signature: Array(stored.signature))
        if stored.hasBatch {
            signature.batch = SignedBatch(index: stored.batch.index, size: stored.batch.size, path: stored.batch.path.map { Array($0) })
        }
        return signature
    }

    /// A stored payload without its signature: the bytes a signature's
    /// canonical text names (an envelope with only its oneof set, as
    /// ``payloadBytes(_:signature:)`` writes it unsigned).
    static func unsignedPayload(of envelope: Schoolledger_V1_Envelope) throws -> [UInt8] {
        var copy = envelope
        copy.clearSignature()
        return try copy.serializedBytes()
    }

    /// The journal entry a stored record holds, upcast to the current schema.
    public static func entry(from view: RecordView) throws -> RecordedJournalEntry {
        let envelope: Schoolledger_V1_Envelope
        do {
            envelope = try payloadEnvelope(view.payload, type: view.type)
        } catch var error as InterchangeError {
            error.rule += " in the record at position \(view.position)"
            throw error
        }
        guard let payload = envelope.payload else {
            throw InterchangeError(field: "payload", rule: "the record at position \(view.position) holds no event")
        }
        let event: SchoolEvent
        do {
            event = try SchoolEvent(payload: payload, schemaVersion: view.schemaVersion)
        } catch var error {
            error.position = view.position
            throw error
        }
        guard view.typeBytes.elementsEqual(event.eventType.utf8) else {
            throw InterchangeError(
                field: "type", rule: "of the record at position \(view.position) is '\(view.type)' but its payload is a \(event.eventType)")
        }
        guard view.stream == event.stream else {
            throw InterchangeError(
                field: "stream",
                rule: "of the record at position \(view.position) is '\(view.stream)' but a \(event.eventType) belongs to '\(event.stream)'"
            )
        }
        let entry = JournalEntry(
            id: view.id, event: event, actor: AccountID(rawValue: view.actor), occurredAt: view.occurredAt,
            correlationID: view.correlationID, causationID: view.causationID, signature: signature(of: envelope))
        return RecordedJournalEntry(
            position: view.position, recordedAt: view.recordedAt, streamVersion: view.streamVersion,
            entry: entry, hash: view.hash)
    }

    /// The school event a stored payload holds (a `schoolledger.v1.Envelope`
    /// with its oneof set, as ``payloadBytes(_:signature:)`` writes it), upcast from
    /// `schemaVersion`: for owned copies (`RecordedEvent`, `NewEvent`).
    public static func event(payload: [UInt8], schemaVersion: UInt32) throws -> SchoolEvent {
        let envelope = try payload.withUnsafeBytes { try payloadEnvelope($0, type: "") }
        guard let oneof = envelope.payload else { throw InterchangeError(field: "payload", rule: "holds no event") }
        return try SchoolEvent(payload: oneof, schemaVersion: schemaVersion)
    }

    /// The journal entry a stored record holds, or `nil` for a quarantined
    /// record: one the school domain cannot decode (a payload that is not a
    /// `schoolledger.v1` envelope, an unknown event, a type or stream that
    /// disagrees with the payload). Such a record got in without the journal's
    /// rule (a plain ledger, another program); reads skip it, `verify` and
    /// `projections` name it, `export` writes it raw.
    package static func decodedEntry(_ view: RecordView) -> RecordedJournalEntry? {
        try? entry(from: view)
    }

    /// The event of a stored record, or `nil` for a quarantined record (see ``decodedEntry(_:)``).
    static func decodedEvent(_ view: RecordView) -> SchoolEvent? {
        decodedEntry(view)?.entry.event
    }

    /// A stored record as one line of the export (``JournalExport``): its
    /// `schoolledger.v1.Envelope` in protobuf's canonical JSON mapping,
    /// metadata and event, readable by any protobuf runtime with `Schemas/`.
    /// `previousHash` is the hash of the record before it (records do not
    /// store it twice): `LedgerReader.chainHash(before:)`, or the previous
    /// record's hash when walking the log.
    ///
    /// - Throws: ``SchoolSchemaError`` or a protobuf error when the record's
    ///   payload does not decode.
    public static func envelopeJSON(of view: RecordView, previousHash: ChainHash) throws -> String {
        try envelope(of: view, previousHash: previousHash).jsonString()
    }

    /// The full interchange envelope of a stored record (metadata and event).
    package static func envelope(of view: RecordView, previousHash: ChainHash) throws -> Schoolledger_V1_Envelope {
        var envelope = try payloadEnvelope(view.payload, type: view.type)
        envelope.position = view.position
        envelope.eventID = view.id.description
        envelope.stream = view.stream
        envelope.streamVersion = view.streamVersion
        envelope.type = view.type
        envelope.schemaVersion = view.schemaVersion
        envelope.actor = view.actor
        envelope.occurredAt = timestamp(view.occurredAt)
        envelope.recordedAt = timestamp(view.recordedAt)
        if let c = view.correlationID { envelope.correlationID = c.description }
        if let c = view.causationID { envelope.causationID = c.description }
        envelope.previousHash = previousHash.hex
        envelope.hash = view.hash.hex
        envelope.previousInStream = view.previousInStream
        envelope.previousByActor = view.previousByActor
        return envelope
    }

    /// The event to import from one interchange envelope: its id, metadata and
    /// original `recordedAt` are kept; the event must pass its field rules and
    /// its type and stream must agree with the payload.
    package static func importedEvent(from envelope: Schoolledger_V1_Envelope) throws -> ImportedEvent {
        let id = try eventID(envelope.eventID)
        let read = try operation(of: envelope, unversioned: 1)
        var body = Schoolledger_V1_Envelope()
        body.payload = read.payload
        if envelope.hasSignature { body.signature = envelope.signature }
        let newEvent = NewEvent(
            id: id, stream: read.event.stream, type: read.event.eventType, schemaVersion: read.schemaVersion,
            actor: read.actor, occurredAt: read.occurredAt, correlationID: read.correlation, causationID: read.causation,
            payload: try body.serializedBytes())
        let recordedAt = try envelope.hasRecordedAt ? instant(envelope.recordedAt, field: "recorded_at") : nil
        return ImportedEvent(event: newEvent, recordedAt: recordedAt)
    }

    /// What an envelope says was done, by whom and when, checked: the
    /// event's field rules, its type and stream agreeing with the payload, an
    /// actor, an occurred_at in range, well-formed correlation and causation
    /// ids. Shared by the importer and the command decoder. An envelope
    /// without `schema_version` is read as version `unversioned`, or as the
    /// current version of its event when that is nil.
    static func operation(of envelope: Schoolledger_V1_Envelope, unversioned: UInt32?) throws(InterchangeError) -> EnvelopeOperation {
        guard let payload = envelope.payload else {
            throw InterchangeError(field: "payload", rule: "is missing: every envelope needs exactly one event")
        }
        let schemaVersion =
            envelope.schemaVersion != 0
            ? envelope.schemaVersion
            : unversioned ?? SchoolEvent.currentSchemaVersion(of: payload)
        let event: SchoolEvent
        do {
            event = try SchoolEvent(payload: payload, schemaVersion: schemaVersion)
            try event.validate()
        } catch let error as SchoolValidationError {
            throw InterchangeError(field: error.field, rule: error.rule)
        } catch let error as SchoolSchemaError {
            throw InterchangeError(field: error.field, rule: "\(error)")
        } catch {
            throw InterchangeError(field: "payload", rule: "\(error)")
        }
        guard envelope.type.isEmpty || envelope.type == event.eventType else {
            throw InterchangeError(field: "type", rule: "is '\(envelope.type)' but the payload is a \(event.eventType)")
        }
        guard envelope.stream.isEmpty || envelope.stream == event.stream else {
            throw InterchangeError(field: "stream", rule: "is '\(envelope.stream)' but a \(event.eventType) belongs to '\(event.stream)'")
        }
        guard !envelope.actor.isEmpty else { throw InterchangeError(field: "actor", rule: "is empty: name the account that acted") }
        guard envelope.hasOccurredAt else { throw InterchangeError(field: "occurred_at", rule: "is missing") }
        let correlation = try envelope.hasCorrelationID ? optionalID(envelope.correlationID, field: "correlation_id") : nil
        let causation = try envelope.hasCausationID ? optionalID(envelope.causationID, field: "causation_id") : nil
        return EnvelopeOperation(
            payload: payload, event: event, schemaVersion: schemaVersion, actor: envelope.actor,
            occurredAt: try instant(envelope.occurredAt, field: "occurred_at"), correlation: correlation, causation: causation)
    }

    // MARK: Helpers

    static func payloadEnvelope(_ bytes: UnsafeRawBufferPointer, type: String) throws -> Schoolledger_V1_Envelope {
        let envelope: Schoolledger_V1_Envelope
        do {
            envelope = try Schoolledger_V1_Envelope(serializedBytes: Array(bytes))
        } catch {
            throw InterchangeError(field: "payload", rule: "does not decode as schoolledger.v1.Envelope (\(error))")
        }
        return envelope
    }

    /// The event id an envelope gives, or the error naming `event_id`.
    static func eventID(_ text: String) throws(InterchangeError) -> EventID {
        guard let id = EventID(text) else {
            throw InterchangeError(field: "event_id", rule: "'\(text)' is not a UUID such as 0192f0c1-2a3b-7c4d-8e5f-0123456789ab")
        }
        return id
    }

    private static func optionalID(_ text: String, field: String) throws(InterchangeError) -> EventID {
        guard let id = EventID(text) else { throw InterchangeError(field: field, rule: "'\(text)' is not a UUID") }
        return id
    }

    /// An instant from a protobuf timestamp, to the microsecond.
    static func instant(_ t: Google_Protobuf_Timestamp, field: String) throws(InterchangeError) -> Instant {
        guard (0..<1_000_000_000).contains(t.nanos) else {
            throw InterchangeError(field: field, rule: "has \(t.nanos) nanoseconds, outside 0…999999999")
        }
        let micros = t.seconds.multipliedReportingOverflow(by: 1_000_000)
        let instant = Instant(microsecondsSinceEpoch: micros.partialValue &+ Int64(t.nanos / 1000))
        guard !micros.overflow, Instant.validRange.contains(instant) else {
            throw InterchangeError(field: field, rule: "is outside 1970-01-01 … 9999-12-31 UTC")
        }
        return instant
    }

    /// A protobuf timestamp for an instant.
    static func timestamp(_ i: Instant) -> Google_Protobuf_Timestamp {
        var seconds = i.microsecondsSinceEpoch / 1_000_000
        var micros = i.microsecondsSinceEpoch % 1_000_000
        if micros < 0 { micros += 1_000_000; seconds -= 1 }
        return Google_Protobuf_Timestamp(seconds: seconds, nanos: Int32(micros * 1000))
    }
}

/// The operation an envelope describes, as ``EventCoding/operation(of:)`` read it.
struct EnvelopeOperation {
    var payload: Schoolledger_V1_Envelope.OneOf_Payload
    var event: SchoolEvent
    var schemaVersion: UInt32
    var actor: String
    var occurredAt: Instant
    var correlation: EventID?
    var causation: EventID?
}
