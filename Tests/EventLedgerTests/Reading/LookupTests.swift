import EventLedger
import LedgerTestSupport
import Testing

@Suite("Lookups: streams, actors, ids, instants")
struct LookupTests {
    /// 400 events over 3 actors and 5 streams, one second apart.
    static func makeLedger(_ dir: TemporaryDirectory, _ backend: Backend) async throws -> (EventLedger, ManualClock) {
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock))
        for n in 0..<400 {
            clock.advance(seconds: 1)
            _ = try await ledger.append(Fixture.event("stream-\(n % 5)", actor: "actor-\(n % 3)", payload: "\(n)"))
        }
        return (ledger, clock)
    }

    @Test(arguments: Backend.allCases) func streamReadsMatchAFullScanForEveryVersionRange(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await Self.makeLedger(dir, backend)
        let all = try ledger.events()
        let expected = all.filter { $0.stream == "stream-2" }
        #expect(try ledger.events(inStream: "stream-2") == expected)
        #expect(try ledger.streamVersion("stream-2") == 80)
        for range in [UInt64(1)...1, 1...64, 2...65, 63...64, 64...80, 70...200, 80...80] {
            let got = try ledger.events(inStream: "stream-2", versions: range)
            #expect(got == expected.filter { range.contains($0.streamVersion) }, "versions \(range)")
        }
        #expect(try ledger.events(inStream: "stream-2", versions: 81...90).isEmpty)
        #expect(try ledger.events(inStream: "nobody").isEmpty)
    }

    /// Each actor's events in each window (seconds from the first record,
    /// half-open) are the ones a full scan of the log finds.
    static func expectActorWindowsMatchAFullScan(_ ledger: EventLedger, actors: [String], seconds windows: [(Int, Int)]) throws {
        let all = try ledger.events()
        let start = all[0].recordedAt
        for (from, to) in windows {
            let window = start.adding(microseconds: Int64(from) * 1_000_000)..<start.adding(microseconds: Int64(to) * 1_000_000)
            for actor in actors {
                let got = try ledger.events(byActor: actor, recordedIn: window)
                #expect(got == all.filter { $0.actor == actor && window.contains($0.recordedAt) }, "\(actor) \(from)..<\(to)")
            }
        }
    }

    @Test(arguments: Backend.allCases) func actorWindowsMatchAFullScan(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await Self.makeLedger(dir, backend)
        try Self.expectActorWindowsMatchAFullScan(
            ledger, actors: ["actor-1"],
            seconds: [(0, 400), (0, 1), (10, 11), (50, 250), (130, 131), (199, 400), (390, 500), (500, 600)])
    }

    /// An actor with several times a mark's spacing of records: windows long
    /// before its head start their walk at a mark (on LMDB, one per 256 of an
    /// actor's records), and return exactly its records all the same.
    @Test(arguments: Backend.allCases) func actorWindowsFarBeforeTheHeadMatchAFullScan(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock))
        // 40 appends of 30 events, one second apart: "busy" acts in 25 of every 30 (1,000 records), "other" in the rest.
        for batch in 0..<40 {
            clock.advance(seconds: 1)
            _ = try await ledger.append(
                (0..<30).map { i in Fixture.event("stream-\(i % 7)", actor: i % 6 == 5 ? "other" : "busy", payload: "\(batch) \(i)") })
        }
        try Self.expectActorWindowsMatchAFullScan(
            ledger, actors: ["busy", "other"],
            seconds: [(0, 1), (0, 10), (3, 4), (9, 21), (10, 11), (20, 21), (30, 40), (39, 40), (0, 40)])
        if backend == .lmdb {
            // The walks above started at marks: "busy" has three (its 256th, 512th and 768th records), "other" none.
            #expect(try ledger.statistics().databases["ledger.actor-marks"]?.entries == 3)
        }
    }

    @Test(arguments: Backend.allCases) func eventIDsFindTheirPositions(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await Self.makeLedger(dir, backend)
        for e in try ledger.events().filter({ $0.position % 37 == 0 }) {
            #expect(try ledger.position(of: e.id) == e.position)
        }
        #expect(try ledger.position(of: EventID.random()) == nil)
    }

    @Test(arguments: Backend.allCases) func positionAtAnInstantIsTheLastRecordedAtOrBeforeIt(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await Self.makeLedger(dir, backend)
        let all = try ledger.events()
        #expect(try ledger.position(atOrBefore: all[0].recordedAt.adding(microseconds: -1)) == 0)
        #expect(try ledger.position(atOrBefore: all[0].recordedAt) == 1)
        #expect(try ledger.position(atOrBefore: all[122].recordedAt.adding(microseconds: 500_000)) == 123)
        #expect(try ledger.position(atOrBefore: Instant.latestValid) == 400)
    }

    @Test(arguments: Backend.allCases) func readingBackwardsGivesDescendingPositions(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await Self.makeLedger(dir, backend)
        var seen = [UInt64]()
        try ledger.read { reader in
            try reader.forEach(from: 10, through: 20, reverse: true) {
                seen.append($0.position); return true
            }
        }
        #expect(seen == Array((10...20).reversed()))
    }
}

@Suite("Lookups: streams by prefix")
struct StreamPrefixTests {
    @Test(arguments: Backend.allCases) func streamsAreListedByPrefixInByteOrderWithTheirVersions(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append([
            Fixture.event("year/2026"), Fixture.event("year/2025"), Fixture.event("year/2026"),
            Fixture.event("yearbook"), Fixture.event("class/7A"),
        ])
        var found = [(String, UInt64)]()
        try ledger.read { reader in
            try reader.forEachStream(withPrefix: "year/") {
                found.append(($0, $1)); return true
            }
        }
        #expect(found.map(\.0) == ["year/2025", "year/2026"])
        #expect(found.map(\.1) == [1, 2])
        var all = 0
        try ledger.read { reader in
            try reader.forEachStream(withPrefix: "") { _, _ in
                all += 1; return true
            }
        }
        #expect(all == 4)
    }
}
