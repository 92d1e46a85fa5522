/// An event to append: everything but what the ledger stamps (position,
/// stream version, `recordedAt`, hashes).
///
/// The ledger knows nothing of the payload: it stores the bytes and the
/// metadata, checks the limits in ``Limits`` and chains the record.
///
/// ```swift
/// let event = NewEvent(stream: "class-7B/journal", type: "MarkRecorded",
///                      actor: "teacher-ivanova", occurredAt: lessonStart,
///                      payload: Array("{\"mark\":5}".utf8))
/// // `event.id` was generated (UUIDv7); resend the same value to retry safely.
/// ```
public struct NewEvent: Sendable, Equatable, CustomStringConvertible {
    /// The event's identity; a retried append with the same id is a no-op.
    public var id: EventID
    /// The stream (aggregate) the event belongs to, e.g. `student/S-1001`.
    public var stream: String
    /// The event type, e.g. `MarkRecorded`.
    public var type: String
    /// The version of the payload's schema, from 1.
    public var schemaVersion: UInt32
    /// The account that performed the operation.
    public var actor: String
    /// When it happened in the world (a lesson's date, the moment a form was signed).
    public var occurredAt: Instant
    /// The id that ties together the events of one conversation or process.
    public var correlationID: EventID?
    /// The id of the event that caused this one.
    public var causationID: EventID?
    /// The encoded payload; the ledger does not interpret it.
    public var payload: [UInt8]

    /// Creates an event; `id` defaults to a new time-ordered UUIDv7.
    public init(
        id: EventID = .generate(), stream: String, type: String, schemaVersion: UInt32 = 1,
        actor: String, occurredAt: Instant, correlationID: EventID? = nil, causationID: EventID? = nil,
        payload: [UInt8]
    ) {
        self.id = id
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.actor = actor
        self.occurredAt = occurredAt
        self.correlationID = correlationID
        self.causationID = causationID
        self.payload = payload
    }

    /// A one-line summary: id, type, stream, actor and the payload's size (not its bytes).
    public var description: String {
        "NewEvent(\(id) \(type) stream: \(stream) actor: \(actor) occurredAt: \(occurredAt) payload: \(payload.count) bytes)"
    }
}

/// Limits the ledger enforces on every appended event.
public enum Limits {
    /// Most bytes (UTF-8) in a stream name.
    public static let maxStreamBytes = 256
    /// Most bytes (UTF-8) in an event type.
    public static let maxTypeBytes = 128
    /// Most bytes (UTF-8) in an actor.
    public static let maxActorBytes = 128
    /// Most bytes in one payload (16 MiB).
    public static let maxPayloadBytes = 16 << 20
    /// Most events in one append.
    public static let maxEventsPerAppend = 100_000
}
