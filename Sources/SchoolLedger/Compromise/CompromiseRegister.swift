import EventLedger

/// The register of breach notices, folded from the `compromise` stream: each
/// notice with its receipt times and whether it was withdrawn, and the
/// positions voided now (``OperationsVoided`` adds, ``VoidsLifted`` takes away).
///
/// Shared by the invalidator (which keeps it true), the rights (a locked
/// account), the reference and rights facts (which skip voided positions)
/// and the audit view.
struct CompromiseRegister: Sendable {
    /// One breach notice.
    struct Notice: Sendable, Equatable {
        var position: UInt64
        var eventID: EventID
        var recordedAt: Instant
        var notice: CompromiseReported
        /// The position of its withdrawal, if withdrawn.
        var withdrawnAt: UInt64?
        /// Where the window opens: the earliest receipt.
        var opensAt: Instant { notice.windowOpensAt ?? recordedAt }
    }

    private(set) var notices = [Notice]()
    /// Positions voided now, by the account the voiding event named.
    private(set) var voided = [AccountID: Set<UInt64>]()
    /// The account the latest event voiding each position named.
    private var voidedAccount = [UInt64: AccountID]()
    /// Every position voided now.
    private(set) var allVoided = Set<UInt64>()
    /// The positions of each notice's `OperationsVoided` events.
    private(set) var voidEvents = [UInt64: [UInt64]]()
    /// For each position void now, the notice the latest event voiding it named.
    private(set) var voidedBy = [UInt64: UInt64]()
    /// The event id each ``OperationsVoided`` gave for its notice position.
    private(set) var noticeIDs = [UInt64: EventID]()
    /// The withdrawal positions a ``VoidsLifted`` answered already.
    private(set) var answeredWithdrawals = Set<UInt64>()

    /// Adds one event of the `compromise` stream.
    mutating func apply(_ event: SchoolEvent, position: UInt64, eventID: EventID, recordedAt: Instant) {
        switch event {
        case .compromiseReported(let e):
            notices.append(Notice(position: position, eventID: eventID, recordedAt: recordedAt, notice: e))
        case .compromiseNoticeWithdrawn(let e):
            if let n = notices.firstIndex(where: { $0.position == e.noticePosition }), notices[n].withdrawnAt == nil {
                notices[n].withdrawnAt = position
            }
        case .operationsVoided(let e):
            for p in e.voidedPositions {
                if let previous = voidedAccount[p], previous != e.accountID { voided[previous]?.remove(p) }
                voidedAccount[p] = e.accountID
                voidedBy[p] = e.noticePosition
            }
            voided[e.accountID, default: []].formUnion(e.voidedPositions)
            allVoided.formUnion(e.voidedPositions)
            voidEvents[e.noticePosition, default: []].append(position)
            noticeIDs[e.noticePosition] = e.noticeEventID
        case .voidsLifted(let e):
            if e.withdrawalPosition != 0 { answeredWithdrawals.insert(e.withdrawalPosition) }
            for lifted in e.liftedPositions {
                allVoided.remove(lifted)
                if let account = voidedAccount.removeValue(forKey: lifted) { voided[account]?.remove(lifted) }
                if voidedBy[lifted] == e.noticePosition { voidedBy[lifted] = nil }
            }
        default:
            break
        }
    }

    /// The register as `reader` holds it through position `last`: what the
    /// ledger knew then (audit views as of a past moment).
    static func read(_ reader: borrowing LedgerReader, through last: UInt64 = .max) throws -> CompromiseRegister {
        var register = CompromiseRegister()
        try reader.forEach(inStream: SchoolStream.compromise) { view in
            guard view.position <= last else { return false }
            if let event = EventCoding.decodedEvent(view) {
                register.apply(event, position: view.position, eventID: view.id, recordedAt: view.recordedAt)
            }
            return true
        }
        return register
    }

    /// The register with only the voids declared for `accounts` (what a
    /// judgement scoped to those accounts compares with).
    func restricted(to accounts: Set<AccountID>) -> CompromiseRegister {
        var copy = self
        copy.allVoided = Set(accounts.flatMap { voided[$0] ?? [] })
        return copy
    }

    /// The notices of `account` that are not withdrawn, oldest first.
    func activeNotices(of account: AccountID) -> [Notice] {
        notices.filter { $0.notice.accountID == account && $0.withdrawnAt == nil }
    }

    /// Accounts with a notice that is not withdrawn.
    var accountsUnderNotice: Set<AccountID> {
        Set(notices.lazy.filter { $0.withdrawnAt == nil }.map(\.notice.accountID))
    }
}

/// A credentials reset or issue of an account, which closes its windows
/// (clause 11): when and by whom it was recorded.
struct CredentialsChange: Sendable, Equatable {
    var position: UInt64
    var recordedAt: Instant
    var actor: AccountID
}

extension CompromiseRegister.Notice {
    /// The window of this notice given the account's credential changes: it
    /// closes at the first one recorded at or after it opens, except one
    /// recorded by the compromised account itself (a stolen account cannot
    /// close its own window).
    func window(closedBy changes: [CredentialsChange]) -> CompromiseWindow {
        ClauseEleven.window(opening: opensAt, account: notice.accountID, changes: changes)
    }
}

extension CompromiseWindow {
    /// Whether an operation at `position`, recorded at `recordedAt`, lies in
    /// the window: recorded at or after it opens, and before the event that
    /// closed it in log order (so an operation stamped in the same
    /// microsecond as the reset, but appended before it, is inside).
    func holds(position: UInt64, recordedAt: Instant) -> Bool {
        recordedAt >= opensAt && closedByPosition.map { position < $0 } ?? true
    }
}

extension SchoolEvent {
    /// Whether the invalidator never voids an event of this type: the notices
    /// themselves and the invalidator's own events.
    var isExemptFromVoiding: Bool {
        switch self {
        case .compromiseReported, .compromiseNoticeWithdrawn, .operationsVoided, .voidsLifted: true
        default: false
        }
    }

    /// Whether this is one of the invalidator's own events.
    var isInvalidatorEvent: Bool {
        switch self {
        case .operationsVoided, .voidsLifted: true
        default: false
        }
    }

    /// The event types the invalidator never voids.
    static let exemptFromVoiding: Set<String> = ["CompromiseReported", "CompromiseNoticeWithdrawn", "OperationsVoided", "VoidsLifted"]
}
