import Foundation
import LedgerLMDB
import LedgerTestSupport
import Testing

@Suite("LMDB environment")
struct EnvironmentTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func aPathIsOpenedOncePerProcess() throws {
        let dir = TemporaryDirectory()
        let a = try Environment.open(directory: dir.path)
        let b = try Environment.open(directory: dir.path + "/.")
        #expect(a === b)
    }

    @Test func reopeningWithOtherDurabilityIsRefused() throws {
        let dir = TemporaryDirectory()
        let a = try Environment.open(directory: dir.path)
        var options = Environment.Options()
        options.durability = .noSync
        let error = #expect(throws: LMDBError.self) { try Environment.open(directory: dir.path, options: options) }
        #expect(error?.code == .incompatible)
        _ = a
    }

    @Test func writesAreVisibleToLaterReads() throws {
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let db = try env.openDatabase("notes", create: true)
        try env.write { txn in
            try txn.put(db, key: bytes("k1"), value: bytes("v1"))
            try txn.put(db, key: bytes("k2"), value: bytes("v2"))
        }
        let values = try env.read { txn in
            try [bytes("k1"), bytes("k2"), bytes("k3")].map { try txn.get(db, key: $0).map { Array($0) } }
        }
        #expect(values == [bytes("v1"), bytes("v2"), nil])
    }

    @Test func aThrowingWriteClosureWritesNothing() throws {
        struct Abandon: Error {}
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let db = try env.openDatabase("notes", create: true)
        #expect(throws: Abandon.self) {
            try env.write { txn in
                try txn.put(db, key: bytes("k"), value: bytes("v"))
                throw Abandon()
            }
        }
        #expect(try env.read { try $0.get(db, key: bytes("k")) } == nil)
    }

    @Test func aNestedTransactionRollsBackAloneWhenItThrows() throws {
        struct Refuse: Error {}
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let db = try env.openDatabase("notes", create: true)
        try env.write { txn in
            try txn.put(db, key: bytes("outer"), value: bytes("1"))
            try? txn.nested { child in
                try child.put(db, key: bytes("inner"), value: bytes("2"))
                throw Refuse()
            }
            try txn.nested { child in try child.put(db, key: bytes("kept"), value: bytes("3")) }
        }
        let found = try env.read { txn in
            try ["outer", "inner", "kept"].map { try txn.get(db, key: bytes($0)) != nil }
        }
        #expect(found == [true, false, true])
    }

    @Test func cursorsWalkAndSeekInKeyOrder() throws {
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let db = try env.openDatabase("numbers", create: true)
        try env.write { txn in
            for n: UInt8 in [10, 20, 30, 40] { try txn.put(db, key: [n], value: [n / 10]) }
        }
        let keys: [[UInt8]?] = try env.read { txn in
            try txn.withCursor(db) { cursor in
                let key = { (entry: Cursor.Entry?) in entry.map { Array($0.key) } }
                return [
                    key(try cursor.first()), key(try cursor.next()), key(try cursor.seek(atLeast: [25])),
                    key(try cursor.seek(atMost: [25])), key(try cursor.seek(atMost: [40])), key(try cursor.seek(atMost: [99])),
                    try cursor.last().map { Array($0.value) }, key(try cursor.next()), key(try cursor.seek(atLeast: [41])),
                ]
            }
        }
        #expect(keys == [[10], [20], [30], [20], [40], [40], [4], nil, nil])
    }

    @Test func appendOutOfOrderIsKeyExists() throws {
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let db = try env.openDatabase("log", create: true)
        try env.write { txn in try txn.put(db, key: [0, 2], value: [1], flags: .append) }
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn in try txn.put(db, key: [0, 1], value: [1], flags: .append) }
        }
        #expect(error?.code == .keyExists)
        #expect(error?.operation.contains("mdb_put") == true)
    }

    /// An environment in `dir` with a 1 MiB map (it must grow soon) and its `blobs` database.
    func smallMap(_ dir: TemporaryDirectory) throws -> (Environment, Database) {
        var options = Environment.Options()
        options.mapSize = 1 << 20
        options.durability = .noSync
        let env = try Environment.open(directory: dir.path, options: options)
        return (env, try env.openDatabase("blobs", create: true))
    }

    @Test func theMapGrowsByItselfAndTheWriteIsRetried() throws {
        let dir = TemporaryDirectory()
        let (env, db) = try smallMap(dir)
        let blob = [UInt8](repeating: 7, count: 100_000)
        for batch in 0..<30 {
            try env.write { txn in
                for i in 0..<10 { try txn.put(db, key: [UInt8(batch), UInt8(i)], value: blob) }
            }
        }
        #expect(env.mapSize > 30_000_000)
        #expect(try env.read { try $0.statistics(db).entries } == 300)
    }

    @Test func aHelperReadNeverWaitsForAResizeThatWaitsForAnotherTransaction() throws {
        let dir = TemporaryDirectory()
        let (env, db) = try smallMap(dir)
        #expect(try env.readIfNoResize { try $0.statistics(db).entries } == 0)
        let readerHolds = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), writerDone = DispatchSemaphore(value: 0)
        // A reader holds a snapshot (as a fold holds its transaction) ...
        Thread {
            _ = try? env.read { _ in
                readerHolds.signal()
                release.wait()
            }
        }.start()
        readerHolds.wait()
        // ... while a write fills the map, whose growth waits for that snapshot to end.
        Thread {
            let blob = [UInt8](repeating: 7, count: 100_000)
            try? env.write { txn in for i in 0..<20 { try txn.put(db, key: [UInt8(i)], value: blob) } }
            writerDone.signal()
        }.start()
        // Until the resize is pending, a helper read may begin; from then on it answers nil at once.
        var answered: Int?? = .some(0)
        for _ in 0..<500 {
            answered = try env.readIfNoResize { try $0.statistics(db).entries }
            if answered == nil { break }
            usleep(2_000)
        }
        #expect(answered == nil, "a helper read began while a resize was pending")
        release.signal()
        writerDone.wait()
        #expect(try env.readIfNoResize { try $0.statistics(db).entries } == 20)
    }

    @Test func aMissingDatabaseIsNotFound() throws {
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let error = #expect(throws: LMDBError.self) { try env.openDatabase("absent") }
        #expect(error?.code == .notFound)
    }

    @Test func aReadOnlyEnvironmentRefusesWrites() throws {
        let dir = TemporaryDirectory()
        let writable = try Environment.open(directory: dir.sub("ro"))
        _ = try writable.openDatabase("d", create: true)
        // Another process would open it read-only; here the registry gives the
        // same instance, so check the refusal through a second path instead.
        let other = TemporaryDirectory()
        do { _ = try Environment.open(directory: other.path).openDatabase("d", create: true) }
        var options = Environment.Options()
        options.readOnly = true
        let error = #expect(throws: LMDBError.self) {
            let env = try Environment.open(directory: other.path, options: options)
            try env.write { _ in }
        }
        #expect(error?.code == .permissionDenied)
    }

    @Test func staleReadersAreCountedAndTheVersionIsKnown() throws {
        let dir = TemporaryDirectory()
        let env = try Environment.open(directory: dir.path)
        let cleared = try env.clearStaleReaders()
        #expect(cleared == 0)
        #expect(Environment.libraryVersion.hasPrefix("LMDB"))
        #expect(env.info.maxReaders == 126)
    }
}

@Suite("LMDB environment registry")
struct EnvironmentRegistryTests {
    @Test func aReadOnlyRequestIsServedByTheWritableEnvironmentAlreadyOpen() throws {
        let dir = TemporaryDirectory()
        let writable = try Environment.open(directory: dir.path)
        var options = Environment.Options()
        options.readOnly = true
        options.durability = .noSync
        #expect(try Environment.open(directory: dir.path, options: options) === writable)
    }
}
