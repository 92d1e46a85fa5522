@_spi(Benchmarks) import EventLedger
import LedgerTestSupport
import Testing

/// The recorder behind figure 10's rows alone: the writes it keeps, replayed in
/// order, make the model the projection folded, and a re-fold's writes carry
/// the position of the void that caused it.
@Suite("Projection write recorder")
struct ProjectionWriteRecorderTests {
    @Test func theRecordedWritesReplayedInOrderMakeTheModelAndARefoldsCarryTheVoidsPosition() async throws {
        let dir = TemporaryDirectory("recorder")
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true))
        let recorder = ProjectionWriteRecorder()
        try ledger.register(RecordingProjection(LatestValueProjection(), into: recorder))
        _ = try await ledger.append([
            ProjectionRuntimeTests.set("s1", "a"), ProjectionRuntimeTests.set("s2", "b"), ProjectionRuntimeTests.set("s1", "c"),
        ])
        // Voiding position 3 re-folds s1 at position 4: "a" is its latest again.
        _ = try await ledger.append([ProjectionRuntimeTests.void([3])])
        _ = try await ledger.append([ProjectionRuntimeTests.set("s2", "d")])

        var replayed = [String: [[UInt8]: [UInt8]]]()
        for write in recorder.recorded {
            replayed[write.database, default: [:]][write.key] = write.value
        }
        let model = try ledger.readProjection("latest-value") { reader in
            var rows = [String: [[UInt8]: [UInt8]]]()
            for db in ["latest", "count"] {
                try reader.forEach(db) { k, v in
                    rows[db, default: [:]][Array(k)] = Array(v)
                    return true
                }
            }
            return rows
        }
        #expect(replayed.mapValues { $0.compactMapValues { $0 } } == model)
        #expect(model["latest"]?[Array("s1".utf8)] == Array("a".utf8))
        #expect(model["latest"]?[Array("s2".utf8)] == Array("d".utf8))

        let positions = recorder.recorded.map(\.position)
        #expect(positions.first == 1 && positions.last == 5)
        #expect(positions == positions.sorted(), "writes are kept in the order they were made")
        // The re-fold deletes s1's rows and folds position 1 again, all under the void's position.
        let voids = recorder.recorded.filter { $0.position == 4 }
        #expect(voids.contains { $0.database == "latest" && $0.key == Array("s1".utf8) && $0.value == nil })
        #expect(voids.contains { $0.database == "latest" && $0.key == Array("s1".utf8) && $0.value == Array("a".utf8) })
    }
}
