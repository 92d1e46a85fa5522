/// One caller's append, validated, waiting for the writer.
struct AppendRequest: Sendable {
    var events: [NewEvent]
    var expectations: [String: ExpectedVersion]
    /// Asked on the writer's thread once the append and the inline read
    /// models are written, before the commit: a refusal undoes this append
    /// (see ``EventLedger/append(_:expecting:beforeCommit:)``).
    var beforeCommit: (@Sendable () -> LedgerError?)? = nil

    /// Checks what can be checked without the log: limits, characters, times,
    /// ids repeated within the append.
    func validate() throws(LedgerError) {
        guard !events.isEmpty else {
            throw LedgerError.invalid(nil, field: "events", "is empty: an append needs at least one event")
        }
        guard events.count <= Limits.maxEventsPerAppend else {
            throw LedgerError.invalid(
                nil, field: "events", "has \(events.count) events, more than the \(Limits.maxEventsPerAppend) one append may hold: split it"
            )
        }
        // Ids a client makes in order (time-ordered, as `EventID()` makes
        // them) rise through an append, and while they rise none can repeat:
        // one comparison an event. Once they stop rising, a few are compared
        // with the ones before them and many go through a set of those (a
        // set for every append, allocated and hashed, was a twentieth of
        // figure 1's appends at batch 1,000 and a fifth of a single one's
        // time on the caller's side).
        var rising = true
        var seen: Set<EventID>?
        for (index, event) in events.enumerated() {
            try Self.validate(event)
            if rising && index > 0 && event.id <= events[index - 1].id { rising = false }
            guard !rising else { continue }
            let repeated: Bool
            if events.count <= 12 {
                repeated = events[..<index].contains { $0.id == event.id }
            } else {
                if seen == nil {
                    seen = Set(minimumCapacity: events.count)
                    for earlier in events[..<index] { seen!.insert(earlier.id) }
                }
                repeated = !seen!.insert(event.id).inserted
            }
            guard !repeated else {
                var e = LedgerError(.duplicateEventID, "Event id \(event.id) appears twice in one append: give each event its own id.")
                e.eventID = event.id
                throw e
            }
        }
        for stream in expectations.keys {
            try Self.checkName(stream, field: "expected version's stream", limit: Limits.maxStreamBytes, of: nil)
        }
    }

    /// Checks one event's limits, characters and times.
    static func validate(_ event: NewEvent) throws(LedgerError) {
        try checkName(event.stream, field: "stream", limit: Limits.maxStreamBytes, of: event)
        try checkName(event.type, field: "type", limit: Limits.maxTypeBytes, of: event)
        try checkName(event.actor, field: "actor", limit: Limits.maxActorBytes, of: event)
        guard event.schemaVersion >= 1 else {
            throw LedgerError.invalid(event, field: "schemaVersion", "is 0; schema versions start at 1")
        }
        guard Instant.validRange.contains(event.occurredAt) else {
            throw LedgerError.invalid(
                event, field: "occurredAt",
                "is \(event.occurredAt.microsecondsSinceEpoch) µs since 1970, outside 1970-01-01 … 9999-12-31 UTC")
        }
        guard event.payload.count <= Limits.maxPayloadBytes else {
            throw LedgerError.invalid(event, field: "payload", "has \(event.payload.count) bytes, more than \(Limits.maxPayloadBytes)")
        }
    }

    private static func checkName(_ value: String, field: String, limit: Int, of event: NewEvent?) throws(LedgerError) {
        // U+0000-U+001F and U+007F are one byte each in UTF-8, and no byte of
        // a longer character is below 0x80: the bytes are read, not decoded,
        // in place (a loop over the string's UTF-8 view took 7 % of figure 1's appends).
        var name = value
        let (count, control) = name.withUTF8 { bytes in (bytes.count, bytes.first { $0 < 0x20 || $0 == 0x7F }) }
        guard count > 0 else { throw LedgerError.invalid(event, field: field, "is empty") }
        guard count <= limit else {
            throw LedgerError.invalid(event, field: field, "has \(count) bytes (UTF-8), more than the \(limit) allowed")
        }
        if let byte = control {
            throw LedgerError.invalid(
                event, field: field, "contains the control character U+\(String(byte, radix: 16, uppercase: true)); remove it")
        }
    }
}
