import EventLedger
import Synchronization

/// The compromise-window invalidator (clause 11), run by the ledger inside
/// every append's transaction (``EventLedger/setAppendRule(_:)``).
///
/// After an append it looks at what was appended: a breach notice, a
/// withdrawal of one, or an operation of an account that is under a notice.
/// For each such account it computes the operations that must be void now —
/// those of the account recorded in the union of the windows of its notices
/// that are not withdrawn (a window opens at the earliest receipt and closes
/// at the first credentials reset or issue recorded after it, see
/// ``CompromiseWindow``) — and appends, in the same transaction:
///
/// - for a new notice, ``OperationsVoided`` with the positions newly void
///   (possibly none: the event records the window);
/// - for a withdrawal, ``VoidsLifted`` with the positions that no other
///   notice keeps void;
/// - for an operation recorded while its account's window is open (only
///   possible past the rights check, e.g. through `recordTrusted`), an
///   ``OperationsVoided`` under the notice whose window holds it.
///
/// The operations are found through the actor index, window by window: the
/// cost is proportional to the account's operations in its windows, not to
/// the size of the log. Appends that touch no notice and no account under
/// notice cost one lookup of the register (see ``RegisterCache``).
final class Invalidator: Sendable {
    /// The actor of the invalidator's own events: the library itself.
    static let actor: AccountID = "system:invalidator"

    /// The register, kept up to date incrementally; shared with the journal's rule checks.
    let registers: RegisterCache

    init(registers: RegisterCache) {
        self.registers = registers
    }

    /// The events to append after `appended`.
    func derive(_ reader: borrowing LedgerReader, _ appended: ClosedRange<UInt64>) throws -> [NewEvent] {
        // The register as this transaction sees it, this append's notices included:
        // a ledger without notices (the usual case) costs this one lookup.
        let register = try self.register(reader)
        guard !register.notices.isEmpty else { return [] }
        let watched = register.accountsUnderNotice
        var noticesAppended = [UInt64]()
        var withdrawalsAppended = [(position: UInt64, notice: UInt64)]()
        var affected = Set<AccountID>()
        var stamp = Instant.epoch
        for position in appended {
            guard let view = try reader.record(at: position) else { continue }
            stamp = view.recordedAt
            if view.typeBytes.elementsEqual("CompromiseReported".utf8) {
                noticesAppended.append(position)
            } else if view.typeBytes.elementsEqual("CompromiseNoticeWithdrawn".utf8) {
                if case .compromiseNoticeWithdrawn(let e) = try EventCoding.entry(from: view).entry.event {
                    withdrawalsAppended.append((position, e.noticePosition))
                }
            } else if !watched.isEmpty {
                let actor = AccountID(view.actor)
                if watched.contains(actor), !SchoolEvent.exemptFromVoiding.contains(view.type) { affected.insert(actor) }
            }
        }
        for notice in register.notices {
            if noticesAppended.contains(notice.position) || withdrawalsAppended.contains(where: { $0.notice == notice.position }) {
                affected.insert(notice.notice.accountID)
            }
        }
        var out = [SchoolEvent]()
        for account in affected.sorted() {
            out += try events(for: account, register: register, noticesAppended: noticesAppended,
                              withdrawalsAppended: withdrawalsAppended, reader: reader)
        }
        return try out.map { try EventCoding.newEvent(JournalEntry(event: $0, actor: Self.actor, occurredAt: stamp)) }
    }

    private func events(for account: AccountID, register: CompromiseRegister, noticesAppended: [UInt64],
                        withdrawalsAppended: [(position: UInt64, notice: UInt64)], reader: borrowing LedgerReader) throws -> [SchoolEvent] {
        let changes = try Self.credentialChanges(of: account, reader: reader)
        // What must be void now, and under which notice's window each position falls.
        var coveredBy = [UInt64: UInt64]()
        for notice in register.activeNotices(of: account) {
            let window = notice.window(closedBy: changes)
            // Up to the closing event, by position: an operation recorded in the
            // same microsecond but before the reset is still in the window.
            let end = window.closesAt.map { $0.adding(microseconds: 1) } ?? Instant.latestValid
            try reader.forEach(byActor: account.rawValue, recordedIn: window.opensAt..<end) { view in
                if window.holds(position: view.position, recordedAt: view.recordedAt), !SchoolEvent.exemptFromVoiding.contains(view.type),
                   coveredBy[view.position] == nil {
                    coveredBy[view.position] = notice.position
                }
                return true
            }
        }
        let current = register.voided[account] ?? []
        let add = Set(coveredBy.keys).subtracting(current)
        let lift = current.subtracting(coveredBy.keys).sorted()
        var out = [SchoolEvent]()

        let withdrawn = register.notices.filter { notice in
            notice.notice.accountID == account && withdrawalsAppended.contains { $0.notice == notice.position }
        }
        for (n, notice) in withdrawn.enumerated() {
            guard let withdrawal = withdrawalsAppended.first(where: { $0.notice == notice.position }) else { continue }
            out.append(.voidsLifted(VoidsLifted(noticeEventID: notice.eventID, noticePosition: notice.position,
                                                withdrawalPosition: withdrawal.position,
                                                voidsPositions: register.voidEvents[notice.position] ?? [],
                                                liftedPositions: n == withdrawn.count - 1 ? lift : [])))
        }

        // Positions a withdrawn notice had voided that another notice still
        // covers stay void: they are voided again under that notice, so the
        // audit names the notice that holds them.
        var byNotice = [UInt64: [UInt64]]()
        for notice in withdrawn {
            for voidEvent in register.voidEvents[notice.position] ?? [] {
                guard let view = try reader.record(at: voidEvent),
                      case .operationsVoided(let e) = try EventCoding.entry(from: view).entry.event else { continue }
                for position in e.voidedPositions {
                    if let owner = coveredBy[position], current.contains(position) { byNotice[owner, default: []].append(position) }
                }
            }
        }

        let fresh = register.notices.filter { $0.notice.accountID == account && noticesAppended.contains($0.position) && $0.withdrawnAt == nil }
        for position in add {
            // A new notice records what it voids; positions an older notice
            // covers but had not voided yet go to the first new notice.
            let owner = fresh.contains { $0.position == coveredBy[position] } ? coveredBy[position]! : (fresh.first?.position ?? coveredBy[position]!)
            byNotice[owner, default: []].append(position)
        }
        let owners = Set(byNotice.keys).union(fresh.map(\.position))
        for notice in register.notices where owners.contains(notice.position) {
            out.append(.operationsVoided(OperationsVoided(noticeEventID: notice.eventID, noticePosition: notice.position, accountID: account,
                                                          voidedPositions: Set(byNotice[notice.position] ?? []).sorted(),
                                                          window: notice.window(closedBy: changes))))
        }
        return out
    }

    /// The credentials resets and issues of `account`, oldest first.
    static func credentialChanges(of account: AccountID, reader: borrowing LedgerReader) throws -> [CredentialsChange] {
        var changes = [CredentialsChange]()
        try reader.forEach(inStream: SchoolStream.account(account)) { view in
            changes.append(CredentialsChange(position: view.position, recordedAt: view.recordedAt, actor: AccountID(view.actor)))
            return true
        }
        return changes
    }

    private func register(_ reader: borrowing LedgerReader) throws -> CompromiseRegister {
        try registers.register(reader).register
    }
}

/// The register of breach notices as of the latest read, brought up to date
/// by folding only the `compromise` records added since: every append and
/// every rights check needs it, and the stream only grows.
///
/// A cached fold is reused only when the stream still holds, at the cached
/// version, the record with the cached hash (a rolled-back transaction or a
/// different ledger makes it start over).
final class RegisterCache: Sendable {
    private struct Entry {
        var version: UInt64
        var hash: [UInt8]
        var register: CompromiseRegister
    }

    private let entry = Mutex<Entry?>(nil)

    init() {}

    /// The register as `reader` sees it, and the stream's version.
    func register(_ reader: borrowing LedgerReader) throws -> (register: CompromiseRegister, version: UInt64) {
        let stream = SchoolStream.compromise
        let version = try reader.streamVersion(stream)
        var start = Entry(version: 0, hash: [], register: CompromiseRegister())
        if let cached = entry.withLock({ $0 }), cached.version <= version {
            var hash = [UInt8]()
            if cached.version > 0 {
                try reader.forEach(inStream: stream, versions: cached.version...cached.version) { view in
                    hash = view.hash.bytes
                    return false
                }
            }
            if hash == cached.hash {
                if cached.version == version { return (cached.register, version) }
                start = cached
            }
        }
        var current = start
        if version > start.version {
            try reader.forEach(inStream: stream, versions: (start.version + 1)...version) { view in
                current.register.apply(try EventCoding.entry(from: view).entry.event, position: view.position, eventID: view.id,
                                       recordedAt: view.recordedAt)
                current.hash = view.hash.bytes
                return true
            }
            current.version = version
        }
        let result = current
        entry.withLock { $0 = result }
        return (result.register, version)
    }
}
