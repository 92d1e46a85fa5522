import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// Rebuilds across processes: killed at random moments, read from another
/// process during the swap, and measured for memory as the log grows.
@Suite("Projection rebuilds across processes", .serialized)
struct ProjectionProcessTests {
    static func fill(_ dir: String, _ count: Int) throws {
        let result = try Fixture.run("LedgerTestChild", [dir, "fill", "\(count)"])
        #expect(result.status == 0, "\(result.error)")
    }

    /// The model a reader sees is whole: its counts add up to its checkpoint.
    static func modelIsWhole(_ ledger: EventLedger) throws -> Bool {
        try ledger.readProjection("event-type-counts") { reader in
            try EventTypeCounts.countsByType(reader).values.reduce(0, +) == reader.checkpoint
        }
    }

    @Test func aRebuildKilledAtRandomMomentsLeavesTheOldOrTheNewModelAndANewRebuildCompletes() async throws {
        let dir = TemporaryDirectory("rebuild-kill")
        try Self.fill(dir.path, 30_000)
        var kills = 0
        var rebuiltBeforeKill = 0
        var sawModel = false
        for _ in 0..<Fixture.stressRounds(quick: 20) {
            let child = try ChildProcess("LedgerTestChild", [dir.path, "rebuild-loop"])
            usleep(useconds_t(Int.random(in: 30_000...400_000)))
            if child.kill().killed { kills += 1 }
            let printed = child.output
            rebuiltBeforeKill += printed.components(separatedBy: "REBUILT").count - 1
            let reader = try EventLedger.open(at: dir.path, options: .readOnly)
            do {
                try reader.register(EventTypeCounts())
            } catch let error as LedgerError where error.code == .projectionNotBuilt {
                // Killed before it first registered (a slow start, as under a
                // sanitizer): no model at all yet, which only the start can see.
                #expect(!sawModel, "a model seen before is gone: \(error)")
                continue
            }
            sawModel = true
            #expect(try Self.modelIsWhole(reader))
        }
        #expect(kills >= 20)
        let ledger = try EventLedger.open(at: dir.path)
        try ledger.register(EventTypeCounts())
        try await ledger.rebuild("event-type-counts")
        #expect(try ledger.readProjection("event-type-counts") { try EventTypeCounts.countsByType($0) } == ["Tick": 30_000])
        #expect(try await ledger.check("event-type-counts").isEmpty)
        #expect(try ledger.verify().isIntact)
        _ = rebuiltBeforeKill
    }

    @Test func aReaderInAnotherProcessNeverSeesAHalfBuiltModel() async throws {
        let dir = TemporaryDirectory("rebuild-swap")
        try Self.fill(dir.path, 20_000)
        let ledger = try EventLedger.open(at: dir.path)
        try ledger.register(EventTypeCounts())
        try await ledger.catchUpProjections()

        let process = try Spawned(product: "LedgerTestChild", [dir.path, "read-projection", "3"])
        var rebuilds = 0
        let deadline = Date().addingTimeInterval(2.5)
        while Date() < deadline || rebuilds < 2 {
            try await ledger.rebuild("event-type-counts")
            _ = try await ledger.append(Fixture.event())
            rebuilds += 1
        }
        let status = process.wait().status
        let printed = process.output
        #expect(status == 0)
        #expect(rebuilds >= 2)
        let summary = try #require(printed.split(separator: "\n").last)
        let fields = summary.split(separator: " ")
        #expect(fields.count == 4 && fields[0] == "READS" && fields[2] == "BAD")
        #expect(Int(fields[1]) ?? 0 > 0)
        #expect(fields[3] == "0", "\(printed.prefix(500))")
    }

    @Test func rebuildMemoryStaysFlatWhenTheLogGrowsFourTimes() throws {
        let small = TemporaryDirectory("memory-small")
        let large = TemporaryDirectory("memory-large")
        try Self.fill(small.path, 25_000)
        try Self.fill(large.path, 100_000)
        func peak(_ dir: String) throws -> Double {
            let result = try Fixture.run("LedgerTestChild", [dir, "rebuild-peak"])
            #expect(result.status == 0, "\(result.error)")
            return Double(result.output.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "") ?? 0
        }
        let smallPeak = try peak(small.path)
        let largePeak = try peak(large.path)
        print(
            "rebuild peak anonymous memory: \(Int(smallPeak)) kB for 25,000 events, \(Int(largePeak)) kB for 100,000 (x\(String(format: "%.2f", largePeak / smallPeak)))"
        )
        #expect(smallPeak > 0)
        #expect(largePeak < smallPeak * 1.2)
    }
}
