import EventLedger
import Foundation
import Hummingbird
import HummingbirdTesting
import JournalServiceCore
import SchoolLedger
import Testing

/// The service on a live socket (Hummingbird's `.live` test server): the
/// library's rights and refusals as HTTP statuses with problem bodies, the
/// idempotent POST, the parent's page, and the read log's request context.
@Suite("The reference service: routes, identity, refusals")
struct JournalServiceTests {
    static func app(_ school: ServiceSchool) throws -> some ApplicationProtocol {
        Application(router: try school.service.router())
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func problem(_ response: TestResponse) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
        return object.mapValues { "\($0)" }
    }

    @Test func aParentReadsHerChildsWeekAndTheReadLogKeepsTheRequest() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("acc-p1")
        try await Self.app(school).test(.live) { client in
            try await client.execute(
                uri: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20", method: .get, headers: Self.bearer(token)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let diary = try JSONDecoder().decode(StudentDiary.self, from: Data(buffer: response.body))
                #expect(diary.studentID == "S-1")
                #expect(diary.lessons.map(\.lessonID) == ["L-1", "L-2"])
                #expect(diary.lessons.first?.marks == [.numeric(5)])
                #expect(diary.lessons.first?.homework.map(\.text) == ["№ 12–15, с. 8"])
            }
            try await client.execute(
                uri: "/v1/students/S-1/marks?from=2026-09-01&to=2026-09-30", method: .get, headers: Self.bearer(token)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"numeric\":5") || String(buffer: response.body).contains("5"))
            }
        }
        let reads = try school.journal.readLog().entries { $0.account == "acc-p1" }
        #expect(reads.map(\.view) == ["diary", "marks"])
        #expect(reads.allSatisfy { $0.context.clientAddress == "127.0.0.1" && !($0.context.sessionID ?? "").isEmpty })
        #expect(Set(reads.compactMap(\.context.sessionID)).count == 2, "one request id a request")
    }

    @Test func refusalsAreProblemsWithTheLibrarysSentence() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let other = try await JWTAccountResolver(secret: Array(repeating: 9, count: 32))
        let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
            ("no token", [:], .unauthorized, "unauthenticated"),
            ("malformed token", Self.bearer("not.a.token"), .unauthorized, "unauthenticated"),
            ("another service's token", Self.bearer(try await other.token(for: "acc-p1")), .unauthorized, "unauthenticated"),
            ("the other parent", Self.bearer(try await school.token("acc-p2")), .forbidden, "access-denied"),
            ("an unknown account", Self.bearer(try await school.token("nobody")), .forbidden, "access-denied"),
            ("a locked account", Self.bearer(try await school.token("acc-x")), .init(code: 423), "account-locked"),
        ]
        try await Self.app(school).test(.live) { client in
            for (name, headers, status, kind) in cases {
                try await client.execute(uri: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20", method: .get, headers: headers) {
                    response in
                    #expect(response.status == status, "\(name)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
                    let problem = try Self.problem(response)
                    #expect(problem["type"]?.hasSuffix("/\(kind)") == true, "\(name): \(problem)")
                    #expect(problem["status"] == "\(status.code)", "\(name)")
                    if status == .forbidden || status.code == 423 {
                        // The library's own sentence: who may not do what, and what it needs.
                        #expect(problem["detail"]?.contains("may not read diary") == true, "\(name): \(problem)")
                    }
                    if status == .unauthorized { #expect(response.headers[.wwwAuthenticate] == "Bearer") }
                }
            }
            try await client.execute(
                uri: "/v1/students/S-1/diary?from=yesterday&to=2026-09-20", method: .get,
                headers: Self.bearer(try await school.token("acc-p1"))
            ) { response in
                #expect(response.status == .badRequest)
                let detail = try Self.problem(response)["detail"]
                #expect(detail?.contains("YYYY-MM-DD") == true)
            }
        }
    }

    @Test func aRetriedMarkAppendsNothingAndARefusedOneLeavesTheLedgerAsItWas() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("t-math")
        let id = EventID.generate().description
        let command = ServiceSchool.markCommand(id: id, mark: "M-2", student: "S-2")
        try await Self.app(school).test(.live) { client in
            let first = try await client.execute(
                uri: "/v1/marks", method: .post, headers: Self.bearer(token), body: ByteBuffer(string: command)
            ) { response in
                #expect(response.status == .created)
                return try JSONDecoder().decode(ServiceSchool.Recorded.self, from: Data(buffer: response.body))
            }
            #expect(first.duplicate == false && first.positions.count == 1)
            let head = try school.journal.ledger.head()
            let again = try await client.execute(
                uri: "/v1/marks", method: .post, headers: Self.bearer(token), body: ByteBuffer(string: command)
            ) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(ServiceSchool.Recorded.self, from: Data(buffer: response.body))
            }
            #expect(again == ServiceSchool.Recorded(positions: first.positions, duplicate: true))
            #expect(try school.journal.ledger.head() == head)

            // Refusals: each leaves the head where it was.
            let refusals: [(String, String, HTTPFields, HTTPResponse.Status)] = [
                (
                    "a parent records a mark", ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-3", student: "S-1"),
                    Self.bearer(try await school.token("acc-p1")), .forbidden
                ),
                (
                    "a mark of 7", ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-4", student: "S-1", value: 7),
                    Self.bearer(token), .unprocessableContent
                ),
                ("not JSON", "{\"eventId\": 12", Self.bearer(token), .badRequest),
                ("not the contract's command", "{\"eventId\": \"e\", \"occurredAt\": \"now\"}", Self.bearer(token), .badRequest),
                (
                    "a command the library cannot read",
                    ServiceSchool.markCommand(id: "not-a-uuid", mark: "M-6", student: "S-1"), Self.bearer(token), .unprocessableContent
                ),
                ("a body over 1 MiB", String(repeating: " ", count: (1 << 20) + 1) + command, Self.bearer(token), .contentTooLarge),
                (
                    "a locked account", ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-5", student: "S-1"),
                    Self.bearer(try await school.token("acc-x")), .init(code: 423)
                ),
            ]
            for (name, body, headers, status) in refusals {
                try await client.execute(uri: "/v1/marks", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == status, "\(name): \(String(buffer: response.body))")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
                }
                #expect(try school.journal.ledger.head() == head, "\(name)")
            }
        }
    }

    @Test func theParentsPageShowsTheWeekInRussian() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("acc-p1")
        try await Self.app(school).test(.live) { client in
            try await client.execute(uri: "/diary?student=S-1&week=2026-09-16", method: .get, headers: Self.bearer(token)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let page = String(buffer: response.body)
                #expect(page.contains("<h1>Дневник ученика S-1</h1>"))
                #expect(page.contains("Неделя 14.09.2026–20.09.2026"))
                #expect(page.contains("<span class=\"mark\">5</span>"))
                #expect(page.contains("№ 12–15, с. 8"))
                #expect(page.contains("@media print"))
            }
        }
    }
}
