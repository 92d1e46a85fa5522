/// How a parent's statement (consent, refusal, subscription) reached the journal.
///
/// Used by ``ConsentGiven``, ``ConsentWithdrawn``, ``ElectronicFormRefused`` and
/// ``NotificationPreferenceSet``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum SubmissionMedium: Hashable, Sendable, CaseIterable {
    /// Entered by the parent electronically in the personal cabinet (в электронной форме); the actor is the parent's account.
    case electronic

    /// Entered by the class teacher from a paper form signed by the parent (заявление на бумажном носителе); the event's `occurredAt` is when it was signed.
    case paperForm
}

extension SubmissionMedium: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_SubmissionMedium

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_SubmissionMedium {
        switch self {
        case .electronic: .electronic
        case .paperForm: .paperForm
        }
    }
}
