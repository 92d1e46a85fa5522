import Dispatch
import EventLedger
import Foundation
import Synchronization

/// The school's signature settings along the log: which event types must be
/// signed from which position on (``JournalSettingsChanged/typesToSign``),
/// and the school's id, which every signature covers.
struct SignaturePolicy: Sendable {
    /// The school's id, once registered.
    private(set) var school: SchoolID?
    /// Each settings change: from which position on, which types.
    private var changes = [(position: UInt64, types: Set<String>)]()

    /// Adds one event of the `school` stream at `position`.
    mutating func apply(_ event: SchoolEvent, position: UInt64) {
        switch event {
        case .schoolRegistered(let e) where school == nil: school = e.schoolID
        case .journalSettingsChanged(let e): changes.append((position, e.typesToSign))
        default: break
        }
    }

    /// The types that must be signed in an operation at `position`: those of
    /// the last settings recorded before it.
    func typesToSign(at position: UInt64) -> Set<String> {
        changes.last { $0.position < position }?.types ?? []
    }

    /// The policy of the `school` stream as `reader` holds it.
    static func read(_ reader: borrowing LedgerReader) throws -> SignaturePolicy {
        var policy = SignaturePolicy()
        try reader.forEach(inStream: SchoolStream.school) { view in
            if let event = EventCoding.decodedEvent(view) { policy.apply(event, position: view.position) }
            return true
        }
        return policy
    }
}

/// The signature keys of accounts along the log (``SignatureKeyRegistered``,
/// ``SignatureKeyRevoked``).
struct SignatureKeyring: Sendable {
    /// One registered key.
    struct Key: Sendable {
        var registered: SignatureKeyRegistered
        /// Where it was registered.
        var position: UInt64
        /// Where it was revoked, if it was.
        var revokedAt: UInt64?
    }

    private(set) var keys = [AccountID: [Key]]()

    /// Adds one event of an `account/…` stream at `position`.
    mutating func apply(_ event: SchoolEvent, position: UInt64) {
        switch event {
        case .signatureKeyRegistered(let e):
            keys[e.accountID, default: []].append(Key(registered: e, position: position))
        case .signatureKeyRevoked(let e):
            if let n = keys[e.accountID]?.firstIndex(where: { $0.registered.keyID == e.keyID && $0.revokedAt == nil }) {
                keys[e.accountID]?[n].revokedAt = position
            }
        default: break
        }
    }

    /// The keys of `account` that `reader` holds in the account's stream.
    static func read(_ account: AccountID, reader: borrowing LedgerReader) throws -> [Key] {
        var ring = SignatureKeyring()
        try reader.forEach(inStream: SchoolStream.account(account)) { view in
            if view.typeBytes.starts(with: "SignatureKey".utf8), let event = EventCoding.decodedEvent(view) {
                ring.apply(event, position: view.position)
            }
            return true
        }
        return ring.keys[account] ?? []
    }
}

/// The signature rules of clause 10, the same at every append and in
/// `verify --signatures`: an operation of a type the school's settings
/// name is signed; a signature names a key registered for the actor before
/// the operation, valid at that moment, not revoked before it, not named in
/// a breach notice whose window had opened; and it is that key's signature
/// over the operation's canonical bytes.
enum SignatureRules {
    /// What the rules say of `entry`, appended at `position` and
    /// `recordedAt`: it holds, it is refused, or all holds but the bytes,
    /// which the returned check verifies (run it here, or with others on
    /// every core: ``run(_:)``). `schemaVersion` is the version its payload
    /// was stored (and signed) in; `unsignedPayload` that payload without
    /// the signature. `keys` are the actor's keys, `register` the breach
    /// notices; both may hold events at or after `position`, which do not
    /// count.
    static func judge(
        _ entry: JournalEntry, position: UInt64, recordedAt: Instant, schemaVersion: UInt32, mustSign: Bool, school: SchoolID?,
        keys: [SignatureKeyring.Key], register: CompromiseRegister, unsignedPayload: @autoclosure () throws -> [UInt8]
    ) rethrows -> Judgement {
        let refuse = { (reason: SignatureRefused.Reason, keyID: String?, detail: String) in
            SignatureRefused(
                reason: reason, eventID: entry.id, eventType: entry.event.eventType, actor: entry.actor, keyID: keyID, detail: detail)
        }
        guard let signature = entry.signature else {
            guard mustSign else { return .holds }
            return .refused(
                refuse(
                    .unsigned, nil,
                    "must be signed: the school's settings ask for a signature on \(entry.event.eventType). Sign the operation on the participant's device (JournalEntry.bytesToSign) and send it again."
                ))
        }
        let keyID = signature.keyID
        guard
            let key = keys.last(where: {
                $0.registered.keyID == keyID && ($0.position < position || $0.position == .max)
                    && !register.allVoided.contains($0.position)
            })
        else {
            return .refused(
                refuse(
                    .unknownKey, keyID,
                    "is signed with key \(keyID), which is not registered for \(entry.actor): register it (SignatureKeyRegistered) first, or sign with a registered key."
                ))
        }
        // Position `.max`: registered or revoked earlier in the call being checked.
        if let revoked = key.revokedAt, revoked < position || revoked == .max, !register.allVoided.contains(revoked) {
            return .refused(
                refuse(
                    .keyRevoked, keyID,
                    "is signed with key \(keyID), revoked at position \(revoked): it signs nothing more. Register a new key and sign with it."
                ))
        }
        guard key.registered.isValid(at: recordedAt) else {
            let until = key.registered.validUntil.map { " until \($0)" } ?? ""
            return .refused(
                refuse(
                    .keyNotValid, keyID,
                    "is signed with key \(keyID), valid from \(key.registered.validFrom)\(until), not at \(recordedAt): sign with a key valid now."
                ))
        }
        let naming = register.notices.filter { notice in
            let noticePosition = notice.position == 0 ? UInt64.max - 1 : notice.position
            return notice.notice.accountID == entry.actor && notice.notice.compromised.contains(.signatureKey)
                && noticePosition < position && notice.withdrawnAt.map { $0 >= position } ?? true
                && key.position < noticePosition
        }
        if let breach = naming.first(where: { recordedAt >= $0.opensAt }) {
            return .refused(
                refuse(
                    .keyCompromised, keyID,
                    "is signed with key \(keyID), compromised: the breach notice at position \(breach.position) names the signature key, which is revoked from \(breach.opensAt). Register a new key and sign with it."
                ))
        }
        let operationText = OperationSignature.signedText(
            school: school?.rawValue ?? "", id: entry.id, actor: entry.actor.rawValue, type: entry.event.eventType,
            schemaVersion: schemaVersion, occurredAt: entry.occurredAt, keyID: keyID, unsignedPayload: try unsignedPayload())
        guard let text = signature.signedBytes(operationText: operationText, school: school?.rawValue ?? "") else {
            let place = signature.batch.map { "place \($0.index) of \($0.size) with \($0.path.count) hashes" } ?? ""
            return .refused(
                refuse(
                    .badSignature, keyID,
                    "carries a batch signature whose place in the batch (\(place)) does not fit a batch of 1 to 4,096 operations: sign the batch again ([JournalEntry].bytesToSign) and send each operation with the place signedTogether gives it."
                ))
        }
        // From this instant on the key no longer signs: its end, or a breach window opening later.
        let ends = ([key.registered.validUntil].compactMap { $0 } + naming.map(\.opensAt)).min()
        return .check(
            SignatureCheck(
                publicKey: key.registered.publicKey, text: text, signature: signature, holdsUntil: ends,
                failure: refuse(
                    .badSignature, keyID,
                    "carries a signature that is not key \(keyID)'s over the operation's canonical bytes (JournalEntry.bytesToSign): sign exactly those bytes, with that key's private half."
                )))
    }

    /// What ``judge(_:position:recordedAt:schemaVersion:mustSign:school:keys:register:unsignedPayload:)`` found.
    enum Judgement {
        /// The rules hold (nothing to sign, nothing signed).
        case holds
        /// The rules refuse it.
        case refused(SignatureRefused)
        /// All holds if the signature is the key's over the bytes.
        case check(SignatureCheck)

        /// The refusal, if any; without `checkingBytes`, a signature whose
        /// bytes were checked already holds.
        func refusal(checkingBytes: Bool) -> SignatureRefused? {
            switch self {
            case .holds: nil
            case .refused(let refusal): refusal
            case .check(let check): checkingBytes ? check.run() : nil
            }
        }
    }

}

/// Verifies the signatures of one call in the background, on the other
/// cores, while the journal goes on checking the call's other rules
/// (Ed25519 verification is what a signed append costs); ``wait()`` gives
/// the first refusal in the order the checks were submitted.
final class SignatureVerifier: Sendable {
    private let group = DispatchGroup()
    private let state = Mutex((submitted: Set<SignatureCheck.Verification>(), failed: [Int: SignatureRefused]()))

    /// Starts verifying `check`.
    func submit(_ check: SignatureCheck) {
        let verification = check.verification
        let n = state.withLock { state -> Int? in
            // The operations of a batch signed together: one verification decides them all.
            guard state.submitted.insert(verification).inserted else { return nil }
            return state.submitted.count
        }
        guard let n else { return }
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            if let refusal = check.run() { state.withLock { $0.failed[n] = refusal } }
        }
    }

    /// Waits for every check submitted; the first refusal, or `nil`.
    func wait() -> SignatureRefused? {
        group.wait()
        return state.withLock { $0.failed.min { $0.key < $1.key }?.value }
    }
}

/// The one step of the signature rules that costs: an Ed25519 verification.
struct SignatureCheck: Sendable {
    var publicKey: [UInt8]
    var text: [UInt8]
    var signature: OperationSignature
    /// The instant from which the key signs nothing (its end, or a breach
    /// window that opens later); `nil`: no such instant is known. A record
    /// stamped at or after it is judged again (``SignatureRules/refuse(_:reader:register:)``).
    var holdsUntil: Instant?
    /// The refusal when the signature fails.
    var failure: SignatureRefused

    /// `nil` when the signature is the key's over the text, else ``failure``.
    func run() -> SignatureRefused? {
        signature.isValid(over: text, publicKey: publicKey) ? nil : failure
    }

    /// What one Ed25519 verification decides: the operations of a batch
    /// signed together share it, so the batch costs one verification.
    struct Verification: Hashable {
        var publicKey: [UInt8]
        var text: [UInt8]
        var signature: [UInt8]
    }

    /// This check's verification.
    var verification: Verification { Verification(publicKey: publicKey, text: text, signature: signature.signature) }
}

/// The batch signatures verified in one pass over records
/// (``SchoolJournal/verifySignatures(_:)``, the append rule), the last for
/// each key: a batch's operations, one after another, cost one Ed25519
/// verification.
struct VerifiedBatches {
    private var last = [String: SignatureCheck.Verification]()

    /// ``SignatureRules/Judgement/refusal(checkingBytes:)``, verifying a
    /// batch signature once.
    mutating func refusal(of judgement: SignatureRules.Judgement, checkingBytes: Bool = true) -> SignatureRefused? {
        guard checkingBytes, case .check(let check) = judgement, check.signature.batch != nil else {
            return judgement.refusal(checkingBytes: checkingBytes)
        }
        let verification = check.verification
        if last[check.signature.keyID] == verification { return nil }
        if let refusal = check.run() { return refusal }
        last[check.signature.keyID] = verification
        return nil
    }
}

extension JournalFacts {
    /// Checks the signature rules on an entry the journal is about to
    /// append (`payload`: its encoding with the signature), all but the
    /// signature's bytes, whose check it returns (the
    /// journal runs the checks of a call on every core); the facts read (the
    /// school's settings, the actor's keys, the breach register) are pinned,
    /// so a key revoked meanwhile makes the check run again.
    ///
    /// - Throws: ``SignatureRefused``.
    mutating func checkSignature(of entry: JournalEntry, payload: [UInt8], now: Instant, reader: borrowing LedgerReader) throws
        -> SignatureCheck?
    {
        if signaturePolicy == nil {
            var policy = SignaturePolicy()
            for fact in try facts(in: SchoolStream.school, reader: reader) {
                policy.apply(fact.event, position: fact.position ?? .max - 3)
            }
            signaturePolicy = policy
        }
        guard let policy = signaturePolicy else { return nil }
        let mustSign = policy.typesToSign(at: .max).contains(entry.event.eventType)
        guard mustSign || entry.signature != nil else { return nil }
        let keys = try signatureKeys(of: entry.actor, reader: reader)
        let register = try register(reader: reader)
        // The ledger's stamp is never before the last record's: a key judged at
        // an earlier `now` (a clock set back) would pass here and fail the rule.
        let stamp = max(now, try lastStamp(reader: reader) ?? now)
        switch try SignatureRules.judge(
            entry, position: .max, recordedAt: stamp, schemaVersion: entry.event.schemaVersion, mustSign: mustSign, school: policy.school,
            keys: keys, register: register,
            unsignedPayload: try EventCoding.withoutSignature(payload) ?? EventCoding.payloadBytes(entry.event))
        {
        case .holds: return nil
        case .refused(let refusal): throw refusal
        case .check(let check): return check
        }
    }
}

extension SignatureRules {
    /// One record to judge as stored: the entry, and for a signed one its
    /// payload without the signature.
    struct Stored {
        var recorded: RecordedJournalEntry
        var schemaVersion: UInt32
        var unsignedPayload: [UInt8]?
        /// Whether the journal checked the signature's bytes before the
        /// append (``JournalFacts/checkSignature(of:payload:now:reader:)``): only the
        /// key's validity at the stamped time is judged again.
        var bytesChecked = false
    }

    /// The record `view`, decoded as `recorded`, as ``judge(_:position:recordedAt:schemaVersion:mustSign:school:keys:register:unsignedPayload:)``
    /// needs it.
    static func stored(_ view: RecordView, _ recorded: RecordedJournalEntry, bytesChecked: Bool = false) -> Stored {
        var unsigned: [UInt8]?
        if recorded.entry.signature != nil, !bytesChecked {
            unsigned = try? EventCoding.unsignedPayload(of: EventCoding.payloadEnvelope(view.payload, type: view.type))
        }
        return Stored(recorded: recorded, schemaVersion: view.schemaVersion, unsignedPayload: unsigned, bytesChecked: bytesChecked)
    }

    /// Refuses, in the records of an append, one that breaks the signature
    /// rules, naming the reason: the rules hold on every path into the
    /// ledger, not only through ``SchoolJournal``. `records` are those that
    /// did not come through the journal's own checks (an import, an append
    /// to `journal.ledger`), and the journal's signed ones, whose key must
    /// also be valid at the time the ledger stamped (the journal checked it
    /// at an earlier instant; the stamp never goes back, so a clock set
    /// back or a slow commit can take it past the key's end).
    static func refuse(_ records: [Stored], reader: borrowing LedgerReader, register: CompromiseRegister) throws {
        let policy = try SignaturePolicy.read(reader)
        var keys = [AccountID: [SignatureKeyring.Key]]()
        var verified = VerifiedBatches()
        for record in records {
            let entry = record.recorded.entry
            let mustSign = policy.typesToSign(at: record.recorded.position).contains(entry.event.eventType)
            guard mustSign || entry.signature != nil else { continue }
            if keys[entry.actor] == nil { keys[entry.actor] = try SignatureKeyring.read(entry.actor, reader: reader) }
            guard
                let refusal = verified.refusal(
                    of: judge(
                        entry, position: record.recorded.position, recordedAt: record.recorded.recordedAt,
                        schemaVersion: record.schemaVersion, mustSign: mustSign, school: policy.school, keys: keys[entry.actor] ?? [],
                        register: register, unsignedPayload: record.unsignedPayload ?? []),
                    checkingBytes: !record.bytesChecked)
            else { continue }
            var error = LedgerError(
                .invalidEvent, "Event at position \(record.recorded.position): \(refusal). Nothing was appended.")
            error.field = "signature"
            error.eventID = entry.id
            throw error
        }
    }
}

extension JournalFacts {
    /// The signature keys of `account` (voided registrations left out, as
    /// every fact); one registered or revoked earlier in this call is at
    /// position `UInt64.max`.
    mutating func signatureKeys(of account: AccountID, reader: borrowing LedgerReader) throws -> [SignatureKeyring.Key] {
        var ring = SignatureKeyring()
        for fact in try facts(in: SchoolStream.account(account), reader: reader) { ring.apply(fact.event, position: fact.position ?? .max) }
        return ring.keys[account] ?? []
    }
}

/// An event about one account: its keys, its credentials, its holder told the rules.
protocol AccountEvent {
    /// The account.
    var accountID: AccountID { get }
}

extension SignatureKeyRegistered: AccountEvent {}
extension SignatureKeyRevoked: AccountEvent {}
extension CredentialsReset: AccountEvent {}
extension AccessRulesExplained: AccountEvent {}
