import EventLedger
import Foundation
import Hummingbird
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
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

    /// The routes are `openapi.yaml`'s operations, registered through the
    /// code swift-openapi-generator made from it (`Generated/`) and
    /// swift-openapi-hummingbird: the diary, the marks, a journal page,
    /// recording a mark, the outbox and its delivery reports, the breach
    /// notice and the compromise audit, the parent's page and `/health`.
    ///
    /// In front of them, ``ProblemMiddleware`` turns every refusal into an
    /// RFC 9457 problem, and the caller's middleware keeps the request's
    /// bearer token and context (client address, request id) for the
    /// handlers and reads a body up to 1 MiB.
    public func router() throws -> Router<JournalContext> {
        let router = Router(context: JournalContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: CallerMiddleware())
        let api = JournalAPI(journal: journal, identity: identity)
        try api.registerHandlers(on: HotRoutes(base: router, api: api), configuration: Configuration(jsonEncodingOptions: [.sortedKeys]))
        return router
    }
}

extension CivilDate {
    /// The day of the week, 1 (Monday) to 7 (Sunday).
    public var weekday: Int {
        // 1970-01-05 was a Monday: day 4 since the epoch.
        let days = Int((Instant(iso8601: "\(self)T00:00:00Z")?.microsecondsSinceEpoch ?? 0) / 86_400_000_000)
        return (days + 3) % 7 + 1
    }

    /// The Monday of this date's week.
    public var mondayOfItsWeek: CivilDate { adding(days: 1 - weekday) }
}
