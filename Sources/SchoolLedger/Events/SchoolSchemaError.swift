/// Stored (or imported) data does not decode into the school's Swift types:
/// an enum value that is unspecified or unknown, a required field that is
/// missing, a date that is not `YYYY-MM-DD`, an instant with nanoseconds
/// out of range, a schema version this library does not know.
///
/// Thrown when a stored record or an imported command is read into a
/// ``SchoolEvent`` (``EventCoding/event(payload:schemaVersion:)``, export,
/// import, every query). It names the event type and
/// the field (proto field path), shows the stored value and says what to do.
public struct SchoolSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem the stored data has. An extensible set: new
    /// problems may be added without breaking callers.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// A short name, e.g. `unknown enum value`.
        public let name: String

        /// A required field or message is not set.
        public static let missingField = Problem(name: "missing field")
        /// An enum holds its `…_UNSPECIFIED` value (0), which no event may carry.
        public static let unspecifiedEnumValue = Problem(name: "unspecified enum value")
        /// An enum holds a number this library does not know (written by a newer schema).
        public static let unknownEnumValue = Problem(name: "unknown enum value")
        /// A civil date is not `YYYY-MM-DD` or not a real day.
        public static let badDate = Problem(name: "bad date")
        /// A timestamp's nanoseconds are outside 0..<1,000,000,000 or not whole
        /// microseconds, or its seconds overflow.
        public static let badInstant = Problem(name: "bad instant")
        /// An event id is not UUID text.
        public static let badEventID = Problem(name: "bad event id")
        /// The schema version is one this library does not read.
        public static let unsupportedSchemaVersion = Problem(name: "unsupported schema version")

        /// The ``name``.
        public var description: String { name }
    }

    /// The event type, e.g. `MarkRecorded`.
    public var eventType: String
    /// The field, as its proto field path in snake_case, e.g. `value` or `dates.start_date`.
    public var field: String
    /// The stored value as text (cut to 80 characters), empty when missing.
    public var value: String
    /// The kind of problem.
    public var problem: Problem
    /// What is wrong, as the end of a sentence, e.g. `is not a date YYYY-MM-DD`.
    public var detail: String
    /// The log position of the stored record that does not decode, when the
    /// error comes from reading the ledger (a query, an export, an audit);
    /// `nil` for a command or an imported line.
    public var position: UInt64?

    /// An error for `field` of `eventType`.
    public init(eventType: String, field: String, value: String, problem: Problem, detail: String) {
        self.eventType = eventType
        self.field = field
        self.value = SchoolValidationError.shown(value)
        self.problem = problem
        self.detail = detail
    }

    /// What is wrong and what to do, in sentences a person can act on.
    public var message: String {
        let shownValue = value.isEmpty ? "" : " (\"\(value)\")"
        let remedy: String
        switch problem {
        case .unknownEnumValue, .unsupportedSchemaVersion:
            remedy = "It was written by a newer version of the schema: read it with a newer SchoolLedger."
        default:
            remedy = "The writer broke the schema: fix the writer; this event cannot be read as a SchoolEvent."
        }
        let at = position.map { " at position \($0)" } ?? ""
        return "Stored \(eventType)\(at): \(field)\(shownValue) \(detail). \(remedy)"
    }

    /// The ``message``.
    public var description: String { message }
}
