#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import EventLedger
import SwiftProtobuf

/// Reads the parts of one stored event into the Swift types, turning what
/// does not decode into a ``SchoolSchemaError`` that names the event type
/// and the field.
struct StoredReader {
    /// The event type whose stored form is read, e.g. `MarkRecorded`.
    let eventType: String

    init(_ eventType: String) {
        self.eventType = eventType
    }

    func error(_ field: String, _ value: String, _ problem: SchoolSchemaError.Problem, _ detail: String) -> SchoolSchemaError {
        SchoolSchemaError(eventType: eventType, field: field, value: value, problem: problem, detail: detail)
    }

    /// Accepts the schema versions in `supported`.
    func schemaVersion(_ version: UInt32, supported: ClosedRange<UInt32>) throws(SchoolSchemaError) {
        guard supported.contains(version) else {
            let known = supported.count == 1 ? "\(supported.lowerBound)" : "\(supported.lowerBound)...\(supported.upperBound)"
            throw error(
                "schema_version", String(version), .unsupportedSchemaVersion, "is not a schema version this library reads (\(known))")
        }
    }

    /// Fails when a required message or oneof is not set.
    func require(_ isSet: Bool, _ field: String) throws(SchoolSchemaError) {
        guard isSet else { throw error(field, "", .missingField, "is required but not set") }
    }

    /// A required civil date.
    func date(_ text: String, _ field: String) throws(SchoolSchemaError) -> CivilDate {
        guard !text.isEmpty else { throw error(field, "", .missingField, "is required but empty (expected a date YYYY-MM-DD)") }
        guard let date = CivilDate(text) else { throw error(field, text, .badDate, "is not a real date YYYY-MM-DD") }
        return date
    }

    /// An optional civil date: the empty string means not set.
    func optionalDate(_ text: String, _ field: String) throws(SchoolSchemaError) -> CivilDate? {
        text.isEmpty ? nil : try date(text, field)
    }

    /// A required date range (`start_date` and `end_date` both set).
    func dateRange(_ isSet: Bool, _ stored: Schoolledger_V1_DateRange, _ field: String) throws(SchoolSchemaError) -> DateRange {
        try require(isSet, field)
        return DateRange(
            start: try date(stored.startDate, field + ".start_date"), end: try date(stored.endDate, field + ".end_date"))
    }

    /// An instant: whole microseconds, nanos in 0..<1_000_000_000, seconds that fit.
    func instant(_ stored: Google_Protobuf_Timestamp, _ field: String) throws(SchoolSchemaError) -> Instant {
        let text = "seconds: \(stored.seconds), nanos: \(stored.nanos)"
        guard (0..<1_000_000_000).contains(stored.nanos) else {
            throw error(field, text, .badInstant, "has nanos outside 0..<1000000000, so it is not a valid UTC instant")
        }
        guard stored.nanos % 1000 == 0 else {
            throw error(field, text, .badInstant, "is not a whole number of microseconds (the ledger's precision)")
        }
        let (micros, overflow) = stored.seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow, micros <= Int64.max - Int64(stored.nanos / 1000) else {
            throw error(field, text, .badInstant, "is too far from 1970 to be a valid UTC instant")
        }
        return Instant(microsecondsSinceEpoch: micros + Int64(stored.nanos / 1000))
    }

    /// An optional instant.
    func optionalInstant(_ isSet: Bool, _ stored: Google_Protobuf_Timestamp, _ field: String) throws(SchoolSchemaError) -> Instant? {
        isSet ? try instant(stored, field) : nil
    }

    /// A required instant.
    func requiredInstant(_ isSet: Bool, _ stored: Google_Protobuf_Timestamp, _ field: String) throws(SchoolSchemaError) -> Instant {
        try require(isSet, field)
        return try instant(stored, field)
    }

    /// A closed-set enum: neither unspecified nor unknown.
    func enumCase<E: StoredEnumMirror>(_ stored: E.Stored, _ field: String) throws(SchoolSchemaError) -> E {
        if let value = E(stored: stored) { return value }
        if stored.rawValue == 0 {
            throw error(field, "0", .unspecifiedEnumValue, "is unspecified, which no event may carry")
        }
        throw error(field, String(stored.rawValue), .unknownEnumValue, "is not a value this library knows")
    }

    /// A required mark: one of numeric or non_numeric set, non_numeric specified and known.
    func mark(_ isSet: Bool, _ stored: Schoolledger_V1_MarkValue, _ field: String) throws(SchoolSchemaError) -> MarkValue {
        switch isSet ? stored.value : nil {
        case .numeric(let n)?: return .numeric(Int(n))
        case .nonNumeric(let mark)?:
            switch mark {
            case .pass: return .pass
            case .fail: return .fail
            case .exempt: return .exempt
            case .notAttested: return .notAttested
            case .unspecified:
                throw error(field + ".non_numeric", "0", .unspecifiedEnumValue, "is unspecified, which no event may carry")
            case .UNRECOGNIZED(let raw):
                throw error(field + ".non_numeric", String(raw), .unknownEnumValue, "is not a value this library knows")
            }
        case nil: throw error(field, "", .missingField, "is required but neither numeric nor non_numeric is set")
        }
    }

    /// A required teaching target: exactly one of class, group, stream, student.
    func target(_ isSet: Bool, _ stored: Schoolledger_V1_TeachingTarget, _ field: String) throws(SchoolSchemaError)
        -> TeachingTarget
    {
        switch isSet ? stored.target : nil {
        case .classID(let id)?: return .class(ClassID(id))
        case .groupID(let id)?: return .group(StudyGroupID(id))
        case .streamID(let id)?: return .teachingStream(TeachingStreamID(id))
        case .studentID(let id)?: return .student(StudentID(id))
        case nil: throw error(field, "", .missingField, "is required but none of class_id, group_id, stream_id, student_id is set")
        }
    }

    /// A required sealed personal-data value.
    func sealed(_ isSet: Bool, _ stored: Schoolledger_V1_SealedPersonalData, _ field: String) throws(SchoolSchemaError)
        -> SealedPersonalData
    {
        try require(isSet, field)
        return SealedPersonalData(stored: stored)
    }

    /// An event id in UUID text form.
    func eventID(_ text: String, _ field: String) throws(SchoolSchemaError) -> EventID {
        guard !text.isEmpty else { throw error(field, "", .missingField, "is required but empty (expected UUID text)") }
        guard let id = EventID(text) else {
            throw error(field, text, .badEventID, "is not an event id in UUID text form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        }
        return id
    }

    /// An activation-code digest: `nil` when salt, hash and expiry are all unset.
    func activationCode(
        salt: Data, hash: Data, hasExpiry: Bool, expiry: Google_Protobuf_Timestamp, prefix: String
    ) throws(SchoolSchemaError) -> ActivationCodeDigest? {
        guard !salt.isEmpty || !hash.isEmpty || hasExpiry else { return nil }
        guard !salt.isEmpty else {
            throw error(prefix + "salt", "", .missingField, "is required when an activation code hash or expiry is stored")
        }
        guard !hash.isEmpty else {
            throw error(prefix + "hash", "", .missingField, "is required when an activation code salt or expiry is stored")
        }
        return ActivationCodeDigest(
            salt: Array(salt), hash: Array(hash), expiresAt: try optionalInstant(hasExpiry, expiry, prefix + "expires_at"))
    }
}

// MARK: - Plain conversions that cannot fail

extension Identifier {
    /// An optional identifier from stored text: the empty string means not set.
    init?(storedOptional text: String) {
        guard !text.isEmpty else { return nil }
        self.init(rawValue: text)
    }
}

extension Optional {
    /// The stored text of an optional identifier: empty when not set.
    func storedText<K>() -> String where Wrapped == Identifier<K> {
        self?.rawValue ?? ""
    }
}

extension String {
    /// An optional text from its stored form: the empty string means not given.
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension UInt32 {
    /// A count or number from a Swift `Int`, clamped into `UInt32` (an
    /// out-of-range value stays out of the valid range, for `validate()` to report).
    init(storing value: Int) {
        self.init(clamping: value)
    }

    /// An optional number from its stored form: 0 means not given.
    var nonZero: Int? { self == 0 ? nil : Int(self) }
}

extension UInt64 {
    /// An optional position from its stored form: 0 means not given.
    var nonZero: UInt64? { self == 0 ? nil : self }
}

extension Google_Protobuf_Timestamp {
    /// The stored form of an instant (seconds and non-negative nanos).
    init(storing instant: Instant) {
        let micros = instant.microsecondsSinceEpoch
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        self.init()
        self.seconds = seconds
        self.nanos = Int32(fraction * 1000)
    }
}

extension Schoolledger_V1_DateRange {
    /// The stored form of a date range.
    init(storing range: DateRange) {
        self.init()
        startDate = range.start.description
        endDate = range.end.description
    }
}

extension Schoolledger_V1_MarkValue {
    /// The stored form of a mark.
    init(storing mark: MarkValue) {
        self.init()
        switch mark {
        case .numeric(let n): value = .numeric(UInt32(storing: n))
        case .pass: value = .nonNumeric(.pass)
        case .fail: value = .nonNumeric(.fail)
        case .exempt: value = .nonNumeric(.exempt)
        case .notAttested: value = .nonNumeric(.notAttested)
        }
    }
}
