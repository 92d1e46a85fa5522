#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import EventLedger

extension JournalFacts {
    /// The school's date at `instant`: in the time zone it registered with
    /// (``SchoolRegistered/timeZone``), or UTC while none is registered or
    /// the zone is unknown to this machine.
    mutating func today(at instant: Instant, reader: borrowing LedgerReader) throws -> CivilDate {
        let offset = try timeZone(reader: reader).flatMap { TimeZone(identifier: $0) }.map { zone in
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.microsecondsSinceEpoch) / 1_000_000))
        } ?? 0
        return CivilDate(of: instant, utcOffsetSeconds: offset)
    }
}
