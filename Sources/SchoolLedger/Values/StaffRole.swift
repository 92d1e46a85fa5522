/// A staff role held in the school (роль работника ОО).
///
/// A fact of the ledger, granted by ``StaffRoleGranted`` and revoked by
/// ``StaffRoleRevoked``. Class teacher and subject teacher are not roles but
/// assignments (``ClassTeacherAssigned``, ``TeacherAssigned``).
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum StaffRole: Hashable, Sendable, CaseIterable {
    /// System administrator of the school (администратор ЭЖ).
    case admin

    /// Head of the school (руководитель ОО, директор).
    case head

    /// Deputy head (заместитель руководителя, завуч).
    case deputyHead

    /// Technical support of the system (служба технической поддержки).
    case support

    /// Teacher (педагогический работник, учитель).
    case teacher
}

extension StaffRole: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_StaffRole

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_StaffRole {
        switch self {
        case .admin: .admin
        case .head: .head
        case .deputyHead: .deputyHead
        case .support: .support
        case .teacher: .teacher
        }
    }
}
