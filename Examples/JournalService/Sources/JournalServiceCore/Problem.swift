import EventLedger
import Foundation
import Hummingbird
import OpenAPIRuntime
import SchoolLedger

/// What the service itself refuses, before the journal is asked.
public enum ServiceError: Error, Sendable {
    /// No bearer token, or one that does not verify: 401.
    case unauthenticated(String)
    /// A request the service cannot read (a parameter, a body): 400.
    case badRequest(String)
    /// The service cannot start as configured.
    case configuration(String)
}

/// An error as an RFC 9457 problem (`application/problem+json`): the HTTP
/// status, a stable `type` per kind of refusal, a title, and as `detail`
/// the library's own sentence, which says what was wrong and what to do.
///
/// | refusal | status |
/// |---|---|
/// | no or bad token | 401 |
/// | `AccessDenied` | 403 |
/// | `AccessDenied` of a locked account (a breach notice) | 423 |
/// | a stale expected version | 409 |
/// | `SchoolValidationError`, `InterchangeError`, `SignatureRefused`, a refused event | 422 |
/// | a body over 1 MiB | 413 |
/// | the disk full | 507 |
public struct Problem: Error, Sendable, Codable, HTTPResponseError {
    /// A URI naming the kind of problem.
    public var type: String
    /// A short, fixed title of that kind.
    public var title: String
    /// The HTTP status code.
    public var statusCode: Int
    /// What was wrong and what to do: the library's sentence.
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case type, title, detail
        case statusCode = "status"
    }

    /// A problem of `kind` (the last part of its type URI) with `status`.
    public init(_ kind: String, _ title: String, status: HTTPResponse.Status, detail: String) {
        self.type = "https://schoolledger.example/problems/\(kind)"
        self.title = title
        self.statusCode = status.code
        self.detail = detail
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    /// The problem as a response: its JSON, `application/problem+json`, and for 401 `WWW-Authenticate: Bearer`.
    public func response(from request: Request, context: some Hummingbird.RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if statusCode == 401 { headers[.wwwAuthenticate] = "Bearer" }
        // Keys sorted, as the contract's answers: without it their order changes from one response to the next.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try encoder.encode(self)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The problem for `error`, thrown by the journal, the ledger or the service.
    public init(_ error: any Error) {
        switch error {
        case let server as ServerError where server.underlyingError is DecodingError || (400..<500).contains(server.httpStatus.code):
            // The contract's layer could not read the request: a parameter or a body that is not what openapi.yaml says.
            self.init(
                "bad-request", "The request cannot be read", status: server.httpStatus.code == 415 ? .unsupportedMediaType : .badRequest,
                detail:
                    "\(server.operationID): \(Self.sentence(server.underlyingError)); openapi.yaml says what \(server.operationID) takes")
        case let server as ServerError: self.init(server.underlyingError)
        case let problem as Problem: self = problem
        case let denied as AccessDenied where denied.isAccountLocked:
            self.init("account-locked", "The account is locked by a breach notice", status: .init(code: 423), detail: "\(denied)")
        case let denied as AccessDenied: self.init("access-denied", "Access denied", status: .forbidden, detail: "\(denied)")
        case let invalid as SchoolValidationError:
            self.init("invalid-event", "The event breaks a rule", status: .unprocessableContent, detail: "\(invalid)")
        case let invalid as InterchangeError:
            self.init("invalid-command", "The command cannot be read", status: .unprocessableContent, detail: "\(invalid)")
        case let refused as SignatureRefused:
            self.init("signature-refused", "The signature is refused", status: .unprocessableContent, detail: "\(refused)")
        case let ledger as LedgerError where ledger.code == .wrongExpectedVersion:
            self.init("stale-version", "The stream changed meanwhile", status: .conflict, detail: ledger.message)
        case let ledger as LedgerError where ledger.code == .diskFull:
            self.init("disk-full", "The ledger's disk is full", status: .init(code: 507), detail: ledger.message)
        case let ledger as LedgerError where [.invalidEvent, .eventIDConflict, .duplicateEventID, .appendRuleFailed].contains(ledger.code):
            self.init("refused-event", "The ledger refused the event", status: .unprocessableContent, detail: ledger.message)
        case ServiceError.unauthenticated(let why):
            self.init("unauthenticated", "A valid bearer token is required", status: .unauthorized, detail: why)
        case ServiceError.badRequest(let why): self.init("bad-request", "The request cannot be read", status: .badRequest, detail: why)
        case let http as HTTPError:
            self.init(
                "http-\(http.status.code)", http.status.reasonPhrase, status: http.status, detail: http.body ?? http.status.reasonPhrase)
        case let http as any HTTPResponseError where http.status == .contentTooLarge:
            self.init(
                "http-413", "The body is too large", status: .contentTooLarge,
                detail: "Send at most 1 MiB: a mark's command is a few hundred bytes.")
        case let http as any HTTPResponseError:
            self.init("http-\(http.status.code)", http.status.reasonPhrase, status: http.status, detail: http.status.reasonPhrase)
        default:
            self.init("internal", "Internal error", status: .internalServerError, detail: "The service failed; its log names the request.")
        }
    }
}

extension Problem {
    /// A decoding error as one sentence: what was wrong, and where.
    static func sentence(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "a required parameter or the body" : keys
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "\(path(context)): \(key.stringValue) is missing"
        case .valueNotFound(_, let context) where context.codingPath.isEmpty: return "a required parameter or the body is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(decoding)"
        }
    }
}

/// Turns every error thrown behind it into a ``Problem`` response.
struct ProblemMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.statusCode >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}
