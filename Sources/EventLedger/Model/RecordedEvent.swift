/// An event as the ledger recorded it: the caller's fields plus what the
/// ledger stamped. An owned value, safe to keep and to send between tasks.
public struct RecordedEvent: Sendable, Equatable, Identifiable, CustomStringConvertible {
    /// The global position in the log, gapless from 1.
    public var position: UInt64
    /// The event's identity.
    public var id: EventID
    /// The stream the event belongs to.
    public var stream: String
    /// The event's version within its stream, from 1.
    public var streamVersion: UInt64
    /// The event type.
    public var type: String
    /// The version of the payload's schema.
    public var schemaVersion: UInt32
    /// The account that performed the operation.
    public var actor: String
    /// When it happened in the world.
    public var occurredAt: Instant
    /// When the ledger appended it; never decreases along the log.
    public var recordedAt: Instant
    /// The correlation id, if any.
    public var correlationID: EventID?
    /// The causation id, if any.
    public var causationID: EventID?
    /// The encoded payload.
    public var payload: [UInt8]
    /// The hash of this record in the chain.
    public var hash: ChainHash

    /// A one-line summary: position, type, stream, actor and the payload's size.
    public var description: String {
        "#\(position) \(type) stream: \(stream) v\(streamVersion) actor: \(actor) recordedAt: \(recordedAt) payload: \(payload.count) bytes"
    }
}

/// What an append did.
public struct AppendResult: Sendable, Equatable {
    /// The position of each event of the append, in the order given.
    public var positions: [UInt64]
    /// The version each event got in its stream, in the order given.
    public var streamVersions: [UInt64]
    /// `true` when every event was already in the log (a retried append):
    /// nothing was written and ``positions`` are the original ones.
    public var wasDuplicate: Bool
    /// The `recordedAt` the ledger stamped (the original one for a duplicate).
    public var recordedAt: Instant
    /// The last position of the log after the append.
    public var lastPosition: UInt64
    /// The positions of the events the ledger's append rule added in the same
    /// transaction (see ``EventLedger/setAppendRule(_:)-(AppendRule?)``); empty for a retry.
    public var derivedPositions: [UInt64] = []
}

/// An event to import with the instant it was recorded at in the system it
/// comes from (`nil`: stamp it now).
public struct ImportedEvent: Sendable {
    /// The event.
    public var event: NewEvent
    /// The original `recordedAt`, kept when it does not go back in time.
    public var recordedAt: Instant?

    /// An event to import.
    public init(event: NewEvent, recordedAt: Instant?) {
        self.event = event
        self.recordedAt = recordedAt
    }
}

/// What an import did.
public struct ImportResult: Sendable, Equatable {
    /// Events appended.
    public var appended: Int
    /// Events skipped because the log already held them with the same body.
    public var skipped: Int
    /// The position of the first appended event, if any.
    public var firstPosition: UInt64?
    /// The last position of the log after the import.
    public var lastPosition: UInt64
}
