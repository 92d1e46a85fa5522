import EventLedger

extension SchoolJournal {
    /// Runs `body` over the journal index as of `asOf`: the live model for
    /// `.now` when this process keeps it, otherwise a fold into a temporary
    /// environment up to the position asked for.
    func withIndex<R>(_ asOf: AsOf, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        switch asOf {
        case .now:
            let index = JournalIndexProjection()
            if ledger.registeredProjections.contains(index.name),
                let status = try ledger.projectionStatus().first(where: { $0.name == index.name }),
                status.lag == 0, status.builtVersion == index.version
            {
                return try ledger.readProjection(JournalIndexProjection().name) { try body($0) }
            }
            return try ledger.evaluate(JournalIndexProjection(), asOf: try ledger.head().position) { try body($0) }
        case .position(let p):
            return try ledger.evaluate(JournalIndexProjection(), asOf: p) { try body($0) }
        case .instant(let i):
            return try ledger.evaluate(JournalIndexProjection(), asOf: i) { try body($0) }
        }
    }
}

extension ProjectionReader {
    /// The stream's journal entries this model keeps (none voided), oldest first.
    func journalEntries(_ stream: String) throws -> [RecordedJournalEntry] {
        var out = [RecordedJournalEntry]()
        try forEachRecord(inStream: stream) { view in
            if let entry = EventCoding.decodedEntry(view) { out.append(entry) }
            return true
        }
        return out
    }
}

extension SchoolJournal {
    /// The days from `start` through `end`, then `plus` days more.
    static func days(_ start: CivilDate, _ end: CivilDate, plus: Int = 0) -> [CivilDate] {
        var out = [CivilDate]()
        var instant = Instant(iso8601: "\(start)T00:00:00Z")!
        let last = Instant(iso8601: "\(end)T00:00:00Z")!.adding(microseconds: Int64(plus) * 86_400_000_000)
        while instant <= last && out.count < 400 {
            out.append(CivilDate(of: instant))
            instant = instant.adding(microseconds: 86_400_000_000)
        }
        return out
    }
}
