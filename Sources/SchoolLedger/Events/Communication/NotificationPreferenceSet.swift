/// A parent turns an automatic notification channel on or off (подписка на
/// SMS / e-mail рассылку).
///
/// Who may record it: the parent (electronically), or the class teacher on
/// the parent's behalf from a signed paper form. Stream: `parent/<parentID>`.
public struct NotificationPreferenceSet: CatalogEvent {
    /// The parent.
    public var parentID: ParentID
    /// The channel: SMS or e-mail.
    public var channel: NotificationChannel
    /// Whether the parent wants notifications on this channel.
    public var enabled: Bool
    /// The contact to use (номер телефона for SMS, адрес e-mail for e-mail),
    /// sealed under the parent's key (its subject is ``parentID``); `nil`
    /// when turning off or keeping the earlier contact.
    public var contact: SealedPersonalData?
    /// How the statement reached the journal.
    public var submittedVia: SubmissionMedium

    /// What the parent wants on this channel, each at most once; empty:
    /// marks only (what a preference meant before topics existed).
    public var topics: [NotificationTopic]

    /// Creates the event.
    public init(
        parentID: ParentID, channel: NotificationChannel, enabled: Bool, contact: SealedPersonalData? = nil,
        submittedVia: SubmissionMedium, topics: [NotificationTopic] = []
    ) {
        self.parentID = parentID
        self.channel = channel
        self.enabled = enabled
        self.contact = contact
        self.submittedVia = submittedVia
        self.topics = topics
    }

    /// The topics in effect: ``topics``, or marks when none are named.
    public var effectiveTopics: Set<NotificationTopic> { topics.isEmpty ? [.marks] : Set(topics) }

    /// `parent/<parentID>`.
    package var stream: String { SchoolStream.parent(parentID) }

    /// Checks the id and the contact (only when turning on; sealed for the parent).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.unique(topics, "topics") { "\($0)" }
        if let contact {
            try check.require(enabled, "contact", contact.subjectID.rawValue, "must not be given when turning notifications off")
            try check.sealed(contact, "contact", subject: PersonID(parentID))
        }
    }
}
