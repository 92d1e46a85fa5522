package import EventLedger
import Synchronization

/// The events a journal is appending right now, each with the bytes it was
/// encoded to, so that the append's own work on its records (the
/// invalidator's check that they decode, the journal index's fold) takes the
/// event instead of decoding the bytes it was just encoded to.
///
/// A record is answered from here only when its stream, type, schema
/// version and payload bytes are the ones the event was encoded to:
/// decoding is a function of those (it refuses an event on another stream
/// than its own), so the answer is the decoding's, whoever appended the
/// record. The journal adds its events right before an append and removes
/// them when the append returns, so what waits here is bounded by the
/// appends in flight.
package final class EncodedEvents: Sendable {
    private struct Encoded: Sendable {
        var stream: String
        var type: String
        var schemaVersion: UInt32
        var payload: [UInt8]
        var event: SchoolEvent
        var stampBefore: Instant?
    }

    private let pending = Mutex([EventID: Encoded]())

    package init() {}

    /// Adds `events`, encoded from `entries` (the same order); `stampBefore`
    /// holds, for a signed entry whose key ends, the instant its record
    /// must be stamped before for the journal's check to stand.
    func add(_ events: [NewEvent], encodedFrom entries: [JournalEntry], stampBefore: [EventID: Instant] = [:]) {
        pending.withLock { pending in
            for (event, entry) in zip(events, entries) {
                pending[event.id] = Encoded(
                    stream: event.stream, type: event.type, schemaVersion: event.schemaVersion, payload: event.payload, event: entry.event,
                    stampBefore: stampBefore[entry.id])
            }
        }
    }

    /// Removes the events of `events`.
    func remove(_ events: [NewEvent]) {
        pending.withLock { pending in
            for event in events { pending[event.id] = nil }
        }
    }

    /// The event `record` holds, when it is one being appended with these very bytes.
    package func event(of record: RecordView) -> SchoolEvent? { encoded(record)?.event }

    /// The event `record` holds and the instant its stamp must precede (see
    /// ``add(_:encodedFrom:stampBefore:)``), when it is one being appended
    /// with these very bytes.
    func encoded(_ record: RecordView) -> (event: SchoolEvent, stampBefore: Instant?)? {
        let id = record.id
        return pending.withLock { pending -> (SchoolEvent, Instant?)? in
            guard let encoded = pending[id], encoded.schemaVersion == record.schemaVersion,
                record.payload.elementsEqual(encoded.payload), record.type == encoded.type,
                record.streamBytes.elementsEqual(encoded.stream.utf8)
            else { return nil }
            return (encoded.event, encoded.stampBefore)
        }
    }
}
