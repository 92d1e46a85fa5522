import EventLedger

/// Where ``JournalFacts`` reads a stream's events from: the ledger, for the
/// rules at append time (the breach notices' voids left out, by the
/// register), or the journal index, for the queries (as of now or of a past
/// position; the index excludes what is voided). One cache and one set of
/// folds serve both; a ``JournalFacts`` value reads from one source only.
protocol FoldSource: ~Copyable {
    /// Calls `body` with each record of `stream` that counts (not voided),
    /// oldest first; returns the stream's version as this source sees it.
    func forEachCounted(inStream stream: String, facts: inout JournalFacts, _ body: (RecordView) throws -> Void) throws -> UInt64

    /// Calls `body` with the name of each stream starting with `prefix`, in byte order.
    func forEachStreamName(withPrefix prefix: String, _ body: (String) throws -> Void) throws

    /// What `stream`'s facts depend on (see ``SharedRecordDecodes/WholeKey``),
    /// where the source is the log itself; `nil` from a read model.
    func wholeKey(ofStream stream: String, facts: inout JournalFacts) throws -> SharedRecordDecodes.WholeKey?
}

extension LedgerReader: FoldSource {
    func forEachCounted(inStream stream: String, facts: inout JournalFacts, _ body: (RecordView) throws -> Void) throws -> UInt64 {
        let voided = stream == SchoolStream.compromise ? [] : try facts.register(reader: self).allVoided
        var version: UInt64 = 0
        try forEach(inStream: stream) { view in
            version = view.streamVersion
            if !voided.contains(view.position) { try body(view) }
            return true
        }
        return version
    }

    func forEachStreamName(withPrefix prefix: String, _ body: (String) throws -> Void) throws {
        try forEachStream(withPrefix: prefix) { name, _ in
            try body(name)
            return true
        }
    }

    func wholeKey(ofStream stream: String, facts: inout JournalFacts) throws -> SharedRecordDecodes.WholeKey? {
        let registerVersion = try facts.registerVersion(reader: self)
        let (last, registerLast) = (try lastRecord(ofStream: stream), try lastRecord(ofStream: SchoolStream.compromise))
        // The register as the facts hold it is the stream's as stored (its version read in the same snapshot).
        guard registerLast.version == registerVersion else { return nil }
        return .init(version: last.version, last: last.hash, registerVersion: registerVersion, registerLast: registerLast.hash)
    }

    /// The version of `stream` and the chain hash of its last record (`nil` for an empty stream).
    private func lastRecord(ofStream stream: String) throws -> (version: UInt64, hash: ChainHash?) {
        let version = try streamVersion(stream)
        var hash: ChainHash?
        if version > 0 {
            try forEach(inStream: stream, versions: version...version) { view in
                hash = view.hash
                return false
            }
        }
        return (version, hash)
    }
}

/// The journal index as the folds read it: its rows and the records it
/// keeps, in a query (``ProjectionReader``, the model as of now or of a past
/// position) or in the fold that keeps the model (``ProjectionStore``, the
/// model at the record being applied). The outbox's folds run on both: a
/// query once built them from streams; the index now keeps what they give.
protocol IndexSource: FoldSource, RowSource, ~Copyable {
    /// The record at `position`, if the model reflects it and, unless `includingExcluded`, keeps it.
    func record(at position: UInt64, includingExcluded: Bool) throws -> RecordView?
    /// Calls `body` with the records of `stream` the model reflects and keeps, oldest first, until it returns `false`.
    func forEachRecord(inStream stream: String, _ body: (RecordView) throws -> Bool) throws
    /// Calls `body` with the name of each stream starting with `prefix`, in byte order, until it returns `false`.
    func forEachStream(withPrefix prefix: String, _ body: (_ stream: String) throws -> Bool) throws
}

extension ProjectionReader: IndexSource {}
extension ProjectionStore: IndexSource {}

extension IndexSource where Self: ~Copyable {
    func forEachCounted(inStream stream: String, facts: inout JournalFacts, _ body: (RecordView) throws -> Void) throws -> UInt64 {
        var version: UInt64 = 0
        try forEachRecord(inStream: stream) { view in
            version = view.streamVersion
            try body(view)
            return true
        }
        return version
    }

    func forEachStreamName(withPrefix prefix: String, _ body: (String) throws -> Void) throws {
        try forEachStream(withPrefix: prefix) { name in
            try body(name)
            return true
        }
    }

    func wholeKey(ofStream stream: String, facts: inout JournalFacts) throws -> SharedRecordDecodes.WholeKey? { nil }

    /// The stream's journal entries this model keeps (none voided), oldest first.
    func journalEntries(_ stream: String) throws -> [RecordedJournalEntry] {
        var out = [RecordedJournalEntry]()
        try forEachRecord(inStream: stream) { view in
            if let entry = EventCoding.decodedEntry(view) { out.append(entry) }
            return true
        }
        return out
    }

    /// The stream's journal entries of one event type this model keeps (none
    /// voided), oldest first: only records of that type are decoded (a
    /// query that needs a year's periods or a class's formation does not
    /// decode the rest of the stream).
    func journalEntries(_ stream: String, ofType type: String) throws -> [RecordedJournalEntry] {
        var out = [RecordedJournalEntry]()
        let wanted = Array(type.utf8)
        try forEachRecord(inStream: stream) { view in
            if view.typeBytes.elementsEqual(wanted), let entry = EventCoding.decodedEntry(view) { out.append(entry) }
            return true
        }
        return out
    }
}
