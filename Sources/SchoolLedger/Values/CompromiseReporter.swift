/// Who reports a credential breach (кто сообщил о компрометации).
///
/// Used by ``CompromiseReported``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum CompromiseReporter: Hashable, Sendable, CaseIterable {
    /// The compromised participant themself (сам участник); stored as `COMPROMISE_REPORTER_SELF`.
    case participant

    /// The head of the school (руководитель ОО).
    case head

    /// Technical support (служба технической поддержки).
    case support
}

extension CompromiseReporter: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_CompromiseReporter

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_CompromiseReporter {
        switch self {
        case .participant: .self_
        case .head: .head
        case .support: .support
        }
    }
}
