import LedgerLMDB

/// A reader over one consistent snapshot of the log, valid only inside the
/// closure of ``EventLedger/read(_:)``.
///
/// Every lookup here is consistent with the log at one commit. Views point
/// into the memory map (no copies); copy what you keep.
public struct LedgerReader: ~Copyable {
    let session: LedgerSession

    init(session: LedgerSession) {
        self.session = session
    }

    /// The chain head of this snapshot.
    public func head() throws -> ChainHead {
        guard let tail = try session.log.tail() else {
            return ChainHead(position: 0, hash: .genesis, recordedAt: nil)
        }
        return ChainHead(position: tail.position, hash: ChainHash(unchecked: tail.hash), recordedAt: tail.recordedAt)
    }

    /// The last position (0 for an empty log).
    public func lastPosition() throws -> UInt64 {
        try session.log.tail()?.position ?? 0
    }

    /// The record at `position`, or `nil` past the end.
    public func record(at position: UInt64) throws -> RecordView? {
        guard let bytes = try session.log.record(at: position) else { return nil }
        return try RecordView(parsing: bytes, key: position)
    }

    /// The hash the record at `position` is chained after: the previous
    /// record's hash, ``ChainHash/genesis`` for position 1; `nil` when no
    /// record precedes `position` in the log (it is past the end).
    ///
    /// Records keep only their own hash (format 2); a walk along the log
    /// asks this once and then carries each record's ``RecordView/hash`` on.
    public func chainHash(before position: UInt64) throws -> ChainHash? {
        guard position > 1 else { return position == 1 ? .genesis : nil }
        return try record(at: position - 1)?.hash
    }

    /// Calls `body` with each record from `first` through `last`, ascending (or
    /// descending when `reverse`), until `body` returns `false`.
    public func forEach(
        from first: UInt64 = 1, through last: UInt64 = .max, reverse: Bool = false,
        _ body: (RecordView) throws -> Bool
    ) throws {
        try session.log.scan(from: first, through: last, reverse: reverse) { key, bytes in
            try body(RecordView(parsing: bytes, key: key))
        }
    }

    /// Calls `body` with each stored key and undecoded record, ascending.
    func scanStored(from first: UInt64, through last: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool) throws {
        try session.log.scan(from: first, through: last, reverse: false, body)
    }

    /// The version of `stream` (0 when it has no events).
    public func streamVersion(_ stream: String) throws -> UInt64 {
        try session.log.streamHead(stream)?.version ?? 0
    }

    /// Calls `body` with the name and version of each stream whose name starts
    /// with `prefix` (all streams for ""), in byte order, until it returns `false`.
    public func forEachStream(withPrefix prefix: String, _ body: (_ stream: String, _ version: UInt64) throws -> Bool) throws {
        try session.log.streams(withPrefix: prefix) { name, head in try body(name, head.version) }
    }

    /// The number of events `actor` has appended.
    public func eventCount(ofActor actor: String) throws -> UInt64 {
        try session.log.actorHead(actor)?.count ?? 0
    }

    /// The position of the event with `id`.
    public func position(of id: EventID) throws -> UInt64? {
        try session.log.position(of: id)
    }

    /// Calls `body` with the events of `stream` whose versions lie in
    /// `versions`, oldest first, until it returns `false`.
    ///
    /// Walks the stream's back-pointers from the nearest index mark, so the
    /// cost is the events visited plus at most 64, whatever the log's size.
    public func forEach(
        inStream stream: String, versions: ClosedRange<UInt64> = 1...UInt64.max,
        _ body: (RecordView) throws -> Bool
    ) throws {
        guard let head = try session.log.streamHead(stream), versions.lowerBound <= head.version else { return }
        var position =
            try versions.upperBound < head.version
            ? session.log.streamWalkStart(stream, atOrAfter: versions.upperBound) ?? head.lastPosition
            : head.lastPosition
        var positions = [UInt64]()
        while position != 0 {
            guard let view = try record(at: position) else {
                throw LedgerError.corrupt(at: position, "a stream back-pointer leads to a missing record")
            }
            if view.streamVersion < versions.lowerBound { break }
            if view.streamVersion <= versions.upperBound { positions.append(position) }
            position = view.previousInStream
        }
        for p in positions.reversed() {
            guard let view = try record(at: p), try body(view) else { return }
        }
    }

    /// Calls `body` with the events of `actor` recorded in `window` (half-open),
    /// oldest first, until it returns `false`.
    ///
    /// Walks the actor's back-pointers from the nearest index mark after the
    /// window: the cost is proportional to that actor's events in the window
    /// (plus at most 255), independent of the size of the log.
    public func forEach(
        byActor actor: String, recordedIn window: Range<Instant>,
        _ body: (RecordView) throws -> Bool
    ) throws {
        guard let head = try session.log.actorHead(actor) else { return }
        var position = try session.log.actorWalkStart(actor, atOrAfter: window.upperBound) ?? head.lastPosition
        var positions = [UInt64]()
        while position != 0 {
            guard let view = try record(at: position) else {
                throw LedgerError.corrupt(at: position, "an actor back-pointer leads to a missing record")
            }
            if view.recordedAt < window.lowerBound { break }
            if view.recordedAt < window.upperBound { positions.append(position) }
            position = view.previousByActor
        }
        for p in positions.reversed() {
            guard let view = try record(at: p), try body(view) else { return }
        }
    }

    /// The last position whose `recordedAt` is at or before `instant` (0 when
    /// none): a binary search, since `recordedAt` never decreases along the log.
    public func position(atOrBefore instant: Instant) throws -> UInt64 {
        var low: UInt64 = 0  // known at or before
        var high = try lastPosition() + 1  // known after (or past the end)
        while high - low > 1 {
            let mid = low + (high - low) / 2
            guard let view = try record(at: mid) else { throw LedgerError.corrupt(at: mid, "a position is missing from the log") }
            if view.recordedAt <= instant { low = mid } else { high = mid }
        }
        return low
    }

    func statistics(_ db: Database) throws -> DatabaseStatistics {
        try session.txn.statistics(db)
    }

    /// The number of streams and actors in the log.
    public func counts() throws -> (streams: Int, actors: Int) {
        try session.log.counts()
    }
}
