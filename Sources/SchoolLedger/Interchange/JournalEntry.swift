public import EventLedger

/// One operation of the journal: a school event with who did it and when it
/// happened, ready to append.
///
/// Create each entry once and resend the same value to retry: its ``id``
/// makes the retry a no-op.
public struct JournalEntry: Sendable, Hashable {
    /// The event's identity (a time-ordered UUIDv7 unless given).
    public var id: EventID
    /// What happened.
    public var event: SchoolEvent
    /// The account that performed the operation.
    public var actor: AccountID
    /// When it happened in the school (a lesson's time, the moment a paper form was signed).
    public var occurredAt: Instant
    /// Ties together the events of one process (for example a term's final marks).
    public var correlationID: EventID?
    /// The event that caused this one.
    public var causationID: EventID?
    /// The actor's electronic signature over the operation (clause 10), made
    /// on their device; `nil`: unsigned. See ``OperationSignature``.
    public var signature: OperationSignature?

    /// An entry; `id` defaults to a new UUIDv7.
    public init(
        id: EventID = .generate(), event: SchoolEvent, actor: AccountID, occurredAt: Instant,
        correlationID: EventID? = nil, causationID: EventID? = nil, signature: OperationSignature? = nil
    ) {
        self.signature = signature
        self.id = id
        self.event = event
        self.actor = actor
        self.occurredAt = occurredAt
        self.correlationID = correlationID
        self.causationID = causationID
    }
}

/// A journal entry as the ledger recorded it.
public struct RecordedJournalEntry: Sendable, Hashable {
    /// The global position in the log.
    public var position: UInt64
    /// When the ledger appended it.
    public var recordedAt: Instant
    /// The event's version within its stream.
    public var streamVersion: UInt64
    /// The operation.
    public var entry: JournalEntry
    /// The record's hash in the chain.
    public var hash: ChainHash
}
