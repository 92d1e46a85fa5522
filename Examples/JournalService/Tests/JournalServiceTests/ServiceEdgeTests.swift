import EventLedger
import Foundation
import Hummingbird
import HummingbirdTesting
import JournalServiceCore
import SchoolLedger
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The edges of the wire: a client that goes away in the middle of a
/// request, and the same mark posted by several clients at once.
@Suite("The reference service at the edges")
struct ServiceEdgeTests {
    /// Connects to 127.0.0.1:`port`, writes `text`, and closes the socket
    /// without reading: a client that disconnects mid-request.
    static func writeAndHangUp(port: Int, _ text: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let bytes = Array(text.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    @Test func aClientThatHangsUpMidBodyAppendsNothingAndTheServiceGoesOn() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("t-math")
        let command = ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-CUT", student: "S-2")
        let head = try school.journal.ledger.head()
        try await Application(router: try school.service.router()).test(.live) { client in
            let port = try #require(client.port)
            // Headers that announce the whole command, and only half of it.
            let half = String(command.prefix(command.utf8.count / 2))
            try Self.writeAndHangUp(
                port: port,
                "POST /v1/marks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(command.utf8.count)\r\n\r\n\(half)")
            // Headers alone, then gone.
            try Self.writeAndHangUp(port: port, "GET /v1/students/S-2/diary?from=2026-09-14&to=2026-09-20 HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            try await Task.sleep(for: .milliseconds(200))
            #expect(try school.journal.ledger.head() == head, "a cut request appends nothing")
            // The service still answers, and the whole command still goes in once.
            try await client.execute(
                uri: "/v1/marks", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: command)
            ) { response in
                #expect(response.status == .created)
            }
        }
        #expect(try school.journal.ledger.head().position == head.position + 1)
    }

    @Test func theSameMarkPostedByManyClientsAtOnceIsAppendedOnce() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("t-math")
        let command = ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-RACE", student: "S-2")
        let head = try school.journal.ledger.head()
        let answers = try await Application(router: try school.service.router()).test(.ahc(.http)) { client in
            try await withThrowingTaskGroup(of: (HTTPResponse.Status, ServiceSchool.Recorded?).self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await client.execute(
                            uri: "/v1/marks", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: command)
                        ) { response in
                            (response.status, try? JSONDecoder().decode(ServiceSchool.Recorded.self, from: Data(buffer: response.body)))
                        }
                    }
                }
                var all = [(HTTPResponse.Status, ServiceSchool.Recorded?)]()
                for try await answer in group { all.append(answer) }
                return all
            }
        }
        #expect(answers.filter { $0.0 == .created }.count == 1, "\(answers.map(\.0))")
        #expect(answers.filter { $0.0 == .ok }.count == 15)
        #expect(Set(answers.compactMap { $0.1?.positions }) == [[head.position + 1]])
        #expect(try school.journal.ledger.head().position == head.position + 1)
    }
}
