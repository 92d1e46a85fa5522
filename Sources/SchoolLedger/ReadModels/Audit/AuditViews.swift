public import EventLedger

/// Whose history the auditor asks for (``AccountSession/auditHistory(of:asOf:)``).
public enum AuditSubject: Sendable, Hashable, CustomStringConvertible {
    /// A student: their own stream (enrolment, parents, recommendations,
    /// paper extracts), their marks and final marks, and the attendance
    /// facts about them in lessons.
    case student(StudentID)
    /// An account: every operation it recorded.
    case account(AccountID)
    /// A lesson: its own stream (schedule, moves, substitutions, conduct,
    /// attendance), the marks given in it and the homework set in it.
    case lesson(LessonID)

    /// `student S-1`, `account t-math`, `lesson L-2`.
    public var description: String {
        switch self {
        case .student(let id): "student \(id)"
        case .account(let id): "account \(id)"
        case .lesson(let id): "lesson \(id)"
        }
    }
}

/// A value an operation set or replaced: a mark (or final mark), or an
/// attendance fact. In JSON a single string: the journal's text of a mark
/// (`5`, `зач`, `н/а`) or the case name of an attendance status (`absentExcused`).
public enum HistoryValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A mark or a final mark.
    case mark(MarkValue)
    /// An attendance status.
    case attendance(AttendanceStatus)

    /// The mark's text (`5`, `зач`) or the attendance status's case name (`absent`).
    public var description: String {
        switch self {
        case .mark(let value): value.text
        case .attendance(let status): String(describing: status)
        }
    }

    /// Encodes ``description``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes an attendance status's case name or a mark's text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        if let status = AttendanceStatus.allCases.first(where: { String(describing: $0) == text }) {
            self = .attendance(status)
        } else if let mark = MarkValue(text: text) {
            self = .mark(mark)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is neither a mark nor an attendance status")
        }
    }
}

/// One operation in an auditor's history of a student, an account or a
/// lesson (``AccountSession/auditHistory(of:asOf:)``).
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// Whether the operation counts, as the ledger stood at the time asked about.
    public enum Status: String, Sendable, Hashable, Codable {
        /// It counts.
        case valid
        /// A breach notice voided it (clause 11): read models read as if it never happened.
        case void
        /// Its account recorded it between the stated discovery of a breach and
        /// the notice's receipt: it counts, but is flagged for the head to review.
        case suspect
    }

    /// Its log position.
    public var position: UInt64
    /// When the ledger recorded it.
    public var recordedAt: Instant
    /// When it happened in the school.
    public var occurredAt: Instant
    /// The account that performed it.
    public var actor: AccountID
    /// Its event type, e.g. `MarkCorrected`.
    public var eventType: String
    /// The stream it was appended to, e.g. `mark/M-1`.
    public var stream: String
    /// What it did, in a line of ids and values (``SchoolEvent/summary``).
    public var summary: String
    /// Valid, void or suspect.
    public var status: Status
    /// The position of the breach notice that voided it (``Status/void``) or
    /// under which it is suspect (``Status/suspect``); `nil` when valid.
    public var noticePosition: UInt64?
    /// For a correction or cancellation of a mark, final mark or attendance
    /// fact: the value it replaced (as the read models had it just before,
    /// void operations left out).
    public var before: HistoryValue?
    /// The value it set: a mark's or final mark's (new) value, an attendance
    /// status; `nil` for a cancellation and for other operations.
    public var after: HistoryValue?
    /// The key the actor signed the operation with (clause 10,
    /// ``SignatureKeyRegistered/keyID``); `nil`: unsigned.
    public var signatureKeyID: String? = nil
}

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

/// A read of the compromised account that the exposure audit lists.
public struct ExposedRead: Sendable, Hashable, Codable {
    /// The read log entry's number.
    public var sequence: UInt64
    /// When the read was served.
    public var readAt: Instant
    /// Which view (what kind of data): `diary`, `journal-page`, `personal-data`...
    public var view: String
    /// Whose data it showed.
    public var subjects: [DataSubject]
    /// What was asked for, in ids.
    public var detail: String
    /// The request context the service logged (client address, session id).
    public var context: RequestContext
}

extension ExposedRead {
    init(_ entry: ReadLogEntry) {
        self.init(
            sequence: entry.sequence, readAt: entry.readAt, view: entry.view, subjects: entry.subjects, detail: entry.detail,
            context: entry.context)
    }
}

/// The exposure of one breach notice (152-FZ art. 21 part 3.1): whose
/// personal data the compromised account read inside the compromise window,
/// and, apart, inside the suspect span between the discovery and the
/// window's opening. The material of the notice to Roskomnadzor.
public struct NoticeExposure: Sendable, Hashable, Codable {
    /// The notice's log position.
    public var noticePosition: UInt64
    /// The compromised account.
    public var accountID: AccountID
    /// Whether the notice takes effect (not withdrawn, not itself void).
    public var isEffective: Bool
    /// The compromise window; an open window runs to now.
    public var window: CompromiseWindow
    /// The suspect span, from the stated discovery to the window's (or the
    /// pending earlier) opening; `nil` when the notice states no discovery
    /// before it.
    public var suspectSpan: Range<Instant>?
    /// The reads inside the window, oldest first.
    public var windowReads: [ExposedRead]
    /// The reads inside the suspect span, oldest first.
    public var suspectReads: [ExposedRead]
    /// The data subjects read inside the window, sorted.
    public var exposedSubjects: [DataSubject]
    /// The data subjects read inside the suspect span only, sorted.
    public var suspectSubjects: [DataSubject]
}
