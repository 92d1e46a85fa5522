/// Which legal representative a parent is (законный представитель).
///
/// Used by ``ParentLinked``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum ParentRelation: Hashable, Sendable, CaseIterable {
    /// Mother (мать).
    case mother

    /// Father (отец).
    case father

    /// Guardian or trustee (опекун, попечитель).
    case guardian

    /// Another legal representative (иной законный представитель).
    case other
}

extension ParentRelation: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_ParentRelation

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_ParentRelation {
        switch self {
        case .mother: .mother
        case .father: .father
        case .guardian: .guardian
        case .other: .other
        }
    }
}
