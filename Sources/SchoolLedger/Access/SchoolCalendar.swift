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
/// The calendar last worked out, with the versions of the school's stream
/// and of the breach register it was worked out at.
struct CalendarCache: Sendable {
    var versions: (school: UInt64, compromise: UInt64)
    var calendar: SchoolCalendar
}

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
    /// The school's calendar as the ledger holds it now: worked out again
    /// only when the school's stream or the breach register (whose voids
    /// may take a registration out) has grown since, because the school's
    /// stream also holds every staff role and every query asks for it.
    func schoolCalendar() throws -> SchoolCalendar {
        try ledger.read { reader in
            let versions = (try reader.streamVersion(SchoolStream.school), try reader.streamVersion(SchoolStream.compromise))
            if let cached = calendarCache.withLock({ $0 }), cached.versions == versions { return cached.calendar }
            var facts = JournalFacts(compromiseRegister: compromiseRegister)
            let calendar = SchoolCalendar(zone: try facts.timeZone(reader: reader))
            calendarCache.withLock { $0 = CalendarCache(versions: versions, calendar: calendar) }
            return calendar
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
