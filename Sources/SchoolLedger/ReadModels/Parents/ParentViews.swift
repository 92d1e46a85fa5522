public import EventLedger

/// An account's credentials (доступ к личному кабинету): when issued and last reset; never the secret.
public struct CredentialState: Sendable, Hashable, Codable {
    /// The account.
    public var accountID: AccountID
    /// When the credentials were first issued (ledger time).
    public var issuedAt: Instant
    /// When they were last reset, if ever.
    public var lastResetAt: Instant?
    /// Through which channel they last went out.
    public var channel: CredentialChannel
    /// When the holder was last told the rules of access (clause 9), if ever.
    package var accessRulesExplainedAt: Instant? = nil

    /// Whether the holder was told the rules of access since the
    /// credentials were last handed over.
    package var toldSinceLastHandover: Bool {
        accessRulesExplainedAt.map { $0 >= (lastResetAt ?? issuedAt) } ?? false
    }
}

/// What a parent has registered about one child.
public struct ParentChildStatus: Sendable, Hashable, Codable {
    /// The child.
    public var studentID: StudentID
    /// Consent to processing of personal data for electronic delivery (согласие) is registered.
    public var hasConsent: Bool
    /// The parent refused the electronic form (отказ от электронной формы).
    public var refusedElectronicForm: Bool
    /// The services the parent was told about (clause 1).
    public var informedOf: [ParentService]
    /// The diary is acknowledged (ознакомление) up to this date, if by date.
    public var acknowledgedUpToDate: CivilDate?
    /// … or up to this log position, if by position.
    public var acknowledgedUpToPosition: UInt64?
    /// Why the parent must get paper extracts (выписки) for this child: the
    /// electronic form refused, no consent registered, or no personal-cabinet
    /// credentials issued (no access to the electronic diary, taken as "no
    /// internet"); `nil`: the parent sees the diary electronically.
    public var paperExtractReason: ExtractReason?
    /// The parent must get paper extracts (``paperExtractReason`` is set).
    public var needsPaperExtracts: Bool { paperExtractReason != nil }
    /// Paper extracts already handed over for this child.
    public var extractsIssued: [ExtractID]
}

/// A parent's access and communication state (clauses 1–4 of the instruction).
public struct ParentStatus: Sendable, Hashable, Codable {
    /// The parent.
    public var parentID: ParentID
    /// Per child.
    public var children: [ParentChildStatus]
    /// SMS and e-mail notifications switched on.
    public var notificationsOn: [NotificationChannel]
    /// The parent's accounts.
    public var credentials: [CredentialState]
}

/// A line of the class teacher's control list: a parent who has not
/// acknowledged marks older than the limit (clause 3).
public struct UnacknowledgedMarks: Sendable, Hashable, Codable {
    /// The parent.
    public var parentID: ParentID
    /// The child.
    public var studentID: StudentID
    /// How many marks are older than the limit and not acknowledged.
    public var count: Int
    /// The lesson date of the oldest of them.
    public var oldest: CivilDate
}

extension NotificationChannel: CaseNameCodable {}

extension ParentService: CaseNameCodable {}

extension CredentialChannel: CaseNameCodable {}

extension ExtractReason: CaseNameCodable {}

/// A line of the class teacher's access control list (clauses 1 and 9): a
/// student or parent of the class without credentials, or an account whose
/// holder was not told the rules of access since its last handover.
public struct AccessControlLine: Sendable, Hashable, Codable {
    /// The student or parent.
    public var person: DataSubject
    /// The account not told the rules of access; `nil`: the person has no
    /// credentials at all.
    public var accountID: AccountID?
}

/// A parent who must get paper extracts of a child's diary (выписка), with
/// why and what was handed over already.
public struct PaperExtractDue: Sendable, Hashable, Codable {
    /// The parent.
    public var parentID: ParentID
    /// The child.
    public var studentID: StudentID
    /// Why on paper: the electronic form refused, no consent, no access.
    public var reason: ExtractReason
    /// Extracts already handed over for this child.
    public var extractsIssued: [ExtractID]
}
