/// A person's personal data (персональные данные, 152-FZ) in clear: what
/// the vault seals before anything is appended and opens for a view.
///
/// Every field is optional text; empty fields are left out of the sealed
/// box. Names are as the school writes them, in Cyrillic.
public struct PersonalData: Sendable, Hashable, Codable {
    /// Family name (фамилия).
    public var familyName: String?
    /// Given name (имя).
    public var givenName: String?
    /// Patronymic (отчество), when the person has one.
    public var patronymic: String?
    /// Birth date (дата рождения).
    public var birthDate: CivilDate?
    /// Phone number (телефон), E.164, e.g. `+79161234567`.
    public var phone: String?
    /// E-mail address (адрес электронной почты).
    public var email: String?

    /// Personal data from its fields.
    public init(
        familyName: String? = nil, givenName: String? = nil, patronymic: String? = nil, birthDate: CivilDate? = nil,
        phone: String? = nil, email: String? = nil
    ) {
        self.familyName = familyName
        self.givenName = givenName
        self.patronymic = patronymic
        self.birthDate = birthDate
        self.phone = phone
        self.email = email
    }

    /// `Фамилия Имя Отчество`, from the fields present; `nil` without a name.
    public var fullName: String? {
        let parts = [familyName, givenName, patronymic].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// `later`'s fields where it has them, this one's elsewhere: a correction
    /// or a contact changes only the fields it carries.
    func merged(with later: PersonalData) -> PersonalData {
        PersonalData(
            familyName: later.familyName ?? familyName, givenName: later.givenName ?? givenName,
            patronymic: later.patronymic ?? patronymic, birthDate: later.birthDate ?? birthDate,
            phone: later.phone ?? phone, email: later.email ?? email)
    }

    var stored: Schoolledger_V1_PersonalDataFields {
        var s = Schoolledger_V1_PersonalDataFields()
        s.familyName = familyName ?? ""
        s.givenName = givenName ?? ""
        s.patronymic = patronymic ?? ""
        s.birthDate = birthDate?.description ?? ""
        s.phone = phone ?? ""
        s.email = email ?? ""
        return s
    }

    init(stored s: Schoolledger_V1_PersonalDataFields) {
        func text(_ value: String) -> String? { value.isEmpty ? nil : value }
        self.init(
            familyName: text(s.familyName), givenName: text(s.givenName), patronymic: text(s.patronymic),
            birthDate: CivilDate(s.birthDate), phone: text(s.phone), email: text(s.email))
    }
}

/// What the journal knows of a person's personal data.
public enum PersonalDataReading: Sendable, Hashable {
    /// The data, opened with the person's key.
    case known(PersonalData)
    /// The person's data was erased (``PersonalDataErased``): the key is destroyed.
    case erased
    /// Nothing to show: no data was recorded, or no vault holds the key.
    case unavailable

    /// The data when known.
    public var data: PersonalData? {
        if case .known(let data) = self { data } else { nil }
    }
}
