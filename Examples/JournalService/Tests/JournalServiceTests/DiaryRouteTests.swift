import EventLedger
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenAPIRuntime
import SchoolLedger
import Synchronization
import Testing

@testable import JournalServiceCore

/// The diary route's plain requests skip the runtime's encoder
/// (`HotRoutes`); what a client receives must not change by it.
@Suite("The diary route: the hand-written answer equals the generated one")
struct DiaryRouteTests {
    static func bearer(_ token: String, accept: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token)"]
        if let accept { fields[.accept] = accept }
        return fields
    }

    /// The same request answered by the hand-written path and, through an
    /// `Accept` header only the generated handler reads, by the runtime:
    /// the same status, content type and bytes.
    @Test func thePlainPathAnswersWhatTheGeneratedHandlerAnswers() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let parent = try await school.token("acc-p1")
        let stranger = try await school.token("acc-x")
        try await Application(router: try school.service.router()).test(.live) { client in
            for (token, uri) in [
                (parent, "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20"),
                (parent, "/v1/students/S-1/diary?from=2026-09-01&to=2026-09-30"),
                (parent, "/v1/students/S-1/diary?to=2026-09-20&from=2026-09-14"),
                (parent, "/v1/students/S-1/diary?from=2026-10-05&to=2026-10-11"),
                (stranger, "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20"),
                (parent, "/v1/students/S-404/diary?from=2026-09-14&to=2026-09-20"),
            ] {
                var answers = [(HTTPResponse.Status, String?, [UInt8])]()
                for accept in [nil, "application/json", "*/*", "application/json, text/plain"] {
                    answers.append(
                        try await client.execute(uri: uri, method: .get, headers: Self.bearer(token, accept: accept)) { response in
                            (response.status, response.headers[.contentType], Array(buffer: response.body))
                        })
                }
                let generated = answers.last!
                for answer in answers.dropLast() {
                    #expect(answer.0 == generated.0 && answer.1 == generated.1, "\(uri)")
                    #expect(answer.2 == generated.2, "\(uri): \(String(decoding: answer.2, as: UTF8.self))")
                }
                if token == parent, uri.contains("S-1/") {
                    #expect(generated.0 == .ok)
                    #expect(try JSONDecoder().decode(StudentDiary.self, from: Data(generated.2)).studentID == "S-1")
                }
            }
        }
    }

    /// Requests the hand-written path leaves to the generated handler; their
    /// refusals are the contract layer's.
    @Test func whatIsNotPlainGoesToTheGeneratedHandler() async throws {
        func input(_ path: String, accept: String? = nil, student: Substring? = "S-1") -> DiaryRoute.Input? {
            var request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: path)
            if let accept { request.headerFields[.accept] = accept }
            return DiaryRoute.Input(request, ServerRequestMetadata(pathParameters: student.map { ["student": $0] } ?? [:]))
        }
        let plain = "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20"
        #expect(input(plain) == DiaryRoute.Input(student: "S-1", from: "2026-09-14", to: "2026-09-20"))
        #expect(input(plain, accept: "application/json") != nil)
        #expect(input(plain, accept: "text/html") == nil)
        #expect(input(plain, student: "S%201") == nil)
        #expect(input(plain, student: nil) == nil)
        for query in [
            "from=2026-09-14", "to=2026-09-20", "from=2026-09-14&to=2026-09-20&x=1", "from=2026-09-14&from=2026-09-15&to=2026-09-20",
            "from=yesterday&to=2026-09-20", "from=2026-02-30&to=2026-03-01", "from=2026-09-14&to=", "from=2026-09-14&&to=2026-09-20",
            "from=2026%2D09-14&to=2026-09-20",
        ] {
            #expect(input("/v1/students/S-1/diary?\(query)") == nil, "\(query)")
        }
        #expect(input("/v1/students/S-1/diary") == nil)

        let school = try await ServiceSchool()
        defer { school.remove() }
        let parent = try await school.token("acc-p1")
        try await Application(router: try school.service.router()).test(.live) { client in
            try await client.execute(
                uri: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20", method: .get, headers: Self.bearer(parent, accept: "text/html")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("getDiary"))
            }
            try await client.execute(
                uri: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20&x=1", method: .get, headers: Self.bearer(parent)
            ) { response in
                #expect(response.status == .ok, "an unknown parameter is the generated handler's to ignore")
            }
        }
    }

    /// The plain request is answered without the generated handler (the
    /// test above would pass if every request took it); the others reach it.
    @Test func thePlainRequestDoesNotReachTheGeneratedHandler() async throws {
        final class Registered: ServerTransport, @unchecked Sendable {
            var routes = [String: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)]()
            func register(
                _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                method: HTTPRequest.Method, path: String
            ) throws { routes["\(method) \(path)"] = handler }
        }
        let school = try await ServiceSchool()
        defer { school.remove() }
        let generatedCalls = Mutex(0)
        let registered = Registered()
        try HotRoutes(base: registered, api: JournalAPI(journal: school.journal, identity: school.identity)).register(
            { _, _, _ in
                generatedCalls.withLock { $0 += 1 }
                return (HTTPResponse(status: .init(code: 418)), nil)
            }, method: .get, path: DiaryRoute.path)
        let route = try #require(registered.routes["GET \(DiaryRoute.path)"])
        let caller = Caller(bearerToken: try await school.token("acc-p1"), context: .init(clientAddress: "127.0.0.1", sessionID: "t"))
        let metadata = ServerRequestMetadata(pathParameters: ["student": "S-1"])
        let plain = HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20")
        let (response, body) = try await Caller.$current.withValue(caller) { try await route(plain, nil, metadata) }
        #expect(response.status == .ok && generatedCalls.withLock { $0 } == 0)
        let bytes = try await [UInt8](collecting: try #require(body), upTo: 1 << 20)
        #expect(try JSONDecoder().decode(StudentDiary.self, from: Data(bytes)).lessons.isEmpty == false)
        var html = plain
        html.headerFields[.accept] = "text/html"
        let (refused, _) = try await Caller.$current.withValue(caller) { try await route(html, nil, metadata) }
        #expect(refused.status == .init(code: 418) && generatedCalls.withLock { $0 } == 1)
    }

    /// The writer escapes as Foundation's `JSONEncoder` (the runtime's,
    /// with the service's options: keys sorted, nothing else), for every
    /// field a diary has and text that needs escaping.
    @Test func theWriterWritesWhatTheRuntimesEncoderWrites() throws {
        let awkward = [
            "", "plain", "Дроби, № 12–15", "a \"quoted\" word", "back\\slash", "a/b and </script>", "line\nbreak\r\ttab",
            "\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "emoji 🧮 and 𝔸", "\u{2028}\u{2029}",
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (index, text) in awkward.enumerated() {
            let diary = Components.Schemas.StudentDiary(
                studentID: "S-\(text)", from: "2026-09-14", to: "2026-09-20",
                lessons: [
                    .init(
                        lessonID: "L-1", date: "2026-09-14", lessonNumber: index, subjectID: "MATH", teacherID: text,
                        substituteID: index.isMultiple(of: 2) ? text : nil, isMoved: index.isMultiple(of: 3), isCancelled: false,
                        topic: index.isMultiple(of: 2) ? nil : text,
                        homework: [.init(homeworkID: "H-1", text: text, dueDate: "2026-09-18")],
                        marks: index.isMultiple(of: 2) ? [] : ["5", text], attendance: index.isMultiple(of: 2) ? .absentExcused : nil),
                    .init(
                        lessonID: "L-2", date: "2026-09-15", lessonNumber: -index, subjectID: text, teacherID: "T", isMoved: true,
                        isCancelled: true, homework: [], marks: []),
                ],
                tests: [
                    .init(
                        testID: "T-\(index)", subjectID: "MATH", date: "2026-09-18", workKind: .independentWork,
                        topic: index.isMultiple(of: 2) ? text : nil)
                ],
                recommendations: index.isMultiple(of: 3)
                    ? []
                    : [
                        .init(
                            recommendationID: "R-1", subjectID: index.isMultiple(of: 2) ? nil : "MATH", text: text, date: "2026-09-16",
                            teacherID: "T")
                    ],
                asOfPosition: Int64(index) * 1_000_000_007)
            let expected = try encoder.encode(diary)
            let written = DiaryJSON.encode(diary)
            #expect(written == Array(expected), "\(text.debugDescription): \(String(decoding: written, as: UTF8.self))")
        }
    }
}

/// A verified token is remembered by its text (`VerifiedTokens`); the
/// memory must never let through what verification would refuse.
@Suite("Verified tokens: remembered by their text, never past their expiry")
struct VerifiedTokensTests {
    @Test func aRememberedTokenStillExpiresAndAnAlteredOneIsVerifiedInFull() async throws {
        let resolver = try await JWTAccountResolver(secret: Array(repeating: 7, count: 32))
        let token = try await resolver.token(for: "acc-p1", lifetime: 3_600)
        #expect(try await resolver.account(forBearerToken: token) == "acc-p1")
        #expect(try await resolver.account(forBearerToken: token) == "acc-p1", "the second time from memory")
        // One character of the signature changed: another text, verified, refused.
        var altered = Array(token.utf8)
        altered[altered.count - 2] = altered[altered.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: ServiceError.self) { try await resolver.account(forBearerToken: String(decoding: altered, as: UTF8.self)) }
        // A token that expires in a second works now, and not once it has expired, though remembered.
        let brief = try await resolver.token(for: "acc-p2", lifetime: 1)
        #expect(try await resolver.account(forBearerToken: brief) == "acc-p2")
        try await Task.sleep(for: .milliseconds(1_100))
        await #expect(throws: ServiceError.self) { try await resolver.account(forBearerToken: brief) }

        let memory = VerifiedTokens(limit: 2)
        let now = Date()
        memory.keep("a", account: "acc-a", expiresAt: now + 60)
        memory.keep("b", account: "acc-b", expiresAt: now - 1)
        #expect(memory.account(for: "a", at: now) == "acc-a")
        #expect(memory.account(for: "b", at: now) == nil, "expired: forgotten")
        memory.keep("b", account: "acc-b", expiresAt: now + 60)
        memory.keep("c", account: "acc-c", expiresAt: now + 60)
        #expect(memory.count <= 2, "never more than the limit")
        #expect(memory.account(for: "c", at: now) == "acc-c")
    }
}
