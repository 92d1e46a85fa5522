import Crypto

/// Field numbers of `eventledger.v1.Record` (see `Schemas/eventledger/v1/record.proto`).
enum RecordField {
    static let position: UInt32 = 1
    static let eventID: UInt32 = 2
    static let stream: UInt32 = 3
    static let streamVersion: UInt32 = 4
    static let type: UInt32 = 5
    static let schemaVersion: UInt32 = 6
    static let actor: UInt32 = 7
    static let occurredAt: UInt32 = 8
    static let recordedAt: UInt32 = 9
    static let correlationID: UInt32 = 10
    static let causationID: UInt32 = 11
    static let previousInStream: UInt32 = 12
    static let previousByActor: UInt32 = 13
    static let payload: UInt32 = 14
    static let previousHash: UInt32 = 15
    static let hash: UInt32 = 16
}

/// What the ledger stamps on a record besides the caller's event.
struct RecordStamp {
    var position: UInt64
    var streamVersion: UInt64
    var recordedAt: Instant
    var previousInStream: UInt64
    var previousByActor: UInt64
}

enum StoredRecord {
    /// Encodes `event` with its stamp into `out` (cleared first) and returns
    /// the new record's hash.
    ///
    /// The record is stored in format 2: fields 2 to 14, then the hash. The
    /// position (the record's key) and the previous record's hash (the
    /// previous record's last field) are not stored twice. The hash is what
    /// format 1 defined, so the chain does not depend on the format: SHA-256
    /// over the record as format 1 stores it up to its hash, the position
    /// first and the previous record's hash last (``chainDigest(position:body:previousHash:)``).
    /// Since those bytes hold the previous hash, each record commits to the
    /// whole history.
    static func encode(_ event: NewEvent, stamp: RecordStamp, previousHash: [UInt8], into out: inout [UInt8]) -> [UInt8] {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(event.payload.count + event.stream.utf8.count + event.type.utf8.count + event.actor.utf8.count + 200)
        // Format 1's bytes before its hash are built in one piece and hashed
        // in one call (``chainDigest(position:body:previousHash:)`` hashes the
        // same bytes from the stored record, in three); then the two fields
        // format 2 does not store are cut off.
        ProtoWire.appendVarintField(RecordField.position, stamp.position, to: &out)
        let bodyStart = out.count
        ProtoWire.appendIDField(RecordField.eventID, event.id, to: &out)
        ProtoWire.appendStringField(RecordField.stream, event.stream, to: &out)
        ProtoWire.appendVarintField(RecordField.streamVersion, stamp.streamVersion, to: &out)
        ProtoWire.appendStringField(RecordField.type, event.type, to: &out)
        ProtoWire.appendVarintField(RecordField.schemaVersion, UInt64(event.schemaVersion), to: &out)
        ProtoWire.appendStringField(RecordField.actor, event.actor, to: &out)
        ProtoWire.appendFixed64Field(RecordField.occurredAt, event.occurredAt.microsecondsSinceEpoch, to: &out)
        ProtoWire.appendFixed64Field(RecordField.recordedAt, stamp.recordedAt.microsecondsSinceEpoch, to: &out)
        if let c = event.correlationID { ProtoWire.appendIDField(RecordField.correlationID, c, to: &out) }
        if let c = event.causationID { ProtoWire.appendIDField(RecordField.causationID, c, to: &out) }
        if stamp.previousInStream != 0 { ProtoWire.appendVarintField(RecordField.previousInStream, stamp.previousInStream, to: &out) }
        if stamp.previousByActor != 0 { ProtoWire.appendVarintField(RecordField.previousByActor, stamp.previousByActor, to: &out) }
        ProtoWire.appendBytesField(RecordField.payload, event.payload, to: &out)
        let bodyEnd = out.count
        ProtoWire.appendBytesField(RecordField.previousHash, previousHash, to: &out)
        let digest = out.withUnsafeBytes { SHA256.hash(data: $0) }
        out.removeSubrange(bodyEnd...)
        out.removeSubrange(..<bodyStart)
        return digest.withUnsafeBytes { hash in
            ProtoWire.appendBytesField(RecordField.hash, hash, to: &out)
            return Array(hash)
        }
    }

    /// The chain's hash of the record at `position` whose stored fields 2 to
    /// 14 are `body`, after the record whose hash is `previousHash`: SHA-256
    /// over the position's field, `body` and the previous hash's field, which
    /// are format 1's bytes before its hash field.
    static func chainDigest(position: UInt64, body: UnsafeRawBufferPointer, previousHash: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        var field = [UInt8]()
        field.reserveCapacity(40)
        ProtoWire.appendVarintField(RecordField.position, position, to: &field)
        hasher.update(data: field)
        hasher.update(bufferPointer: body)
        field.removeAll(keepingCapacity: true)
        ProtoWire.appendBytesField(RecordField.previousHash, previousHash, to: &field)
        hasher.update(data: field)
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// SHA-256 over `bytes`, as the chain computes it.
    static func digest(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        SHA256.hash(data: bytes).withUnsafeBytes { Array($0) }
    }
}
