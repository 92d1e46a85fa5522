import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The append rule: events derived inside each append's own transaction.
@Suite("The append rule")
struct AppendRuleTests {
    struct Refused: Error {}

    /// A rule that answers every `Tick` with an `Echo` naming the positions it saw,
    /// and refuses an append that holds a `Poison`.
    static func echo(_ reader: borrowing LedgerReader, _ appended: ClosedRange<UInt64>) throws -> [NewEvent] {
        var ticks = [UInt64]()
        for position in appended {
            guard let view = try reader.record(at: position) else { continue }
            if view.type == "Poison" { throw Refused() }
            if view.type == "Tick" { ticks.append(position) }
        }
        guard !ticks.isEmpty else { return [] }
        // The transaction's own records are visible to the rule.
        #expect(try reader.lastPosition() == appended.upperBound)
        return [Fixture.event("echo", type: "Echo", actor: "rule", payload: ticks.map(String.init).joined(separator: ","))]
    }

    @Test(arguments: Backend.allCases) func derivedEventsFollowTheAppendInItsTransaction(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        ledger.setAppendRule(Self.echo)
        let result = try await ledger.append([Fixture.event(), Fixture.event()])
        #expect(result.positions == [1, 2])
        #expect(result.derivedPositions == [3])
        #expect(result.lastPosition == 3)
        let echo = try #require(try ledger.events(from: 3).first)
        #expect(echo.type == "Echo")
        #expect(String(decoding: echo.payload, as: UTF8.self) == "1,2")
        #expect(echo.recordedAt == result.recordedAt)
        // Its own events do not trigger it again, and neither does a retry.
        let retry = try await ledger.append(
            try ledger.events(from: 1, through: 2).map {
                NewEvent(id: $0.id, stream: $0.stream, type: $0.type, actor: $0.actor, occurredAt: $0.occurredAt, payload: $0.payload)
            })
        #expect(retry.wasDuplicate)
        #expect(retry.derivedPositions.isEmpty)
        #expect(try ledger.head().position == 3)
        #expect(try ledger.verify().isIntact)
    }

    @Test(arguments: Backend.allCases) func aRefusingRuleRefusesOnlyItsAppendAndWritesNothingOfIt(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        ledger.setAppendRule(Self.echo)
        // Concurrent appends share group commits: the poisoned one fails alone.
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<20 {
                group.addTask {
                    let event = n % 5 == 0 ? Fixture.event("p", type: "Poison") : Fixture.event()
                    return (try? await ledger.append(event)) != nil
                }
            }
            var ok = 0
            for await succeeded in group where succeeded { ok += 1 }
            return ok
        }
        #expect(outcomes == 16)
        let events = try ledger.events()
        #expect(events.filter { $0.type == "Poison" }.isEmpty)
        #expect(events.filter { $0.type == "Tick" }.count == 16)
        #expect(events.filter { $0.type == "Echo" }.count == 16)
        #expect(events.map(\.position) == Array(1...UInt64(events.count)))
        let error = await #expect(throws: LedgerError.self) { try await ledger.append(Fixture.event("p", type: "Poison")) }
        #expect(error?.code == .appendRuleFailed)
    }

    @Test(arguments: Backend.allCases) func importsAreJudgedByTheRuleAsAppendsAre(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        ledger.setAppendRule(Self.echo)
        let events = [ImportedEvent(event: Fixture.event(), recordedAt: nil)]
        _ = try await ledger.importEvents {
            var i = events.makeIterator(); return { i.next() }
        }
        #expect(try ledger.events().map(\.type) == ["Tick", "Echo"])
        #expect(try ledger.appendRuleCheckpoint() == 2)
    }

    /// A rule deriving `Echo` itself: no append may carry one, and the echo is named by content.
    static let echoRule = AppendRule(derivedTypes: ["Echo"]) { reader, input in try echo(reader, input.unjudged) }

    @Test(arguments: Backend.allCases) func anAppendCarryingADerivedTypeIsRefusedWithTheHeadUnchanged(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        ledger.setAppendRule(Self.echoRule)
        _ = try await ledger.append(Fixture.event())
        let head = try ledger.head()
        let error = await #expect(throws: LedgerError.self) { try await ledger.append(Fixture.event("echo", type: "Echo")) }
        #expect(error?.field == "type")
        #expect(try ledger.head() == head)
    }

    @Test(arguments: Backend.allCases) func recordsAppendedWithoutTheRuleAreJudgedByTheNextAppendOrOnDemand(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        do {
            // Another program (no rule) writes first.
            let plain = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
            _ = try await plain.append([Fixture.event(), Fixture.event()])
        }
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        ledger.setAppendRule(Self.echoRule)
        #expect(try ledger.appendRuleCheckpoint() == 0)
        #expect(try ledger.judgeUnjudgedRecords() == [3])
        #expect(String(decoding: try ledger.events(from: 3).first!.payload, as: UTF8.self) == "1,2")
        #expect(try ledger.judgeUnjudgedRecords().isEmpty)
        // Without the on-demand call, the next append judges the backlog with its own records.
        do {
            ledger.setAppendRule(nil as AppendRule?)
            _ = try await ledger.append(Fixture.event())
        }
        ledger.setAppendRule(Self.echoRule)
        let result = try await ledger.append(Fixture.event())
        #expect(result.derivedPositions == [6])
        #expect(String(decoding: try ledger.events(from: 6).first!.payload, as: UTF8.self) == "4,5")
        #expect(try ledger.appendRuleCheckpoint() == 6)
    }
}
