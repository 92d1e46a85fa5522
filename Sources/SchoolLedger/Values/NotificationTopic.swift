/// What a parent is notified of on a channel (тема рассылки).
///
/// Used by ``NotificationPreferenceSet``: a preference with no topics means
/// marks only.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum NotificationTopic: Hashable, Sendable, CaseIterable {
    /// New, corrected, cancelled and voided marks (отметки).
    case marks

    /// Lessons moved or cancelled (изменения в расписании).
    case scheduleChanges
}

extension NotificationTopic: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_NotificationTopic

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_NotificationTopic {
        switch self {
        case .marks: .marks
        case .scheduleChanges: .scheduleChanges
        }
    }
}
