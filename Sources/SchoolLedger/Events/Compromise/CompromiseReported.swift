public import EventLedger
import SwiftProtobuf

/// A participant's access was breached and the head and / or support were
/// told (уведомление о нарушении конфиденциальности условий доступа,
/// clause 11).
///
/// The compromise window opens at the earliest of ``receivedByHeadAt`` and
/// ``receivedBySupportAt`` and closes at the account's first
/// ``CredentialsReset`` / ``CredentialsIssued`` recorded after it opens. The
/// notice may be recorded late; the invalidator appends
/// ``OperationsVoided`` in the same transaction. Never voided itself.
///
/// Who may record it: the compromised participant themself, the head, or
/// support. Stream: `compromise` (the register of notices, which their
/// withdrawals and the invalidator's events also go to).
public struct CompromiseReported: CatalogEvent {
    /// The compromised account, 1...64 bytes.
    public var accountID: AccountID
    /// When the participant learned of the breach (момент получения
    /// информации о нарушении), UTC; `nil`: not stated. Receipt more than 1
    /// hour after it is a late report.
    public var discoveredAt: Instant?
    /// When the head received the notice (получено руководителем ОО), UTC;
    /// this or ``receivedBySupportAt`` (or both) is given.
    public var receivedByHeadAt: Instant?
    /// When support received the notice (получено службой технической поддержки), UTC.
    public var receivedBySupportAt: Instant?
    /// The account that reported the breach (may be the compromised account itself).
    public var reportedBy: AccountID
    /// Whether the reporter is the participant, the head or support.
    public var reporter: CompromiseReporter
    /// What leaked, none twice; empty: not stated.
    public var compromised: [CompromisedSecret]
    /// Circumstances (обстоятельства), 1...1000 bytes; `nil`: not given. Must
    /// not contain personal data or the leaked secret.
    public var note: String?

    /// Creates the event.
    public init(
        accountID: AccountID, discoveredAt: Instant? = nil, receivedByHeadAt: Instant? = nil, receivedBySupportAt: Instant? = nil,
        reportedBy: AccountID, reporter: CompromiseReporter, compromised: [CompromisedSecret] = [], note: String? = nil
    ) {
        self.accountID = accountID
        self.discoveredAt = discoveredAt
        self.receivedByHeadAt = receivedByHeadAt
        self.receivedBySupportAt = receivedBySupportAt
        self.reportedBy = reportedBy
        self.reporter = reporter
        self.compromised = compromised
        self.note = note
    }

    /// `compromise`.
    package var stream: String { SchoolStream.compromise }

    /// When the window opens: the earliest receipt by the head or support
    /// (`nil` only for an invalid notice with neither).
    public var windowOpensAt: Instant? {
        switch (receivedByHeadAt, receivedBySupportAt) {
        case (let head?, let support?): min(head, support)
        case (let head?, nil): head
        case (nil, let support?): support
        case (nil, nil): nil
        }
    }

    /// Checks the ids (a participant reports from their own account), the
    /// instants (valid UTC, at least one receipt), what leaked (none twice)
    /// and the note (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.instant(discoveredAt, "discovered_at")
        try check.require(
            receivedByHeadAt != nil || receivedBySupportAt != nil, "received_by_head_at", "",
            "must be given when received_by_support_at is not: the head or support (or both) must have received the notice")
        try check.instant(receivedByHeadAt, "received_by_head_at")
        try check.instant(receivedBySupportAt, "received_by_support_at")
        try check.id(reportedBy, "reported_by")
        if reporter == .participant {
            try check.require(
                reportedBy == accountID, "reported_by", reportedBy.rawValue,
                "must equal account_id when the reporter is the participant themself")
        }
        try check.unique(compromised, "compromised") { "\($0)" }
        try check.text(note, "note", maxBytes: 1000, .paragraph)
    }
}
