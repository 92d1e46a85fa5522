import EventLedger
import Foundation
import LedgerTestSupport
import Testing

/// The store beside a ledger that the vault and the read log live in: its
/// tables, its all-or-nothing writes, growth, read-only opens and a
/// compaction that leaves no deleted byte behind.
@Suite("The key-value store beside a ledger")
struct KeyValueStoreTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every byte of the files under `directory`.
    static func fileBytes(under directory: String) throws -> Data {
        var all = Data()
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                all.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return all
    }

    @Test func valuesAreReadBackInKeyOrderAndAFailedWriteLeavesNothing() throws {
        let dir = TemporaryDirectory("kv")
        let store = try KeyValueStore.open(directory: dir.path, options: .init(tables: ["a", "b"]))
        try store.write { txn in
            for key in ["k3", "k1", "k2"] { try txn.put("a", key: Self.bytes(key), value: Self.bytes("v-" + key)) }
            try txn.put("b", key: Self.bytes("k1"), value: Self.bytes("other"))
        }
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.write { txn in
                try txn.put("a", key: Self.bytes("k4"), value: Self.bytes("v-k4"))
                try txn.delete("a", key: Self.bytes("k1"))
                throw Refused()
            }
        }
        try store.read { txn in
            #expect(try txn.get("a", key: Self.bytes("k1")) == Self.bytes("v-k1"))
            #expect(try txn.get("a", key: Self.bytes("k4")) == nil)
            #expect(try txn.get("b", key: Self.bytes("k1")) == Self.bytes("other"))
            #expect(try txn.count("a") == 3)
            #expect(try txn.last("a")?.key == Self.bytes("k3"))
            var seen = [String]()
            try txn.forEach("a", from: Self.bytes("k2")) { key, _ in
                seen.append(String(decoding: key, as: UTF8.self))
                return true
            }
            #expect(seen == ["k2", "k3"])
        }
    }

    @Test func aTableNotNamedAtOpenAndAnAppendOutOfOrderAreRefused() throws {
        let dir = TemporaryDirectory("kv")
        let store = try KeyValueStore.open(directory: dir.path, options: .init(tables: ["log"]))
        let unknown = #expect(throws: LedgerError.self) { try store.read { txn in try txn.get("nope", key: [1]) } }
        #expect(unknown?.message.contains("nope") == true)
        try store.write { txn in try txn.put("log", key: [0, 2], value: [2], append: true) }
        #expect(throws: (any Error).self) { try store.write { txn in try txn.put("log", key: [0, 1], value: [1], append: true) } }
        #expect(try store.read { txn in try txn.count("log") } == 1)
    }

    @Test func writesBeyondTheFirstSizeGrowTheFile() throws {
        let dir = TemporaryDirectory("kv")
        var options = KeyValueStore.Options(tables: ["big"])
        options.initialSize = 64 << 10
        let store = try KeyValueStore.open(directory: dir.path, options: options)
        let value = [UInt8](repeating: 7, count: 4096)
        for batch in 0..<8 {
            try store.write { txn in
                for n in 0..<64 { try txn.put("big", key: [UInt8(batch), UInt8(n)], value: value) }
            }
        }
        #expect(try store.read { txn in try txn.count("big") } == 512)
    }

    @Test func aReadOnlyStoreReadsButRefusesWritesAndReadsAMissingTableAsEmpty() throws {
        let dir = TemporaryDirectory("kv")
        do {
            let store = try KeyValueStore.open(directory: dir.path, options: .init(tables: ["a"]))
            try store.write { txn in try txn.put("a", key: [1], value: [1]) }
        }
        var options = KeyValueStore.Options(tables: ["a", "never-written"])
        options.readOnly = true
        let store = try KeyValueStore.open(directory: dir.path, options: options)
        #expect(try store.read { txn in try txn.get("a", key: [1]) } == [1])
        #expect(try store.read { txn in try txn.count("never-written") } == 0)
        let refused = #expect(throws: LedgerError.self) { try store.write { txn in try txn.put("a", key: [2], value: [2]) } }
        #expect(refused?.code == .readOnly)
        #expect(throws: LedgerError.self) { try store.compact() }
    }

    @Test func aDirectoryThatIsNotAStoreIsATypedError() throws {
        let dir = TemporaryDirectory("kv")
        try "not a directory".write(toFile: dir.sub("file"), atomically: true, encoding: .utf8)
        let error = #expect(throws: LedgerError.self) {
            try KeyValueStore.open(directory: dir.sub("file"), options: .init(tables: ["a"]))
        }
        #expect(error?.code == .storage)
    }

    /// The vault relies on this to destroy an erased person's key.
    @Test func compactionLeavesNoByteOfADeletedValueAndLaterWritesLandInTheNewFile() throws {
        let dir = TemporaryDirectory("kv")
        let store = try KeyValueStore.open(directory: dir.path, options: .init(tables: ["keys"]))
        let secret = (0..<48).map { _ in UInt8.random(in: 0...255) }
        try store.write { txn in
            try txn.put("keys", key: Self.bytes("S-1"), value: secret)
            try txn.put("keys", key: Self.bytes("S-2"), value: Self.bytes("stays"))
        }
        _ = try store.write { txn in try txn.delete("keys", key: Self.bytes("S-1")) }
        try store.compact()
        #expect(try Self.fileBytes(under: dir.path).range(of: Data(secret)) == nil)
        #expect(try store.read { txn in try txn.get("keys", key: Self.bytes("S-2")) } == Self.bytes("stays"))
        let later = (0..<48).map { _ in UInt8.random(in: 0...255) }
        try store.write { txn in try txn.put("keys", key: Self.bytes("S-3"), value: later) }
        #expect(try Self.fileBytes(under: dir.path).range(of: Data(later)) != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["data.mdb", "lock.mdb"])
    }
}
