/// A channel of automatic notifications to parents (рассылка).
///
/// Used by ``NotificationPreferenceSet``, ``NotificationDelivered`` and ``NotificationFailed``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum NotificationChannel: Hashable, Sendable, CaseIterable {
    /// SMS (SMS-рассылка).
    case sms

    /// E-mail (электронная почта).
    case email
}

extension NotificationChannel: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_NotificationChannel

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_NotificationChannel {
        switch self {
        case .sms: .sms
        case .email: .email
        }
    }
}
