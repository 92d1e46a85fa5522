/// How access credentials (реквизиты доступа) were handed over (способ передачи).
///
/// Used by ``CredentialsIssued`` and ``CredentialsReset``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum CredentialChannel: Hashable, Sendable, CaseIterable {
    /// On paper, e.g. a sealed slip (на бумажном носителе).
    case paper

    /// By SMS.
    case sms

    /// By e-mail.
    case email

    /// In person, shown or dictated face to face (лично).
    case inPerson
}

extension CredentialChannel: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_CredentialChannel

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_CredentialChannel {
        switch self {
        case .paper: .paper
        case .sms: .sms
        case .email: .email
        case .inPerson: .inPerson
        }
    }
}
