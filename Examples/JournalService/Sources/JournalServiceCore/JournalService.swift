import EventLedger
import Foundation
import Hummingbird
import NIOCore
import SchoolLedger

/// A request's context: Hummingbird's, the client's address, and a body
/// limit of 1 MiB (a mark's command is a few hundred bytes).
public struct JournalContext: Hummingbird.RequestContext {
    /// Hummingbird's part of the context.
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, as the socket shows it (behind a proxy, the
    /// proxy's: a school's service reads its forwarded header instead).
    public let clientAddress: String?

    /// The context of a request on `source`'s connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies over 1 MiB are refused with 413.
    public var maxUploadSize: Int { 1 << 20 }
}

/// The journal behind HTTP: one process opens one ledger, shares one
/// `SchoolJournal`, and serves each request through a session of the
/// account its bearer token names, with the request's context (client
/// address, request id) in the read log. Every right is the library's: the
/// service only maps refusals to HTTP statuses (``Problem``).
public struct JournalService: Sendable {
    /// The journal every request goes through.
    public let journal: SchoolJournal
    /// Who a request speaks for.
    public let identity: any AccountResolver

    /// A service on `journal`, its requests' accounts told by `identity`.
    public init(journal: SchoolJournal, identity: any AccountResolver) {
        self.journal = journal
        self.identity = identity
    }

    /// The routes:
    ///
    /// - `GET /v1/students/{student}/diary?from=&to=`: the diary between two dates (JSON);
    /// - `GET /v1/students/{student}/marks?from=&to=`: the marks by subject (JSON);
    /// - `POST /v1/marks`: a mark's command (protobuf JSON, `event_id` set):
    ///   201 with its position, 200 with the same position when the id was
    ///   appended before (a retried POST appends nothing);
    /// - `GET /diary?student=&week=`: the parent's page of the week (HTML);
    /// - `GET /health`: 200 while the service runs.
    public func router() -> Router<JournalContext> {
        let router = Router(context: JournalContext.self)
        router.add(middleware: ProblemMiddleware())
        router.get("/health") { _, _ in "ok" }
        router.get("/v1/students/:student/diary") { request, context in
            let (student, from, to) = try Self.studentAndDates(request, context)
            let diary = try await session(request, context).diary(of: student, from: from, to: to)
            return try Self.json(diary)
        }
        router.get("/v1/students/:student/marks") { request, context in
            let (student, from, to) = try Self.studentAndDates(request, context)
            return try Self.json(try await session(request, context).marks(of: student, from: from, to: to))
        }
        router.post("/v1/marks") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let session = try await session(request, context)
            let result = try await session.record(commandJSON: String(buffer: body))
            return try Self.json(RecordedCommand(result), status: result.wasDuplicate ? .ok : .created)
        }
        router.get("/diary") { request, context in
            let student = StudentID(rawValue: try Self.query(request, "student"))
            let monday = try Self.date(request, "week").mondayOfItsWeek
            let diary = try await session(request, context).diary(of: student, from: monday, to: monday.adding(days: 6))
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: DiaryPage.render(diary))))
        }
        return router
    }

    /// The session of the account `request`'s bearer token names.
    func session(_ request: Request, _ context: JournalContext) async throws -> AccountSession {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ServiceError.unauthenticated("send the account's token as Authorization: Bearer <token>")
        }
        let account = try await identity.account(forBearerToken: String(header.dropFirst("Bearer ".count)))
        return journal.session(
            for: account, context: SchoolLedger.RequestContext(clientAddress: context.clientAddress, sessionID: context.id))
    }

    static func studentAndDates(_ request: Request, _ context: JournalContext) throws -> (StudentID, CivilDate, CivilDate) {
        guard let student = context.parameters.get("student") else { throw ServiceError.badRequest("the path names no student") }
        return (StudentID(rawValue: student), try date(request, "from"), try date(request, "to"))
    }

    static func query(_ request: Request, _ name: String) throws -> String {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else {
            throw ServiceError.badRequest("the query parameter \(name) is missing")
        }
        return value
    }

    static func date(_ request: Request, _ name: String) throws -> CivilDate {
        let text = try query(request, name)
        guard let date = CivilDate(text) else { throw ServiceError.badRequest("\(name)=\(text) is not a date: use YYYY-MM-DD") }
        return date
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// What `POST /v1/marks` answers: where the command's events are, and
/// whether they were there before (a retry).
public struct RecordedCommand: Codable, Sendable, Equatable {
    /// The events' positions in the log.
    public var positions: [UInt64]
    /// Whether the command's event id was appended before: nothing was appended now.
    public var duplicate: Bool

    /// An answer.
    public init(positions: [UInt64], duplicate: Bool) {
        self.positions = positions
        self.duplicate = duplicate
    }

    init(_ result: AppendResult) {
        self.init(positions: result.positions, duplicate: result.wasDuplicate)
    }
}

extension CivilDate {
    /// The Monday of this date's week.
    var mondayOfItsWeek: CivilDate {
        // 1970-01-05 was a Monday: day 4 since the epoch.
        guard let midnight = Instant(iso8601: "\(self)T00:00:00Z") else { return self }
        let days = Int(midnight.microsecondsSinceEpoch / 86_400_000_000)
        return adding(days: -((days + 3) % 7))
    }
}
