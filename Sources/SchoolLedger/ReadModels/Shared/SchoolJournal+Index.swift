public import EventLedger

extension SchoolJournal {
    /// Runs `body` over the journal index as of `asOf`: for `.now` the live
    /// model, caught up first when it lags (at the cost of the lag, never a
    /// rebuild); for a past position or instant, the same model read from
    /// its history as it stood there (no fold).
    ///
    /// - Throws: ``EventLedger/LedgerError`` with code `projectionNotBuilt`
    ///   when this ledger never built the index and is open read-only, and
    ///   `projectionStale` when the index cannot answer for that moment
    ///   without a rebuild (see ``EventLedger/EventLedger/readCurrentProjection(_:_:)``).
    func withIndex<R>(_ asOf: AsOf, _ body: (borrowing ProjectionReader) throws -> R) throws -> R {
        let name = JournalIndexProjection.journalName
        do {
            switch asOf {
            case .now: return try ledger.readCurrentProjection(name) { try body($0) }
            case .position(let p): return try ledger.readProjection(name, asOf: p) { try body($0) }
            case .instant(let i): return try ledger.readProjection(name, asOf: try ledger.position(atOrBefore: i)) { try body($0) }
            }
        } catch let error as LedgerError where error.code == .unknownProjection && !ledger.registeredProjections.contains(name) {
            // Asked only on this path: every query passes here, and the list
            // of names is built under the registry's lock.
            throw LedgerError(
                .projectionNotBuilt,
                "The journal index was never built in the ledger at \(ledger.directory), which is open read-only: open it writable once (`schoolledger projections --catch-up --ledger \(ledger.directory)`) to build it."
            )
        }
    }
}

extension SchoolJournal {
    /// The journal index under another name, with or without its rows'
    /// history: what the benchmarks register beside the journal's own, to
    /// weigh the history's bytes against the rows alone
    /// (`journal-index-plain`, no history) and to record the rows a rebuild
    /// writes (a copy with history).
    @_spi(Benchmarks) public static func index(named name: String, keepsHistory: Bool) -> any Projection {
        JournalIndexProjection(name: name, keepsHistory: keepsHistory)
    }

    /// The journal's read models as a projection for a plain ledger, taking
    /// `events` (encoded from `entries`) as the journal takes its own
    /// appends, without decoding them again: what the benchmarks append
    /// through to weigh the read models alone, without rights, reference
    /// rules or the invalidator.
    @_spi(Benchmarks) public static func readModelsAlone(knowing events: [NewEvent], encodedFrom entries: [JournalEntry]) -> any Projection
    {
        let encoded = EncodedEvents()
        encoded.add(events, encodedFrom: entries)
        return JournalIndexProjection(encodedEvents: encoded)
    }
}

extension SchoolJournal {
    /// The days from `start` through `end`, then `plus` days more.
    static func days(_ start: CivilDate, _ end: CivilDate, plus: Int = 0) -> [CivilDate] {
        var out = [CivilDate]()
        var instant = start.midnightUTC
        let last = end.midnightUTC.adding(microseconds: Int64(plus) * 86_400_000_000)
        while instant <= last && out.count < 400 {
            out.append(CivilDate(of: instant))
            instant = instant.adding(microseconds: 86_400_000_000)
        }
        return out
    }
}
