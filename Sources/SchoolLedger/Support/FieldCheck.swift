import EventLedger

/// The field rules of the catalog, applied to one event: each check throws a
/// ``SchoolValidationError`` that names the event type, the field path, the
/// value and the rule.
struct FieldCheck {
    /// The event type being checked, e.g. `MarkRecorded`.
    let eventType: String

    init(_ eventType: String) {
        self.eventType = eventType
    }

    /// What a free text may contain.
    enum TextKind {
        /// One line: no control characters at all (names, titles, references).
        case line
        /// Several lines: no control characters except newline and tab (reasons, comments, topics).
        case paragraph
    }

    func error(_ field: String, _ value: String, _ rule: String) -> SchoolValidationError {
        SchoolValidationError(eventType: eventType, field: field, value: value, rule: rule)
    }

    /// Fails with `rule` unless `condition` holds.
    /// The value and the rule are worked out only then: a rule that names
    /// the value's length would otherwise be formatted for every field that
    /// passes (most of a school's appends are roll-call facts, each checked
    /// field by field).
    func require(_ condition: Bool, _ field: String, _ value: @autoclosure () -> String, _ rule: @autoclosure () -> String)
        throws(SchoolValidationError)
    {
        guard condition else { throw error(field, value(), rule()) }
    }

    // MARK: Identifiers

    /// An identifier: 1...64 bytes of UTF-8, no control characters.
    func id<K>(_ id: Identifier<K>, _ field: String) throws(SchoolValidationError) {
        let text = id.rawValue
        try require(!text.isEmpty, field, text, "must not be empty")
        try require(
            text.utf8.count <= Identifier<K>.maxBytes, field, text,
            "must be at most \(Identifier<K>.maxBytes) bytes of UTF-8 (it has \(text.utf8.count))")
        try require(!Self.hasControlCharacter(text, allowing: []), field, text, "must not contain control characters")
    }

    /// An optional identifier: when given, as ``id(_:_:)``.
    func id<K>(_ id: Identifier<K>?, _ field: String) throws(SchoolValidationError) {
        if let id { try self.id(id, field) }
    }

    /// A list of identifiers: at least `minimum`, each valid, none twice.
    func ids<K>(_ ids: [Identifier<K>], _ field: String, minimum: Int = 0) throws(SchoolValidationError) {
        try require(
            ids.count >= minimum, field, ids.map(\.rawValue).joined(separator: ", "),
            minimum == 1 ? "must name at least one" : "must name at least \(minimum)")
        for (i, id) in ids.enumerated() { try self.id(id, "\(field)[\(i)]") }
        try unique(ids, field) { $0.rawValue }
    }

    // MARK: Texts

    /// A required text: 1...`maxBytes` bytes of UTF-8, no control characters
    /// (a paragraph may hold newlines and tabs).
    func text(_ text: String, _ field: String, maxBytes: Int, _ kind: TextKind = .line) throws(SchoolValidationError) {
        try require(!text.isEmpty, field, text, "must not be empty")
        try limits(text, field, maxBytes: maxBytes, kind)
    }

    /// An optional text: when given, 1...`maxBytes` bytes (leave it `nil`
    /// rather than empty).
    func text(_ text: String?, _ field: String, maxBytes: Int, _ kind: TextKind = .line) throws(SchoolValidationError) {
        guard let text else { return }
        try require(!text.isEmpty, field, text, "must not be empty when given (leave it nil instead)")
        try limits(text, field, maxBytes: maxBytes, kind)
    }

    private func limits(_ text: String, _ field: String, maxBytes: Int, _ kind: TextKind) throws(SchoolValidationError) {
        try require(
            text.utf8.count <= maxBytes, field, text,
            "must be at most \(maxBytes) bytes of UTF-8 (it has \(text.utf8.count); a Cyrillic letter takes 2)")
        switch kind {
        case .line:
            try require(!Self.hasControlCharacter(text, allowing: []), field, text, "must not contain control characters or line breaks")
        case .paragraph:
            try require(
                !Self.hasControlCharacter(text, allowing: ["\n", "\t"]), field, text,
                "must not contain control characters other than newline (\\n) and tab")
        }
    }

    /// Whether `text` has a control character (Unicode category Cc) other than those in `allowed`.
    ///
    /// Unicode's control characters (general category Cc) are exactly
    /// U+0000-U+001F and U+007F-U+009F, so they are found by value, without
    /// the property tables: an ASCII text is read byte by byte.
    static func hasControlCharacter(_ text: String, allowing allowed: Set<Unicode.Scalar>) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            guard byte < 0x80 else {
                ascii = false
                break
            }
            if (byte < 0x20 || byte == 0x7F) && !allowed.contains(Unicode.Scalar(byte)) { return true }
        }
        if ascii { return false }
        return text.unicodeScalars.contains { isControl($0) && !allowed.contains($0) }
    }

    /// Whether `scalar` is a control character (general category Cc).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// An IANA time zone name such as `Europe/Moscow` or `UTC`: 1...64 ASCII
    /// letters, digits and `/ _ + -`, starting with a letter.
    func timeZone(_ name: String, _ field: String) throws(SchoolValidationError) {
        let allowed = name.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
        }
        let startsWithLetter = name.utf8.first.map { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) } ?? false
        try require(
            allowed && startsWithLetter && name.utf8.count <= 64, field, name,
            "must be an IANA time zone name such as Europe/Moscow")
    }

    // MARK: Numbers

    /// A number in `range`; `unit` (e.g. `days`) is added to the rule.
    func number<T: BinaryInteger>(_ value: T, _ field: String, _ range: ClosedRange<T>, unit: String? = nil)
        throws(SchoolValidationError)
    {
        let bounds = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
        try require(range.contains(value), field, String(value), "must be \(bounds)\(unit.map { " " + $0 } ?? "")")
    }

    /// An optional number: when given, in `range`.
    func number<T: BinaryInteger>(_ value: T?, _ field: String, _ range: ClosedRange<T>, unit: String? = nil)
        throws(SchoolValidationError)
    {
        if let value { try number(value, field, range, unit: unit) }
    }

    /// A lesson number within the day (номер урока), 1...12.
    func lessonNumber(_ value: Int?, _ field: String) throws(SchoolValidationError) {
        try number(value, field, 1...12)
    }

    /// A mark's weight (вес отметки), 1...10.
    func weight(_ value: Int, _ field: String) throws(SchoolValidationError) {
        try number(value, field, 1...10)
    }

    /// Grade levels (параллели) 1...11, none twice.
    func gradeLevels(_ levels: [Int], _ field: String) throws(SchoolValidationError) {
        for (i, level) in levels.enumerated() { try number(level, "\(field)[\(i)]", 1...11) }
        try unique(levels, field) { String($0) }
    }

    /// A ledger position, from 1.
    func position(_ value: UInt64, _ field: String) throws(SchoolValidationError) {
        try require(value >= 1, field, String(value), "must be a ledger position, 1 or more")
    }

    /// Ledger positions, each from 1, strictly ascending.
    func ascendingPositions(_ values: [UInt64], _ field: String) throws(SchoolValidationError) {
        for (i, value) in values.enumerated() {
            try position(value, "\(field)[\(i)]")
            if i > 0 {
                try require(
                    value > values[i - 1], "\(field)[\(i)]", String(value),
                    "must be greater than the position before it (\(values[i - 1])): positions are strictly ascending")
            }
        }
    }

    /// Minutes late: 1...90 for a late student, not given otherwise.
    func minutesLate(_ minutes: Int?, _ field: String, status: AttendanceStatus) throws(SchoolValidationError) {
        if status == .late {
            try require(minutes != nil, field, "", "must be given (1...90 minutes) when the student is late")
            try number(minutes, field, 1...90, unit: "minutes")
        } else {
            try require(minutes == nil, field, minutes.map { String($0) } ?? "", "must not be given unless the student is late")
        }
    }

    /// A paper form's reference: 1...200 bytes when given, and given only for a paper form.
    func paperFormReference(_ reference: String?, _ field: String, submittedVia: SubmissionMedium) throws(SchoolValidationError) {
        if submittedVia == .electronic {
            try require(reference == nil, field, reference ?? "", "must not be given when submitted_via is electronic")
        }
        try text(reference, field, maxBytes: 200)
    }

    // MARK: Marks

    /// A mark: numeric 1...5, or non-numeric; `н/а` only where `allowsNotAttested`.
    func mark(_ value: MarkValue, _ field: String, allowsNotAttested: Bool) throws(SchoolValidationError) {
        switch value {
        case .numeric(let n):
            try require(MarkValue.numericRange.contains(n), field, String(n), "must be 1...5")
        case .notAttested:
            try require(allowsNotAttested, field, value.text, "must not be н/а (not attested), which only a final mark may be")
        case .pass, .fail, .exempt:
            break
        }
    }

    // MARK: Dates and instants

    /// A date range whose end is not before its start.
    func dates(_ range: DateRange, _ field: String) throws(SchoolValidationError) {
        try dateOrder(start: range.start, end: range.end, field + ".end_date")
    }

    /// `end`, when given, is not before `start`; `endField` names it.
    func dateOrder(start: CivilDate, end: CivilDate?, _ endField: String) throws(SchoolValidationError) {
        guard let end else { return }
        try require(end >= start, endField, end.description, "must not be before the start date \(start)")
    }

    /// An instant the ledger accepts: 1970-01-01T00:00:00Z through 9999-12-31T23:59:59.999999Z.
    func instant(_ value: Instant, _ field: String) throws(SchoolValidationError) {
        try require(
            Instant.validRange.contains(value), field, "\(value.microsecondsSinceEpoch) µs since 1970",
            "must be a valid UTC instant from \(Instant.epoch) through \(Instant.latestValid)")
    }

    /// An optional instant: when given, as ``instant(_:_:)``.
    func instant(_ value: Instant?, _ field: String) throws(SchoolValidationError) {
        if let value { try instant(value, field) }
    }

    // MARK: Compound values

    /// A teaching target: its one id valid.
    func target(_ target: TeachingTarget, _ field: String) throws(SchoolValidationError) {
        let path = "\(field).\(target.storedFieldName)"
        switch target {
        case .class(let id): try self.id(id, path)
        case .group(let id): try self.id(id, path)
        case .teachingStream(let id): try self.id(id, path)
        case .student(let id): try self.id(id, path)
        }
    }

    /// Sealed personal data of `subject`: the subject id matches, the nonce
    /// has 12 bytes and the tag 16.
    func sealed(_ sealed: SealedPersonalData, _ field: String, subject: PersonID) throws(SchoolValidationError) {
        try id(sealed.subjectID, field + ".subject_id")
        try require(
            sealed.subjectID == subject, field + ".subject_id", sealed.subjectID.rawValue,
            "must equal \(subject), the person whose data it is")
        try require(
            sealed.nonce.count == SealedPersonalData.nonceByteCount, field + ".nonce", "\(sealed.nonce.count) bytes",
            "must be \(SealedPersonalData.nonceByteCount) bytes")
        try require(
            sealed.tag.count == SealedPersonalData.tagByteCount, field + ".tag", "\(sealed.tag.count) bytes",
            "must be \(SealedPersonalData.tagByteCount) bytes")
    }

    /// An activation-code digest: a 16-byte salt, a 32-byte hash, a valid expiry.
    func activationCode(_ code: ActivationCodeDigest?, prefix: String) throws(SchoolValidationError) {
        guard let code else { return }
        try require(
            code.salt.count == ActivationCodeDigest.saltByteCount, prefix + "salt", "\(code.salt.count) bytes",
            "must be \(ActivationCodeDigest.saltByteCount) bytes")
        try require(
            code.hash.count == ActivationCodeDigest.hashByteCount, prefix + "hash", "\(code.hash.count) bytes",
            "must be \(ActivationCodeDigest.hashByteCount) bytes")
        try instant(code.expiresAt, prefix + "expires_at")
    }

    // MARK: Lists

    /// No element of `values` twice; `describe` gives an element's text for the error.
    func unique<T: Hashable>(_ values: [T], _ field: String, _ describe: (T) -> String) throws(SchoolValidationError) {
        var seen = Set<T>()
        for (i, value) in values.enumerated() where !seen.insert(value).inserted {
            throw error("\(field)[\(i)]", describe(value), "must not repeat an earlier element of \(field)")
        }
    }
}
