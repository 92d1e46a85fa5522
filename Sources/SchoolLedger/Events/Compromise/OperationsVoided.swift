public import EventLedger
import SwiftProtobuf

/// The invalidator voids the operations of a compromised account recorded in
/// a notice's window (признание операций недействительными, clause 11),
/// appended in the same transaction as the ``CompromiseReported`` it
/// follows. Read models treat the listed operations as if they had never
/// happened; the audit view shows them as void, with the notice.
///
/// Who may record it: the invalidator only (the library's system actor).
/// Stream: `compromise`.
public struct OperationsVoided: CatalogEvent {
    /// The notice's event id (the envelope's `event_id` of its ``CompromiseReported``).
    public var noticeEventID: EventID
    /// The notice's ledger position, from 1.
    public var noticePosition: UInt64
    /// The compromised account whose operations are voided.
    public var accountID: AccountID
    /// Ledger positions of the voided operations, each from 1, strictly
    /// ascending; may be empty (nothing recorded in the window yet). Never
    /// includes notices or the invalidator's own events.
    public var voidedPositions: [UInt64]
    /// The window the positions were taken from.
    public var window: CompromiseWindow

    /// Creates the event.
    public init(
        noticeEventID: EventID, noticePosition: UInt64, accountID: AccountID, voidedPositions: [UInt64], window: CompromiseWindow
    ) {
        self.noticeEventID = noticeEventID
        self.noticePosition = noticePosition
        self.accountID = accountID
        self.voidedPositions = voidedPositions
        self.window = window
    }

    /// `compromise`.
    package var stream: String { SchoolStream.compromise }

    /// Checks the positions (from 1, voided ones strictly ascending), the id
    /// and the window (valid instants, closing not before opening, closing
    /// instant and position given together).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.position(noticePosition, "notice_position")
        try check.id(accountID, "account_id")
        try check.ascendingPositions(voidedPositions, "voided_positions")
        try check.instant(window.opensAt, "window.opens_at")
        try check.instant(window.closesAt, "window.closes_at")
        if let closesAt = window.closesAt {
            try check.require(
                closesAt >= window.opensAt, "window.closes_at", closesAt.description,
                "must not be before window.opens_at (\(window.opensAt))")
        }
        try check.require(
            (window.closesAt == nil) == (window.closedByPosition == nil), "window.closed_by_position",
            window.closedByPosition.map { String($0) } ?? "", "must be given exactly when window.closes_at is")
        if let closedBy = window.closedByPosition { try check.position(closedBy, "window.closed_by_position") }
    }
}
