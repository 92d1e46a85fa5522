import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Backups: a consistent, compacted, verified copy while appends go on")
struct BackupTests {
    static func set(_ n: Int) -> NewEvent { Fixture.event("s\(n % 5)", type: "Set", payload: "\(n)") }

    @Test func aBackupTakenWhileAppendsGoOnIsTheLedgersHistoryUpToItsHeadWithItsModelAsOfThere() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        try ledger.register(LatestValueProjection())
        _ = try await ledger.append((0..<200).map(Self.set))
        let before = try ledger.head().position

        // A writer appends batches the whole time the copy is taken.
        let writing = Task {
            var n = 200
            while !Task.isCancelled && n < 20_000 {
                _ = try await ledger.append((n..<n + 10).map(Self.set))
                n += 10
            }
        }
        while try ledger.head().position < before + 100 { try await Task.sleep(for: .milliseconds(1)) }
        let report = try await Task.detached { try ledger.backup(to: dir.sub("copy")) }.value
        // The writer goes on past the copy's snapshot; the copy has none of that.
        while try ledger.head().position <= report.head.position + 10 { try await Task.sleep(for: .milliseconds(1)) }
        writing.cancel()
        try await writing.value
        let after = try ledger.head().position

        #expect(report.verification.isIntact)
        #expect(report.head == report.verification.head)
        #expect(report.head.position >= before + 100 && report.head.position < after)
        #expect(report.bytes > 0)
        // The ledger's own history begins with exactly the copy's.
        #expect(try ledger.verify(against: report.head).isIntact)
        let copy = try EventLedger.open(at: report.directory, options: .readOnly)
        #expect(try copy.head() == report.head)
        let copied = try copy.events().map(\.id)
        #expect(copied == (try ledger.events(through: report.head.position).map(\.id)))
        // The read model came in the same snapshot: at the copy's head, equal
        // to the ledger's model as of that position.
        try copy.register(LatestValueProjection())
        let (checkpoint, model) = try copy.readProjection("latest-value") { ($0.checkpoint, try LatestValueProjection.model($0)) }
        #expect(checkpoint == report.head.position)
        #expect(model == (try ledger.evaluate(LatestValueProjection(), asOf: report.head.position) { try LatestValueProjection.model($0) }))
        // The copy's files are the owner's alone, as the ledger's are.
        let mode = try FileManager.default.attributesOfItem(atPath: report.directory + "/data.mdb")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aBackupWhileAnotherProcessAppendsAndIsKilledHoldsAPrefixOfWhatItAcknowledged() async throws {
        let dir = TemporaryDirectory()
        _ = try EventLedger.open(at: dir.sub("ledger"))
        let child = try ChildProcess("LedgerTestChild", [dir.sub("ledger"), "batches"])
        let ledger = try EventLedger.open(at: dir.sub("ledger"), options: .readOnly)
        while try ledger.head().position < 500 && !child.hasExited { usleep(2_000) }
        let report = try ledger.backup(to: dir.sub("copy"))
        usleep(50_000)
        let (acknowledged, killed) = child.kill()
        #expect(killed, "the appending child stopped by itself: \(child.errorOutput)")
        #expect(report.verification.isIntact)
        #expect(report.head.position >= 500)
        // Every acknowledgement at or before the copy's head is in the copy, at its position.
        let copy = try EventLedger.open(at: report.directory, options: .readOnly)
        let ids = try copy.events().map(\.id)
        let inCopy = acknowledged.filter { $0.0 <= report.head.position }
        #expect(!inCopy.isEmpty)
        for (position, id) in inCopy { #expect(ids[Int(position) - 1] == id) }
        #expect(try ledger.verify(against: report.head).isIntact)
    }

    @Test func aDamagedLedgerGivesNoBackupButAnErrorNamingThePosition() async throws {
        let dir = TemporaryDirectory()
        do {
            let ledger = try EventLedger.open(at: dir.sub("ledger"))
            _ = try await ledger.append((1...40).map { Fixture.event("s", payload: "MARKER-\(String(format: "%04d", $0))-payload") })
        }
        try FileManager.default.createDirectory(atPath: dir.sub("forged"), withIntermediateDirectories: true)
        try Fixture.copyDataFile(
            from: dir.sub("ledger"), to: dir.sub("forged"), replacing: "MARKER-0037-payload", with: "MARKER-0097-payload")
        let forged = try EventLedger.open(at: dir.sub("forged"), options: .readOnly)
        let error = #expect(throws: LedgerError.self) { try forged.backup(to: dir.sub("copy")) }
        #expect(error?.code == .corruptRecord)
        #expect(error?.message.contains("position 37") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: dir.sub("copy")))
    }

    @Test func restoringIsOpeningTheCopyWhichTakesAppendsAndKeepsItsChain() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        _ = try await ledger.append((0..<50).map(Self.set))
        let report = try ledger.backup(to: dir.sub("copy"))
        let restored = try EventLedger.open(at: report.directory)
        let appended = try await restored.append([Self.set(50)])
        #expect(appended.positions == [51])
        #expect(try restored.verify(against: report.head).isIntact)
        #expect(try restored.verify().checkedRecords == 51)
    }

    @Test func aDestinationThatIsNotNewAndEmptyOrLiesInsideTheLedgerIsRefusedAndLeftAsItWas() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        _ = try await ledger.append((0..<10).map(Self.set))
        let fm = FileManager.default

        try fm.createDirectory(atPath: dir.sub("full"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dir.sub("full") + "/notes.txt"))
        let notEmpty = #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("full")) }
        #expect(notEmpty?.message.contains("not empty") == true, "\(String(describing: notEmpty))")
        #expect(try fm.contentsOfDirectory(atPath: dir.sub("full")) == ["notes.txt"])

        let inside = #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("ledger") + "/backup") }
        #expect(inside?.message.contains("inside") == true, "\(String(describing: inside))")
        #expect(!fm.fileExists(atPath: dir.sub("ledger") + "/backup"))
        #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("ledger")) }

        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.sub("a-file")))
        let file = #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("a-file")) }
        #expect(file?.message.contains("is a file") == true)

        // The ledger is as it was, and an empty directory is taken.
        #expect(try ledger.verify().checkedRecords == 10)
        try fm.createDirectory(atPath: dir.sub("empty"), withIntermediateDirectories: true)
        #expect(try ledger.backup(to: dir.sub("empty")).head.position == 10)
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a small tmpfs (run `make test` as root, as CI does)"))
    func aCopyThatDoesNotFitIsRefusedAsDiskFullAndLeavesNothingBehind() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        let big = (0..<400).map { n in
            NewEvent(
                stream: "s-\(n % 7)", type: "Filler", actor: "a", occurredAt: Fixture.occurred,
                payload: Array(String(repeating: "\(n)-", count: 1_000).utf8))
        }
        _ = try await ledger.append(big)
        let disk = try TmpfsMount(kilobytes: 512)
        let error = #expect(throws: LedgerError.self) { try ledger.backup(to: disk.path + "/copy") }
        #expect(error?.code == .diskFull, "\(String(describing: error))")
        #expect(error?.message.contains("free space") == true)
        #expect(!FileManager.default.fileExists(atPath: disk.path + "/copy"))
        #expect(try ledger.verify().checkedRecords == 400)
    }

    @Test func storesBesideTheLedgerAreCopiedIntoTheirSubdirectories() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        _ = try await ledger.append([Self.set(1)])
        let store = try KeyValueStore.open(directory: dir.sub("ledger") + "/side", options: .init(tables: ["notes"]))
        try store.write { try $0.put("notes", key: Array("k".utf8), value: Array("v".utf8)) }
        let report = try ledger.backup(to: dir.sub("copy"), with: ["side": store])
        #expect(report.stores["side"].map { $0 > 0 } == true)
        var options = KeyValueStore.Options(tables: ["notes"])
        options.readOnly = true
        let copied = try KeyValueStore.open(directory: report.directory + "/side", options: options)
        #expect(try copied.read { try $0.get("notes", key: Array("k".utf8)) } == Array("v".utf8))
        #expect(throws: LedgerError.self) { try ledger.backup(to: dir.sub("copy2"), with: ["../out": store]) }
        #expect(!FileManager.default.fileExists(atPath: dir.sub("copy2")))
    }
}
