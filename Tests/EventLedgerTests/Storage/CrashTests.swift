import EventLedger
import LedgerTestSupport
import Foundation
import Testing

/// Children append in a loop and print each acknowledged position; the test
/// kills them with SIGKILL at random moments and checks that every
/// acknowledged event survived, intact, with the chain whole.
@Suite("Crash safety", .serialized)
struct CrashTests {
    /// Starts the child, lets it run `millis`, kills it, returns what it acknowledged.
    static func runAndKill(_ dir: String, mode: String, millis: Int) throws -> [(UInt64, EventID)] {
        let process = Process()
        process.executableURL = Fixture.productsDirectory.appendingPathComponent("LedgerTestChild")
        process.arguments = [dir, mode]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(millis * 1000))
        kill(process.processIdentifier, SIGKILL)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            // A line cut by the kill is not an acknowledgement.
            guard parts.count == 3, parts[0] == "ACK", let p = UInt64(parts[1]), let id = EventID(parts[2]) else { return nil }
            return (p, id)
        }
    }

    @Test(arguments: ["batches", "concurrent"])
    func everyAcknowledgedAppendSurvivesSIGKILL(mode: String) throws {
        let dir = TemporaryDirectory("crash")
        var acknowledged = [(UInt64, EventID)]()
        for round in 0..<Fixture.stressRounds(quick: 20) {
            acknowledged += try Self.runAndKill(dir.path, mode: mode, millis: Int.random(in: 40...260) + (round == 0 ? 300 : 0))
        }
        #expect(acknowledged.count > 0)
        let ledger = try EventLedger.open(at: dir.path)
        let report = try ledger.verify()
        #expect(report.isIntact, "\(report)")
        try ledger.read { reader in
            for (position, id) in acknowledged {
                let view = try #require(try reader.record(at: position), "acknowledged position \(position) is missing")
                #expect(view.id == id)
                #expect(Array(view.payload) == Array("payload of \(id)".utf8))
            }
        }
        let positions = Set(acknowledged.map(\.0))
        #expect(positions.count == acknowledged.count, "a position was acknowledged twice")
    }
}
