import EventLedger
import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
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
        .ok(.init(body: .json(try await diary(input.path.student, from: input.query.from, to: input.query.to))))
    }

    /// The diary as the contract has it, for ``getDiary(_:)`` and for its
    /// plain requests, which ``HotRoutes`` answers without the runtime's encoder.
    func diary(_ student: String, from: String, to: String) async throws -> Components.Schemas.StudentDiary {
        let session = try await Caller.session(journal, identity)
        let (student, from, to) = (StudentID(rawValue: student), try Contract.date(from, "from"), try Contract.date(to, "to"))
        return try Components.Schemas.StudentDiary(try await Blocking.run { try session.diary(of: student, from: from, to: to) })
    }

    func getMarks(_ input: Operations.GetMarks.Input) async throws -> Operations.GetMarks.Output {
        let session = try await Caller.session(journal, identity)
        let (student, from, to) = (
            StudentID(rawValue: input.path.student), try Contract.date(input.query.from, "from"), try Contract.date(input.query.to, "to")
        )
        let marks = try await Blocking.run { try session.marks(of: student, from: from, to: to) }
        return .ok(.init(body: .json(try Contract.convert(marks))))
    }

    func getJournalPage(_ input: Operations.GetJournalPage.Input) async throws -> Operations.GetJournalPage.Output {
        let session = try await Caller.session(journal, identity)
        let (subject, target) = (SubjectID(rawValue: input.path.subject), TeachingTarget.class(ClassID(rawValue: input.path._class)))
        let (from, to) = (try Contract.date(input.query.from, "from"), try Contract.date(input.query.to, "to"))
        let page = try await Blocking.run { try session.journalPage(subject: subject, target: target, from: from, to: to) }
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
        let session = try await Caller.session(journal, identity)
        let messages = try await Blocking.run { try session.outbox(limit: limit) }
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
        let account = input.query.account.map { AccountID(rawValue: $0) }
        let audits = try await Blocking.run { try session.compromiseAudit(account: account) }
        return .ok(.init(body: .json(try audits.map(Contract.convert))))
    }

    func getDiaryPage(_ input: Operations.GetDiaryPage.Input) async throws -> Operations.GetDiaryPage.Output {
        let session = try await Caller.session(journal, identity)
        let monday = try Contract.date(input.query.week, "week").mondayOfItsWeek
        let student = StudentID(rawValue: input.query.student)
        let diary = try await Blocking.run { try session.diary(of: student, from: monday, to: monday.adding(days: 6)) }
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

extension Components.Schemas.StudentDiary {
    /// The diary as the contract describes it, field by field: the route
    /// parents read most skips the JSON in between (``Contract/convert(_:)``).
    init(_ diary: StudentDiary) throws {
        self.init(
            studentID: diary.studentID.rawValue, from: "\(diary.from)", to: "\(diary.to)",
            lessons: try diary.lessons.map { lesson in
                Components.Schemas.DiaryLesson(
                    lessonID: lesson.lessonID.rawValue, date: "\(lesson.date)", lessonNumber: lesson.lessonNumber,
                    subjectID: lesson.subjectID.rawValue, teacherID: lesson.teacherID.rawValue, substituteID: lesson.substituteID?.rawValue,
                    isMoved: lesson.isMoved, isCancelled: lesson.isCancelled, topic: lesson.topic,
                    homework: lesson.homework.map { .init(homeworkID: $0.homeworkID.rawValue, text: $0.text, dueDate: "\($0.dueDate)") },
                    marks: lesson.marks.map(\.text), attendance: try lesson.attendance.map(Contract.case))
            },
            tests: try diary.tests.map { test in
                .init(
                    testID: test.testID.rawValue, subjectID: test.subjectID.rawValue, date: "\(test.date)",
                    workKind: try Contract.case(test.workKind), topic: test.topic)
            },
            recommendations: diary.recommendations.map { recommendation in
                .init(
                    recommendationID: recommendation.recommendationID.rawValue, subjectID: recommendation.subjectID?.rawValue,
                    text: recommendation.text, date: "\(recommendation.date)", teacherID: recommendation.teacherID.rawValue)
            },
            asOfPosition: Int64(diary.asOfPosition))
    }
}

extension Components.Schemas.RecordedCommand {
    init(_ result: AppendResult) {
        self.init(positions: result.positions.map { Int64($0) }, duplicate: result.wasDuplicate)
    }
}

/// Where the library's synchronous calls run: a pool of threads of its own,
/// off Swift's cooperative pool (one thread a core).
///
/// A read returns only once the read log has made its entry durable, and
/// the read log commits the entries waiting at that moment together. On the
/// cooperative pool, a 2-core machine would have two reads waiting at most,
/// so each commit would carry two entries and the cores would idle through
/// the disk's flushes. Here, as many reads wait as the pool has threads,
/// one commit carries them all, and the cooperative pool stays free for
/// the server's own work. The pool is the process's, made at the first
/// call.
enum Blocking {
    /// The threads: enough for the reads in flight under load to share commits.
    static let threads = 48

    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool and returns what it returns.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}

/// Crossing between the library's Codable views and the contract's types.
enum Contract {
    /// `value` as `Target`, through JSON: fails when the JSON `value` makes
    /// is not what `Target` (the contract) describes.
    static func convert<Target: Decodable>(_ value: some Encodable) throws -> Target {
        try JSONDecoder().decode(Target.self, from: JSONEncoder().encode(value))
    }

    /// A library enum's case as the contract's enum of the same names.
    static func `case`<Target: RawRepresentable<String>>(_ value: some Any) throws -> Target {
        guard let target = Target(rawValue: String(describing: value)) else {
            throw ServiceError.configuration("\(value) is not a case of \(Target.self): openapi.yaml is behind the library")
        }
        return target
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
