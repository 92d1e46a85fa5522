import EventLedger
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import SchoolLedger

/// The handlers of `openapi.yaml`'s operations (the generated
/// `APIProtocol`): each asks the journal through the session of the
/// request's account and answers with the contract's types.
///
/// The library's views are Codable; the contract's types are generated from
/// `openapi.yaml`. A view crosses to its contract type through JSON
/// (``Contract``), so a view that drifted from the contract fails the
/// request (and the tests) instead of sending a shape the file does not
/// describe.
struct JournalAPI: APIProtocol {
    let journal: SchoolJournal
    let identity: any AccountResolver

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .plainText("ok")))
    }

    func getDiary(_ input: Operations.GetDiary.Input) async throws -> Operations.GetDiary.Output {
        let session = try await Caller.session(journal, identity)
        let diary = try session.diary(
            of: StudentID(rawValue: input.path.student), from: try Contract.date(input.query.from, "from"),
            to: try Contract.date(input.query.to, "to"))
        return .ok(.init(body: .json(try Contract.convert(diary))))
    }

    func getMarks(_ input: Operations.GetMarks.Input) async throws -> Operations.GetMarks.Output {
        let session = try await Caller.session(journal, identity)
        let marks = try session.marks(
            of: StudentID(rawValue: input.path.student), from: try Contract.date(input.query.from, "from"),
            to: try Contract.date(input.query.to, "to"))
        return .ok(.init(body: .json(try Contract.convert(marks))))
    }

    func getJournalPage(_ input: Operations.GetJournalPage.Input) async throws -> Operations.GetJournalPage.Output {
        let session = try await Caller.session(journal, identity)
        let page = try session.journalPage(
            subject: SubjectID(rawValue: input.path.subject), target: .class(ClassID(rawValue: input.path._class)),
            from: try Contract.date(input.query.from, "from"), to: try Contract.date(input.query.to, "to"))
        return .ok(.init(body: .json(try Contract.convert(page))))
    }

    func recordMark(_ input: Operations.RecordMark.Input) async throws -> Operations.RecordMark.Output {
        guard case .json(let command) = input.body else { throw ServiceError.badRequest("send the command as application/json") }
        let result = try await record(command)
        let answer = Components.Schemas.RecordedCommand(result)
        return result.wasDuplicate ? .ok(.init(body: .json(answer))) : .created(.init(body: .json(answer)))
    }

    func enterBreachNotice(_ input: Operations.EnterBreachNotice.Input) async throws -> Operations.EnterBreachNotice.Output {
        guard case .json(let command) = input.body else { throw ServiceError.badRequest("send the command as application/json") }
        let result = try await record(command)
        let answer = Components.Schemas.RecordedCommand(result)
        return result.wasDuplicate ? .ok(.init(body: .json(answer))) : .created(.init(body: .json(answer)))
    }

    func drainOutbox(_ input: Operations.DrainOutbox.Input) async throws -> Operations.DrainOutbox.Output {
        let limit = input.query.limit ?? 1000
        guard (1...10_000).contains(limit) else { throw ServiceError.badRequest("limit=\(limit) is out of 1...10000") }
        let messages = try await Caller.session(journal, identity).outbox(limit: limit)
        return .ok(.init(body: .json(try messages.map(Contract.convert))))
    }

    func reportDelivery(_ input: Operations.ReportDelivery.Input) async throws -> Operations.ReportDelivery.Output {
        guard case .json(let report) = input.body else { throw ServiceError.badRequest("send the report as application/json") }
        let session = try await Caller.session(journal, identity)
        let message: OutboxMessage = try Contract.convert(report.message)
        let now = journal.ledger.options.clock.now()
        let result =
            switch report.outcome {
            case .delivered: try await session.reportDelivered(message, providerMessageID: report.providerMessageID, occurredAt: now)
            case .failed:
                try await session.reportFailed(message, error: report.error, permanent: report.permanent ?? false, occurredAt: now)
            }
        let answer = Components.Schemas.RecordedCommand(result)
        return result.wasDuplicate ? .ok(.init(body: .json(answer))) : .created(.init(body: .json(answer)))
    }

    func getCompromiseAudit(_ input: Operations.GetCompromiseAudit.Input) async throws -> Operations.GetCompromiseAudit.Output {
        let session = try await Caller.session(journal, identity)
        let audits = try session.compromiseAudit(account: input.query.account.map { AccountID(rawValue: $0) })
        return .ok(.init(body: .json(try audits.map(Contract.convert))))
    }

    func getDiaryPage(_ input: Operations.GetDiaryPage.Input) async throws -> Operations.GetDiaryPage.Output {
        let session = try await Caller.session(journal, identity)
        let monday = try Contract.date(input.query.week, "week").mondayOfItsWeek
        let student = StudentID(rawValue: input.query.student)
        let diary = try session.diary(of: student, from: monday, to: monday.adding(days: 6))
        return .ok(.init(body: .html(HTTPBody(DiaryPage.render(diary)))))
    }

    /// Records a command as the caller: the contract's command back in
    /// protobuf's JSON form, which the library decodes and checks.
    private func record(_ command: some Encodable) async throws -> AppendResult {
        let session = try await Caller.session(journal, identity)
        let text = String(decoding: try JSONEncoder().encode(command), as: UTF8.self)
        return try await session.record(commandJSON: text)
    }
}

extension Components.Schemas.RecordedCommand {
    init(_ result: AppendResult) {
        self.init(positions: result.positions.map { Int64($0) }, duplicate: result.wasDuplicate)
    }
}

/// Crossing between the library's Codable views and the contract's types.
enum Contract {
    /// `value` as `Target`, through JSON: fails when the JSON `value` makes
    /// is not what `Target` (the contract) describes.
    static func convert<Target: Decodable>(_ value: some Encodable) throws -> Target {
        try JSONDecoder().decode(Target.self, from: JSONEncoder().encode(value))
    }

    /// A civil date from a parameter, or 400 naming it.
    static func date(_ text: String, _ name: String) throws -> CivilDate {
        guard let date = CivilDate(text) else { throw ServiceError.badRequest("\(name)=\(text) is not a date: use YYYY-MM-DD") }
        return date
    }
}

/// Who a request speaks for, as the middleware found it: the bearer token
/// (not yet checked) and the request's context for the read log. A task
/// local, because the generated handlers see only the operation's input.
struct Caller: Sendable {
    var bearerToken: String?
    var context: SchoolLedger.RequestContext

    @TaskLocal static var current: Caller?

    /// The session of the account the current request's token names; 401
    /// when there is no token or it does not verify.
    static func session(_ journal: SchoolJournal, _ identity: any AccountResolver) async throws -> AccountSession {
        guard let caller = current, let token = caller.bearerToken else {
            throw ServiceError.unauthenticated("send the account's token as Authorization: Bearer <token>")
        }
        let account = try await identity.account(forBearerToken: token)
        return journal.session(for: account, context: caller.context)
    }
}

/// Sets ``Caller/current`` for the handlers behind it, and reads the body
/// up to the context's limit (413 beyond it) before the contract decodes it.
struct CallerMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: JournalContext, next: (Request, JournalContext) async throws -> Response) async throws
        -> Response
    {
        var request = request
        if request.method == .post || request.method == .put {
            _ = try await request.collectBody(upTo: context.maxUploadSize)
        }
        let header = request.headers[.authorization]
        let token = header.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst("Bearer ".count)) : nil }
        let caller = Caller(
            bearerToken: token, context: SchoolLedger.RequestContext(clientAddress: context.clientAddress, sessionID: context.id))
        return try await Caller.$current.withValue(caller) { try await next(request, context) }
    }
}
