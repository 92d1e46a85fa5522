import EventLedger

/// A message owed to a parent (SMS or e-mail) about a child's mark or a
/// change in the child's timetable, until the embedding service reports it
/// delivered (`NotificationDelivered`).
public struct OutboxMessage: Sendable, Hashable, Codable {
    /// Why the message is owed.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// A mark was recorded.
        case newMark
        /// A mark was corrected.
        case correctedMark
        /// A mark was cancelled.
        case cancelledMark
        /// A mark the parent was told about was voided by a breach notice.
        case voidedMark
        /// A lesson of the child was moved (for parents subscribed to schedule changes).
        case lessonMoved
        /// A lesson of the child was cancelled (for parents subscribed to schedule changes).
        case lessonCancelled

        /// The topic a parent subscribes to for messages of this reason.
        var topic: NotificationTopic {
            switch self {
            case .newMark, .correctedMark, .cancelledMark, .voidedMark: .marks
            case .lessonMoved, .lessonCancelled: .scheduleChanges
            }
        }
    }

    /// The message's id, stable across restarts: report delivery with it.
    public var notificationID: NotificationID
    /// The parent.
    public var parentID: ParentID
    /// The child.
    public var studentID: StudentID
    /// SMS or e-mail.
    public var channel: NotificationChannel
    /// The log position the message is about.
    public var aboutPosition: UInt64
    /// Why it is owed.
    public var reason: Reason
    /// The mark, for a message about a mark.
    public var markID: MarkID?
    /// The mark's value the message tells (nil for a cancellation or a void).
    public var value: MarkValue?
    /// The lesson, for a message about a schedule change.
    public var lessonID: LessonID?
    /// The lesson's new date, for a moved lesson.
    public var newDate: CivilDate?
    /// Failed attempts reported so far (`NotificationFailed`, not permanent).
    public var failedAttempts: Int
    /// Where to send it: the parent's phone (SMS) or e-mail, opened from the
    /// personal-data vault; `nil` without a vault, without a contact, or
    /// once the parent's data was erased.
    public var contact: String? = nil
}
