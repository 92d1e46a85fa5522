import EventLedger
import Foundation
import LedgerLMDB
import LedgerTestSupport
import Testing

/// The ledger on a file system that fills up or turns read-only: a typed
/// error that says what to do, nothing stored lost, and work resuming once
/// the disk has room again. Each test mounts a small tmpfs, which needs
/// root (CI runs `make test` as root); elsewhere they are skipped with a message.
@Suite("File system full or read-only", .serialized)
struct FileSystemTests {
    static func event(_ n: Int) -> NewEvent {
        NewEvent(
            stream: "s-\(n % 7)", type: "Filler", actor: "a", occurredAt: Fixture.occurred,
            payload: Array(String(repeating: "\(n)-", count: 1_000).utf8))
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a small tmpfs (run `make test` as root, as CI does)"))
    func aFullFileSystemRefusesTheAppendAndLosesNothing() async throws {
        let disk = try TmpfsMount(kilobytes: 2_048)
        let dir = disk.path + "/ledger"
        var acknowledged: [(UInt64, EventID)] = []
        var refusal: LedgerError?
        do {
            let ledger = try EventLedger.open(at: dir, options: Fixture.options(mapSize: 256 << 10))
            var n = 0
            fill: while n < 10_000 {
                let batch = (n..<n + 20).map(Self.event)
                n += 20
                do {
                    let result = try await ledger.append(batch)
                    acknowledged += zip(result.positions, batch.map(\.id)).map { ($0, $1) }
                } catch let error as LedgerError {
                    refusal = error
                    break fill
                }
            }
            let error = try #require(refusal, "2 MiB did not fill up")
            #expect(error.code == .diskFull, "\(error)")
            #expect(error.message.contains("free space"), "\(error.message)")
            // The refused append left the ledger as it was; the writer still
            // answers, and a batch too large for what is left is refused too.
            #expect(try ledger.head().position == acknowledged.last?.0)
            await #expect(throws: LedgerError.self) { try await ledger.append((0..<400).map { Self.event(-$0) }) }
            #expect(try ledger.head().position == acknowledged.last?.0)
            #expect(try ledger.verify().isIntact)
        }
        // Room again: everything acknowledged is there and appends resume.
        try disk.remount("size=16384k")
        let ledger = try EventLedger.open(at: dir)
        #expect(try ledger.verify().isIntact)
        try ledger.read { reader in
            for (position, id) in acknowledged {
                let view = try #require(try reader.record(at: position), "acknowledged position \(position) is missing")
                #expect(view.id == id)
            }
        }
        let after = try await ledger.append([Self.event(1), Self.event(2)])
        #expect(after.positions.first == UInt64(acknowledged.count) + 1)
        #expect(try ledger.verify().isIntact)
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a small tmpfs (run `make test` as root, as CI does)"))
    func aReadOnlyFileSystemIsRefusedForWritingAndReadForReading() async throws {
        let disk = try TmpfsMount(kilobytes: 8_192)
        let dir = disk.path + "/ledger"
        let head: ChainHead
        do {
            let ledger = try EventLedger.open(at: dir)
            _ = try await ledger.append((0..<5).map(Self.event))
            head = try ledger.head()
        }
        try disk.remount("ro")
        let refusal = #expect(throws: LedgerError.self) { try EventLedger.open(at: dir) }
        #expect(refusal?.message.localizedCaseInsensitiveContains("read-only") == true, "\(String(describing: refusal))")
        do {
            let reader = try EventLedger.open(at: dir, options: .readOnly)
            #expect(try reader.head() == head)
            #expect(try reader.verify().isIntact)
        }
        try disk.remount("rw")
        let again = try EventLedger.open(at: dir)
        #expect(try again.head() == head)
        #expect(try await again.append([Self.event(9)]).positions == [6])
    }

    @Test(.enabled(if: getuid() != 0, "root writes through directory permissions; the read-only file system test covers root"))
    func aReadOnlyDirectoryIsRefusedForWritingAndReadForReading() async throws {
        let dir = TemporaryDirectory("readonly")
        let head: ChainHead
        do {
            let ledger = try EventLedger.open(at: dir.path)
            _ = try await ledger.append((0..<3).map(Self.event))
            head = try ledger.head()
        }
        for file in ["data.mdb", "lock.mdb", ""] {
            try FileManager.default.setAttributes([.posixPermissions: file.isEmpty ? 0o555 : 0o444], ofItemAtPath: dir.path + "/" + file)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        await #expect(throws: LedgerError.self) { try await EventLedger.open(at: dir.path).append([Self.event(7)]) }
        for file in ["data.mdb", "lock.mdb", ""] {
            try FileManager.default.setAttributes([.posixPermissions: file.isEmpty ? 0o755 : 0o644], ofItemAtPath: dir.path + "/" + file)
        }
        #expect(try EventLedger.open(at: dir.path).head() == head)
    }
}
