import EventLedger

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
    /// The reason `entry`, appended at `position` and `recordedAt`, breaks
    /// the rules, or `nil`; `schemaVersion` is the version its payload was
    /// stored (and signed) in. `keys` are the actor's keys, `register` the
    /// breach notices; both may hold events at or after `position`, which do
    /// not count. Without `unsignedPayload` the signature's bytes are taken
    /// as already checked (the journal checked them on this very record).
    static func judge(
        _ entry: JournalEntry, position: UInt64, recordedAt: Instant, schemaVersion: UInt32, mustSign: Bool, school: SchoolID?,
        keys: [SignatureKeyring.Key],
        register: CompromiseRegister, unsignedPayload: [UInt8]?
    ) -> SignatureRefused? {
        let refuse = { (reason: SignatureRefused.Reason, keyID: String?, detail: String) in
            SignatureRefused(
                reason: reason, eventID: entry.id, eventType: entry.event.eventType, actor: entry.actor, keyID: keyID, detail: detail)
        }
        guard let signature = entry.signature else {
            guard mustSign else { return nil }
            return refuse(
                .unsigned, nil,
                "must be signed: the school's settings ask for a signature on \(entry.event.eventType). Sign the operation on the participant's device (JournalEntry.bytesToSign) and send it again."
            )
        }
        let keyID = signature.keyID
        guard
            let key = keys.last(where: {
                $0.registered.keyID == keyID && ($0.position < position || $0.position == .max)
                    && !register.allVoided.contains($0.position)
            })
        else {
            return refuse(
                .unknownKey, keyID,
                "is signed with key \(keyID), which is not registered for \(entry.actor): register it (SignatureKeyRegistered) first, or sign with a registered key."
            )
        }
        // Position `.max`: registered or revoked earlier in the call being checked.
        if let revoked = key.revokedAt, revoked < position || revoked == .max, !register.allVoided.contains(revoked) {
            return refuse(
                .keyRevoked, keyID,
                "is signed with key \(keyID), revoked at position \(revoked): it signs nothing more. Register a new key and sign with it.")
        }
        guard key.registered.isValid(at: recordedAt) else {
            let until = key.registered.validUntil.map { " until \($0)" } ?? ""
            return refuse(
                .keyNotValid, keyID,
                "is signed with key \(keyID), valid from \(key.registered.validFrom)\(until), not at \(recordedAt): sign with a key valid now."
            )
        }
        let breach = register.notices.first { notice in
            let noticePosition = notice.position == 0 ? UInt64.max - 1 : notice.position
            return notice.notice.accountID == entry.actor && notice.notice.compromised.contains(.signatureKey)
                && noticePosition < position && notice.withdrawnAt.map { $0 >= position } ?? true
                && key.position < noticePosition && recordedAt >= notice.opensAt
        }
        if let breach {
            return refuse(
                .keyCompromised, keyID,
                "is signed with key \(keyID), compromised: the breach notice at position \(breach.position) names the signature key, which is revoked from \(breach.opensAt). Register a new key and sign with it."
            )
        }
        guard let unsignedPayload else { return nil }
        let text = OperationSignature.signedText(
            school: school?.rawValue ?? "", id: entry.id, actor: entry.actor.rawValue, type: entry.event.eventType,
            schemaVersion: schemaVersion, occurredAt: entry.occurredAt, keyID: keyID, unsignedPayload: unsignedPayload)
        guard signature.isValid(over: text, publicKey: key.registered.publicKey) else {
            return refuse(
                .badSignature, keyID,
                "carries a signature that is not key \(keyID)'s over the operation's canonical bytes (JournalEntry.bytesToSign): sign exactly those bytes, with that key's private half."
            )
        }
        return nil
    }
}

extension JournalFacts {
    /// Checks the signature rules on an entry the journal is about to
    /// append; the facts read (the school's settings, the actor's keys, the
    /// breach register) are pinned, so a key revoked meanwhile makes the
    /// check run again.
    ///
    /// - Throws: ``SignatureRefused``.
    mutating func checkSignature(of entry: JournalEntry, now: Instant, reader: borrowing LedgerReader) throws {
        var policy = SignaturePolicy()
        for fact in try facts(in: SchoolStream.school, reader: reader) {
            policy.apply(fact.event, position: fact.position ?? .max - 3)
        }
        let mustSign = policy.typesToSign(at: .max).contains(entry.event.eventType)
        guard mustSign || entry.signature != nil else { return }
        let keys = try signatureKeys(of: entry.actor, reader: reader)
        let register = try register(reader: reader)
        let unsigned = try EventCoding.payloadBytes(entry.event)
        if let refusal = SignatureRules.judge(
            entry, position: .max, recordedAt: now, schemaVersion: entry.event.schemaVersion, mustSign: mustSign, school: policy.school,
            keys: keys,
            register: register, unsignedPayload: unsigned)
        {
            throw refusal
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
    }

    /// The record `view`, decoded as `recorded`, as ``judge(_:position:recordedAt:schemaVersion:mustSign:school:keys:register:unsignedPayload:)``
    /// needs it.
    static func stored(_ view: RecordView, _ recorded: RecordedJournalEntry) -> Stored {
        var unsigned: [UInt8]?
        if recorded.entry.signature != nil {
            unsigned = try? EventCoding.unsignedPayload(of: EventCoding.payloadEnvelope(view.payload, type: view.type))
        }
        return Stored(recorded: recorded, schemaVersion: view.schemaVersion, unsignedPayload: unsigned)
    }

    /// Refuses, in the records of an append that did not come through the
    /// journal's own checks (an import, an append to `journal.ledger`), one
    /// that breaks the signature rules, naming the reason: the rules hold on
    /// every path into the ledger, not only through ``SchoolJournal``.
    static func refuse(_ records: [Stored], reader: borrowing LedgerReader, register: CompromiseRegister) throws {
        var policy: SignaturePolicy?
        var keys = [AccountID: [SignatureKeyring.Key]]()
        for record in records {
            let entry = record.recorded.entry
            if policy == nil { policy = try SignaturePolicy.read(reader) }
            let mustSign = policy!.typesToSign(at: record.recorded.position).contains(entry.event.eventType)
            guard mustSign || entry.signature != nil else { continue }
            if keys[entry.actor] == nil { keys[entry.actor] = try SignatureKeyring.read(entry.actor, reader: reader) }
            guard
                let refusal = judge(
                    entry, position: record.recorded.position, recordedAt: record.recorded.recordedAt, schemaVersion: record.schemaVersion,
                    mustSign: mustSign, school: policy!.school, keys: keys[entry.actor] ?? [], register: register,
                    unsignedPayload: record.unsignedPayload ?? [])
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

/// The two events of an account's signature keys.
protocol AccountKeyEvent {
    /// The account whose key it is.
    var accountID: AccountID { get }
}

extension SignatureKeyRegistered: AccountKeyEvent {}
extension SignatureKeyRevoked: AccountKeyEvent {}
