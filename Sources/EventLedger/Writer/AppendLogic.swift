/// The ledger's rules for one append, on any ``LogStorage``: idempotent
/// retries, optimistic concurrency, stream versions, back-pointers and the
/// hash chain. Either every event of the request is written or none.
enum AppendLogic {
    /// Applies `request` inside `session` after `tail`, stamping `now` (clamped
    /// so that `recordedAt` never decreases). Advances `tail` on success.
    static func apply<S: LogStorage>(
        _ request: AppendRequest, storage: S, session: S.Session,
        tail: inout LogTail, now: Instant, buffer: inout [UInt8]
    ) throws -> AppendResult {
        if let original = try duplicateResult(request, storage: storage, session: session, tail: tail) {
            return original
        }
        for (stream, expected) in request.expectations {
            let actual = try storage.streamHead(session, stream)?.version ?? 0
            guard expected.isSatisfied(by: actual) else {
                var e = LedgerError(.wrongExpectedVersion, "Stream \(stream) is at version \(actual), but the append expected \(expected): read the stream again and retry. Nothing was appended.")
                e.stream = stream
                e.expectedVersion = expected
                e.actualVersion = actual
                throw e
            }
        }

        let recordedAt = max(now, tail.recordedAt)
        var streamHeads = [String: StreamHead]()
        var actorHeads = [String: ActorHead]()
        var positions = [UInt64]()
        var versions = [UInt64]()
        positions.reserveCapacity(request.events.count)
        versions.reserveCapacity(request.events.count)
        var position = tail.position
        var hash = tail.hash
        for event in request.events {
            position += 1
            var streamHead = try streamHeads[event.stream] ?? storage.streamHead(session, event.stream) ?? StreamHead(version: 0, lastPosition: 0)
            var actorHead = try actorHeads[event.actor] ?? storage.actorHead(session, event.actor) ?? ActorHead(count: 0, lastPosition: 0)
            let stamp = RecordStamp(position: position, streamVersion: streamHead.version + 1, recordedAt: recordedAt,
                                    previousInStream: streamHead.lastPosition, previousByActor: actorHead.lastPosition)
            hash = StoredRecord.encode(event, stamp: stamp, previousHash: hash, into: &buffer)
            streamHead = StreamHead(version: stamp.streamVersion, lastPosition: position)
            actorHead = ActorHead(count: actorHead.count + 1, lastPosition: position)
            try storage.append(session, record: buffer, index: IndexedRecord(
                position: position, id: event.id, stream: event.stream, streamVersion: stamp.streamVersion,
                actor: event.actor, actorCount: actorHead.count, recordedAt: recordedAt))
            streamHeads[event.stream] = streamHead
            actorHeads[event.actor] = actorHead
            positions.append(position)
            versions.append(stamp.streamVersion)
        }
        try storage.storeHeads(session, streams: streamHeads, actors: actorHeads)
        tail = LogTail(position: position, hash: hash, recordedAt: recordedAt)
        return AppendResult(positions: positions, streamVersions: versions, wasDuplicate: false,
                            recordedAt: recordedAt, lastPosition: position)
    }

    /// The original result when every event is already in the log with the
    /// same body; `nil` when none is. Throws for a changed body or a mix.
    private static func duplicateResult<S: LogStorage>(
        _ request: AppendRequest, storage: S, session: S.Session, tail: LogTail
    ) throws -> AppendResult? {
        var positions = [UInt64]()
        var versions = [UInt64]()
        var recordedAt = Instant.epoch
        var firstNew: EventID?
        for event in request.events {
            guard let position = try storage.position(session, of: event.id) else {
                if firstNew == nil { firstNew = event.id }
                continue
            }
            guard let bytes = try storage.record(session, at: position) else {
                throw LedgerError.corrupt(at: position, "the id index points to a missing record")
            }
            let view = try RecordView(parsing: bytes, key: position)
            guard view.hasSameBody(as: event) else {
                var e = LedgerError(.eventIDConflict, "Event id \(event.id) is already in the log at position \(position) with a different body: a retry must resend the same event; a new event needs a new id.")
                e.eventID = event.id
                e.position = position
                throw e
            }
            positions.append(position)
            versions.append(view.streamVersion)
            recordedAt = view.recordedAt
        }
        if positions.isEmpty { return nil }
        if let firstNew {
            var e = LedgerError(.duplicateEventID, "The append mixes \(positions.count) event(s) already in the log (first at position \(positions[0])) with new ones (first \(firstNew)): retry the original append unchanged, or send the new events on their own.")
            e.eventID = firstNew
            e.position = positions[0]
            throw e
        }
        return AppendResult(positions: positions, streamVersions: versions, wasDuplicate: true,
                            recordedAt: recordedAt, lastPosition: tail.position)
    }
}
