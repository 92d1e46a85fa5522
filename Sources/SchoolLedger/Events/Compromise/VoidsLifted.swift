public import EventLedger

/// The invalidator lifts the voids of a withdrawn notice (снятие признания
/// операций недействительными), appended in the same transaction as the
/// ``CompromiseNoticeWithdrawn``.
///
/// Who may record it: the invalidator only (the library's system actor).
/// Stream: `compromise`.
public struct VoidsLifted: CatalogEvent {
    /// The withdrawn notice's event id.
    public var noticeEventID: EventID
    /// The withdrawn notice's ledger position, from 1.
    public var noticePosition: UInt64
    /// The ledger position of the ``CompromiseNoticeWithdrawn``, after the notice's.
    public var withdrawalPosition: UInt64
    /// The ledger positions of the ``OperationsVoided`` events whose voids are
    /// lifted, each from 1, strictly ascending.
    public var voidsPositions: [UInt64]
    /// Ledger positions that become valid again, each from 1, strictly
    /// ascending. A position still inside the window of another, unwithdrawn
    /// notice of the same account stays void and is not listed.
    public var liftedPositions: [UInt64]

    /// Creates the event.
    public init(
        noticeEventID: EventID, noticePosition: UInt64, withdrawalPosition: UInt64, voidsPositions: [UInt64],
        liftedPositions: [UInt64]
    ) {
        self.noticeEventID = noticeEventID
        self.noticePosition = noticePosition
        self.withdrawalPosition = withdrawalPosition
        self.voidsPositions = voidsPositions
        self.liftedPositions = liftedPositions
    }

    /// `compromise`.
    package var stream: String { SchoolStream.compromise }

    /// Checks the positions: each from 1, the withdrawal after the notice,
    /// both lists strictly ascending.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.position(noticePosition, "notice_position")
        try check.require(
            withdrawalPosition == 0 || withdrawalPosition > noticePosition, "withdrawal_position", String(withdrawalPosition),
            "must be after notice_position (\(noticePosition))")
        try check.ascendingPositions(voidsPositions, "voids_positions")
        try check.ascendingPositions(liftedPositions, "lifted_positions")
    }
}
