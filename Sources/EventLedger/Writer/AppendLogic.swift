/// The ledger's rules for appending, on any ``LogStorage``: idempotent
/// retries, optimistic concurrency, stream versions, back-pointers and the
/// hash chain. Either every event of a request is written or none.
enum AppendLogic {
    /// Applies `request` inside `session` after `tail`, stamping `now` (clamped
    /// so that `recordedAt` never decreases). Advances `tail` on success.
    static func apply<S: LogStorage>(
        _ request: AppendRequest, storage: S, session: S.Session,
        tail: inout LogTail, now: Instant, buffer: inout [UInt8]
    ) throws -> AppendResult {
        var chain = ChainAppender(storage: storage, session: session, tail: tail, expecting: request.events.count)
        let result = try apply(request, chain: &chain, now: now, buffer: &buffer)
        tail = try chain.finish()
        return result
    }

    /// Applies `request` after `chain`'s tail, stamping `now` (clamped so that
    /// `recordedAt` never decreases). The heads it moves stay in `chain` until
    /// it stores them, so appends that follow one another in a transaction
    /// (a group commit's) write each head once; expected versions are read
    /// through the chain.
    static func apply<S: LogStorage>(
        _ request: AppendRequest, chain: inout ChainAppender<S>, now: Instant, buffer: inout [UInt8]
    ) throws -> AppendResult {
        // One lookup for every id and head, where the engine answers many at
        // once (PostgreSQL); one by one, as they are needed, otherwise.
        let known = chain.storage.looksUpInBulk ? try chain.lookUp(request.events) : nil
        // A chain that leaves repeated ids to the storage's refusal looks none
        // up (one B-tree descent an event, a twentieth of the writer's time
        // at batch 10,000): a retry ends its transaction (``IDFoundInLog``),
        // and the writer writes it again with the ids looked up.
        if known != nil || !chain.leavesIDsToStorage,
            let original = try duplicateResult(request, storage: chain.storage, session: chain.session, tail: chain.tail, known: known)
        {
            return original
        }
        for (stream, expected) in request.expectations {
            let actual = try chain.streamVersion(of: stream)
            guard expected.isSatisfied(by: actual) else {
                var e = LedgerError(
                    .wrongExpectedVersion,
                    "Stream \(stream) is at version \(actual), but the append expected \(expected): read the stream again and retry. Nothing was appended."
                )
                e.stream = stream
                e.expectedVersion = expected
                e.actualVersion = actual
                throw e
            }
        }
        let recordedAt = max(now, chain.tail.recordedAt)
        var positions = [UInt64]()
        var versions = [UInt64]()
        positions.reserveCapacity(request.events.count)
        versions.reserveCapacity(request.events.count)
        for event in request.events {
            let stamped = try chain.append(event, recordedAt: recordedAt, buffer: &buffer)
            positions.append(stamped.position)
            versions.append(stamped.streamVersion)
        }
        return AppendResult(
            positions: positions, streamVersions: versions, wasDuplicate: false,
            recordedAt: recordedAt, lastPosition: chain.tail.position)
    }

    /// Appends every event `next` yields, in one transaction: events already in
    /// the log with the same body are skipped; a given `recordedAt` is kept
    /// when it neither goes back in time nor lies after `now`, and refused
    /// otherwise.
    ///
    /// With an append rule, the import is judged as appends are: the rule
    /// runs over the records not judged yet whenever a line starts a new
    /// transaction of the history (a later `recordedAt`) or carries one of the
    /// rule's `derivedTypes`, and at the end. A derived line is kept only when
    /// it equals, in order, what the rule derives at that point (or what the
    /// ledger already holds right after the previous line); derived events a
    /// file lacks are appended where the rule derives them.
    static func importAll<S: LogStorage>(
        _ next: () throws -> ImportedEvent?, storage: S, session: S.Session,
        tail: inout LogTail, now: Instant, buffer: inout [UInt8],
        rule: ((AppendRuleInput) throws -> [NewEvent])? = nil, derivedTypes: Set<String> = [], reservedActorPrefix: String? = nil
    ) throws -> ImportResult {
        var chain = ChainAppender(storage: storage, session: session, tail: tail)
        var result = ImportResult(appended: 0, skipped: 0, firstPosition: nil, lastPosition: tail.position)
        var index = 0
        // The first record the rule has not judged yet.
        var unjudgedFrom = rule == nil ? 0 : try storage.ruleCheckpoint(session) + 1
        // What the rule derived and the file's next derived lines must equal.
        var expected: [NewEvent]?
        // Where the latest line that is not derived stands in the ledger.
        var anchor = tail.position

        func append(_ event: NewEvent, recordedAt: Instant) throws {
            let stamped = try chain.append(event, recordedAt: recordedAt, buffer: &buffer)
            result.appended += 1
            // Memory stays bounded for any number of streams and actors:
            // the heads move from the cache into the transaction.
            if result.appended % 8_192 == 0 { try chain.storeHeads() }
            if result.firstPosition == nil { result.firstPosition = stamped.position }
        }
        /// What the rule derives over the records not judged yet.
        func judge() throws -> [NewEvent] {
            guard let rule, unjudgedFrom <= chain.tail.position else { return [] }
            // The rule reads streams and actors through their heads: store them first.
            try chain.storeHeads()
            let range = unjudgedFrom...chain.tail.position
            unjudgedFrom = chain.tail.position + 1
            return try rule(AppendRuleInput(unjudged: range, appended: range))
        }
        /// Appends derived events the file lacks, stamped as the records they follow.
        func appendDerived(_ events: [NewEvent]) throws {
            guard !events.isEmpty else { return }
            for event in events { try append(event, recordedAt: chain.tail.recordedAt) }
            unjudgedFrom = chain.tail.position + 1
        }
        /// Whether the ledger holds, right after the anchor, a derived event with `event`'s content.
        func heldAfterAnchor(_ event: NewEvent) throws -> Bool {
            var position = anchor + 1
            while position <= chain.tail.position, let bytes = try storage.record(session, at: position) {
                let view = try RecordView(parsing: bytes, key: position)
                guard derivedTypes.contains(view.type) else { return false }
                if view.newEvent().hasSameContent(as: event) { return true }
                position += 1
            }
            return false
        }

        var current = try next()
        while let item = current {
            index += 1
            do {
                try AppendRequest.validate(item.event)
                if !derivedTypes.contains(item.event.type) {
                    try AppendRule.refuseClaims(of: item.event, derivedTypes: [], reservedActorPrefix: reservedActorPrefix)
                }
                let following = try next()
                if let found = try existing(item.event, storage: storage, session: session) {
                    result.skipped += 1
                    if !derivedTypes.contains(item.event.type) { anchor = found.position }
                    current = following
                    continue
                }
                var recordedAt = max(now, chain.tail.recordedAt)
                if let given = item.recordedAt {
                    guard Instant.validRange.contains(given) else {
                        throw LedgerError.invalid(item.event, field: "recordedAt", "is \(given), outside 1970-01-01 … 9999-12-31 UTC")
                    }
                    guard given >= chain.tail.recordedAt else {
                        throw LedgerError.invalid(
                            item.event, field: "recordedAt",
                            "is \(given), before the last recorded instant \(chain.tail.recordedAt): imported history must not go back in time"
                        )
                    }
                    guard given <= now else {
                        throw LedgerError.invalid(
                            item.event, field: "recordedAt",
                            "is \(given), later than the ledger's clock (\(now)): imported history must not come from the future; check the file and this machine's clock"
                        )
                    }
                    recordedAt = given
                }
                if rule != nil, derivedTypes.contains(item.event.type) {
                    if expected == nil { expected = try judge() }
                    if let first = expected?.first, first.hasSameContent(as: item.event) {
                        expected?.removeFirst()
                        try append(item.event, recordedAt: recordedAt)
                        unjudgedFrom = chain.tail.position + 1
                    } else if try heldAfterAnchor(item.event) {
                        result.skipped += 1
                    } else {
                        throw LedgerError.invalid(
                            item.event, field: "type",
                            "is \(item.event.type), which only the ledger's append rule appends, and it is not what the rule derives at this point (\(expected?.first.map { "it derives a \($0.type) with other content" } ?? "it derives nothing here")): remove the line and import again, and the rule derives what belongs here"
                        )
                    }
                } else {
                    if let rest = expected, !rest.isEmpty { try appendDerived(rest) }
                    expected = nil
                    try append(item.event, recordedAt: recordedAt)
                    anchor = chain.tail.position
                    // A later line of another transaction: what the rule derives
                    // goes here, where the live ledger would have put it.
                    if let following, !derivedTypes.contains(following.event.type), let a = item.recordedAt, let b = following.recordedAt,
                        b > a
                    {
                        try appendDerived(try judge())
                    }
                }
                current = following
            } catch var error as LedgerError {
                error.importIndex = index
                error.message = "Imported event #\(index): \(error.message)"
                throw error
            }
        }
        if rule != nil {
            try appendDerived(expected ?? [])
            try appendDerived(try judge())
            try storage.setRuleCheckpoint(session, chain.tail.position)
        }
        tail = try chain.finish()
        result.lastPosition = tail.position
        return result
    }

    /// The position of `event` when the log already holds it with the same
    /// body; `nil` when the id is new. Throws when the id is taken by another body.
    /// `known`, when given, holds the position of every id the log has (the
    /// storage's answer for a whole append), so no id is looked up again.
    static func existing<S: LogStorage>(_ event: NewEvent, storage: S, session: S.Session, known: [EventID: UInt64]? = nil) throws
        -> (position: UInt64, streamVersion: UInt64, recordedAt: Instant)?
    {
        guard let position = try known.map({ $0[event.id] }) ?? storage.position(session, of: event.id) else { return nil }
        guard let bytes = try storage.record(session, at: position) else {
            throw LedgerError.corrupt(at: position, "the id index points to a missing record")
        }
        let view = try RecordView(parsing: bytes, key: position)
        guard view.hasSameBody(as: event) else {
            var e = LedgerError(
                .eventIDConflict,
                "Event id \(event.id) is already in the log at position \(position) with a different body: a retry must resend the same event; a new event needs a new id."
            )
            e.eventID = event.id
            e.position = position
            throw e
        }
        return (position, view.streamVersion, view.recordedAt)
    }

    /// The original result when every event is already in the log with the
    /// same body; `nil` when none is. Throws for a changed body or a mix.
    private static func duplicateResult<S: LogStorage>(
        _ request: AppendRequest, storage: S, session: S.Session, tail: LogTail, known: [EventID: UInt64]?
    ) throws -> AppendResult? {
        var positions = [UInt64]()
        var versions = [UInt64]()
        var recordedAt = Instant.epoch
        var firstNew: EventID?
        for event in request.events {
            guard let found = try existing(event, storage: storage, session: session, known: known) else {
                if firstNew == nil { firstNew = event.id }
                continue
            }
            positions.append(found.position)
            versions.append(found.streamVersion)
            recordedAt = found.recordedAt
        }
        if positions.isEmpty { return nil }
        if let firstNew {
            var e = LedgerError(
                .duplicateEventID,
                "The append mixes \(positions.count) event(s) already in the log (first at position \(positions[0])) with new ones (first \(firstNew)): retry the original append unchanged, or send the new events on their own."
            )
            e.eventID = firstNew
            e.position = positions[0]
            throw e
        }
        return AppendResult(
            positions: positions, streamVersions: versions, wasDuplicate: true,
            recordedAt: recordedAt, lastPosition: tail.position)
    }
}

/// An append's id was in the log already, found by the storage's refusal
/// in a chain that looked no id up first (``ChainAppender/leavesIDsToStorage``):
/// the transaction is abandoned and the append written again with its ids
/// looked up, which gives a retry its original result.
struct IDFoundInLog: Error {}

/// Chains events after a tail inside one session: stamps position, stream
/// version and back-pointers, encodes and hashes the record, indexes it, and
/// keeps the touched stream and actor heads until ``finish()`` stores them.
struct ChainAppender<S: LogStorage> {
    let storage: S
    let session: S.Session
    private(set) var tail: LogTail
    /// Whether the appends of this chain look no id up before they write and
    /// learn of an id in the log from the storage's refusal, which ends the
    /// transaction (``IDFoundInLog``). Only where the storage refuses such a
    /// record and the whole transaction can be written again.
    let leavesIDsToStorage: Bool
    private var streamHeads = [String: StreamHead]()
    private var actorHeads = [String: ActorHead]()
    /// Streams and actors known to have no records yet (``lookUp(_:)``),
    /// until the heads are next stored.
    private var streamsWithoutRecords = Set<String>()
    private var actorsWithoutRecords = Set<String>()
    /// Whether a record was appended (the format mark is written once then).
    private var appendedAny = false
    /// The stream and the actor of the last event, with their places in the
    /// heads. A lesson's roll call and marks come as runs of one stream and
    /// one actor: within a run a name is compared, not hashed (the heads'
    /// lookups were an eighth of an append's time on the writer at batch
    /// 10,000). Reset whenever the heads gain or lose a key, which moves
    /// their places.
    private var lastStream: (name: String, index: Dictionary<String, StreamHead>.Index)?
    private var lastActor: (name: String, index: Dictionary<String, ActorHead>.Index)?

    /// A chain after `tail`; `expecting` events (a capacity hint for the
    /// heads, at most 16,384 of them: a larger group grows its dictionary).
    init(storage: S, session: S.Session, tail: LogTail, expecting: Int = 0, leavingIDsToStorage: Bool = false) {
        self.storage = storage
        self.session = session
        self.tail = tail
        self.leavesIDsToStorage = leavingIDsToStorage && storage.refusesRepeatedIDs
        streamHeads.reserveCapacity(min(expecting, 1 << 14))
        actorHeads.reserveCapacity(min(expecting, 64))
    }

    /// The version `stream` stands at in this chain: its cached head, or the stored one.
    func streamVersion(of stream: String) throws -> UInt64 {
        if let head = streamHeads[stream] { return head.version }
        if streamsWithoutRecords.contains(stream) { return 0 }
        return try storage.streamHead(session, stream)?.version ?? 0
    }

    /// Looks up, in one call of the storage, the positions of `events`' ids
    /// the log holds (returned) and the stored heads of the streams and
    /// actors they append to (kept), so that appending them reads no head
    /// one by one.
    mutating func lookUp(_ events: [NewEvent]) throws -> [EventID: UInt64] {
        let streams = Set(events.map(\.stream)).filter { streamHeads[$0] == nil && !streamsWithoutRecords.contains($0) }
        let actors = Set(events.map(\.actor)).filter { actorHeads[$0] == nil && !actorsWithoutRecords.contains($0) }
        let found = try storage.lookUp(session, ids: events.map(\.id), streams: Array(streams), actors: Array(actors))
        for stream in streams {
            if let head = found.streamHeads[stream] { streamHeads[stream] = head } else { streamsWithoutRecords.insert(stream) }
        }
        for actor in actors {
            if let head = found.actorHeads[actor] { actorHeads[actor] = head } else { actorsWithoutRecords.insert(actor) }
        }
        if !streams.isEmpty { lastStream = nil }
        if !actors.isEmpty { lastActor = nil }
        return found.positions
    }

    mutating func append(_ event: NewEvent, recordedAt: Instant, buffer: inout [UInt8]) throws -> (position: UInt64, streamVersion: UInt64)
    {
        let position = tail.position + 1
        // No hash of a name that follows itself, one when its head is cached
        // (the index serves the read and the update), two when it is read
        // from the storage.
        let streamIndex = lastStream.flatMap { $0.name == event.stream ? $0.index : nil } ?? streamHeads.index(forKey: event.stream)
        let streamHead =
            try streamIndex.map { streamHeads.values[$0] }
            ?? (streamsWithoutRecords.contains(event.stream) ? nil : storage.streamHead(session, event.stream))
            ?? StreamHead(version: 0, lastPosition: 0)
        let actorIndex = lastActor.flatMap { $0.name == event.actor ? $0.index : nil } ?? actorHeads.index(forKey: event.actor)
        let actorHead =
            try actorIndex.map { actorHeads.values[$0] }
            ?? (actorsWithoutRecords.contains(event.actor) ? nil : storage.actorHead(session, event.actor))
            ?? ActorHead(count: 0, lastPosition: 0)
        let stamp = RecordStamp(
            position: position, streamVersion: streamHead.version + 1, recordedAt: recordedAt,
            previousInStream: streamHead.lastPosition, previousByActor: actorHead.lastPosition)
        let hash = StoredRecord.encode(event, stamp: stamp, previousHash: tail.hash, into: &buffer)
        let actorCount = actorHead.count + 1
        do {
            try storage.append(
                session, record: buffer,
                index: IndexedRecord(
                    position: position, id: event.id, stream: event.stream, streamVersion: stamp.streamVersion,
                    actor: event.actor, actorCount: actorCount, recordedAt: recordedAt))
        } catch let error as LedgerError where leavesIDsToStorage && error.code == .duplicateEventID {
            throw IDFoundInLog()
        }
        let newStreamHead = StreamHead(version: stamp.streamVersion, lastPosition: position)
        if let streamIndex {
            streamHeads.values[streamIndex] = newStreamHead
            lastStream = (event.stream, streamIndex)
        } else {
            streamHeads[event.stream] = newStreamHead
            lastStream = nil
        }
        let newActorHead = ActorHead(count: actorCount, lastPosition: position)
        if let actorIndex {
            actorHeads.values[actorIndex] = newActorHead
            lastActor = (event.actor, actorIndex)
        } else {
            actorHeads[event.actor] = newActorHead
            lastActor = nil
        }
        tail = LogTail(position: position, hash: hash, recordedAt: recordedAt)
        if !appendedAny {
            try storage.markWrittenInCurrentFormat(session)
            appendedAny = true
        }
        return (position, stamp.streamVersion)
    }

    /// Stores the heads the appends touched; returns the new tail.
    mutating func finish() throws -> LogTail {
        try storeHeads()
        return tail
    }

    /// Stores the heads touched so far in the transaction and empties the
    /// cache (later appends read them back from the transaction): what keeps
    /// a long import's memory flat.
    mutating func storeHeads() throws {
        // Heads only looked up (a retry that appends nothing) are stored already.
        if appendedAny { try storage.storeHeads(session, streams: streamHeads, actors: actorHeads) }
        streamHeads.removeAll(keepingCapacity: true)
        actorHeads.removeAll(keepingCapacity: true)
        lastStream = nil
        lastActor = nil
        streamsWithoutRecords.removeAll()
        actorsWithoutRecords.removeAll()
    }
}
