public import EventLedger

/// The compromise window of one breach notice, in ledger time (`recordedAt`):
/// every operation of the compromised account recorded in it is void
/// (clause 11).
///
/// It opens at the notice's earliest receipt by the head or support and
/// closes at the `recordedAt` of the account's first ``CredentialsReset`` or
/// ``CredentialsIssued`` after it opened. Used by ``OperationsVoided``.
public struct CompromiseWindow: Hashable, Sendable, CustomStringConvertible {
    /// When it opens: the notice's earliest receipt by the head or support, UTC.
    public var opensAt: Instant
    /// When it closes: `recordedAt` of the account's first credentials reset
    /// or issue after ``opensAt``; `nil` while the window is open. Not before ``opensAt``.
    public var closesAt: Instant?
    /// The ledger position of the event that closed it, from 1; `nil` while
    /// the window is open. Set exactly when ``closesAt`` is.
    public var closedByPosition: UInt64?

    /// A window from its parts; an open window has neither `closesAt` nor `closedByPosition`.
    public init(opensAt: Instant, closesAt: Instant? = nil, closedByPosition: UInt64? = nil) {
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.closedByPosition = closedByPosition
    }

    /// Whether the window is still open (no reset or issue closed it yet).
    public var isOpen: Bool { closesAt == nil }

    /// Whether `instant` lies in the window: at or after ``opensAt`` and
    /// before ``closesAt`` (the closing event itself is not in it).
    public func contains(_ instant: Instant) -> Bool {
        instant >= opensAt && closesAt.map { instant < $0 } ?? true
    }

    /// E.g. `2026-10-05T09:00:00.000000Z..<open`.
    public var description: String {
        "\(opensAt)..<\(closesAt.map { "\($0)" } ?? "open")"
    }
}
