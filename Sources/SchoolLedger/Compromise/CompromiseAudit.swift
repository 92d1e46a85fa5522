public import EventLedger

/// One operation as the audit view shows it.
public struct AuditedOperation: Sendable, Hashable, Codable {
    /// Its log position.
    public var position: UInt64
    /// When the ledger recorded it.
    public var recordedAt: Instant
    /// Its event type, e.g. `MarkCorrected`.
    public var eventType: String
    /// What it did, in a line (ids only, no personal data).
    public var summary: String
    /// Whether it is void now.
    public var isVoid: Bool
}

/// A breach notice as the auditor sees it (clause 11): its window, what it
/// voided, the operations under suspicion, and whether it was late.
public struct CompromiseNoticeAudit: Sendable, Hashable, Codable {
    /// The notice's log position.
    public var position: UInt64
    /// The compromised account.
    public var accountID: AccountID
    /// Who reported it, and as whom.
    public var reportedBy: AccountID
    /// The participant, the head or support.
    public var reporter: String
    /// When the notice was entered into the ledger.
    public var enteredAt: Instant
    /// When the participant learned of the breach, if stated.
    public var discoveredAt: Instant?
    /// When the head received the notice.
    public var receivedByHeadAt: Instant?
    /// When support received the notice.
    public var receivedBySupportAt: Instant?
    /// The window: from the earliest receipt to the first credentials reset or issue after it (`closesAt` `nil`: still open).
    public var window: CompromiseWindow
    /// The earlier opening the notice asks for (a receipt more than 24 hours
    /// before its entry) that waits for the other party's confirmation;
    /// `nil` when none is pending.
    public var pendingOpening: Instant?
    /// The operations the confirmation would add: the account's operations
    /// between ``pendingOpening`` and the window's opening.
    public var pendingVoids: [AuditedOperation] = []
    /// Whether the notice takes effect: neither withdrawn nor itself void
    /// (recorded inside its filer's own window).
    public var isEffective: Bool = true
    /// The notice was received more than one hour after the breach was
    /// discovered: a violation of clause 11.
    public var isLate: Bool
    /// How long after the discovery it was received, in seconds, when `discoveredAt` is stated.
    public var secondsFromDiscoveryToReceipt: Int64?
    /// The position of its withdrawal by the head, if withdrawn.
    public var withdrawnAtPosition: UInt64?
    /// The operations this notice's invalidator events voided; `isVoid`
    /// tells whether each still is (a withdrawal lifts them).
    public var voided: [AuditedOperation]
    /// The account's operations between `discoveredAt` and the window's
    /// start: not void, flagged for the head to review.
    public var suspect: [AuditedOperation]
    /// Whose personal data the account read inside the window and the
    /// suspect span, from the read log; set by ``AccountSession/compromiseAudit(account:asOf:)``.
    public var exposure: NoticeExposure? = nil
}

extension CompromiseWindow: Codable {
    private enum Keys: String, CodingKey { case opensAt, closesAt, closedByPosition }

    /// Decodes `{opensAt, closesAt?, closedByPosition?}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(
            opensAt: try c.decode(Instant.self, forKey: .opensAt), closesAt: try c.decodeIfPresent(Instant.self, forKey: .closesAt),
            closedByPosition: try c.decodeIfPresent(UInt64.self, forKey: .closedByPosition))
    }

    /// Encodes `{opensAt, closesAt?, closedByPosition?}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(opensAt, forKey: .opensAt)
        try c.encodeIfPresent(closesAt, forKey: .closesAt)
        try c.encodeIfPresent(closedByPosition, forKey: .closedByPosition)
    }
}

extension SchoolJournal {
    /// The breach notices (of one account, or all), oldest first, with their
    /// windows, the operations they voided, the suspect operations between
    /// discovery and receipt, withdrawals, and late reports (received more
    /// than an hour after discovery). As of now, or as the ledger stood at
    /// `asOf` (ledger time).
    func compromiseAudit(account: AccountID? = nil, asOf: AsOf = .now) throws -> [CompromiseNoticeAudit] {
        try ledger.read { reader in
            let last: UInt64
            switch asOf {
            case .now: last = try reader.lastPosition()
            case .position(let p): last = min(p, try reader.lastPosition())
            case .instant(let i): last = try reader.position(atOrBefore: i)
            }
            let register = try CompromiseRegister.read(reader, through: last)
            let rule = try ClauseEleven.evaluate(reader, through: last)
            var audits = [CompromiseNoticeAudit]()
            for notice in register.notices where account.map({ $0 == notice.notice.accountID }) ?? true {
                let changes = try Invalidator.credentialChanges(of: notice.notice.accountID, reader: reader).filter { $0.position <= last }
                var voided = [AuditedOperation]()
                for voidEvent in register.voidEvents[notice.position] ?? [] {
                    guard let view = try reader.record(at: voidEvent),
                        case .operationsVoided(let e) = EventCoding.decodedEvent(view)
                    else { continue }
                    for position in e.voidedPositions {
                        if let op = try Self.audited(position, reader: reader, voided: register.allVoided) { voided.append(op) }
                    }
                }
                let judged = rule.notice(at: notice.position)
                let window = judged?.window ?? notice.window(closedBy: changes)
                var pendingVoids = [AuditedOperation]()
                if let pending = judged?.pendingOpening {
                    try reader.forEach(byActor: notice.notice.accountID.rawValue, recordedIn: pending..<window.opensAt) { view in
                        if view.position <= last, !ClauseEleven.derivedTypes.contains(view.type),
                            let op = try Self.audited(view.position, reader: reader, voided: register.allVoided)
                        {
                            pendingVoids.append(op)
                        }
                        return true
                    }
                }
                var suspect = [AuditedOperation]()
                let opensAt = min(judged?.pendingOpening ?? window.opensAt, window.opensAt)
                if let discovered = notice.notice.discoveredAt, discovered < opensAt {
                    try reader.forEach(byActor: notice.notice.accountID.rawValue, recordedIn: discovered..<opensAt) { view in
                        if view.position <= last, !SchoolEvent.exemptFromVoiding.contains(view.type),
                            let op = try Self.audited(view.position, reader: reader, voided: register.allVoided)
                        {
                            suspect.append(op)
                        }
                        return true
                    }
                }
                let delay = notice.notice.discoveredAt.map { (opensAt.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) / 1_000_000 }
                audits.append(
                    CompromiseNoticeAudit(
                        position: notice.position, accountID: notice.notice.accountID, reportedBy: notice.notice.reportedBy,
                        reporter: "\(notice.notice.reporter)", enteredAt: notice.recordedAt, discoveredAt: notice.notice.discoveredAt,
                        receivedByHeadAt: notice.notice.receivedByHeadAt, receivedBySupportAt: notice.notice.receivedBySupportAt,
                        window: window, pendingOpening: judged?.pendingOpening, pendingVoids: pendingVoids,
                        isEffective: judged?.isEffective ?? true,
                        isLate: (delay ?? 0) > 3600, secondsFromDiscoveryToReceipt: delay,
                        withdrawnAtPosition: judged?.withdrawnBy ?? notice.withdrawnAt, voided: voided.sorted { $0.position < $1.position },
                        suspect: suspect))
            }
            return audits
        }
    }

    private static func audited(_ position: UInt64, reader: borrowing LedgerReader, voided: Set<UInt64>) throws -> AuditedOperation? {
        guard let view = try reader.record(at: position), let entry = EventCoding.decodedEntry(view)?.entry else { return nil }
        return AuditedOperation(
            position: position, recordedAt: view.recordedAt, eventType: entry.event.eventType,
            summary: entry.event.summary, isVoid: voided.contains(position))
    }
}

extension SchoolEvent {
    /// What the event did, in a line of ids and values (no personal data).
    public var summary: String {
        switch self {
        case .markRecorded(let e): "mark \(e.markID): \(e.value) (weight \(e.weight)) for \(e.studentID) in \(e.lessonID), \(e.subjectID)"
        case .markCorrected(let e): "mark \(e.markID) corrected to \(e.newValue): \(e.reason)"
        case .markCancelled(let e): "mark \(e.markID) cancelled: \(e.reason)"
        case .attendanceMarked(let e): "\(e.studentID) \(e.status) in \(e.lessonID)"
        case .attendanceCorrected(let e): "\(e.studentID) corrected to \(e.newStatus) in \(e.lessonID)"
        case .finalMarkSet(let e): "final mark \(e.finalMarkID): \(e.value) for \(e.studentID), \(e.subjectID), \(e.periodID)"
        case .finalMarkCorrected(let e): "final mark \(e.finalMarkID) corrected to \(e.newValue): \(e.reason)"
        case .consentGiven(let e): "\(e.parentID) consents for \(e.studentID) (\(e.submittedVia))"
        case .consentWithdrawn(let e): "\(e.parentID) withdraws consent for \(e.studentID) (\(e.submittedVia))"
        case .electronicFormRefused(let e): "\(e.parentID) refuses the electronic form for \(e.studentID) (\(e.submittedVia))"
        case .diaryAcknowledged(let e):
            "\(e.parentID) acknowledges the diary of \(e.studentID) up to \(e.upToDate.map { "\($0)" } ?? e.upToPosition.map { "#\($0)" } ?? "?")"
        case .notificationPreferenceSet(let e): "\(e.parentID) turns \(e.channel) \(e.enabled ? "on" : "off")"
        case .credentialsIssued(let e): "credentials of \(e.accountID) issued (\(e.channel))"
        case .credentialsReset(let e): "credentials of \(e.accountID) reset (\(e.channel))"
        case .lessonConducted(let e): "\(e.lessonID) conducted"
        case .homeworkAssigned(let e): "homework \(e.homeworkID) in \(e.lessonID)"
        default: "\(eventType) in \(stream)"
        }
    }
}
