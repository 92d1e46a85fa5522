import EventLedger

/// Clause 11 as the ledger derives it from the log alone: which notices take
/// effect, where each window opens and closes, and which operations are void.
///
/// The rule (`../shared/domain.md`, "The compromise window"):
/// - A notice's window opens at its earliest receipt. A report filed through
///   the compromised account itself is received when it is recorded. Another
///   filer's receipt counts from the discovery (never before it) to the
///   recording (never after it); one more than 24 hours before the recording
///   takes effect only when another party (neither the filer nor the
///   account) attests a receipt at or before it in a notice of its own;
///   until then the window opens 24 hours before the recording.
/// - The window closes at the account's first credentials reset or issue
///   recorded at or after the opening by someone other than the account.
/// - Notices and withdrawals are acts that can void each other: a notice that
///   takes effect voids the acts its account recorded inside its window (a
///   participant's report about its own account excepted), and a withdrawal
///   of a notice by anyone but the notice's account takes it out of effect.
///   Which acts stand is the grounded labelling of that graph; where acts
///   void each other in a cycle, the earliest in the log stands.
/// - Every operation of an account recorded inside a window of a notice
///   that takes effect is void, except the library's own events and the
///   account's own reports.
struct ClauseEleven {
    /// How far back a receipt may reach without the other party's confirmation.
    static let unconfirmedReach: Int64 = 24 * 3600 * 1_000_000
    /// The event types the library derives itself (never void, never from a caller).
    static let derivedTypes: Set<String> = ["OperationsVoided", "VoidsLifted"]

    /// A notice or a withdrawal.
    struct Act: Sendable {
        var position: UInt64
        var recordedAt: Instant
        var eventID: EventID
        /// The account that recorded it.
        var filer: AccountID
        var notice: CompromiseReported?
        var withdrawal: CompromiseNoticeWithdrawn?

        /// A participant's report about its own account: never void.
        var isOwnReport: Bool { notice.map { $0.accountID == filer } ?? false }
    }

    /// A notice with its window as the rule reads it.
    struct NoticeWindow: Sendable {
        var act: Act
        var notice: CompromiseReported
        var window: CompromiseWindow
        /// The earlier opening the notice asks for and that waits for the
        /// other party's confirmation; `nil` when none is pending.
        var pendingOpening: Instant?
        /// Whether the notice takes effect (neither withdrawn nor void).
        var isEffective: Bool
        /// The position of the withdrawal that took it out of effect.
        var withdrawnBy: UInt64?
        /// The notice whose window voids this notice, when it is void.
        var voidedBy: UInt64?
    }

    /// Every notice in the log, oldest first.
    var notices = [NoticeWindow]()
    /// Every act (notices and withdrawals) by position.
    var acts = [UInt64: Act]()
    /// Whether each act (by position) stands: `false` when it is void or, for a notice, withdrawn.
    var standing = [UInt64: Bool]()
    /// Each position void under the rule, with the effective notice whose window holds it.
    var voidedBy = [UInt64: UInt64]()

    /// The notice at `position`.
    func notice(at position: UInt64) -> NoticeWindow? { notices.first { $0.act.position == position } }

    /// One operation of an account, as the rule judges it.
    struct Operation: Sendable {
        var position: UInt64
        var recordedAt: Instant
        /// Whether it is one of the library's own events (never void).
        var isDerived: Bool

        init(_ view: borrowing RecordView) {
            position = view.position
            recordedAt = view.recordedAt
            isDerived = ClauseEleven.derivedTypes.contains(view.type)
        }
    }

    /// Derives the rule from the log `reader` holds through position `last`:
    /// the notices, their windows and standing for every account, and the
    /// void operations of the accounts in `voidsOf` (`nil`: every account).
    /// The operations are found through the actor index, so their cost
    /// follows those accounts' operations in their windows.
    static func evaluate(
        _ reader: borrowing LedgerReader, through last: UInt64 = .max,
        voidsOf accounts: Set<AccountID>? = nil
    ) throws -> ClauseEleven {
        try evaluate(
            acts: try Self.acts(reader, through: last), through: last, voidsOf: accounts,
            changes: { try Invalidator.credentialChanges(of: $0, reader: reader) },
            operations: { account, range, body in
                try reader.forEach(byActor: account.rawValue, recordedIn: range) { try body(Operation($0)) }
            })
    }

    /// The notices and withdrawals in the `compromise` stream through `last`, oldest first.
    static func acts(_ reader: borrowing LedgerReader, through last: UInt64 = .max) throws -> [Act] {
        var acts = [Act]()
        try reader.forEach(inStream: SchoolStream.compromise) { view in
            guard view.position <= last else { return false }
            let isNotice = view.typeBytes.elementsEqual("CompromiseReported".utf8)
            guard isNotice || view.typeBytes.elementsEqual("CompromiseNoticeWithdrawn".utf8) else { return true }
            guard let event = EventCoding.decodedEvent(view) else { return true }
            var act = Act(position: view.position, recordedAt: view.recordedAt, eventID: view.id, filer: AccountID(view.actor))
            switch event {
            case .compromiseReported(let e): act.notice = e
            case .compromiseNoticeWithdrawn(let e): act.withdrawal = e
            default: return true
            }
            acts.append(act)
            return true
        }
        return acts
    }

    /// The rule through position `last`, from the acts in the log (any
    /// beyond `last` are left out), each account's credentials changes
    /// (`changes`, oldest first, any beyond `last` left out) and its
    /// operations recorded in a range of time (`operations`, oldest first,
    /// until the body returns `false`). The reader-backed overload reads them
    /// from the log at each call; ``Transcript`` reads them once, for judging
    /// many positions of one log.
    static func evaluate(
        acts allActs: [Act], through last: UInt64, voidsOf accounts: Set<AccountID>?,
        changes changesOf: (AccountID) throws -> [CredentialsChange],
        operations: (AccountID, Range<Instant>, (Operation) throws -> Bool) throws -> Void
    ) throws -> ClauseEleven {
        var result = ClauseEleven()
        let acts = allActs.prefix { $0.position <= last }
        for act in acts { result.acts[act.position] = act }
        guard !acts.isEmpty else { return result }

        // Windows: openings from attested receipts, closings from credentials.
        var changes = [AccountID: [CredentialsChange]]()
        // Per account, each filer's earliest attested receipt: what confirms another filer's.
        var attested = [AccountID: [AccountID: Instant]]()
        for act in acts {
            guard let notice = act.notice else { continue }
            if let earliest = [notice.receivedByHeadAt, notice.receivedBySupportAt].compactMap({ $0 }).min() {
                attested[notice.accountID, default: [:]][act.filer] = min(earliest, attested[notice.accountID]?[act.filer] ?? earliest)
            }
            if changes[notice.accountID] == nil {
                changes[notice.accountID] = try changesOf(notice.accountID).filter { $0.position <= last }
            }
        }
        var noticeIndex = [UInt64: Int]()
        for act in acts {
            guard let notice = act.notice else { continue }
            var opening = act.recordedAt
            var pending: Instant?
            if act.filer != notice.accountID, let asked = [notice.receivedByHeadAt, notice.receivedBySupportAt].compactMap({ $0 }).min() {
                var receipt = min(asked, act.recordedAt)
                if let discovered = notice.discoveredAt { receipt = max(receipt, min(discovered, act.recordedAt)) }
                let floor = act.recordedAt.adding(microseconds: -unconfirmedReach)
                let confirmed = (attested[notice.accountID] ?? [:]).contains { filer, earliest in
                    filer != act.filer && filer != notice.accountID && earliest <= receipt
                }
                if receipt < floor && !confirmed {
                    opening = floor
                    pending = receipt
                } else {
                    opening = receipt
                }
            }
            let window = Self.window(opening: opening, account: notice.accountID, changes: changes[notice.accountID] ?? [])
            noticeIndex[act.position] = result.notices.count
            result.notices.append(NoticeWindow(act: act, notice: notice, window: window, pendingOpening: pending, isEffective: false))
        }
        var noticesOf = [AccountID: [Int]]()
        for (i, n) in result.notices.enumerated() { noticesOf[n.notice.accountID, default: []].append(i) }

        // Who voids whom: a notice voids its account's acts inside its window,
        // a withdrawal takes its notice out of effect.
        var attackers = [UInt64: [UInt64]]()
        for target in acts where !target.isOwnReport {
            for i in noticesOf[target.filer] ?? [] {
                let n = result.notices[i]
                if n.act.position != target.position, n.window.holds(position: target.position, recordedAt: target.recordedAt) {
                    attackers[target.position, default: []].append(n.act.position)
                }
            }
        }
        for w in acts {
            guard let withdrawal = w.withdrawal, let i = noticeIndex[withdrawal.noticePosition] else { continue }
            let n = result.notices[i]
            guard w.position > n.act.position, w.filer != n.notice.accountID else { continue }
            attackers[n.act.position, default: []].append(w.position)
        }
        let labels = Self.groundedLabels(order: acts.map(\.position), attackers: attackers)
        result.standing = labels
        for i in result.notices.indices {
            let position = result.notices[i].act.position
            result.notices[i].isEffective = labels[position] ?? true
            let against = (attackers[position] ?? []).filter { labels[$0] == true }
            result.notices[i].withdrawnBy = against.first { result.acts[$0]?.withdrawal != nil }
            result.notices[i].voidedBy = against.first { result.acts[$0]?.notice != nil }
        }

        // The void operations: each account's records inside its effective windows.
        let ownReports = Set(acts.filter(\.isOwnReport).map(\.position))
        for n in result.notices where n.isEffective && accounts.map({ $0.contains(n.notice.accountID) }) ?? true {
            let end = n.window.closesAt.map { $0.adding(microseconds: 1) } ?? Instant.latestValid
            try operations(n.notice.accountID, n.window.opensAt..<end) { op in
                guard op.position <= last else { return false }
                if n.window.holds(position: op.position, recordedAt: op.recordedAt), !ownReports.contains(op.position),
                    !op.isDerived, result.voidedBy[op.position] == nil
                {
                    result.voidedBy[op.position] = n.act.position
                }
                return true
            }
        }
        return result
    }

    /// The window opening at `opening`, closed by the account's first
    /// credentials change at or after it by someone other than the account.
    static func window(opening: Instant, account: AccountID, changes: [CredentialsChange]) -> CompromiseWindow {
        guard let closing = changes.first(where: { $0.recordedAt >= opening && $0.actor != account }) else {
            return CompromiseWindow(opensAt: opening)
        }
        return CompromiseWindow(opensAt: opening, closesAt: closing.recordedAt, closedByPosition: closing.position)
    }

    /// The grounded labelling of the attack graph (`true`: stands): an act
    /// stands when every act against it falls, and falls when one act against
    /// it stands. Acts left undecided (cycles) are settled earliest first: the
    /// earliest stands and the acts against it fall.
    static func groundedLabels(order: [UInt64], attackers: [UInt64: [UInt64]]) -> [UInt64: Bool] {
        var label = [UInt64: Bool]()
        while label.count < order.count {
            var changed = false
            for a in order where label[a] == nil {
                let against = attackers[a] ?? []
                if against.allSatisfy({ label[$0] == false }) {
                    label[a] = true
                    changed = true
                } else if against.contains(where: { label[$0] == true }) {
                    label[a] = false
                    changed = true
                }
            }
            if !changed, let first = order.first(where: { label[$0] == nil }) {
                label[first] = true
                for b in attackers[first] ?? [] where label[b] == nil { label[b] = false }
            }
        }
        return label
    }
}

extension ClauseEleven {
    /// What the rule reads from one log, read once: every act, and the
    /// credentials changes and operations of every account with a notice.
    /// Judging many positions of the same log (``SchoolJournal/verifyClauseEleven(_:)``
    /// judges after every run of derived events) then costs no further read:
    /// ``evaluate(through:)`` works on these lists alone.
    struct Transcript {
        let acts: [Act]
        private var changes = [AccountID: [CredentialsChange]]()
        /// Each account's operations in the order of its actor index (by `recordedAt`).
        private var operations = [AccountID: [Operation]]()

        init(_ reader: borrowing LedgerReader) throws {
            acts = try ClauseEleven.acts(reader)
            for account in Set(acts.compactMap(\.notice?.accountID)) {
                changes[account] = try Invalidator.credentialChanges(of: account, reader: reader)
                var ops = [Operation]()
                try reader.forEach(byActor: account.rawValue, recordedIn: Instant.epoch..<Instant.latestValid) {
                    ops.append(Operation($0))
                    return true
                }
                operations[account] = ops
            }
        }

        /// The rule through position `last`: what ``ClauseEleven/evaluate(_:through:voidsOf:)`` derives there.
        func evaluate(through last: UInt64) throws -> ClauseEleven {
            try ClauseEleven.evaluate(
                acts: acts, through: last, voidsOf: nil, changes: { changes[$0] ?? [] },
                operations: { account, range, body in
                    let ops = operations[account] ?? []
                    var low = 0, high = ops.count
                    while low < high {
                        let mid = (low + high) / 2
                        if ops[mid].recordedAt < range.lowerBound { low = mid + 1 } else { high = mid }
                    }
                    for op in ops[low...] {
                        guard op.recordedAt < range.upperBound, try body(op) else { return }
                    }
                })
        }
    }
}
