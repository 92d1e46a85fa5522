/// Whose account credentials are issued for (владелец учётной записи).
///
/// Used by ``CredentialsIssued``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum AccountHolder: Hashable, Sendable, CaseIterable {
    /// A student (обучающийся).
    case student

    /// A parent or other legal representative (родитель, законный представитель).
    case parent

    /// A staff member (работник ОО); their rights come from ``StaffRoleGranted`` and the assignment events.
    case staff
}

extension AccountHolder: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_AccountHolder

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_AccountHolder {
        switch self {
        case .student: .student
        case .parent: .parent
        case .staff: .staff
        }
    }
}
