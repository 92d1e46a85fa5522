/// What every school event has, whatever its type: its type name, schema
/// version and stream, and the catalog's field rules. The enum itself and
/// its cases are generated (`Generated/SchoolEvent+Catalog.swift`).
extension SchoolEvent {
    /// The event itself, as its payload type.
    public var content: any SchoolEventPayload { catalogEvent }

    /// The event type, e.g. `MarkRecorded`: the envelope's and the record's `type`.
    public var eventType: String { type(of: catalogEvent).eventType }

    /// The schema version this library writes for the event's type (1, or 2
    /// for `MarkRecorded`): the record's `schema_version`.
    public var schemaVersion: UInt32 { type(of: content).schemaVersion }

    /// The event stream to append the event to, e.g. `student/S-1001` (see
    /// the streams table in this type's documentation).
    public var stream: String { catalogEvent.stream }

    /// Checks every field against the catalog's rules.
    ///
    /// - Throws: ``SchoolValidationError`` naming the event type, the first
    ///   field that breaks a rule, its value and the rule.
    public func validate() throws(SchoolValidationError) {
        try catalogEvent.validate()
    }
}
