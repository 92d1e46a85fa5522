public import EventLedger

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

extension SchoolJournal {
    /// The exposure of each notice in `audits`, read from the read log.
    func exposure(of audits: [CompromiseNoticeAudit]) throws -> [NoticeExposure] {
        guard !audits.isEmpty else { return [] }
        let accounts = Set(audits.map(\.accountID))
        let reads = try readLog().entries { accounts.contains($0.account) }
        return audits.map { audit in
            let mine = reads.filter { $0.account == audit.accountID }
            let windowReads = mine.filter { audit.window.contains($0.readAt) }.map(ExposedRead.init)
            let opening = min(audit.pendingOpening ?? audit.window.opensAt, audit.window.opensAt)
            let span = audit.discoveredAt.flatMap { $0 < opening ? $0..<opening : nil }
            let suspectReads = span.map { span in mine.filter { span.contains($0.readAt) }.map(ExposedRead.init) } ?? []
            let exposed = Set(windowReads.flatMap(\.subjects))
            return NoticeExposure(
                noticePosition: audit.position, accountID: audit.accountID, isEffective: audit.isEffective,
                window: audit.window, suspectSpan: span, windowReads: windowReads, suspectReads: suspectReads,
                exposedSubjects: exposed.sorted(),
                suspectSubjects: Set(suspectReads.flatMap(\.subjects)).subtracting(exposed).sorted())
        }
    }
}

extension AccountSession {
    /// The breach notices (of one account, or all) as the auditor sees them
    /// (see ``CompromiseNoticeAudit``), each with its exposure: the reads of
    /// the compromised account inside its window and suspect span. For the
    /// roles admin, head, deputy head.
    public func compromiseAudit(account compromised: AccountID? = nil, asOf: AsOf = .now) throws -> [CompromiseNoticeAudit] {
        try read(
            .audit, detail: "compromise audit \(compromised.map(\.rawValue) ?? "all")",
            subjects: { $0.flatMap { $0.exposure?.exposedSubjects ?? [] } }
        ) {
            var audits = try journal.compromiseAudit(account: compromised, asOf: asOf)
            let exposures = try journal.exposure(of: audits)
            for i in audits.indices { audits[i].exposure = exposures[i] }
            return audits
        }
    }

    /// The exposure of every breach notice of `compromised` (see
    /// ``NoticeExposure``), oldest notice first. For the roles admin, head, deputy head.
    public func exposure(of compromised: AccountID) throws -> [NoticeExposure] {
        try compromiseAudit(account: compromised).compactMap(\.exposure)
    }

    /// Who read `subject`'s data: every read log entry that names the
    /// subject, oldest first. For the roles admin, head, deputy head.
    public func reads(of subject: DataSubject) throws -> [ReadLogEntry] {
        try read(.audit, detail: "reads of \(subject)", subjects: { _ in [subject] }) {
            try journal.readLog().entries { $0.subjects.contains(subject) }
        }
    }

    /// The history of a student, an account or a lesson as the auditor sees
    /// it (see ``HistoryEntry``). For the roles admin, head, deputy head.
    public func auditHistory(of subject: AuditSubject, asOf: AsOf = .now) throws -> [HistoryEntry] {
        let subjects: [DataSubject] = if case .student(let id) = subject { [.student(id)] } else { [] }
        return try read(.audit, detail: "history of \(subject)", subjects: { _ in subjects }) {
            try journal.auditHistory(of: subject, asOf: asOf)
        }
    }
}
