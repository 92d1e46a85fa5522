/// A service of the system parents are told about (сервисы системы).
///
/// Used by ``ParentsInformedOfServices``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum ParentService: Hashable, Sendable, CaseIterable {
    /// The personal cabinet with the diary (личный кабинет, электронный дневник), also inside EPGU / RPGU.
    case personalCabinet

    /// SMS mailing of marks (SMS-рассылка отметок).
    case smsMarks

    /// Notification by e-mail (информирование по электронной почте).
    case email
}

extension ParentService: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_ParentService

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_ParentService {
        switch self {
        case .personalCabinet: .personalCabinet
        case .smsMarks: .smsMarks
        case .email: .email
        }
    }
}
