import Foundation
import LedgerTestSupport
import Testing

@testable import EventLedger

/// The shadow state machine: interrupted checks and rebuilds of other
/// versions never block a projection nor swap in a mixed model.
@Suite("Projection shadow states")
struct ProjectionStateTests {
    /// Leaves a check's shadow behind, as a check killed halfway would.
    static func abandonCheck(_ ledger: EventLedger, _ name: String) async throws {
        let entry = try #require(ledger.projections.entry(name))
        let registry = ledger.projections
        _ = try await ledger.writer!.submitJob { session in
            try registry.startShadow(try registry.state(session.txn, name) ?? ProjectionRegistry.unbuilt, .check, entry, session.txn)
        }
    }

    @Test(arguments: Backend.allCases) func anAbandonedCheckDoesNotBlockAVersionBump(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try backend.open(at: dir.path)
            try ledger.register(LatestValueProjection(version: 1))
            _ = try await ledger.append([Fixture.event("a", type: "Set", payload: "1"), Fixture.event("a", type: "Set", payload: "2")])
            try await ledger.catchUpProjections()
            try await Self.abandonCheck(ledger, "latest-value")
        }
        let reopened = try backend.open(at: dir.path)
        try reopened.register(LatestValueProjection(version: 2))
        try await reopened.catchUpProjections()
        let status = try #require(try reopened.projectionStatus().first)
        #expect(status.builtVersion == 2)
        #expect(status.lag == 0)
        #expect(try await reopened.check("latest-value").isEmpty)
    }

    @Test(arguments: Backend.allCases) func aCheckShadowNeverReplacesARebuildAndAnAbandonedCheckIsReplacedByTheNextOne(backend: Backend)
        async throws
    {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        try ledger.register(EventTypeCounts())
        _ = try await ledger.append(Fixture.event())
        try await ledger.catchUpProjections()
        try await Self.abandonCheck(ledger, "event-type-counts")
        // The follower leaves a check's shadow alone, and a new check replaces it.
        #expect(try await ledger.check("event-type-counts").isEmpty)
        // A rebuild's shadow is not replaced by a check.
        let entry = try #require(ledger.projections.entry("event-type-counts"))
        let registry = ledger.projections
        // (In one transaction, so that the follower cannot finish the rebuild in between.)
        await #expect(throws: LedgerError.self) {
            _ = try await ledger.writer!.submitJob { session in
                let rebuilding = try registry.startShadow(
                    try registry.state(session.txn, "event-type-counts")!, .rebuild, entry, session.txn)
                return try registry.startShadow(rebuilding, .check, entry, session.txn)
            }
        }
        // A check first lets the rebuild finish, then compares.
        #expect(try await ledger.check("event-type-counts").isEmpty)
        #expect(try ledger.projectionStatus().first?.rebuildCheckpoint == nil)
    }

    /// `register(_:)` without its background build: as on a busy machine,
    /// where the follower's first step runs after the caller's first appends.
    static func registerWithoutFollower(_ ledger: EventLedger) throws {
        _ = try ledger.projections.add(LatestValueProjection(), create: true)
        ledger.applyProjectionsInline()
    }

    @Test(arguments: Backend.allCases) func theFirstAppendsOfANewLedgerFoldInlineThoughNoBuildRanBeforeThem(backend: Backend)
        async throws
    {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        try Self.registerWithoutFollower(ledger)
        _ = try await ledger.append([
            ProjectionRuntimeTests.set("a", "1"), ProjectionRuntimeTests.set("b", "x"), ProjectionRuntimeTests.set("a", "2"),
        ])
        // Read at once, with no catch-up: the append's own transaction built and folded the model.
        #expect(try ProjectionRuntimeTests.model(ledger) == LatestValueProjection.oracle(try ledger.events()))
        #expect(try ledger.readProjection("latest-value") { $0.checkpoint } == 3)
        _ = try await ledger.append(ProjectionRuntimeTests.void([3]))
        #expect(try ProjectionRuntimeTests.model(ledger)["a"] == .init(latest: Array("1".utf8), count: 1))
        let status = try #require(try ledger.projectionStatus().first)
        #expect(status.builtVersion == 1 && status.lag == 0)
        #expect(try await ledger.check("latest-value").isEmpty)
    }

    @Test(arguments: Backend.allCases) func overALogWithHistoryANewModelTakesNoAppendBeforeItsBuild(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append(ProjectionRuntimeTests.set("a", "1"))
        try Self.registerWithoutFollower(ledger)
        _ = try await ledger.append(ProjectionRuntimeTests.set("b", "x"))
        // Folding record 2 alone would make a model without record 1: it waits for the build.
        #expect(try ProjectionRuntimeTests.model(ledger).isEmpty)
        #expect(try ledger.projectionStatus().first?.builtVersion != 1)
        try await ledger.catchUpProjections()
        #expect(try ProjectionRuntimeTests.model(ledger) == LatestValueProjection.oracle(try ledger.events()))
    }
}
