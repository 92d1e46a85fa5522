/// What leaked in a credential breach (условия доступа, clause 10).
///
/// Used by ``CompromiseReported``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum CompromisedSecret: Hashable, Sendable, CaseIterable {
    /// The login (логин).
    case login

    /// The password (пароль).
    case password

    /// The electronic-signature key (ключ электронной подписи).
    case signatureKey
}

extension CompromisedSecret: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_CompromisedSecret

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_CompromisedSecret {
        switch self {
        case .login: .login
        case .password: .password
        case .signatureKey: .signatureKey
        }
    }
}
