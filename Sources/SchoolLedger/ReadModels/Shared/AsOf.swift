public import EventLedger

/// When a query answers: now, or as the ledger stood at a past position or
/// instant (ledger time: what was recorded by then, including operations a
/// later breach notice voided).
public enum AsOf: Sendable, Hashable {
    /// The ledger as it is.
    case now
    /// Right after this log position was appended.
    case position(UInt64)
    /// At this instant: the last position recorded at or before it.
    case instant(Instant)
}
