import HTTPTypes
import OpenAPIRuntime
import SchoolLedger

/// The route parents read most, `GET /v1/students/{student}/diary`, with
/// its answer written by ``DiaryJSON`` instead of the runtime's
/// `JSONEncoder`: under `make load` the encoder was a sixth of the
/// service's CPU, more than the rights check and the query together.
///
/// Every other operation is registered as generated. The diary's request
/// takes this path only when it is plain: the student's id, `from` and
/// `to` as the contract's dates, nothing percent-encoded, and no `Accept`
/// header or one that names JSON outright. Anything else (a missing or bad
/// parameter, an unusual `Accept`) goes to the generated handler, so its
/// refusals are the contract layer's, word for word. The answer is
/// byte for byte what the generated handler sends (`DiaryRouteTests`).
struct HotRoutes<Base: ServerTransport>: ServerTransport {
    /// Where the routes are registered (the Hummingbird router).
    let base: Base
    /// The handlers.
    let api: JournalAPI

    func register(
        _ handler: @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard method == .get, path == DiaryRoute.path else { return try base.register(handler, method: method, path: path) }
        let api = self.api
        try base.register(
            { request, body, metadata in
                guard let input = DiaryRoute.Input(request, metadata) else { return try await handler(request, body, metadata) }
                let diary = try await api.diary(input.student, from: input.from, to: input.to)
                var response = HTTPResponse(status: .ok)
                response.headerFields[.contentType] = DiaryRoute.contentType
                return (response, HTTPBody(DiaryJSON.encode(diary)))
            }, method: method, path: path)
    }
}

/// The diary route's plain requests (see ``HotRoutes``).
enum DiaryRoute {
    /// The route as `openapi.yaml` names it.
    static let path = "/v1/students/{student}/diary"
    /// The content type the generated handler sends.
    static let contentType = "application/json; charset=utf-8"

    /// The parameters of a plain request.
    struct Input: Equatable {
        var student: String
        var from: String
        var to: String

        init(student: String, from: String, to: String) {
            (self.student, self.from, self.to) = (student, from, to)
        }

        /// `nil` unless the request is plain (then the generated handler reads it).
        init?(_ request: HTTPRequest, _ metadata: ServerRequestMetadata) {
            if let accept = request.headerFields[.accept], accept != "application/json", accept != "*/*" { return nil }
            guard let student = metadata.pathParameters["student"], DiaryRoute.isPlain(student),
                let query = request.path?.split(separator: "?", maxSplits: 1).dropFirst().first
            else { return nil }
            var from: Substring?
            var to: Substring?
            for item in query.split(separator: "&", omittingEmptySubsequences: false) {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, DiaryRoute.isDate(pair[1]) else { return nil }
                switch pair[0] {
                case "from" where from == nil: from = pair[1]
                case "to" where to == nil: to = pair[1]
                default: return nil
                }
            }
            guard let from, let to else { return nil }
            self.init(student: String(student), from: String(from), to: String(to))
        }
    }

    /// Letters, digits, `-`, `_` and `.`: nothing the URI would encode.
    static func isPlain(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }

    /// `YYYY-MM-DD` that the library reads as a date.
    static func isDate(_ text: Substring) -> Bool {
        text.utf8.count == 10 && CivilDate(String(text)) != nil
    }
}

/// The diary as the contract's JSON, written directly: the same bytes the
/// runtime's `JSONEncoder` writes with the service's options (keys sorted,
/// `/` escaped, `nil` left out), without its boxes and containers.
enum DiaryJSON {
    static func encode(_ diary: Components.Schemas.StudentDiary) -> [UInt8] {
        var out = JSONWriter(capacity: 256 + diary.lessons.count * 320)
        out.object {
            $0.field("asOfPosition") { $0.number(diary.asOfPosition) }
            $0.field("from") { $0.string(diary.from) }
            $0.field("lessons") { $0.array(diary.lessons) { $0.lesson($1) } }
            $0.field("recommendations") { $0.array(diary.recommendations) { $0.recommendation($1) } }
            $0.field("studentID") { $0.string(diary.studentID) }
            $0.field("tests") { $0.array(diary.tests) { $0.test($1) } }
            $0.field("to") { $0.string(diary.to) }
        }
        return out.bytes
    }
}

extension JSONWriter {
    fileprivate mutating func lesson(_ lesson: Components.Schemas.DiaryLesson) {
        object {
            if let attendance = lesson.attendance { $0.field("attendance") { $0.string(attendance.rawValue) } }
            $0.field("date") { $0.string(lesson.date) }
            $0.field("homework") {
                $0.array(lesson.homework) { out, homework in
                    out.object {
                        $0.field("dueDate") { $0.string(homework.dueDate) }
                        $0.field("homeworkID") { $0.string(homework.homeworkID) }
                        $0.field("text") { $0.string(homework.text) }
                    }
                }
            }
            $0.field("isCancelled") { $0.bool(lesson.isCancelled) }
            $0.field("isMoved") { $0.bool(lesson.isMoved) }
            $0.field("lessonID") { $0.string(lesson.lessonID) }
            $0.field("lessonNumber") { $0.number(Int64(lesson.lessonNumber)) }
            $0.field("marks") { $0.array(lesson.marks) { $0.string($1) } }
            $0.field("subjectID") { $0.string(lesson.subjectID) }
            if let substitute = lesson.substituteID { $0.field("substituteID") { $0.string(substitute) } }
            $0.field("teacherID") { $0.string(lesson.teacherID) }
            if let topic = lesson.topic { $0.field("topic") { $0.string(topic) } }
        }
    }

    fileprivate mutating func test(_ test: Components.Schemas.ScheduledTest) {
        object {
            $0.field("date") { $0.string(test.date) }
            $0.field("subjectID") { $0.string(test.subjectID) }
            $0.field("testID") { $0.string(test.testID) }
            if let topic = test.topic { $0.field("topic") { $0.string(topic) } }
            $0.field("workKind") { $0.string(test.workKind.rawValue) }
        }
    }

    fileprivate mutating func recommendation(_ recommendation: Components.Schemas.DiaryRecommendation) {
        object {
            $0.field("date") { $0.string(recommendation.date) }
            $0.field("recommendationID") { $0.string(recommendation.recommendationID) }
            if let subject = recommendation.subjectID { $0.field("subjectID") { $0.string(subject) } }
            $0.field("teacherID") { $0.string(recommendation.teacherID) }
            $0.field("text") { $0.string(recommendation.text) }
        }
    }
}

/// Compact JSON into bytes, escaped as Foundation's `JSONEncoder` escapes
/// (`"`, `\`, `/`, and control characters).
struct JSONWriter {
    private(set) var bytes: [UInt8]
    /// Whether the container being written has a member yet.
    private var started = false

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        started = false
        members(&self)
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func field(_ name: StaticString, _ value: (inout JSONWriter) -> Void) {
        if started { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        value(&self)
        started = true
    }

    mutating func array<Element>(_ elements: [Element], _ element: (inout JSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func number(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
