import EventLedger
import LedgerTestSupport
import Testing

@testable import SchoolLedger

/// The events a journal is appending answer for their records only when the
/// record holds the very bytes the event was encoded to.
@Suite("Events being appended, taken instead of decoded")
struct EncodedEventsTests {
    @Test func aRecordIsAnsweredOnlyWhenItHoldsTheBytesTheEventWasEncodedTo() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        let entry = JournalEntry(
            event: .markRecorded(SampleEvents.markRecorded), actor: "teacher-1", occurredAt: SampleEvents.instant("2026-09-02T09:00:00Z"))
        let other = JournalEntry(
            id: entry.id, event: .markRecorded(SampleEvents.markRecordedMinimal), actor: "teacher-1", occurredAt: entry.occurredAt)
        let encoded = try EventCoding.newEvent(entry)
        var forged = try EventCoding.newEvent(other)
        forged.id = encoded.id
        #expect(forged.payload != encoded.payload)

        let cache = EncodedEvents()
        cache.add([encoded], encodedFrom: [entry])
        // The same id with other bytes (appended by anyone, say another journal): decoded, not taken.
        _ = try await ledger.append(forged)
        try ledger.read { reader in
            let view = try #require(try reader.record(at: 1))
            #expect(cache.event(of: view) == nil)
        }
        // The very bytes on another stream (which decoding refuses): not taken either.
        var moved = encoded
        moved.stream = "student/S-elsewhere"
        _ = try await EventLedger.open(at: dir.sub("moved")).append(moved)
        try EventLedger.open(at: dir.sub("moved"), options: .readOnly).read { reader in
            let view = try #require(try reader.record(at: 1))
            #expect(cache.event(of: view) == nil)
            #expect(EventCoding.decodedEvent(view) == nil)
        }
        // The event's own bytes: taken, and equal to what decoding them gives.
        let second = try await EventLedger.open(at: dir.sub("second")).append(encoded)
        #expect(second.positions == [1])
        try EventLedger.open(at: dir.sub("second"), options: .readOnly).read { reader in
            let view = try #require(try reader.record(at: 1))
            #expect(cache.event(of: view) == entry.event)
            #expect(EventCoding.decodedEvent(view) == entry.event)
            cache.remove([encoded])
            #expect(cache.event(of: view) == nil)
        }
    }
}
