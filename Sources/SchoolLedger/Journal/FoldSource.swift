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
}

extension ProjectionReader: FoldSource {
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
}
