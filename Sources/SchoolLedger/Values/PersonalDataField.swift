/// A field of a person's personal data, named without its value.
///
/// Used by ``StudentDataCorrected`` to say which fields a correction changed.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum PersonalDataField: Hashable, Sendable, CaseIterable {
    /// Family name (фамилия).
    case familyName

    /// Given name (имя).
    case givenName

    /// Patronymic (отчество).
    case patronymic

    /// Birth date (дата рождения).
    case birthDate

    /// Phone number (номер телефона).
    case phone

    /// E-mail address (адрес электронной почты).
    case email
}

extension PersonalDataField: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_PersonalDataField

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_PersonalDataField {
        switch self {
        case .familyName: .familyName
        case .givenName: .givenName
        case .patronymic: .patronymic
        case .birthDate: .birthDate
        case .phone: .phone
        case .email: .email
        }
    }
}
