/// Why a paper extract of the diary (выписка) is issued.
///
/// Used by ``PaperExtractIssued``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum ExtractReason: Hashable, Sendable, CaseIterable {
    /// The parent has no computer or internet access (нет доступа к интернету).
    case noInternet

    /// The parent refused the electronic form (отказ от электронной формы).
    case refusedElectronicForm

    /// No consent to processing of personal data is registered (нет согласия).
    case noConsent
}

extension ExtractReason: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_ExtractReason

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_ExtractReason {
        switch self {
        case .noInternet: .noInternet
        case .refusedElectronicForm: .refusedElectronicForm
        case .noConsent: .noConsent
        }
    }
}
