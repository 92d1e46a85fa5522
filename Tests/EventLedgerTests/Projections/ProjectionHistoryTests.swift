import EventLedger
import LedgerTestSupport
import PropertyBased
import Testing

/// A model that keeps its history, read as of any earlier position, equals
/// the same model folded from the log cut there: row by row, through every
/// prefix and start a key-range read can take, with voids and restores that
/// re-fold streams at their own positions.
@Suite("Projection history")
struct ProjectionHistoryTests {
    /// Rows keyed by the stream's number and bytes made of 0, 1 and 255 (so
    /// the history's escaping of 0 and its ordering are both exercised): a
    /// `Set` record whose value is even puts its row, an odd one deletes it.
    struct Rows: Projection {
        let name = "history-rows"
        let version = 1
        let databases = ["rows", "other", "seen"]
        let eventTypes: Set<String>? = ["Set"]
        let keepsHistory = true
        /// How many values each stream set, changed in place: its history keeps only when each key existed.
        let historyKeepsOnlyKeys: Set<String> = ["seen"]

        static func row(stream: UInt8, value: Int) -> (key: [UInt8], value: [UInt8], put: Bool) {
            var key = [stream]
            var rest = value
            for _ in 0..<(value % 4) {
                key.append([0, 1, 255][rest % 3])
                rest /= 3
            }
            return (key, Array("v\(value)".utf8), value % 5 != 0)
        }

        func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
            let (key, value, put) = Self.row(
                stream: record.streamBytes.last! - UInt8(ascii: "0"), value: Int(String(decoding: record.payload, as: UTF8.self))!)
            if put {
                try store.put("rows", key: key, value: value)
            } else {
                try store.delete("rows", key: key)
            }
            // A row rewritten with the value it has: no history needed for it.
            try store.put("other", key: [key[0]], value: [key[0]])
            let seen = try store.get("seen", key: [key[0]])?.first ?? 0
            try store.put("seen", key: [key[0]], value: [seen &+ 1])
        }

        func exclusions(in record: RecordView) throws -> ProjectionExclusions? {
            try LatestValueProjection(version: 1).exclusions(in: record)
        }

        func reset(stream: String, in store: borrowing ProjectionStore) throws {
            let number = UInt8(stream.utf8.last! - UInt8(ascii: "0"))
            try store.deleteAll("rows", prefix: [number])
            try store.delete("other", key: [number])
            try store.delete("seen", key: [number])
        }
    }

    /// The prefixes and starts each read is compared through.
    static let reads: [(prefix: [UInt8], start: [UInt8]?)] = [
        ([], nil), ([0], nil), ([1], nil), ([1, 0], nil), ([2, 255], nil), ([3, 1, 0], nil), ([], [1, 0, 0]), ([2], [2, 1]),
        ([0], [0, 255]), ([], [3, 255, 255, 255]),
    ]

    /// Every read of `reads` and every single key looked up, as text.
    static func dump(_ reader: borrowing ProjectionReader, keys: [[UInt8]], positions: UInt64) throws -> [String] {
        var out = [String]()
        for (prefix, start) in reads {
            var rows = [String]()
            try reader.forEach("rows", prefix: prefix, from: start) { k, v in
                rows.append("\(Array(k))=\(String(decoding: v, as: UTF8.self))")
                return true
            }
            out.append("\(prefix) from \(String(describing: start)): \(rows.joined(separator: " "))")
        }
        for key in keys {
            out.append("get \(key): \(String(describing: try reader.get("rows", key: key)))")
        }
        try reader.forEach("other") { k, v in
            out.append("other \(Array(k))=\(Array(v))")
            return true
        }
        // As of the past, a keys-only database lists the keys that existed
        // (their values are compared in `seen`).
        try reader.forEach("seen") { k, _ in
            out.append("seen \(Array(k))")
            return true
        }
        for key in 0...4 as ClosedRange<UInt8> {
            out.append("seen \(key) \(try reader.get("seen", key: [key]) == nil ? "absent" : "present")")
        }
        for p in 1...max(positions, 1) where try reader.isExcluded(p) { out.append("excluded \(p)") }
        var seen = 0
        try reader.forEachRecord(inStream: "s1") { _ in
            seen += 1
            return true
        }
        out.append("s1 records \(seen), checkpoint \(reader.checkpoint)")
        return out
    }

    /// The keys-only database's values, by key and by lookup; as of the
    /// past a row changed since comes empty.
    static func seen(_ reader: borrowing ProjectionReader) throws -> [[UInt8]: [UInt8]] {
        var values = [[UInt8]: [UInt8]]()
        try reader.forEach("seen") { k, v in
            values[Array(k)] = Array(v)
            return true
        }
        for (key, value) in values { #expect(try reader.get("seen", key: key) == value) }
        return values
    }

    static let operations = zip(Gen.int(in: 0...9), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 1...30)

    @Test(arguments: Backend.allCases) func theModelAsOfEveryPositionEqualsTheFoldOfTheLogCutThere(backend: Backend) async throws {
        await propertyCheck(count: 40, input: Self.operations, Gen.int(in: 1...4)) { ops, batchSize in
            await #expect(throws: Never.self) {
                let dir = TemporaryDirectory("history")
                let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
                try ledger.register(Rows())
                try await ledger.catchUpProjections()
                let appended = try await ProjectionPropertyTests.append(ops, batchSize: batchSize, to: ledger)
                let keys = Set(ops.filter { $0.0 < 7 }.map { Rows.row(stream: UInt8($0.1), value: $0.2).key })
                let probe = keys.sorted { $0.lexicographicallyPrecedes($1) } + [[9], [1, 0]]
                for position in 0...appended {
                    let fromHistory = try ledger.readProjection(Rows().name, asOf: position) {
                        try Self.dump($0, keys: probe, positions: appended)
                    }
                    let folded = try ledger.evaluate(Rows(), asOf: position) { try Self.dump($0, keys: probe, positions: appended) }
                    #expect(fromHistory == folded, "as of position \(position) of \(appended)")
                    if fromHistory != folded { return }
                    // A value a keys-only row shows as of the past is the one it held then.
                    let shown = try ledger.readProjection(Rows().name, asOf: position) { try Self.seen($0) }
                    let held = try ledger.evaluate(Rows(), asOf: position) { try Self.seen($0) }
                    for (key, value) in shown where !value.isEmpty { #expect(held[key] == value, "seen \(key) as of \(position)") }
                    if position == appended { #expect(shown == held, "the head shows every value") }
                }
                // A rebuild keeps the same history as the model kept up append by append.
                #expect(try await ledger.check(Rows().name).isEmpty)
            }
        }
    }

    @Test(arguments: Backend.allCases) func aModelBuiltByAnotherVersionIsNotReadAsThisVersions(backend: Backend) async throws {
        let dir = TemporaryDirectory("history")
        do {
            let ledger = try backend.open(at: dir.path)
            try ledger.register(LatestValueProjection(version: 1))
            _ = try await ledger.append([ProjectionRuntimeTests.set("s1", "a")])
            try await ledger.catchUpProjections()
        }
        // Version 2 may store its rows otherwise (a model that starts keeping
        // history starts every value with a position): version 1's rows are
        // not read as version 2's.
        let ledger = try backend.open(at: dir.path, options: .readOnly)
        try ledger.register(LatestValueProjection(version: 2))
        let error = #expect(throws: LedgerError.self) {
            try ledger.readProjection("latest-value") { try LatestValueProjection.model($0) }
        }
        #expect(error?.code == .projectionStale)
        #expect(error?.message.contains("built by version 1, not 2") == true, "\(String(describing: error))")
    }

    /// Rows keyed by as many bytes as the stream's name says (`k500`: 500 bytes), with history.
    struct LongKeys: Projection {
        let name = "long-keys"
        let version = 1
        let databases = ["rows"]
        let eventTypes: Set<String>? = ["Set"]
        let keepsHistory = true

        func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
            let length = Int(record.stream.dropFirst())!
            try store.put("rows", key: [UInt8](repeating: 7, count: length), value: Array(record.payload))
        }
    }

    @Test(arguments: Backend.allCases) func aRowKeyTooLongForTheHistoryIsRefusedNamingTheLimitAndTheModelStaysBehindIt(backend: Backend)
        async throws
    {
        let dir = TemporaryDirectory("history")
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LongKeys())
        // 500 bytes: with the tag, the two-byte end and the position, LMDB's 511.
        _ = try await ledger.append([ProjectionRuntimeTests.set("k500", "a"), ProjectionRuntimeTests.set("k500", "b")])
        try await ledger.catchUpProjections()
        #expect(
            try ledger.readProjection("long-keys", asOf: 1) { try $0.get("rows", key: [UInt8](repeating: 7, count: 500)) }
                == Array("a".utf8))
        // 501 bytes: the row's first value is kept, its replacement cannot be filed.
        _ = try await ledger.append([ProjectionRuntimeTests.set("k501", "a"), ProjectionRuntimeTests.set("k501", "b")])
        let error = await #expect(throws: LedgerError.self) { try await ledger.catchUpProjections() }
        #expect(error?.code == .projectionMisconfigured)
        #expect(error?.message.contains("too long for the model's history") == true, "\(String(describing: error))")
        // The appends stand; the model stays at the last record it could fold.
        #expect(try ledger.read { try $0.lastPosition() } == 4)
        let status = try #require(try ledger.projectionStatus().first { $0.name == "long-keys" })
        #expect(status.checkpoint == 2)
    }

    @Test(arguments: Backend.allCases) func aModelWithoutHistoryIsNotReadAsOfThePastButSaysHowToFoldIt(backend: Backend) async throws {
        let dir = TemporaryDirectory("history")
        let ledger = try backend.open(at: dir.path)
        try ledger.register(LatestValueProjection())
        _ = try await ledger.append([ProjectionRuntimeTests.set("s1", "a"), ProjectionRuntimeTests.set("s1", "b")])
        let error = #expect(throws: LedgerError.self) {
            try ledger.readProjection("latest-value", asOf: 1) { _ in () }
        }
        #expect(error?.code == .projectionMisconfigured)
        #expect(error?.message.contains("evaluate") == true)
    }
}
