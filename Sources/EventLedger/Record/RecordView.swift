/// A stored record read in place: the header fields decoded, the payload and
/// strings left as bytes in the memory map until asked for.
///
/// A view is valid only inside the read closure that produced it (see
/// ``EventLedger/read(_:)``); copy what you keep with ``recordedEvent()``.
/// Reading a view's header never touches its payload, so a projection that
/// needs only the type, actor and times pays for nothing else.
public struct RecordView {
    /// The record's bytes in the map.
    public let bytes: UnsafeRawBufferPointer
    /// The global position.
    public let position: UInt64
    /// The event's version in its stream.
    public let streamVersion: UInt64
    /// The payload schema's version.
    public let schemaVersion: UInt32
    /// When it happened in the world.
    public let occurredAt: Instant
    /// When the ledger appended it.
    public let recordedAt: Instant
    /// The position of the previous record of the same stream (0 for the first).
    public let previousInStream: UInt64
    /// The position of the previous record of the same actor (0 for the first).
    public let previousByActor: UInt64
    let idRange: Range<Int>
    let streamRange: Range<Int>
    let typeRange: Range<Int>
    let actorRange: Range<Int>
    let correlationRange: Range<Int>?
    let causationRange: Range<Int>?
    let payloadRange: Range<Int>
    /// The previous record's hash as a format-1 record stores it; `nil` in format 2.
    let previousHashRange: Range<Int>?
    let hashRange: Range<Int>
    /// The count of leading bytes before the hash field: in format 1 the
    /// bytes the hash covers, in format 2 the stored fields 2 to 14.
    let hashedCount: Int

    /// Decodes the header of a stored record strictly: canonical field order,
    /// known fields only, every required field present with a valid size.
    ///
    /// Both record formats are read. Format 1 (written up to format version
    /// 1 of the ledger) stores the position and the previous record's hash;
    /// format 2 stores neither (the key is the position, and the previous
    /// record ends with its hash). A record has both or neither.
    init(parsing bytes: UnsafeRawBufferPointer, key: UInt64) throws(LedgerError) {
        self.bytes = bytes
        var r = ProtoWire.Reader(bytes)
        var last: UInt32 = 0
        var position: UInt64?, streamVersion: UInt64?, schemaVersion: UInt64?
        var occurred: Int64?, recorded: Int64?
        var prevStream: UInt64 = 0, prevActor: UInt64 = 0
        var id: Range<Int>?, stream: Range<Int>?, type: Range<Int>?, actor: Range<Int>?
        var correlation: Range<Int>?, causation: Range<Int>?, payload: Range<Int>?
        var prevHash: Range<Int>?, hash: Range<Int>?
        var hashedCount = 0
        func bad(_ detail: String) -> LedgerError { LedgerError.corrupt(at: key, detail) }
        while !r.isAtEnd {
            let tagStart = r.offset
            guard let tag = r.varint(), tag >> 3 <= UInt64(UInt32.max) else { throw bad("unreadable field tag") }
            let field = UInt32(tag >> 3)
            let wire = UInt8(tag & 7)
            guard field > last else { throw bad("field \(field) out of order") }
            last = field
            let expectedWire: UInt8
            switch field {
            case RecordField.position, RecordField.streamVersion, RecordField.schemaVersion,
                RecordField.previousInStream, RecordField.previousByActor:
                expectedWire = ProtoWire.varint
            case RecordField.occurredAt, RecordField.recordedAt:
                expectedWire = ProtoWire.fixed64
            case RecordField.eventID...RecordField.hash:
                expectedWire = ProtoWire.lengthDelimited
            default:
                throw bad("unknown field \(field)")
            }
            guard wire == expectedWire else { throw bad("field \(field) has wire type \(wire)") }
            switch expectedWire {
            case ProtoWire.varint:
                guard let v = r.varint() else { throw bad("field \(field) truncated") }
                switch field {
                case RecordField.position: position = v
                case RecordField.streamVersion: streamVersion = v
                case RecordField.schemaVersion: schemaVersion = v
                case RecordField.previousInStream: prevStream = v
                default: prevActor = v
                }
            case ProtoWire.fixed64:
                guard let v = r.fixed64() else { throw bad("field \(field) truncated") }
                if field == RecordField.occurredAt { occurred = v } else { recorded = v }
            default:
                guard let range = r.lengthDelimited() else { throw bad("field \(field) truncated") }
                switch field {
                case RecordField.eventID: id = range
                case RecordField.stream: stream = range
                case RecordField.type: type = range
                case RecordField.actor: actor = range
                case RecordField.correlationID: correlation = range
                case RecordField.causationID: causation = range
                case RecordField.payload: payload = range
                case RecordField.previousHash: prevHash = range
                default: hash = range; hashedCount = tagStart
                }
            }
        }
        guard let streamVersion, let schemaVersion, let occurred, let recorded,
            let id, let stream, let type, let actor, let payload, let hash
        else { throw bad("a required field is missing") }
        guard (position == nil) == (prevHash == nil) else {
            throw bad(
                "it stores \(position == nil ? "the previous hash but not its position" : "its position but not the previous hash"): a record of format 1 stores both, of format 2 neither"
            )
        }
        if let position, position != key { throw bad("stored under key \(key) but says position \(position)") }
        guard id.count == 16, correlation.map({ $0.count == 16 }) ?? true, causation.map({ $0.count == 16 }) ?? true
        else { throw bad("an id is not 16 bytes") }
        guard prevHash.map({ $0.count == 32 }) ?? true, hash.count == 32 else { throw bad("a hash is not 32 bytes") }
        guard streamVersion >= 1, (1...UInt64(UInt32.max)).contains(schemaVersion) else { throw bad("version out of range") }
        guard prevStream < key, prevActor < key else { throw bad("a back-pointer points forward") }
        self.position = key
        self.streamVersion = streamVersion
        self.schemaVersion = UInt32(schemaVersion)
        self.occurredAt = Instant(microsecondsSinceEpoch: occurred)
        self.recordedAt = Instant(microsecondsSinceEpoch: recorded)
        self.previousInStream = prevStream
        self.previousByActor = prevActor
        self.idRange = id
        self.streamRange = stream
        self.typeRange = type
        self.actorRange = actor
        self.correlationRange = correlation
        self.causationRange = causation
        self.payloadRange = payload
        self.previousHashRange = prevHash
        self.hashRange = hash
        self.hashedCount = hashedCount
    }

    /// Decodes a stored record from its raw bytes, as a tool reading the
    /// `ledger.log` database directly (`mdb_dump`, forensics on a copy) finds
    /// them under the big-endian key `position`.
    ///
    /// The decoding is strict and never trusts a length it has not checked:
    /// canonical field order, known fields only, every required field present
    /// with a valid size, and a record of format 1 saying the same position.
    /// It does not check the hash: ask ``hashIsIntact(after:)``.
    ///
    /// - Throws: ``LedgerError`` with code `corruptRecord` and the position, naming what is wrong.
    public init(decoding bytes: UnsafeRawBufferPointer, storedAt position: UInt64) throws(LedgerError) {
        try self.init(parsing: bytes, key: position)
    }

    @inline(__always)
    private func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    private func id(_ range: Range<Int>) -> EventID { EventID(bytes: slice(range))! }

    /// The event's id.
    public var id: EventID { id(idRange) }
    /// The correlation id, if any.
    public var correlationID: EventID? { correlationRange.map(id) }
    /// The causation id, if any.
    public var causationID: EventID? { causationRange.map(id) }
    /// The stream's UTF-8 bytes, in place.
    public var streamBytes: UnsafeRawBufferPointer { slice(streamRange) }
    /// The type's UTF-8 bytes, in place.
    public var typeBytes: UnsafeRawBufferPointer { slice(typeRange) }
    /// The actor's UTF-8 bytes, in place.
    public var actorBytes: UnsafeRawBufferPointer { slice(actorRange) }
    /// The payload, in place: valid only inside the read closure.
    public var payload: UnsafeRawBufferPointer { slice(payloadRange) }
    /// The stream.
    public var stream: String { String(decoding: streamBytes, as: UTF8.self) }
    /// The event type.
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    /// The actor.
    public var actor: String { String(decoding: actorBytes, as: UTF8.self) }
    /// This record's hash.
    public var hash: ChainHash { ChainHash(unchecked: Array(slice(hashRange))) }
    /// The record format that stored these bytes: 1 (the position and the
    /// previous record's hash stored in each record) or 2 (neither stored twice).
    public var recordFormat: Int { previousHashRange == nil ? 2 : 1 }

    /// The previous record's hash as a record of format 1 stores it; `nil`
    /// in format 2. ``LedgerReader/chainHash(before:)`` answers for either.
    var storedPreviousHash: ChainHash? { previousHashRange.map { ChainHash(unchecked: Array(slice($0))) } }

    /// The hash the chain gives this record after a record whose hash is
    /// `previous`: SHA-256 over the record as format 1 stores it up to its
    /// hash field (the same in both formats).
    func chainHash(after previous: ChainHash) -> [UInt8] {
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<hashedCount])
        if previousHashRange != nil { return StoredRecord.digest(body) }
        return previous.bytes.withUnsafeBytes { StoredRecord.chainDigest(position: position, body: body, previousHash: $0) }
    }

    /// The bytes whose SHA-256 is this record's chain hash, after a record
    /// whose hash is `previous`: the record as format 1 stores it up to its
    /// hash field (a `eventledger.v1.Record` with fields 1 to 15), which any
    /// protobuf reader decodes. A proof of one record carries them, so that
    /// whoever checks the proof also sees what the record says.
    public func hashedBytes(after previous: ChainHash) -> [UInt8] {
        let body = bytes[0..<hashedCount]
        if previousHashRange != nil { return Array(body) }
        var out = [UInt8]()
        ProtoWire.appendVarintField(RecordField.position, position, to: &out)
        out.append(contentsOf: body)
        ProtoWire.appendBytesField(RecordField.previousHash, previous.bytes, to: &out)
        return out
    }

    /// Whether the stored hash is the one the chain gives this record after
    /// a record whose hash is `previous`; a record of format 1 must also
    /// name `previous` as its previous hash.
    ///
    /// A record read on its own (``init(decoding:storedAt:)``) is checked
    /// after the hash of the record before it (``ChainHash/genesis`` for
    /// position 1): the hash covers the position and the previous hash, so a
    /// record copied under another key or after another record fails.
    public func hashIsIntact(after previous: ChainHash) -> Bool {
        if let stored = storedPreviousHash, stored != previous { return false }
        return chainHash(after: previous).elementsEqual(slice(hashRange))
    }

    /// An owned copy of the record, to keep after the read closure.
    public func recordedEvent() -> RecordedEvent {
        RecordedEvent(
            position: position, id: id, stream: stream, streamVersion: streamVersion, type: type,
            schemaVersion: schemaVersion, actor: actor, occurredAt: occurredAt, recordedAt: recordedAt,
            correlationID: correlationID, causationID: causationID, payload: Array(payload), hash: hash)
    }

    /// The event as an append would have given it.
    func newEvent() -> NewEvent {
        NewEvent(
            id: id, stream: stream, type: type, schemaVersion: schemaVersion, actor: actor, occurredAt: occurredAt,
            correlationID: correlationID, causationID: causationID, payload: Array(payload))
    }

    /// Whether this record holds the same event as `event` (all the caller's
    /// fields equal): the test for an idempotent retry.
    func hasSameBody(as event: NewEvent) -> Bool {
        var e = event
        return id == e.id && schemaVersion == e.schemaVersion && occurredAt == e.occurredAt
            && correlationID == e.correlationID && causationID == e.causationID
            && e.stream.withUTF8 { streamBytes.elementsEqual($0) }
            && e.type.withUTF8 { typeBytes.elementsEqual($0) }
            && e.actor.withUTF8 { actorBytes.elementsEqual($0) }
            && payload.elementsEqual(e.payload)
    }
}
