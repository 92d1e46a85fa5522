/// Why a student leaves the school (причина выбытия).
///
/// Used by ``StudentWithdrawn``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum WithdrawalReason: Hashable, Sendable, CaseIterable {
    /// Moves to another school (перевод в другую ОО).
    case transferToOtherSchool

    /// Finished the course (окончание обучения, выпуск).
    case graduated

    /// Moves to family education or self-education (семейное образование).
    case familyEducation

    /// Any other reason (иное).
    case other
}

extension WithdrawalReason: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_WithdrawalReason

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_WithdrawalReason {
        switch self {
        case .transferToOtherSchool: .transferToOtherSchool
        case .graduated: .graduated
        case .familyEducation: .familyEducation
        case .other: .other
        }
    }
}
