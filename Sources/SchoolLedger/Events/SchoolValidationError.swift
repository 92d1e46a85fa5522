/// A field of an event breaks a rule of the catalog (a mark outside 1...5,
/// an id longer than 64 bytes, a lesson number outside 1...12, text longer
/// than the schema allows, an instant that is not valid UTC, …).
///
/// Thrown by ``SchoolEvent/validate()`` before anything is appended. It names the
/// event type and the field (as the proto field path, e.g. `value` or
/// `target.class_id`), shows the offending value, and states the rule:
///
/// ```swift
/// do {
///     try event.validate()
/// } catch {
///     print(error.message)
///     // MarkRecorded: weight is "12", but it must be 1...10. Correct weight and submit the event again.
/// }
/// ```
///
/// Checks against the ledger's contents (an unknown student, a mark for a
/// student who is not in the lesson's class) are not made here.
public struct SchoolValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event type, e.g. `MarkRecorded`.
    public var eventType: String
    /// The field, as its proto field path in snake_case, e.g. `value`,
    /// `target.class_id`, `kinds_of_work[2].default_weight`.
    public var field: String
    /// The offending value as text: at most ``maxValueCharacters`` characters
    /// (longer values end in `…`), control characters shown as `\u{…}`.
    public var value: String
    /// The rule the value breaks, as the end of a sentence, e.g. `must be 1...5`.
    public var rule: String

    /// The most characters kept of an offending value: 80.
    public static let maxValueCharacters = 80

    /// An error for `field` of `eventType`; `value` is cut to
    /// ``maxValueCharacters`` characters and its control characters escaped.
    public init(eventType: String, field: String, value: String, rule: String) {
        self.eventType = eventType
        self.field = field
        self.value = Self.shown(value)
        self.rule = rule
    }

    /// What is wrong and what to do, in one sentence a person can act on.
    public var message: String {
        let shownValue = value.isEmpty ? "empty" : "\"\(value)\""
        let again = eventType == "query" ? "ask again" : "submit the event again"
        return "\(eventType): \(field) is \(shownValue), but it \(rule). Correct \(field) and \(again)."
    }

    /// The ``message``.
    public var description: String { message }

    /// `value` with control characters escaped, cut to ``maxValueCharacters`` characters.
    static func shown(_ value: String) -> String {
        let characters = Array(value.prefix(maxValueCharacters + 1))
        let isCut = characters.count > maxValueCharacters
        var out = ""
        for ch in isCut ? characters.prefix(maxValueCharacters - 1) : characters[...] {
            if ch.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                for scalar in ch.unicodeScalars { out += "\\u{\(String(scalar.value, radix: 16))}" }
            } else {
                out.append(ch)
            }
        }
        return isCut ? out + "…" : out
    }
}
