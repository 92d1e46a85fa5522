import EventLedger
import Foundation
import Hummingbird
import HummingbirdTesting
import JournalServiceCore
import SchoolLedger
import Testing

/// The operations of `openapi.yaml` on a live socket: what crosses the
/// contract is what the library answers (nothing dropped on the way), and
/// the breach notice, the compromise audit and the outbox work end to end.
@Suite("The OpenAPI contract: the journal page, the breach notice, the audit, the outbox")
struct JournalAPITests {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: response.body))
    }

    @Test func whatCrossesTheContractIsWhatTheLibraryAnswers() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let parent = try await school.token("acc-p1")
        let teacher = try await school.token("t-math")
        try await Application(router: try school.service.router()).test(.live) { client in
            let diary = try await client.execute(
                uri: "/v1/students/S-1/diary?from=2026-09-14&to=2026-09-20", method: .get, headers: Self.bearer(parent)
            ) { try Self.decode(StudentDiary.self, $0) }
            #expect(diary.tests.map(\.workKind) == [.independentWork] && diary.recommendations.map(\.recommendationID) == ["R-1"])
            #expect(diary.lessons.first?.attendance == .present)
            #expect(
                diary
                    == (try school.journal.session(for: "head").diary(
                        of: "S-1", from: ServiceSchool.date("2026-09-14"), to: ServiceSchool.date("2026-09-20"))))
            let marks = try await client.execute(
                uri: "/v1/students/S-1/marks?from=2026-09-01&to=2026-09-30", method: .get, headers: Self.bearer(parent)
            ) { try Self.decode(StudentMarks.self, $0) }
            #expect(
                marks
                    == (try school.journal.session(for: "head").marks(
                        of: "S-1", from: ServiceSchool.date("2026-09-01"), to: ServiceSchool.date("2026-09-30"))))
            #expect(marks.subjects.first?.marks.first?.history.isEmpty == false, "the mark's history crossed too")

            // The journal page: the subject's teacher reads it; a parent may not.
            let page = try await client.execute(
                uri: "/v1/classes/7A/journal/MATH?from=2026-09-01&to=2026-09-30", method: .get, headers: Self.bearer(teacher)
            ) { response in
                #expect(response.status == .ok)
                return try Self.decode(JournalPage.self, response)
            }
            let expected = try school.journal.session(for: "head").journalPage(
                subject: "MATH", target: .class("7A"), from: ServiceSchool.date("2026-09-01"), to: ServiceSchool.date("2026-09-30"))
            #expect(page == expected)
            #expect(page.rows.map(\.studentID) == ["S-1", "S-2"])
            #expect(page.rows.first?.cells.first?.marks == [.numeric(5)])
            try await client.execute(
                uri: "/v1/classes/7A/journal/MATH?from=2026-09-01&to=2026-09-30", method: .get, headers: Self.bearer(parent)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            // A parameter the contract requires, missing: 400 naming it.
            try await client.execute(uri: "/v1/students/S-1/diary?from=2026-09-14", method: .get, headers: Self.bearer(parent)) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("getDiary: a required parameter or the body is missing"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
        }
    }

    @Test func aBreachNoticeLocksTheAccountVoidsItsWindowAndTheAuditShowsIt() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let teacher = try await school.token("t-math")
        let head = try await school.token("head")
        try await Application(router: try school.service.router()).test(.live) { client in
            let mark = try await client.execute(
                uri: "/v1/marks", method: .post, headers: Self.bearer(teacher),
                body: ByteBuffer(string: ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-2", student: "S-2"))
            ) { response in
                #expect(response.status == .created)
                return try Self.decode(ServiceSchool.Recorded.self, response)
            }
            let notice = """
                {"eventId":"\(EventID.generate())","occurredAt":"2026-09-18T09:00:00Z","compromiseReported":{"accountId":"t-math",\
                "discoveredAt":"2026-09-18T08:30:00Z","receivedByHeadAt":"2026-09-18T08:45:00Z","reportedBy":"head",\
                "reporter":"COMPROMISE_REPORTER_HEAD","compromised":["COMPROMISED_SECRET_PASSWORD"]}}
                """
            // A teacher may not enter a notice for a colleague; nothing is appended.
            let before = try school.journal.ledger.head()
            try await client.execute(
                uri: "/v1/breach-notices", method: .post, headers: Self.bearer(try await school.token("acc-p1")),
                body: ByteBuffer(string: notice)
            ) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try school.journal.ledger.head() == before)
            let entered = try await client.execute(
                uri: "/v1/breach-notices", method: .post, headers: Self.bearer(head), body: ByteBuffer(string: notice)
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try Self.decode(ServiceSchool.Recorded.self, response)
            }
            #expect(entered.positions.count >= 1)
            try await client.execute(
                uri: "/v1/breach-notices", method: .post, headers: Self.bearer(head), body: ByteBuffer(string: notice)
            ) { response in
                #expect(response.status == .ok)
                let again = try Self.decode(ServiceSchool.Recorded.self, response)
                #expect(again == .init(positions: entered.positions, duplicate: true))
            }
            // The account is locked from now on: 423, and nothing appended.
            let locked = try school.journal.ledger.head()
            try await client.execute(
                uri: "/v1/marks", method: .post, headers: Self.bearer(teacher),
                body: ByteBuffer(string: ServiceSchool.markCommand(id: EventID.generate().description, mark: "M-3", student: "S-2"))
            ) { response in
                #expect(response.status.code == 423)
            }
            #expect(try school.journal.ledger.head() == locked)

            // The audit over HTTP is the library's, the notice's voids among it.
            let audits = try await client.execute(
                uri: "/v1/audit/compromise?account=t-math", method: .get, headers: Self.bearer(head)
            ) { response in
                #expect(response.status == .ok)
                return try Self.decode([CompromiseNoticeAudit].self, response)
            }
            #expect(audits == (try school.journal.session(for: "admin").compromiseAudit(account: "t-math")))
            #expect(audits.map(\.position) == [entered.positions[0]])
            #expect(audits.first?.voided.map(\.position).contains(mark.positions[0]) == true, "the mark inside the window is void")
            try await client.execute(uri: "/v1/audit/compromise", method: .get, headers: Self.bearer(teacher)) { response in
                #expect(response.status.code == 423)
            }
        }
    }

    @Test func theOutboxIsDrainedAndAReportSentTwiceIsRecordedOnce() async throws {
        let school = try await ServiceSchool()
        defer { school.remove() }
        let integration = try await school.token("integration")
        try await Application(router: try school.service.router()).test(.live) { client in
            try await client.execute(uri: "/v1/outbox", method: .get, headers: Self.bearer(try await school.token("acc-p1"))) {
                response in
                #expect(response.status == .forbidden)
            }
            let owed = try await client.execute(uri: "/v1/outbox?limit=10", method: .get, headers: Self.bearer(integration)) {
                response in
                #expect(response.status == .ok)
                return try Self.decode([OutboxMessage].self, response)
            }
            #expect(owed.map(\.markID) == ["M-1"])
            #expect(owed.map(\.parentID) == ["P-1"])
            let report = """
                {"message":\(String(decoding: try JSONEncoder().encode(owed[0]), as: UTF8.self)),"outcome":"delivered",\
                "providerMessageID":"sms-1"}
                """
            let first = try await client.execute(
                uri: "/v1/outbox/reports", method: .post, headers: Self.bearer(integration), body: ByteBuffer(string: report)
            ) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try Self.decode(ServiceSchool.Recorded.self, response)
            }
            let head = try school.journal.ledger.head()
            try await client.execute(
                uri: "/v1/outbox/reports", method: .post, headers: Self.bearer(integration), body: ByteBuffer(string: report)
            ) { response in
                #expect(response.status == .ok)
                let again = try Self.decode(ServiceSchool.Recorded.self, response)
                #expect(again == .init(positions: first.positions, duplicate: true))
            }
            #expect(try school.journal.ledger.head() == head)
            try await client.execute(uri: "/v1/outbox", method: .get, headers: Self.bearer(integration)) { response in
                let owed = try Self.decode([OutboxMessage].self, response)
                #expect(owed.isEmpty, "delivered: no longer owed")
            }
            try await client.execute(uri: "/v1/outbox?limit=0", method: .get, headers: Self.bearer(integration)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
