#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
public import EventLedger

extension JournalFacts {
    /// The school's date at `instant`: in the time zone it registered with
    /// (``SchoolRegistered/timeZone``), or UTC while none is registered or
    /// the zone is unknown to this machine.
    mutating func today(at instant: Instant, reader: borrowing LedgerReader) throws -> CivilDate {
        SchoolCalendar(zone: try timeZone(reader: reader)).date(at: instant)
    }
}

/// The school's calendar: which school date an instant falls on, in the
/// time zone the school registered with (``SchoolRegistered/timeZone``),
/// UTC while none is registered or the zone is unknown to this machine.
struct SchoolCalendar: Sendable {
    let zone: TimeZone?

    init(zone identifier: String?) {
        zone = identifier.flatMap { TimeZone(identifier: $0) }
    }

    /// The school date at `instant` (daylight saving included).
    func date(at instant: Instant) -> CivilDate {
        let offset = zone?.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.microsecondsSinceEpoch) / 1_000_000)) ?? 0
        return CivilDate(of: instant, utcOffsetSeconds: offset)
    }
}

extension SchoolJournal {
    /// The school's calendar as the ledger holds it now.
    func schoolCalendar() throws -> SchoolCalendar {
        try ledger.read { reader in
            var facts = JournalFacts(compromiseRegister: compromiseRegister)
            return SchoolCalendar(zone: try facts.timeZone(reader: reader))
        }
    }

    /// The school date at `instant`: the date in the school's time zone
    /// (UTC until a ``SchoolRegistered`` names one).
    public func schoolDate(at instant: Instant) throws -> CivilDate {
        try schoolCalendar().date(at: instant)
    }

    /// The school's date today by the ledger's clock: the date rights are judged on.
    public func today() throws -> CivilDate {
        try schoolDate(at: ledger.options.clock.now())
    }
}
