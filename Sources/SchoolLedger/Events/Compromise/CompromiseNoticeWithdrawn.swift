public import EventLedger

/// A breach notice entered in error is withdrawn (отзыв уведомления о
/// компрометации); the invalidator lifts its voids with ``VoidsLifted`` in
/// the same transaction. Never voided itself.
///
/// Who may record it: the head. Stream: `compromise`.
public struct CompromiseNoticeWithdrawn: CatalogEvent {
    /// The withdrawn notice's event id (the envelope's `event_id` of its ``CompromiseReported``).
    public var noticeEventID: EventID
    /// The withdrawn notice's ledger position, from 1.
    public var noticePosition: UInt64
    /// Why (причина), 1...1000 bytes; required.
    public var reason: String

    /// Creates the event.
    public init(noticeEventID: EventID, noticePosition: UInt64, reason: String) {
        self.noticeEventID = noticeEventID
        self.noticePosition = noticePosition
        self.reason = reason
    }

    /// `compromise`.
    package var stream: String { SchoolStream.compromise }

    /// Checks the position (from 1) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.position(noticePosition, "notice_position")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
