import EventLedger
import LedgerTestSupport
import PropertyBased
import Testing

/// On random histories of values, voids and restores appended in random
/// batches: the model kept up incrementally equals a full rebuild and the
/// plain reference fold, and the model as of any position P equals the
/// reference fold of the log cut at P.
@Suite("Projection properties")
struct ProjectionPropertyTests {
    /// (kind, stream, value) per operation: kinds 0...6 set a value, 7...8 void, 9 restore.
    static let operations = zip(Gen.int(in: 0...9), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 1...40)

    /// Appends `ops` to `ledger` in batches of `batchSize`: kinds 0...6 set
    /// value `value` in stream `s<stream>`, 7...8 void an earlier position
    /// (drawn from `value`), 9 restores one. Returns the last position.
    static func append(_ ops: [(Int, Int, Int)], batchSize: Int, to ledger: EventLedger) async throws -> UInt64 {
        var appended: UInt64 = 0
        var batch = [NewEvent]()
        for (kind, stream, value) in ops {
            let next = appended + UInt64(batch.count) + 1
            switch kind {
            case 0...6:
                batch.append(ProjectionRuntimeTests.set("s\(stream)", "\(value)"))
            default:
                let earlier = next > 1 ? [UInt64(value) % (next - 1) + 1] : []
                batch.append(ProjectionRuntimeTests.void(earlier, restore: kind == 9))
            }
            if batch.count == batchSize {
                appended = try await ledger.append(batch).lastPosition
                batch = []
            }
        }
        if !batch.isEmpty { appended = try await ledger.append(batch).lastPosition }
        return appended
    }

    @Test(arguments: Backend.allCases) func incrementalEqualsRebuildAndAsOfEqualsTheCutLog(backend: Backend) async throws {
        await propertyCheck(
            count: Fixture.samples(quick: 75, stress: 150), input: Self.operations, Gen.int(in: 1...6), Gen.int(in: 0...1000)
        ) { ops, batchSize, cut in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                let dir = TemporaryDirectory("property")
                let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
                try ledger.register(LatestValueProjection())
                try await ledger.catchUpProjections()
                let appended = try await Self.append(ops, batchSize: batchSize, to: ledger)

                let records = try ledger.events()
                let incremental = try ProjectionRuntimeTests.model(ledger)
                #expect(incremental == LatestValueProjection.oracle(records))
                #expect(try await ledger.check("latest-value").isEmpty)

                let position = UInt64(cut) % appended + 1
                let asOf = try ledger.evaluate(LatestValueProjection(), asOf: position) { try LatestValueProjection.model($0) }
                #expect(asOf == LatestValueProjection.oracle(Array(records.prefix(Int(position)))))
            }
        }
    }
}
