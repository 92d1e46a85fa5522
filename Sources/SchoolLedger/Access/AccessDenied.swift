/// What an account asks to do: record an event of a type, or read a view.
public enum SchoolAction: Sendable, Hashable, CustomStringConvertible {
    /// Record an event of this type (e.g. `MarkRecorded`).
    case record(eventType: String)
    /// Read a view of the journal.
    case read(SchoolRead.Kind)

    /// E.g. `record MarkRecorded`, `read diary`.
    public var description: String {
        switch self {
        case .record(let type): "record \(type)"
        case .read(let kind): "read \(kind.rawValue)"
        }
    }
}

/// The access policy refused an account an action (clause 1 and "Roles and
/// rights" of the domain): it names the account, the action and the right
/// that is missing. Nothing was appended; nothing was read.
///
/// ```swift
/// do {
///     try await journal.session(for: "parent-petrova").record(.markRecorded(mark), occurredAt: now)
/// } catch let denied as AccessDenied {
///     print(denied)
///     // parent-petrova may not record MarkRecorded: needs to be the teacher assigned to MATH for class 7A on 2026-09-07, or the lesson's substitute.
/// }
/// ```
public struct AccessDenied: Error, Sendable, Hashable, CustomStringConvertible {
    /// The account that asked.
    public var account: AccountID
    /// What it asked to do.
    public var action: SchoolAction
    /// The right it lacks, as the end of a sentence starting "needs to be" or
    /// "needs", e.g. `the class teacher of 7A`.
    public var missingRight: String
    /// Whether the account is locked: a breach notice opened a compromise
    /// window and its credentials were not reset since (clause 11). It may
    /// do nothing but report the breach until they are; a service answers
    /// with 423 Locked, not 403.
    public var isAccountLocked = false

    /// A refusal.
    public init(account: AccountID, action: SchoolAction, missingRight: String) {
        self.account = account
        self.action = action
        self.missingRight = missingRight
    }

    /// `<account> may not <action>: needs <missingRight>.`
    public var description: String {
        "\(account) may not \(action): needs \(missingRight)."
    }
}
