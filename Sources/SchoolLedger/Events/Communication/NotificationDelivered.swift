/// The embedding service delivered a notification (доставка уведомления);
/// the event's `occurredAt` is the moment of delivery.
///
/// Who may record it: the embedding service's integration account. Stream:
/// `notification/<notificationID>`.
public struct NotificationDelivered: CatalogEvent {
    /// The notification's id in the outbox read model, 1...64 bytes.
    public var notificationID: NotificationID
    /// The parent notified.
    public var parentID: ParentID
    /// The channel used.
    public var channel: NotificationChannel
    /// The ledger position (from 1) of the event the notification is about
    /// (a new, corrected or voided mark).
    public var aboutPosition: UInt64
    /// The SMS / e-mail provider's message id, 1...200 bytes; `nil`: not given.
    public var providerMessageID: String?

    /// Creates the event.
    public init(
        notificationID: NotificationID, parentID: ParentID, channel: NotificationChannel, aboutPosition: UInt64,
        providerMessageID: String? = nil
    ) {
        self.notificationID = notificationID
        self.parentID = parentID
        self.channel = channel
        self.aboutPosition = aboutPosition
        self.providerMessageID = providerMessageID
    }

    /// `notification/<notificationID>`.
    package var stream: String { SchoolStream.notification(notificationID) }

    /// Checks the ids, the position (from 1) and the provider's id (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(notificationID, "notification_id")
        try check.id(parentID, "parent_id")
        try check.position(aboutPosition, "about_position")
        try check.text(providerMessageID, "provider_message_id", maxBytes: 200)
    }
}
