import EventLedger
import Foundation
import LedgerLMDB
import LedgerTestSupport
import Testing

@Suite("Opening a ledger directory")
struct OpeningTests {
    @Test func aMissingDirectoryIsCreated() async throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("new/nested")
        let ledger = try EventLedger.open(at: path)
        #expect(FileManager.default.fileExists(atPath: path + "/data.mdb"))
        #expect(try await ledger.append(Fixture.event()).positions == [1])
    }

    @Test func withoutCreateAMissingLedgerIsNoLedger() throws {
        let dir = TemporaryDirectory()
        var options = EventLedger.Options()
        options.create = false
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir.sub("absent"), options: options) }
        #expect(error?.code == .noLedger)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("absent")))
    }

    @Test func aDirectoryWithOtherFilesIsNotALedger() throws {
        let dir = TemporaryDirectory()
        try Data("homework".utf8).write(to: URL(fileURLWithPath: dir.sub("notes.txt")))
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir.path) }
        #expect(error?.code == .notALedger)
        #expect(error?.message.contains("notes.txt") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("data.mdb")))
    }

    @Test func aFileIsNotALedger() throws {
        let dir = TemporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.sub("file")))
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir.sub("file")) }
        #expect(error?.code == .notALedger)
    }

    @Test func anotherApplicationsLMDBEnvironmentIsNotALedger() throws {
        let dir = TemporaryDirectory()
        let foreign = dir.sub("foreign")
        do {
            let env = try Environment.open(directory: foreign)
            let main = try env.openDatabase(nil)
            try env.write { txn in try txn.put(main, key: Array("settings".utf8), value: Array("v".utf8)) }
        }
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: foreign) }
        #expect(error?.code == .notALedger)
    }

    @Test func randomBytesInTheDataFileAreNotALedger() throws {
        let dir = TemporaryDirectory()
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<65536).map { _ in UInt8.random(in: 0...255, using: &rng) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir.sub("data.mdb")))
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir.path) }
        #expect(error?.code == .notALedger)
    }

    @Test func aTruncatedDataFileIsRefusedBeforeItIsRead() async throws {
        let dir = TemporaryDirectory()
        let copy = TemporaryDirectory("copy")
        let ledger = try EventLedger.open(at: dir.path)
        for _ in 0..<40 { _ = try await ledger.append(Fixture.event(payload: String(repeating: "x", count: 3000))) }
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.sub("data.mdb")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: copy.sub("data.mdb")))
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: copy.path, options: .readOnly) }
        #expect(error?.code == .corruptRecord)
        #expect(error?.message.contains("truncated") == true)
    }

    /// Another process commits batches, growing the file, while this one
    /// opens the ledger again and again: no open takes the growing file for
    /// a truncated one. (The check once read the file's size before the meta
    /// pages, so a commit landing in between looked like truncation.)
    @Test func openingWhileAnotherProcessCommitsNeverSeesATruncatedFile() async throws {
        let dir = TemporaryDirectory("opening-while-committing")
        _ = try EventLedger.open(at: dir.path)
        let child = try ChildProcess("LedgerTestChild", [dir.path, "batches"])
        var opens = 0
        var refusals = [String]()
        while !child.hasExited, opens < 2000 {
            do {
                _ = try EventLedger.open(at: dir.path, options: .readOnly)
            } catch let error as LedgerError {
                refusals.append(error.message)
            }
            opens += 1
        }
        child.kill()
        #expect(refusals.isEmpty, "\(refusals.count) of \(opens) opens refused: \(refusals.prefix(3))")
        #expect(opens > 100, "the child committed while this process opened the ledger \(opens) times")
    }

    @Test func aLedgerOfANewerFormatIsRefused() throws {
        let dir = TemporaryDirectory()
        _ = try EventLedger.open(at: dir.path)
        // Rewrite the stored format through LMDB, as a future version would.
        do {
            let env = try Environment.open(directory: dir.path)
            let meta = try env.openDatabase("ledger.meta")
            try env.write { txn in try txn.put(meta, key: Array("format".utf8), value: [0, 0, 0, 99]) }
        }
        let error = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir.path) }
        #expect(error?.code == .newerFormat)
        #expect(error?.message.contains("99") == true)
    }

    @Test func reopeningKeepsEverything() async throws {
        let dir = TemporaryDirectory()
        let head: ChainHead
        do {
            let ledger = try EventLedger.open(at: dir.path)
            _ = try await ledger.append([Fixture.event(), Fixture.event()])
            head = try ledger.head()
        }
        let again = try EventLedger.open(at: dir.path)
        #expect(try again.head() == head)
        #expect(try await again.append(Fixture.event()).positions == [3])
    }
}
