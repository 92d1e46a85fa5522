/// JSON for the query results (`schoolledger query --json`): marks as the
/// journal writes them (`5`, `зач`, `н/а`), closed sets by their Swift case names.
extension MarkValue: Codable {
    /// Encodes the journal's text, e.g. `5` or `зач`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Decodes the journal's text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let value = MarkValue(text: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a mark (1...5, зач, незач, осв, н/а)")
        }
        self = value
    }
}

/// A closed set encoded in JSON by its case name.
protocol CaseNameCodable: Codable, CaseIterable {}

extension CaseNameCodable {
    /// Encodes the case name, e.g. `absentExcused`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(String(describing: self))
    }

    /// Decodes a case name.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let value = Self.allCases.first(where: { String(describing: $0) == name }) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "'\(name)' is not one of \(Self.allCases.map { String(describing: $0) })")
        }
        self = value
    }
}

extension WorkKind: CaseNameCodable {}
extension AttendanceStatus: CaseNameCodable {}
