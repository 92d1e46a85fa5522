package import SwiftProtobuf

/// One event type of the school's catalog as a Swift value: a struct of
/// plain Swift values (ids, dates, marks, enums), with its type name.
///
/// Every event struct (``MarkRecorded``, ``ConsentGiven``, …) conforms.
/// Embedders work with ``SchoolEvent``, which wraps any of them and gives
/// each its stream (``SchoolEvent/stream``) and its field rules
/// (``SchoolEvent/validate()``); the stored protobuf form stays inside the
/// library.
///
/// ```swift
/// let mark = MarkRecorded(markID: "M-1", studentID: "S-1001", lessonID: "L-1", subjectID: "algebra",
///                         value: .numeric(5), weight: 3, workKind: .classwork)
/// SchoolEvent.markRecorded(mark).eventType  // "MarkRecorded"
/// try SchoolEvent.markRecorded(mark).validate()
/// SchoolEvent.markRecorded(mark).stream   // "mark/M-1"
/// ```
public protocol SchoolEventPayload: Sendable, Hashable {
    /// The schema version this library writes for the type: 1, except
    /// `MarkRecorded`, which is 2. Reading also accepts the older versions
    /// an upcaster turns into the current shape.
    static var schemaVersion: UInt32 { get }
}

extension SchoolEventPayload {
    /// Version 1, the version of every event type that has not changed its meaning.
    public static var schemaVersion: UInt32 { 1 }
}

/// What the library needs of an event type besides its public face: its
/// stored (generated protobuf) form, its stream and its field rules. Every
/// event struct conforms; nothing outside the package sees it.
package protocol CatalogEvent: SchoolEventPayload {
    /// The event type: the proto message's name, e.g. `MarkRecorded`
    /// (public as ``SchoolEvent/eventType`` and ``SchoolEvent/allEventTypes``).
    static var eventType: String { get }

    /// The generated message this event is stored as.
    associatedtype Stored: SwiftProtobuf.Message

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

    /// The stored form, in the current schema version (``SchoolEventPayload/schemaVersion``).
    var stored: Stored { get }

    /// Checks every field against the catalog's rules (lengths, ranges,
    /// dates, instants); not against the ledger's contents.
    ///
    /// - Throws: ``SchoolValidationError`` naming the first field that breaks a rule.
    func validate() throws(SchoolValidationError)
}

extension CatalogEvent {
    /// A reader of the stored form that names this event type in its errors,
    /// after checking that `version` is one this library reads (1 through ``SchoolEventPayload/schemaVersion``).
    static func reader(version: UInt32) throws(SchoolSchemaError) -> StoredReader {
        let reader = StoredReader(eventType)
        try reader.schemaVersion(version, supported: 1...schemaVersion)
        return reader
    }

    /// A checker of field rules that names this event type in its errors.
    static var check: FieldCheck { FieldCheck(eventType) }
}
