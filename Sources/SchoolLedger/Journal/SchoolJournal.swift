#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
public import EventLedger
import Logging
import Synchronization

/// The school's electronic journal (электронный журнал) on an event ledger:
/// school events checked against their rules and against what the ledger
/// already holds, then appended atomically.
///
/// ```swift
/// let journal = try SchoolJournal.open(at: "/var/lib/school/ledger")
/// try await journal.record(.markRecorded(mark), by: "teacher-ivanova", occurredAt: lessonStart)
/// ```
///
/// Before anything is appended, every entry passes its field rules
/// (``SchoolEvent/validate()``) and the reference rules: the students,
/// lessons, subjects, classes and groups it names exist; a mark or an
/// attendance fact is for a student who is in the lesson's class or group
/// on the lesson's date; a lesson lies inside an academic year and outside
/// its holidays. Entries of one call see the earlier entries of the same
/// call. The facts read are pinned with expected stream versions, so a
/// concurrent change to them makes the check run again.
public final class SchoolJournal: Sendable {
    /// The event ledger underneath.
    public let ledger: EventLedger
    let logger: Logger
    /// The personal-data vault: seals names, birth dates and contacts before
    /// they are appended, opens them for views; `nil` when the journal was
    /// made without one (views then show ids).
    let vault: PersonalDataVault?
    /// The register of breach notices, shared by the invalidator and the rule checks.
    let compromiseRegister = CompromiseRegisterCache()
    /// The school stream's decoded records, shared by the rights checks.
    let sharedDecodes = SharedRecordDecodes()
    /// The events being appended, for the append's own checks and folds (``EncodedEvents``).
    let encodedEvents = EncodedEvents()
    /// Where the read log is (opened at the first read).
    public let readLogDirectory: String
    /// The directory of the personal-data vault, if the journal has one.
    public var vaultDirectory: String? { vault?.directory }
    private let openedReadLog = Mutex<ReadLog?>(nil)
    /// The school's calendar with the stream versions it holds for (see `schoolCalendar()`).
    let calendarCache = Mutex<CalendarCache?>(nil)

    /// A journal over an open ledger; registers the journal's read models
    /// (`JournalIndexProjection`) and the log's Merkle tree
    /// (`MerkleTreeProjection`, for proofs), and sets the compromise invalidator as
    /// the ledger's append rule (`EventLedger.setAppendRule(_:)`),
    /// so every append and import of this process keeps the voids of clause 11
    /// true, then judges every record appended without it (by another
    /// process, an older version, a plain `EventLedger`) in one transaction.
    ///
    /// On a read-only ledger whose read models were never built, or lag
    /// behind what a query asks for, the query says so
    /// (`projectionNotBuilt`, `projectionStale`) and names what to run; it
    /// never folds the log itself.
    ///
    /// Reads are logged in the read log in `readLogDirectory` (by default the
    /// ledger's `read-log/` subdirectory), opened at the first read.
    ///
    /// Personal data stays unavailable through a journal made this way: open
    /// the ledger with ``open(at:options:vaultDirectory:vaultKeys:readLogDirectory:)``
    /// to have its vault.
    public convenience init(ledger: EventLedger, readLogDirectory: String? = nil) throws {
        try self.init(ledger: ledger, vault: nil, readLogDirectory: readLogDirectory)
    }

    /// A journal over an open ledger with the personal-data vault `vault`
    /// (see ``init(ledger:readLogDirectory:)``).
    package init(ledger: EventLedger, vault: PersonalDataVault?, readLogDirectory: String?) throws {
        self.ledger = ledger
        self.vault = vault
        self.readLogDirectory = readLogDirectory ?? ReadLog.defaultDirectory(forLedger: ledger.directory)
        self.logger = ledger.options.logger
        let invalidator = Invalidator(compromiseRegister: compromiseRegister, encodedEvents: encodedEvents)
        ledger.setAppendRule(invalidator.rule)
        if !ledger.options.readOnly {
            let derived = try ledger.judgeUnjudgedRecords()
            if !derived.isEmpty {
                logger.notice("clause 11: judged records appended without the invalidator", metadata: ["derived": "\(derived)"])
            }
        }
        do {
            try ledger.register(JournalIndexProjection(encodedEvents: encodedEvents))
        } catch  where ledger.options.readOnly {
            logger.debug("journal index not built in this ledger (or by another version); queries will say what to run")
        }
        // The log's Merkle tree, so that a proof for an extract reads O(log n) rows.
        do {
            try ledger.register(MerkleTreeProjection())
        } catch  where ledger.options.readOnly {
            logger.debug("Merkle tree not built in this ledger; proofs read every record's hash")
        }
        if let vault, !ledger.options.readOnly { try finishErasures(in: vault) }
    }

    /// Opens (creating when missing) the journal's ledger in `directory`,
    /// with its personal-data vault in `vaultDirectory` (by default the
    /// ledger's `vault/` subdirectory; pass another path to keep the keys on
    /// another volume). A read-only journal opens the vault only if it exists.
    ///
    /// The vault's keys are wrapped by a key-encryption key from `vaultKeys`:
    /// by default the key file beside the ledger's directory
    /// (``KeyFile/defaultPath(forLedger:)``), created with the vault. A
    /// read-only journal whose key-encryption key is missing opens without
    /// its vault (views show ids; the log verifies as ever).
    public static func open(
        at directory: String, options: EventLedger.Options = EventLedger.Options(),
        vaultDirectory: String? = nil, vaultKeys: VaultKeys? = nil,
        readLogDirectory: String? = nil
    ) throws -> SchoolJournal {
        try open(
            ledger: try EventLedger.open(at: directory, options: options), vaultDirectory: vaultDirectory, vaultKeys: vaultKeys,
            readLogDirectory: readLogDirectory)
    }

    /// Opens the journal on `ledger`, a ledger already open on any storage
    /// backend (`EventLedger.open(storage:readModels:options:)`): the
    /// journal's rules, read models and clause-11 invalidator are the same on
    /// every backend. The vault and the read log default to subdirectories
    /// of `ledger.directory` (for a backend other than LMDB, its local read
    /// models' directory), as for ``open(at:options:vaultDirectory:vaultKeys:readLogDirectory:)``.
    public static func open(
        ledger: EventLedger, vaultDirectory: String? = nil, vaultKeys: VaultKeys? = nil, readLogDirectory: String? = nil
    ) throws -> SchoolJournal {
        let options = ledger.options
        let vaultPath = vaultDirectory ?? PersonalDataVault.defaultDirectory(forLedger: ledger.directory)
        let keys = vaultKeys ?? .file(path: KeyFile.defaultPath(forLedger: ledger.directory), ledgerDirectory: ledger.directory)
        let vault: PersonalDataVault?
        if options.readOnly {
            if FileManager.default.fileExists(atPath: vaultPath + "/data.mdb") {
                do {
                    vault = try PersonalDataVault.open(at: vaultPath, readOnly: true, keys: keys)
                } catch let error as PersonalDataError {
                    ledger.options.logger.notice(
                        "personal-data vault not opened: names stay sealed", metadata: ["reason": "\(error.message)"])
                    vault = nil
                }
            } else {
                vault = nil
            }
        } else {
            vault = try PersonalDataVault.open(at: vaultPath, keys: keys)
        }
        return try SchoolJournal(ledger: ledger, vault: vault, readLogDirectory: readLogDirectory)
    }

    /// Records one event done by `actor`; see ``record(_:)-([JournalEntry])``.
    @discardableResult
    public func record(_ event: SchoolEvent, by actor: AccountID, occurredAt: Instant, id: EventID = .generate()) async throws
        -> AppendResult
    {
        try await record([JournalEntry(id: id, event: event, actor: actor, occurredAt: occurredAt)])
    }

    /// Checks `entries` — each actor's rights, the field rules and the
    /// reference rules — and appends them atomically, in order.
    ///
    /// The embedding service authenticates the user itself and passes the
    /// user's account as each entry's actor; the rights table of the domain
    /// ("Roles and rights") is then checked from the facts in the ledger.
    ///
    /// - Throws: ``AccessDenied`` naming the account, the action and the
    ///   missing right; ``SchoolValidationError`` naming the event type, the
    ///   field, the value and the rule broken; ``SignatureRefused`` when an
    ///   operation the school's settings ask to be signed is not, or its
    ///   signature fails (clause 10); `LedgerError` from the ledger (a
    ///   changed event behind a known id). Nothing is appended then.
    ///   Resending entries that were already appended returns their original
    ///   positions.
    @discardableResult
    public func record(_ entries: [JournalEntry]) async throws -> AppendResult {
        try await append(entries, checkingRights: true)
    }

    /// Appends `entries` with the field and reference rules but WITHOUT the
    /// rights check: for loading history from another system and for tests of
    /// the read models. An embedding service must never route a user's request
    /// here; it uses ``record(_:)-([JournalEntry])`` or ``session(for:context:)``.
    @discardableResult
    public func recordTrusted(_ entries: [JournalEntry]) async throws -> AppendResult {
        try await append(entries, checkingRights: false)
    }

    /// One event through ``recordTrusted(_:)-([JournalEntry])``.
    @discardableResult
    public func recordTrusted(_ event: SchoolEvent, by actor: AccountID, occurredAt: Instant, id: EventID = .generate()) async throws
        -> AppendResult
    {
        try await recordTrusted([JournalEntry(id: id, event: event, actor: actor, occurredAt: occurredAt)])
    }

    private func append(_ entries: [JournalEntry], checkingRights: Bool) async throws -> AppendResult {
        let attempts = 8
        for attempt in 1...attempts {
            let now = ledger.options.clock.now()
            let verifier = SignatureVerifier()
            var stampBefore = [EventID: Instant]()
            let (events, pinned) = try ledger.read { reader -> ([NewEvent], [String: ExpectedVersion]) in
                let events = try entries.map { entry in
                    do {
                        return try EventCoding.newEvent(entry)
                    } catch let invalid as SchoolValidationError where checkingRights {
                        // An account without the right learns that first, not which
                        // field of what it may not record is wrong.
                        var facts = JournalFacts(compromiseRegister: compromiseRegister, sharedDecodes: sharedDecodes)
                        facts.now = now
                        let today = try facts.today(at: now, reader: reader)
                        try AccessPolicy.authorize(entry, today: today, facts: &facts, reader: reader)
                        throw invalid
                    }
                }
                // A retry of entries already appended goes straight to the ledger,
                // which answers with the original positions.
                if try events.allSatisfy({ try reader.position(of: $0.id) != nil }) { return (events, [:]) }
                var facts = JournalFacts(compromiseRegister: compromiseRegister, sharedDecodes: sharedDecodes)
                facts.now = now
                let today = try facts.today(at: now, reader: reader)
                for (entry, event) in zip(entries, events) {
                    if !checkingRights, entry.event.isInvalidatorEvent {
                        throw SchoolValidationError(
                            eventType: entry.event.eventType, field: "type", value: entry.event.eventType,
                            rule: "is appended by the compromise invalidator itself, never by a caller")
                    }
                    try Self.refuseReservedAccounts(entry)
                    if !checkingRights, try !facts.schoolIsUnregistered(reader: reader), try !facts.isKnown(entry.actor, reader: reader) {
                        throw SchoolValidationError(
                            eventType: entry.event.eventType, field: "actor", value: entry.actor.rawValue,
                            rule:
                                "must be an account the ledger knows (a staff role granted, credentials issued, or the account that registered the school), even for a trusted append"
                        )
                    }
                    try ReferenceRules.check(entry, facts: &facts, reader: reader)
                    if checkingRights { try AccessPolicy.authorize(entry, today: today, facts: &facts, reader: reader) }
                    if let check = try facts.checkSignature(of: entry, payload: event.payload, now: now, reader: reader) {
                        verifier.submit(check)
                        stampBefore[entry.id] = check.holdsUntil
                    }
                    try facts.apply(entry, reader: reader)
                }
                return (events, facts.versionsRead.mapValues { ExpectedVersion.exactly($0) })
            }
            encodedEvents.add(events, encodedFrom: entries, stampBefore: stampBefore)
            defer { encodedEvents.remove(events) }
            do {
                // The signatures' bytes are verified in the background while the rules
                // above ran and while the writer writes: the commit waits for them.
                return try await ledger.append(events, expecting: pinned) {
                    verifier.wait().map { LedgerError(.invalidEvent, "\($0) Nothing was appended.") }
                }
            } catch {
                if let refusal = verifier.wait() { throw refusal }
                guard let error = error as? LedgerError, error.code == .wrongExpectedVersion, attempt < attempts else { throw error }
                logger.debug("facts changed while checking; checking again", metadata: ["stream": "\(error.stream ?? "")"])
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }

    /// Refuses the library's own account names as the actor of an entry and
    /// as the account that gets credentials or a role.
    static func refuseReservedAccounts(_ entry: JournalEntry) throws {
        let named: [(String, AccountID)] =
            switch entry.event {
            case .credentialsIssued(let e): [("account_id", e.accountID)]
            case .credentialsReset(let e): [("account_id", e.accountID)]
            case .staffRoleGranted(let e): [("account_id", e.accountID)]
            default: []
            }
        for (field, account) in [("actor", entry.actor)] + named where account.isReserved {
            throw SchoolValidationError(
                eventType: entry.event.eventType, field: field, value: account.rawValue,
                rule:
                    "must not start with \(AccountID.reservedPrefix): such names are the library's own actors (the invalidator), which no person or service may act as"
            )
        }
    }

    /// Checks whether `account` may see `read` now; throws ``AccessDenied`` if not.
    func authorize(_ read: SchoolRead, by account: AccountID) throws {
        _ = try permitted([read], by: account, throwingDenial: true)
    }

    /// Which of `reads` `account` may see now, judged on one snapshot with
    /// one set of facts (a search checks many students at the cost of one
    /// check); with `throwingDenial`, the first refusal is thrown instead.
    func permitted(_ reads: [SchoolRead], by account: AccountID, throwingDenial: Bool = false) throws -> [Bool] {
        let now = ledger.options.clock.now()
        return try ledger.read { reader in
            var facts = JournalFacts(compromiseRegister: compromiseRegister, sharedDecodes: sharedDecodes)
            facts.now = now
            let today = try facts.today(at: now, reader: reader)
            var allowed = [Bool]()
            for read in reads {
                do {
                    try AccessPolicy.authorize(read, by: account, today: today, facts: &facts, reader: reader)
                    allowed.append(true)
                } catch is AccessDenied where !throwingDenial {
                    allowed.append(false)
                }
            }
            return allowed
        }
    }

    /// The queries and commands of one account, each checked against its
    /// rights, each read logged with `context`; see ``AccountSession``.
    public func session(for account: AccountID, context: RequestContext = .none) -> AccountSession {
        AccountSession(journal: self, account: account, checksRights: true, context: context)
    }

    /// A session whose queries skip the rights check, for the school's IT
    /// tools (the command-line tool's reports, extracts and audits): every
    /// read is still logged, under `account`, marked as unchecked. Commands
    /// through it are checked as in any session. An embedding service never
    /// answers a user's request through it; it uses ``session(for:context:)``.
    public func trustedSession(for account: AccountID, context: RequestContext = .none) -> AccountSession {
        AccountSession(journal: self, account: account, checksRights: false, context: context)
    }

    /// The read log, opened at the first call.
    ///
    /// - Throws: ``ReadLogError`` when it cannot be opened for writing: reads
    ///   of personal data are refused then.
    public func readLog() throws -> ReadLog {
        try openedReadLog.withLock { log in
            if let log { return log }
            let opened = try ReadLog.open(at: readLogDirectory, clock: ledger.options.clock)
            log = opened
            return opened
        }
    }

    /// The data subject a person id names: the student or parent whose
    /// stream the ledger holds.
    func dataSubjects(_ person: PersonID) throws -> [DataSubject] {
        try ledger.read { reader in
            if try reader.streamVersion(SchoolStream.student(StudentID(person.rawValue))) > 0 {
                return [.student(StudentID(person.rawValue))]
            }
            if try reader.streamVersion(SchoolStream.parent(ParentID(person.rawValue))) > 0 { return [.parent(ParentID(person.rawValue))] }
            return []
        }
    }

    /// The recorded entries from `first` through `last`, decoded and upcast;
    /// quarantined records (see ``quarantinedRecords(from:through:)``) are skipped.
    public func entries(from first: UInt64 = 1, through last: UInt64 = .max) throws -> [RecordedJournalEntry] {
        try ledger.read { reader in
            var out = [RecordedJournalEntry]()
            try reader.forEach(from: first, through: last) { view in
                if let entry = EventCoding.decodedEntry(view) { out.append(entry) }
                return true
            }
            return out
        }
    }

    /// The recorded entries of one stream (see ``SchoolStream``), oldest first;
    /// quarantined records are skipped.
    public func entries(inStream stream: String) throws -> [RecordedJournalEntry] {
        try ledger.read { reader in
            var out = [RecordedJournalEntry]()
            try reader.forEach(inStream: stream) { view in
                if let entry = EventCoding.decodedEntry(view) { out.append(entry) }
                return true
            }
            return out
        }
    }

    /// The records from `first` through `last` that the school domain cannot
    /// decode: quarantined, skipped by every read and read model. Only a
    /// program without the journal's rule can have appended them.
    public func quarantinedRecords(from first: UInt64 = 1, through last: UInt64 = .max) throws -> [QuarantinedRecord] {
        try ledger.read { reader in try QuarantinedRecord.find(reader, from: first, through: last) }
    }
}
