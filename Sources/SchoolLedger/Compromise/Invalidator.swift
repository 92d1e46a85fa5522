import Crypto
import EventLedger
import Synchronization

/// The compromise-window invalidator (clause 11): the ledger's append rule
/// (``EventLedger/setAppendRule(_:)-(AppendRule?)``), so it judges every
/// record whatever path it came by — an append of the journal, of
/// `journal.ledger`, an import, or a record another process appended without
/// it (judged when a journal opens the ledger or catches up).
///
/// Judging makes the declared voids (what ``OperationsVoided`` and
/// ``VoidsLifted`` say) equal what ``ClauseEleven`` derives from the log:
///
/// - each new notice that takes effect gets an ``OperationsVoided`` with the
///   positions it voids (possibly none: the event records the window);
/// - each new withdrawal that stands gets a ``VoidsLifted`` with the
///   positions no other notice keeps void;
/// - any other difference (an operation recorded in an open window, a notice
///   or withdrawal voided by a later notice, voids another program forged or
///   left out) gets an ``OperationsVoided`` under the notice whose window
///   holds each position, or a ``VoidsLifted`` of the positions the rule does
///   not hold void (with withdrawal position 0: a correction).
///
/// It also refuses, in the records of an append, an event the school domain
/// cannot decode, naming the field. The operations are found through the
/// actor index, window by window; appends that touch no notice and no
/// account with a notice cost one lookup of the register.
final class Invalidator: Sendable {
    /// The actor of the invalidator's own events: the library itself.
    static let actor: AccountID = "system:invalidator"

    /// The register, kept up to date incrementally; shared with the journal's rule checks.
    let compromiseRegister: CompromiseRegisterCache

    /// The events the journal is appending: their records are known to decode.
    let encodedEvents: EncodedEvents?

    init(compromiseRegister: CompromiseRegisterCache, encodedEvents: EncodedEvents? = nil) {
        self.compromiseRegister = compromiseRegister
        self.encodedEvents = encodedEvents
    }

    /// The rule as the ledger runs it.
    var rule: AppendRule {
        AppendRule(derivedTypes: ClauseEleven.derivedTypes, reservedActorPrefix: AccountID.reservedPrefix) { [self] reader, input in
            try derive(reader, input)
        }
    }

    /// The events to append after the records of `input`.
    func derive(_ reader: borrowing LedgerReader, _ input: AppendRuleInput) throws -> [NewEvent] {
        let others = try input.appended.map { try Self.refuseUndecodable(reader, $0, except: encodedEvents) } ?? []
        let register = try compromiseRegister.register(reader).register
        if !others.isEmpty { try SignatureRules.refuse(others, reader: reader, register: register) }
        let watched = Set(register.notices.map(\.notice.accountID))
        // Which accounts the judged records can change: their actors that have
        // notices, and the accounts of notices among them; any derived event
        // among them (appended without the rule) makes every account count.
        var affected = Set<AccountID>()
        var acts = false, foreign = false
        var stamp = Instant.epoch
        var lastHash = [UInt8]()
        try reader.forEach(from: input.unjudged.lowerBound, through: input.unjudged.upperBound) { view in
            stamp = view.recordedAt
            lastHash = view.hash.bytes
            if view.streamBytes.elementsEqual(SchoolStream.compromise.utf8) {
                if ClauseEleven.derivedTypes.contains(view.type) {
                    foreign = true
                } else {
                    acts = true
                    if case .compromiseReported(let e) = EventCoding.decodedEvent(view) { affected.insert(e.accountID) }
                }
            }
            if !watched.isEmpty, watched.contains(AccountID(view.actor)) { affected.insert(AccountID(view.actor)) }
            return true
        }
        guard acts || foreign || !affected.isEmpty else { return [] }
        var scope: Set<AccountID>? = affected
        if foreign {
            scope = nil
        } else if acts {
            // A notice or withdrawal can change which other notices stand, and
            // a confirmation another notice's window: those accounts count too.
            let before = try ClauseEleven.evaluate(reader, through: input.unjudged.lowerBound - 1, voidsOf: [])
            let after = try ClauseEleven.evaluate(reader, voidsOf: [])
            for notice in after.notices {
                let earlier = before.notice(at: notice.act.position)
                if earlier?.isEffective != notice.isEffective || earlier?.window != notice.window {
                    affected.insert(notice.notice.accountID)
                }
            }
            scope = affected
        }
        let rule = try ClauseEleven.evaluate(reader, voidsOf: scope)
        let declared = scope.map { register.restricted(to: $0) } ?? register
        return try Self.reconcile(rule, register: declared, fresh: input.unjudged).enumerated().map { n, event in
            try EventCoding.newEvent(
                JournalEntry(id: Self.derivedID(after: lastHash, index: n), event: event, actor: Self.actor, occurredAt: stamp))
        }
    }

    /// The id of the `index`-th event derived after the record with hash
    /// `hash`: a name-based UUID (version 8) of both, so the rule derives the
    /// same events, ids included, on every path (a history imported without
    /// its derived events ends with the same head as the original).
    static func derivedID(after hash: [UInt8], index: Int) -> EventID {
        var digest = Array(SHA256.hash(data: hash + Array("clause-11 derived \(index)".utf8)).prefix(16))
        digest[6] = 0x80 | digest[6] & 0x0F
        digest[8] = 0x80 | digest[8] & 0x3F
        return EventID(bytes: digest)!
    }

    /// Refuses an append whose records the school domain cannot decode, and
    /// returns the records the signature rules judge: those the journal did
    /// not encode itself (`encoded` are not decoded again, and were checked
    /// by the journal's rules), and the journal's signed ones stamped at or
    /// after the instant their key stops signing, judged again at the stamp.
    static func refuseUndecodable(_ reader: borrowing LedgerReader, _ appended: ClosedRange<UInt64>, except encoded: EncodedEvents?) throws
        -> [SignatureRules.Stored]
    {
        var decoded = [SignatureRules.Stored]()
        try reader.forEach(from: appended.lowerBound, through: appended.upperBound) { view in
            if let known = encoded?.encoded(view) {
                if let limit = known.stampBefore, view.recordedAt >= limit, let recorded = EventCoding.decodedEntry(view) {
                    decoded.append(SignatureRules.stored(view, recorded, bytesChecked: true))
                }
                return true
            }
            do {
                decoded.append(SignatureRules.stored(view, try EventCoding.entry(from: view)))
            } catch {
                let field = (error as? InterchangeError)?.field ?? (error as? SchoolSchemaError)?.field ?? "payload"
                var refusal = LedgerError(
                    .invalidEvent,
                    "Event \(view.id) (\(view.type)) at position \(view.position): \(field) is not a school event this journal can read (\(error)); append events through SchoolJournal, or encode them with EventCoding. Nothing was appended."
                )
                refusal.field = field
                refusal.eventID = view.id
                throw refusal
            }
            return true
        }
        return decoded
    }

    /// The events that bring the declared voids of `register` to what `rule`
    /// derives; `fresh` holds the records judged now (their notices and
    /// withdrawals get events of their own).
    static func reconcile(_ rule: ClauseEleven, register: CompromiseRegister, fresh: ClosedRange<UInt64>) -> [SchoolEvent] {
        var out = [SchoolEvent]()
        // Lifts: positions declared void that the rule does not hold void.
        var liftsByHolder = [UInt64: [UInt64]]()
        for position in register.allVoided where rule.voidedBy[position] == nil {
            liftsByHolder[register.voidedBy[position] ?? 0, default: []].append(position)
        }
        // A fresh notice or withdrawal the log already answers (a history
        // judged before, judged again from its start) gets no second event.
        let withdrawals = rule.acts.values.filter {
            $0.withdrawal != nil && fresh.contains($0.position) && rule.standing[$0.position] == true
                && !register.answeredWithdrawals.contains($0.position)
        }
        .sorted { $0.position < $1.position }
        for w in withdrawals {
            let noticePosition = w.withdrawal!.noticePosition
            guard let notice = rule.notice(at: noticePosition), notice.withdrawnBy == w.position else { continue }
            out.append(
                .voidsLifted(
                    VoidsLifted(
                        noticeEventID: notice.act.eventID, noticePosition: noticePosition, withdrawalPosition: w.position,
                        voidsPositions: register.voidEvents[noticePosition] ?? [],
                        liftedPositions: (liftsByHolder.removeValue(forKey: noticePosition) ?? []).sorted())))
        }
        for (holder, positions) in liftsByHolder.sorted(by: { $0.key < $1.key }) {
            let id = rule.notice(at: holder)?.act.eventID ?? register.noticeIDs[holder] ?? EventID(high: 0, low: 0)
            out.append(
                .voidsLifted(
                    VoidsLifted(
                        noticeEventID: id, noticePosition: holder, withdrawalPosition: 0,
                        voidsPositions: register.voidEvents[holder] ?? [], liftedPositions: positions.sorted())))
        }
        // Voids: positions the rule holds void under another notice than declared (or not at all).
        var voidsByNotice = [UInt64: [UInt64]]()
        for (position, notice) in rule.voidedBy where !register.allVoided.contains(position) || register.voidedBy[position] != notice {
            voidsByNotice[notice, default: []].append(position)
        }
        for notice in rule.notices where notice.isEffective {
            let positions = voidsByNotice[notice.act.position]
            guard positions != nil || (fresh.contains(notice.act.position) && register.voidEvents[notice.act.position] == nil) else {
                continue
            }
            out.append(
                .operationsVoided(
                    OperationsVoided(
                        noticeEventID: notice.act.eventID, noticePosition: notice.act.position,
                        accountID: notice.notice.accountID, voidedPositions: (positions ?? []).sorted(),
                        window: notice.window)))
        }
        return out
    }

    /// The credentials resets and issues of `account`, oldest first.
    static func credentialChanges(of account: AccountID, reader: borrowing LedgerReader) throws -> [CredentialsChange] {
        var changes = [CredentialsChange]()
        try reader.forEach(inStream: SchoolStream.account(account)) { view in
            guard view.typeBytes.elementsEqual("CredentialsReset".utf8) || view.typeBytes.elementsEqual("CredentialsIssued".utf8) else {
                return true
            }
            changes.append(CredentialsChange(position: view.position, recordedAt: view.recordedAt, actor: AccountID(view.actor)))
            return true
        }
        return changes
    }
}

/// The register of breach notices as of the latest read, brought up to date
/// by folding only the `compromise` records added since: every append and
/// every rights check needs it, and the stream only grows.
///
/// A cached fold is reused only when the stream still holds, at the cached
/// version, the record with the cached hash (a rolled-back transaction or a
/// different ledger makes it start over).
final class CompromiseRegisterCache: Sendable {
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
                if let event = EventCoding.decodedEvent(view) {
                    current.register.apply(event, position: view.position, eventID: view.id, recordedAt: view.recordedAt)
                }
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
