/// The embedding service failed to deliver a notification (ошибка доставки
/// уведомления); the event's `occurredAt` is the moment of the failure.
///
/// Who may record it: the embedding service's integration account. Stream:
/// `notification/<notificationID>`.
public struct NotificationFailed: CatalogEvent {
    /// The notification's id in the outbox read model, 1...64 bytes.
    public var notificationID: NotificationID
    /// The parent who was to be notified.
    public var parentID: ParentID
    /// The channel tried.
    public var channel: NotificationChannel
    /// The ledger position (from 1) of the event the notification is about.
    public var aboutPosition: UInt64
    /// The provider's error, 1...1000 bytes; `nil`: not given. Must not contain the contact.
    public var error: String?
    /// True when retrying cannot help (e.g. an invalid number): the outbox
    /// drops it; false: the outbox offers it again.
    public var permanent: Bool

    /// Creates the event.
    public init(
        notificationID: NotificationID, parentID: ParentID, channel: NotificationChannel, aboutPosition: UInt64,
        error: String? = nil, permanent: Bool
    ) {
        self.notificationID = notificationID
        self.parentID = parentID
        self.channel = channel
        self.aboutPosition = aboutPosition
        self.error = error
        self.permanent = permanent
    }

    /// `notification/<notificationID>`.
    package var stream: String { SchoolStream.notification(notificationID) }

    /// Checks the ids, the position (from 1) and the error text (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(notificationID, "notification_id")
        try check.id(parentID, "parent_id")
        try check.position(aboutPosition, "about_position")
        try check.text(error, "error", maxBytes: 1000, .paragraph)
    }
}
