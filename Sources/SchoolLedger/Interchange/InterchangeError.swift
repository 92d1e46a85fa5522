/// A stored record or an interchange line that does not read as a school event.
public struct InterchangeError: Error, Sendable, CustomStringConvertible {
    /// The line of the JSON Lines file (1-based), when reading one.
    public var line: Int?
    /// The field that is wrong, e.g. `event_id` or `payload`.
    public var field: String
    /// The rule it breaks.
    public var rule: String

    /// An error naming the field and the rule.
    package init(line: Int? = nil, field: String, rule: String) {
        self.line = line
        self.field = field
        self.rule = rule
    }

    /// `line N: field: rule`.
    public var description: String {
        (line.map { "line \($0): " } ?? "") + "\(field): \(rule)"
    }
}
