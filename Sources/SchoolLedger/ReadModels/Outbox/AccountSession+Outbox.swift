public import EventLedger

extension AccountSession {
    /// Reports to the ledger that the embedding service delivered an outbox
    /// message; reporting the same message again changes nothing.
    @discardableResult
    public func reportDelivered(_ message: OutboxMessage, providerMessageID: String? = nil, occurredAt: Instant) async throws
        -> AppendResult
    {
        let event = NotificationDelivered(
            notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
            aboutPosition: message.aboutPosition, providerMessageID: providerMessageID)
        return try await record(.notificationDelivered(event), occurredAt: occurredAt, id: Self.deliveryReportID(message, attempt: 0))
    }

    /// Reports a failed delivery; a `permanent` failure settles the message,
    /// another leaves it in the outbox to be tried again.
    @discardableResult
    public func reportFailed(_ message: OutboxMessage, error: String? = nil, permanent: Bool, occurredAt: Instant) async throws
        -> AppendResult
    {
        let event = NotificationFailed(
            notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
            aboutPosition: message.aboutPosition, error: error, permanent: permanent)
        return try await record(
            .notificationFailed(event), occurredAt: occurredAt,
            id: Self.deliveryReportID(message, attempt: message.failedAttempts + 1))
    }

    /// The event id of a delivery report, derived from the message and the
    /// attempt, so a report resent after a crash is recognised as the same.
    static func deliveryReportID(_ message: OutboxMessage, attempt: Int) -> EventID {
        EventID.derived(from: "notification-report/\(message.notificationID)/\(attempt)")
    }

    /// The notifications owed to parents, for the embedding service's
    /// integration account: only messages the parent may get now (consent,
    /// channel and topic on, electronic form not refused).
    public func outbox(limit: Int = 1000, asOf: AsOf = .now) throws -> [OutboxMessage] {
        try read(.outbox, detail: "limit \(limit)", subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }) {
            try journal.outbox(limit: limit, asOf: asOf)
        }
    }
}
