import EventLedger
import LedgerTestSupport
import Testing

@Suite("The stored record")
struct StoredRecordTests {
    @Test func recordsReadBackExactlyWithAndWithoutOptionalFields() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        var rng = SystemRandomNumberGenerator()
        var events = [NewEvent]()
        for n in 0..<200 {
            let payload = (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            events.append(
                NewEvent(
                    id: n % 2 == 0 ? .generate() : .random(), stream: "стрим-\(n % 9)", type: "T\(n % 4)",
                    schemaVersion: UInt32.random(in: 1...UInt32.max, using: &rng), actor: "учитель-\(n % 5)",
                    occurredAt: Instant(
                        microsecondsSinceEpoch: Int64.random(in: 0...Instant.latestValid.microsecondsSinceEpoch, using: &rng)),
                    correlationID: n % 3 == 0 ? .random() : nil, causationID: n % 5 == 0 ? .generate() : nil, payload: payload))
        }
        _ = try await ledger.append(events)
        let stored = try ledger.events()
        #expect(stored.count == events.count)
        for (e, s) in zip(events, stored) {
            #expect(s.id == e.id && s.stream == e.stream && s.type == e.type && s.schemaVersion == e.schemaVersion)
            #expect(s.actor == e.actor && s.occurredAt == e.occurredAt && s.payload == e.payload)
            #expect(s.correlationID == e.correlationID && s.causationID == e.causationID)
        }
        #expect(try ledger.verify().isIntact)
    }

    @Test func eachRecordChainsToThePreviousHash() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append([Fixture.event(), Fixture.event(), Fixture.event()])
        try ledger.read { reader in
            var previous = ChainHash.genesis
            try reader.forEach { view in
                #expect(view.recordFormat == 2)
                let before = try reader.chainHash(before: view.position)
                #expect(before == previous)
                #expect(view.hashIsIntact(after: previous))
                // The hash covers the previous hash: after any other record it fails.
                #expect(!view.hashIsIntact(after: view.hash))
                previous = view.hash
                return true
            }
            #expect(try reader.chainHash(before: 4) == previous)
            #expect(try reader.chainHash(before: 5) == nil)
        }
    }
}
