import EventLedger
import FuzzSupport
import SchoolLedger

/// The stored-record decoder, on what a damaged or forged `ledger.log` entry
/// could hold: an input is the entry's 8-byte big-endian key followed by its
/// value (the corpus holds the demo ledger's records in that form).
///
/// Promises checked: the decoder never crashes or reads out of bounds
/// (AddressSanitizer), a refusal is `corruptRecord` naming the key, a record that decodes says the position it is stored
/// under, its owned copy equals the view, and an event that decodes from its
/// payload encodes and decodes back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard size >= 8 else { return 0 }
    let key = input.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let value = UnsafeRawBufferPointer(rebasing: input.dropFirst(8))
    let view: RecordView
    do {
        view = try RecordView(decoding: value, storedAt: key)
    } catch {
        Fuzz.require(error.code == .corruptRecord && error.position == key, "a bad record gave \(error.code) at \(String(describing: error.position)), not corruptRecord at \(key)")
        return 0
    }
    _ = view.hashIsIntact(after: .genesis)
    let copy = view.recordedEvent()
    Fuzz.require(copy.position == key && view.position == key, "a record decoded under key \(key) says \(copy.position)")
    Fuzz.require(copy.payload.elementsEqual(view.payload) && copy.hash == view.hash && copy.id == view.id,
                 "the owned copy differs from the view")
    if let recorded = try? EventCoding.entry(from: view) {
        let event = recorded.entry.event
        do {
            let back = try EventCoding.event(payload: try EventCoding.payloadBytes(event), schemaVersion: event.schemaVersion)
            Fuzz.require(back == event, "\(event.eventType) does not survive encoding and decoding")
        } catch {
            fatalError("a decoded \(event.eventType) does not encode and decode: \(error)")
        }
    }
    _ = try? EventCoding.envelopeJSON(of: view, previousHash: .genesis)
    return 0
}
