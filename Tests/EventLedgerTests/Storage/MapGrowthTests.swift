import EventLedger
import LedgerTestSupport
import Testing

@Suite("Map growth")
struct MapGrowthTests {
    @Test func aTinyInitialMapGrowsThrough200MegabytesOfEvents() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true, mapSize: 1 << 20))
        let payload = [UInt8](repeating: 0x5A, count: 10_000)
        var appended: UInt64 = 0
        for batch in 0..<200 {
            let events = (0..<100).map { i in
                NewEvent(
                    stream: "bulk-\(i % 10)", type: "Blob", actor: "loader", occurredAt: Fixture.occurred,
                    payload: payload + [UInt8(batch & 0xFF), UInt8(i)])
            }
            appended = try await ledger.append(events).lastPosition
        }
        try ledger.sync()
        let stats = try ledger.statistics()
        #expect(appended == 20_000)
        #expect(stats.mapSize > 200_000_000)
        #expect(stats.usedBytes > 200_000_000)
        #expect(try ledger.verify().checkedRecords == 20_000)
        let last = try #require(try ledger.events(from: 20_000).first)
        #expect(last.payload.suffix(2) == [199, 99])
    }
}
