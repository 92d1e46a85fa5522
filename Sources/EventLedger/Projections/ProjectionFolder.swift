import LedgerLMDB

/// Folds a range of the log into one slot of a projection: calls `apply` for
/// each record of the projection's types and, for a record that excludes or
/// restores earlier ones, records that and re-folds exactly the streams of
/// those earlier records.
struct ProjectionFolder {
    let projection: any Projection
    /// The projection's event types as UTF-8 bytes, compared in place.
    let typeFilter: [[UInt8]]?

    init(_ projection: any Projection) {
        self.projection = projection
        typeFilter = projection.eventTypes.map { $0.map { Array($0.utf8) } }
    }

    func handles(_ view: RecordView) -> Bool {
        guard let typeFilter else { return true }
        let type = view.typeBytes
        return typeFilter.contains { type.elementsEqual($0) }
    }

    /// Folds positions `first...last` of the log (read through `log`) into
    /// `slot` (written through `target`); returns how many records were read.
    @discardableResult
    func fold(from first: UInt64, through last: UInt64, log: LMDBSession, storage: LMDBLogStorage,
              into target: borrowing Transaction, slot: ProjectionSlot) throws -> Int {
        guard first <= last else { return 0 }
        return try withUnsafePointer(to: target) { targetPointer in
            let store = ProjectionStore(target: targetPointer, log: log, storage: storage, handles: slot.handles,
                                        projectionName: projection.name)
            var count = 0
            try storage.scan(log, from: first, through: last, reverse: false) { key, bytes in
                let view = try RecordView(parsing: bytes, key: key)
                if let exclusions = try projection.exclusions(in: view) {
                    try refold(after: exclusions, at: view, store: store, log: log, storage: storage,
                               target: targetPointer.pointee, slot: slot)
                }
                if handles(view) { try projection.apply(view, to: store) }
                count += 1
                return true
            }
            return count
        }
    }

    /// Records the exclusions, then folds each affected stream again from its
    /// start up to (not including) `view`, skipping excluded records.
    private func refold(after exclusions: ProjectionExclusions, at view: RecordView, store: borrowing ProjectionStore,
                        log: LMDBSession, storage: LMDBLogStorage, target: borrowing Transaction, slot: ProjectionSlot) throws {
        var streams = Set<String>()
        for (positions, exclude) in [(exclusions.exclude, true), (exclusions.restore, false)] {
            for position in positions where position < view.position {
                try position.withBigEndianBytes { key in
                    if exclude {
                        try target.put(slot.excluded, key: key, value: UnsafeRawBufferPointer(start: nil, count: 0))
                    } else {
                        try target.delete(slot.excluded, key: key)
                    }
                }
                if let bytes = try storage.record(log, at: position) {
                    streams.insert(try RecordView(parsing: bytes, key: position).stream)
                }
            }
        }
        let reader = LedgerReader(storage: storage, session: log)
        for stream in streams.sorted() {
            try projection.reset(stream: stream, in: store)
            try reader.forEach(inStream: stream) { earlier in
                guard earlier.position < view.position else { return false }
                let isExcluded = try earlier.position.withBigEndianBytes { try target.get(slot.excluded, key: $0) != nil }
                if !isExcluded, try projection.exclusions(in: earlier) == nil, handles(earlier) {
                    try projection.apply(earlier, to: store)
                }
                return true
            }
        }
    }
}
