import LedgerLMDB

/// Folds a range of the log into one slot of a projection: calls `apply` for
/// each record of the projection's types and, for a record that excludes or
/// restores earlier ones, records that and re-folds exactly the streams of
/// those earlier records. A ``PreparingProjection``'s records of a long
/// range are prepared ahead on another thread (``PrepareAhead``).
struct ProjectionFolder: Sendable {
    let projection: any Projection
    /// The projection's event types as UTF-8 bytes, compared in place.
    let typeFilter: [[UInt8]]?
    /// The projection's halves, when it prepares.
    let preparer: Preparer?
    /// Where the writes go as well, for a ``RecordingProjection``.
    let recorder: ProjectionWriteRecorder?
    /// Ranges of at least this many records are prepared ahead (documented on ``PreparingProjection``).
    static let aheadFrom: UInt64 = 2_048

    init(_ projection: any Projection) {
        self.projection = projection
        typeFilter = projection.eventTypes.map { $0.map { Array($0.utf8) } }
        preparer = Preparer.of(projection)
        recorder = (projection as? RecordingProjection)?.recorder
    }

    func handles(_ view: RecordView) -> Bool {
        guard let typeFilter else { return true }
        let type = view.typeBytes
        return typeFilter.contains { type.elementsEqual($0) }
    }

    /// Folds positions `first...last` of the log (read through `log`) into
    /// `slot` (written through `target`); returns how many records were read.
    @discardableResult
    func fold(
        from first: UInt64, through last: UInt64, log: LedgerSession, storage: any LocalLogStorage,
        into target: borrowing Transaction, slot: ProjectionSlot
    ) throws -> Int {
        guard first <= last else { return 0 }
        let ahead = preparer.flatMap { preparer in
            last - first >= Self.aheadFrom - 1
                ? PrepareAhead(first: first, last: last, storage: storage, preparer: preparer, handles: { [self] in handles($0) }) : nil
        }
        defer { ahead?.stop() }
        return try withUnsafePointer(to: target) { targetPointer in
            var count = 0
            try log.log.scan(from: first, through: last, reverse: false) { key, bytes in
                let view = try RecordView(parsing: bytes, key: key)
                if let exclusions = try projection.exclusions(in: view) {
                    try refold(after: exclusions, at: view, log: log, target: targetPointer, slot: slot)
                }
                if handles(view) {
                    try apply(
                        view, prepared: ahead?.take(view.position),
                        to: store(targetPointer, log, slot, at: view.position, history: view.position))
                }
                count += 1
                return true
            }
            return count
        }
    }

    /// Folds `view` into the model: a preparing projection's halves, with
    /// the value prepared ahead when there is one.
    private func apply(_ view: RecordView, prepared: (any Sendable)?, to store: borrowing ProjectionStore) throws {
        guard let preparer else { return try projection.apply(view, to: store) }
        try preparer.apply(view, try prepared ?? preparer.prepare(view), store)
    }

    /// The store for applying the record at `position`; replaced values go
    /// into the history (when kept) under `history`, the position of the
    /// record whose fold changes them.
    private func store(
        _ target: UnsafePointer<Transaction>, _ log: LedgerSession, _ slot: ProjectionSlot,
        at position: UInt64, history: UInt64
    ) -> ProjectionStore {
        ProjectionStore(
            target: target, log: log, slot: slot, projectionName: projection.name, position: position,
            historyPosition: history, recorder: recorder)
    }

    /// Records the exclusions, then folds each affected stream again from its
    /// start up to (not including) `view`, skipping excluded records.
    private func refold(
        after exclusions: ProjectionExclusions, at view: RecordView,
        log: LedgerSession, target targetPointer: UnsafePointer<Transaction>, slot: ProjectionSlot
    ) throws {
        let target = targetPointer
        var streams = Set<String>()
        for (positions, exclude) in [(exclusions.exclude, true), (exclusions.restore, false)] {
            for position in positions where position < view.position {
                let key = position.bigEndianBytes
                if let history = slot.history {
                    try ProjectionHistory.write(
                        target.pointee, history: history, db: slot.excluded, tag: 0, key: key,
                        newValue: exclude ? UnsafeRawBufferPointer(start: nil, count: 0) : nil, at: view.position)
                } else if exclude {
                    try target.pointee.put(slot.excluded, key: key, value: [])
                } else {
                    try target.pointee.delete(slot.excluded, key: key)
                }
                if let bytes = try log.log.record(at: position) {
                    streams.insert(try RecordView(parsing: bytes, key: position).stream)
                }
            }
        }
        let reader = LedgerReader(session: log)
        for stream in streams.sorted() {
            try projection.reset(stream: stream, in: store(target, log, slot, at: view.position, history: view.position))
            try reader.forEach(inStream: stream) { earlier in
                guard earlier.position < view.position else { return false }
                let isExcluded = try earlier.position.withBigEndianBytes { try target.pointee.get(slot.excluded, key: $0) != nil }
                // Records that carry exclusions are applied like any other; their
                // exclusions were recorded when they were first folded.
                if !isExcluded, handles(earlier) {
                    try apply(earlier, prepared: nil, to: store(target, log, slot, at: earlier.position, history: view.position))
                }
                return true
            }
        }
    }
}
