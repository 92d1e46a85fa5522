import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// A read "as of now" on a model that lags the log: caught up by the read in
/// a writable ledger, at the cost of the lag; refused with how far behind it
/// is in a read-only one; never answered by folding the whole log again.
@Suite("Reading a read model as of the log's end")
struct CurrentProjectionTests {
    static func set(_ stream: String, _ value: String) -> NewEvent { Fixture.event(stream, type: "Set", payload: value) }

    /// A ledger of 8 `Set`s whose `latest-value` model was built at 5: the
    /// last 3 were appended by a process that did not register it.
    static func laggingLedger(_ backend: Backend) async throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        do {
            let ledger = try backend.open(at: dir.path)
            try ledger.register(LatestValueProjection())
            _ = try await ledger.append((1...5).map { Self.set("s\($0 % 2)", "\($0)") })
            try await ledger.catchUpProjections()
        }
        do {
            let ledger = try backend.open(at: dir.path)
            _ = try await ledger.append((6...8).map { Self.set("s\($0 % 2)", "\($0)") })
        }
        return dir
    }

    @Test(arguments: Backend.allCases) func aReadOnlyLedgerRefusesALaggingModelSayingHowFarBehindItIsAndWhatToRun(backend: Backend)
        async throws
    {
        let dir = try await Self.laggingLedger(backend)
        let reader = try backend.open(at: dir.path, options: .readOnly)
        try reader.register(LatestValueProjection())
        let error = #expect(throws: LedgerError.self) { try reader.readCurrentProjection("latest-value") { $0.checkpoint } }
        #expect(error?.code == .projectionStale)
        #expect(error?.message.contains("3 records behind") == true, "\(String(describing: error))")
        #expect(error?.message.contains("--catch-up") == true)
        // The model as it stands is still there to read, at its own checkpoint.
        #expect(try reader.readProjection("latest-value") { $0.checkpoint } == 5)
    }

    @Test(arguments: Backend.allCases) func aWritableLedgerCatchesALaggingModelUpBeforeTheRead(backend: Backend) async throws {
        let dir = try await Self.laggingLedger(backend)
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LatestValueProjection())
        let (checkpoint, model) = try ledger.readCurrentProjection("latest-value") { reader in
            (reader.checkpoint, try LatestValueProjection.model(reader))
        }
        #expect(checkpoint == 8)
        #expect(model["s0"] == .init(latest: Array("8".utf8), count: 4))
        #expect(model["s1"] == .init(latest: Array("7".utf8), count: 4))
        #expect(try ledger.projectionStatus().first?.lag == 0)
    }

    @Test(arguments: Backend.allCases) func aModelOfAnotherVersionIsFinishedByTheReadInAWritableLedgerAndRefusedInAReadOnlyOne(
        backend: Backend
    ) async throws {
        let dir = try await Self.laggingLedger(backend)
        do {
            let reader = try backend.open(at: dir.path, options: .readOnly)
            try reader.register(LatestValueProjection(version: 2))
            let error = #expect(throws: LedgerError.self) { try reader.readCurrentProjection("latest-value") { $0.version } }
            #expect(error?.code == .projectionStale)
            #expect(error?.message.contains("version 1, not 2") == true, "\(String(describing: error))")
        }
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LatestValueProjection(version: 2))
        let (version, checkpoint) = try ledger.readCurrentProjection("latest-value") { ($0.version, $0.checkpoint) }
        #expect(version == 2 && checkpoint == 8)
        #expect(try await ledger.check("latest-value").isEmpty)
    }

    @Test(arguments: Backend.allCases) func aProjectionNotRegisteredIsNamedAsUnknown(backend: Backend) throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let error = #expect(throws: LedgerError.self) { try ledger.readCurrentProjection("latest-value") { $0.checkpoint } }
        #expect(error?.code == .unknownProjection)
    }
}
