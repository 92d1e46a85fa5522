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

extension SchoolJournal {
    /// The parents of a class's students on `date`, with consent, refusal,
    /// notification preferences, credential state, acknowledgements and
    /// paper extracts.
    func parents(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [ParentStatus] {
        try withIndex(asOf) { index in
            var folds = QueryFolds()
            var children = [ParentID: [StudentID]]()
            for student in try folds.students(of: .class(classID), on: [date], index: index).sorted() {
                for parent in try folds.parents(of: student, on: date, index: index) { children[parent, default: []].append(student) }
            }
            return try children.keys.sorted().map { try folds.status(of: $0, children: children[$0]!, index: index) }
        }
    }

    /// The parents of a class's students who have not acknowledged marks
    /// recorded more than `days` days before `now` (the class teacher's
    /// control list, clause 3).
    func unacknowledgedMarks(ofClass classID: ClassID, olderThan days: Int, now: Instant, asOf: AsOf = .now) throws -> [UnacknowledgedMarks]
    {
        let limit = now.adding(microseconds: -Int64(days) * 86_400_000_000)
        let today = try schoolDate(at: now)
        return try withIndex(asOf) { index in
            var folds = QueryFolds()
            var lines = [UnacknowledgedMarks]()
            for student in try folds.students(of: .class(classID), on: [today], index: index).sorted() {
                let marks = try folds.ids("marks-by-student", under: student.rawValue, index: index, parts: 3).compactMap {
                    try folds.mark(MarkID($0), index: index)
                }.filter { !$0.isCancelled && ($0.history.first?.recordedAt ?? now) <= limit }
                for parent in try folds.parents(of: student, on: today, index: index) {
                    let status = try folds.status(of: parent, children: [student], index: index).children[0]
                    let open = marks.filter { mark in
                        let position = mark.history.first?.position ?? 0
                        return
                            !((status.acknowledgedUpToPosition.map { $0 >= position } ?? false)
                            || (status.acknowledgedUpToDate.map { $0 >= mark.date } ?? false))
                    }
                    if let oldest = open.map(\.date).min() {
                        lines.append(UnacknowledgedMarks(parentID: parent, studentID: student, count: open.count, oldest: oldest))
                    }
                }
            }
            return lines
        }
    }
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

extension SchoolJournal {
    /// The parents of a class who must get paper extracts (clause 4): those
    /// who refused the electronic form, gave no consent, or have no access
    /// to the electronic diary; with the extracts already issued.
    func paperExtractsDue(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [PaperExtractDue] {
        try parents(ofClass: classID, on: date, asOf: asOf).flatMap { parent in
            parent.children.compactMap { child in
                child.paperExtractReason.map {
                    PaperExtractDue(parentID: parent.parentID, studentID: child.studentID, reason: $0, extractsIssued: child.extractsIssued)
                }
            }
        }
    }
}
