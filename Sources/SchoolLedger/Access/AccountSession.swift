public import EventLedger

/// One account's way into the journal: every command and every query is
/// checked against that account's rights (see the access policy in the
/// README's "Roles and rights") before anything is appended or read.
///
/// The embedding service authenticates the user itself (password, single
/// sign-on, Госуслуги), maps the user to their account id, and then works
/// through a session of that account:
///
/// ```swift
/// let teacher = journal.session(for: "teacher-ivanova")
/// try await teacher.record(.markRecorded(mark), occurredAt: lessonStart)
/// let page = try teacher.journalPage(subject: "MATH", target: .class("7A"), from: monday, to: friday)
/// ```
///
/// A refusal throws ``AccessDenied`` and leaves the ledger as it was. Every
/// query that shows a student's or parent's data also appends an entry to
/// the read log (``SchoolJournal/readLog()``): who, which view, whose data,
/// when, and the ``RequestContext`` the service passed.
public struct AccountSession: Sendable {
    /// The journal.
    public let journal: SchoolJournal

    /// The account everything is done on behalf of.
    public let account: AccountID

    /// Whether queries check the account's rights: `false` only in a session
    /// from ``SchoolJournal/trustedSession(for:context:)``. Commands are
    /// checked in every session.
    public let checksRights: Bool

    /// The request context every read of this session is logged with.
    public let context: RequestContext

    init(journal: SchoolJournal, account: AccountID, checksRights: Bool, context: RequestContext) {
        self.journal = journal
        self.account = account
        self.checksRights = checksRights
        self.context = context
    }

    /// Records `events` done by this account, atomically, after checking its
    /// rights, the field rules and the reference rules.
    @discardableResult
    public func record(_ events: [SchoolEvent], occurredAt: Instant) async throws -> AppendResult {
        try await journal.record(events.map { JournalEntry(event: $0, actor: account, occurredAt: occurredAt) })
    }

    /// Records one event; see ``record(_:occurredAt:)-([SchoolEvent],_)``. Give
    /// `id` to make a retried request idempotent.
    @discardableResult
    public func record(_ event: SchoolEvent, occurredAt: Instant, id: EventID = .generate()) async throws -> AppendResult {
        try await journal.record([JournalEntry(id: id, event: event, actor: account, occurredAt: occurredAt)])
    }

    /// Issues credentials for `holderAccount` with a fresh one-time activation
    /// code: the ledger records who, when and through which channel, and
    /// only the code's salted hash; the code itself is returned once. (A
    /// retry with the same `id` is refused as a changed event, since the new
    /// code differs: check ``SchoolJournal/verifyActivationCode(_:for:)`` or
    /// the parents' view instead of retrying blindly.)
    ///
    /// - Parameters:
    ///   - holderAccount: the account the credentials are for.
    ///   - person: the person who holds it.
    ///   - holder: whether a student, a parent or staff.
    ///   - channel: how the code is handed over.
    ///   - validFor: how long the code works, 14 days by default.
    ///   - explainingAccessRules: the holder is told the rules of access as
    ///     the credentials are handed over (clause 9): an
    ///     ``AccessRulesExplained`` is appended with them, atomically.
    ///   - occurredAt: when the credentials were issued in the school.
    ///   - id: the event's id; give one to retry.
    public func issueCredentials(
        account holderAccount: AccountID, person: PersonID, holder: AccountHolder, channel: CredentialChannel,
        validFor: Duration = .seconds(14 * 86_400), explainingAccessRules: Bool = false, occurredAt: Instant,
        id: EventID = .generate()
    ) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsIssued(
            accountID: holderAccount, personID: person, holder: holder, channel: channel,
            activationCode: code.digest(expiresAt: expiresAt))
        let result = try await handOver(.credentialsIssued(event), to: holderAccount, explaining: explainingAccessRules, occurredAt, id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    /// Records a handover of credentials, followed when `explaining` by the
    /// holder being told the rules of access (an id derived from `id`, so a
    /// retry is one).
    private func handOver(_ event: SchoolEvent, to account: AccountID, explaining: Bool, _ occurredAt: Instant, _ id: EventID)
        async throws -> AppendResult
    {
        var entries = [JournalEntry(id: id, event: event, actor: self.account, occurredAt: occurredAt)]
        if explaining {
            entries.append(
                JournalEntry(
                    id: EventID.derived(from: "access-rules-explained/\(id)"),
                    event: .accessRulesExplained(AccessRulesExplained(accountID: account)),
                    actor: self.account, occurredAt: occurredAt))
        }
        return try await journal.record(entries)
    }

    /// Resets the credentials of `holderAccount` with a fresh activation code
    /// (which also closes an open compromise window of that account); with
    /// `explainingAccessRules`, the holder is told the rules of access again
    /// (see ``issueCredentials(account:person:holder:channel:validFor:explainingAccessRules:occurredAt:id:)``).
    public func resetCredentials(
        account holderAccount: AccountID, channel: CredentialChannel, reason: String? = nil,
        validFor: Duration = .seconds(14 * 86_400), explainingAccessRules: Bool = false, occurredAt: Instant,
        id: EventID = .generate()
    ) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsReset(
            accountID: holderAccount, channel: channel, activationCode: code.digest(expiresAt: expiresAt), reason: reason)
        let result = try await handOver(.credentialsReset(event), to: holderAccount, explaining: explainingAccessRules, occurredAt, id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Checks this account's right to `read` (unless this is a trusted
    /// session), runs `body`, and records the read in the read log with the
    /// data subjects `subjects` names in the result; views that show no
    /// one's data are not logged.
    func read<T>(_ read: SchoolRead, detail: String, subjects: (T) throws -> [DataSubject], _ body: () throws -> T) throws -> T {
        if checksRights { try journal.authorize(read, by: account) }
        let value = try body()
        let shown = try subjects(value)
        if !shown.isEmpty {
            try journal.readLog().record(
                account: account, view: read.kind.rawValue, subjects: shown, rightsChecked: checksRights,
                context: context, detail: detail)
        }
        return value
    }
}
