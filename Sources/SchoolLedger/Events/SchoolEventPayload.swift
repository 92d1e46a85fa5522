import SwiftProtobuf

/// One event type of the school's catalog as a Swift value: its stored
/// (generated protobuf) form, its event stream and its field rules.
///
/// Every event struct (``MarkRecorded``, ``ConsentGiven``, …) conforms.
/// Embedders normally work with ``SchoolEvent``, which wraps any of them;
/// the generated `Schoolledger_V1_…` types stay behind ``stored`` and
/// ``init(stored:schemaVersion:)``.
///
/// ```swift
/// let mark = MarkRecorded(markID: "M-1", studentID: "S-1001", lessonID: "L-1", subjectID: "algebra",
///                         value: .numeric(5), weight: 3, workKind: .classwork)
/// try mark.validate()
/// MarkRecorded.eventType   // "MarkRecorded"
/// mark.stream              // "mark/M-1"
/// ```
public protocol SchoolEventPayload: Sendable, Hashable {
    /// The generated message this event is stored as.
    associatedtype Stored: SwiftProtobuf.Message

    /// The event type: the proto message's name, e.g. `MarkRecorded`.
    static var eventType: String { get }

    /// The schema version this library writes for the type: 1, except
    /// `MarkRecorded`, which is 2. Reading also accepts the older versions
    /// an upcaster turns into the current shape.
    static var schemaVersion: UInt32 { get }

    /// The event stream the event is appended to, `"<kind>/<id>"`, e.g.
    /// `student/S-1001` (see ``SchoolEvent`` for the convention).
    var stream: String { get }

    /// Reads the stored form written with `schemaVersion`, upcasting older
    /// versions to the current shape.
    ///
    /// - Throws: ``SchoolSchemaError`` when the stored data does not decode:
    ///   an unspecified or unknown enum value, a missing required field, a
    ///   bad date or instant, an unsupported schema version.
    init(stored: Stored, schemaVersion: UInt32) throws(SchoolSchemaError)

    /// The stored form, in the current schema version (``schemaVersion``).
    var stored: Stored { get }

    /// Checks every field against the catalog's rules (lengths, ranges,
    /// dates, instants); not against the ledger's contents.
    ///
    /// - Throws: ``SchoolValidationError`` naming the first field that breaks a rule.
    func validate() throws(SchoolValidationError)
}

extension SchoolEventPayload {
    /// Version 1, the version of every event type that has not changed its meaning.
    public static var schemaVersion: UInt32 { 1 }

    /// A reader of the stored form that names this event type in its errors,
    /// after checking that `version` is one this library reads (1 through ``schemaVersion``).
    static func reader(version: UInt32) throws(SchoolSchemaError) -> StoredReader {
        let reader = StoredReader(eventType)
        try reader.schemaVersion(version, supported: 1...schemaVersion)
        return reader
    }

    /// A checker of field rules that names this event type in its errors.
    static var check: FieldCheck { FieldCheck(eventType) }
}
