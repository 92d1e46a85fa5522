import AsyncHTTPClient
import EventLedger
import Foundation
import JournalServiceCore
import NIOCore
import SchoolLedger
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The service as an operator runs it: the `journal-service` executable in a
/// process of its own, stopped with SIGTERM while clients post marks.
@Suite("The reference service stopped under load")
struct ServiceShutdownTests {
    /// The `journal-service` binary SwiftPM built beside the tests.
    static func serviceBinary() throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("journal-service").path }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "journal-service is not beside the tests (\(candidates)): build with swift build --build-tests")
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// One POST's outcome: the event id sent, and the status and positions
    /// answered (nil when the connection failed: no answer, no promise).
    struct Outcome: Sendable {
        var eventID: EventID
        var status: Int?
        var positions: [UInt64]
        /// Why no answer came, when none did.
        var failure: String?
    }

    /// What the clients and the stopper share.
    final class Progress: Sendable {
        /// Marks answered 201.
        let acknowledged = Atomic<Int>(0)
        /// Clients that have stopped posting.
        let finished = Atomic<Int>(0)
        /// Set once SIGTERM has been sent.
        let stopped = Atomic<Bool>(false)
    }

    /// Waits up to `seconds` for `process` to exit; kills it and says so when it does not.
    static func waitForExit(_ process: Process, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// Posts one new mark as t-math; the outcome, or no status when the connection failed.
    static func post(_ client: HTTPClient, port: Int, token: String, mark: String, student: String) async -> Outcome {
        let id = EventID.generate()
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/marks")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: ServiceSchool.markCommand(id: id.description, mark: mark, student: student)))
        do {
            // A request the stopped service can no longer take fails when the
            // client gives up retrying its connection: 3 s.
            let response = try await client.execute(request, timeout: .seconds(3))
            let body = try await response.body.collect(upTo: 1 << 16)
            let answer = try? JSONDecoder().decode(ServiceSchool.Recorded.self, from: Data(buffer: body))
            return Outcome(eventID: id, status: Int(response.status.code), positions: answer?.positions ?? [], failure: nil)
        } catch {
            return Outcome(eventID: id, status: nil, positions: [], failure: "\(error)")
        }
    }

    @Test func sigtermDuringLoadDrainsTheAppendsAndLosesNothingAcknowledged() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let secretFile = school.directory + ".jwt-secret"
        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: secretFile))
        defer { try? FileManager.default.removeItem(atPath: secretFile) }
        let port = try Self.freePort()

        let service = Process()
        service.executableURL = URL(fileURLWithPath: try Self.serviceBinary())
        service.arguments = ["--ledger", school.directory, "--jwt-secret", secretFile, "--port", "\(port)"]
        let output = Pipe()
        service.standardOutput = output
        service.standardError = FileHandle.nullDevice
        try service.run()
        defer { if service.isRunning { service.terminate() } }
        // Read what it prints as it prints it, so a full pipe never blocks it.
        let printing = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let token = try await school.token("t-math")
        // Wait until it answers.
        var up = false
        for _ in 0..<200 where !up {
            var probe = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
            probe.method = .GET
            up = (try? await client.execute(probe, timeout: .seconds(1)).status) == .ok
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(up, "the service did not start on port \(port)")

        // Eight clients post marks until the service is gone; SIGTERM once 40
        // are acknowledged. A stall fails the test with what the clients saw
        // instead of hanging: the stopper gives up waiting for 40 after 60 s,
        // or once every client has stopped, and a client stops at its first
        // unanswered post after SIGTERM, or at its fifth before it.
        let before = try school.journal.ledger.head().position
        let progress = Progress()
        let pid = service.processIdentifier
        let outcomes = await withTaskGroup(of: [Outcome].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine = [Outcome]()
                    var unanswered = 0
                    for n in 0..<10_000 {
                        let outcome = await Self.post(
                            client, port: port, token: token, mark: "M-T\(worker)-\(n)", student: "S-\(1 + n % 2)")
                        mine.append(outcome)
                        if outcome.status == 201 { progress.acknowledged.add(1, ordering: .relaxed) }
                        if outcome.status == nil {
                            unanswered += 1
                            if progress.stopped.load(ordering: .acquiring) || unanswered == 5 { break }
                        }
                    }
                    progress.finished.add(1, ordering: .releasing)
                    return mine
                }
            }
            group.addTask {
                let deadline = ContinuousClock.now + .seconds(60)
                while progress.acknowledged.load(ordering: .relaxed) < 40, progress.finished.load(ordering: .acquiring) < 8,
                    ContinuousClock.now < deadline
                {
                    try? await Task.sleep(for: .milliseconds(5))
                }
                progress.stopped.store(true, ordering: .releasing)
                kill(pid, SIGTERM)
                return []
            }
            var all = [Outcome]()
            for await part in group { all += part }
            return all
        }
        try await client.shutdown()
        let exited = await Self.waitForExit(service, seconds: 60)
        let printed = String(decoding: await printing.value, as: UTF8.self)
        let failures = Set(outcomes.compactMap(\.failure)).sorted().prefix(5)

        #expect(exited, "journal-service did not exit within 60 s of SIGTERM; killed. It printed: \(printed)")
        #expect(service.terminationReason == .exit && service.terminationStatus == 0, "\(printed)")
        #expect(printed.contains("stopped; the ledger is synced"), "\(printed)")
        let created = outcomes.filter { $0.status == 201 }
        #expect(created.count >= 40, "\(created.count) marks acknowledged before SIGTERM; the posts' failures: \(failures)")
        #expect(outcomes.allSatisfy { $0.status == nil || $0.status == 201 }, "\(Set(outcomes.compactMap(\.status)))")
        // Every acknowledged mark is in the ledger, where its answer said.
        for outcome in created {
            #expect(try school.journal.ledger.position(of: outcome.eventID) == outcome.positions.first, "\(outcome.eventID)")
        }
        // And the log holds nothing no client sent.
        let sent = Set(outcomes.map(\.eventID))
        let appended = try school.journal.ledger.events(from: before + 1)
        #expect(appended.count >= created.count)
        #expect(appended.allSatisfy { sent.contains($0.id) })
    }
}
