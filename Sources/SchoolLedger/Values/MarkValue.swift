/// A mark (отметка): a numeric mark on the 5-point scale, or a non-numeric
/// mark.
///
/// Absence (`н`) is not a mark but attendance (``AttendanceStatus``).
/// ``notAttested`` (`н/а`) is allowed only in final marks (``FinalMarkSet``,
/// ``FinalMarkCorrected``). Only numeric marks enter the weighted average.
///
/// ```swift
/// MarkValue.numeric(5).text       // "5"
/// MarkValue.pass.text             // "зач"
/// MarkValue(text: "н/а")          // .notAttested
/// ```
public enum MarkValue: Hashable, Sendable, CustomStringConvertible {
    /// A numeric mark (балл), 1...5: 5 is the best, 2 and 1 are failing marks.
    case numeric(Int)
    /// Pass (зачёт), shown as `зач`.
    case pass
    /// Fail (незачёт), shown as `незач`.
    case fail
    /// Exempt (освобождён), shown as `осв`.
    case exempt
    /// Not attested (не аттестован), shown as `н/а`; final marks only.
    case notAttested

    /// The valid numeric marks, 1...5.
    package static let numericRange = 1...5

    /// Whether this is a numeric mark (one that enters averages).
    public var isNumeric: Bool {
        if case .numeric = self { true } else { false }
    }

    /// The numeric mark, or `nil` for a non-numeric one.
    public var numericValue: Int? {
        if case .numeric(let value) = self { value } else { nil }
    }

    /// Whether the mark counts as failing: a numeric 1 or 2, `незач` or `н/а`.
    public var isFailing: Bool {
        switch self {
        case .numeric(let value): value <= 2
        case .fail, .notAttested: true
        case .pass, .exempt: false
        }
    }

    /// The mark as the journal shows it: `5`, `4`, `3`, `2`, `1`, `зач`,
    /// `незач`, `осв` or `н/а`.
    public var text: String {
        switch self {
        case .numeric(let value): String(value)
        case .pass: "зач"
        case .fail: "незач"
        case .exempt: "осв"
        case .notAttested: "н/а"
        }
    }

    /// Parses the journal's text of a mark: `1`...`5`, `зач`, `незач`, `осв`
    /// or `н/а` (also `зачёт`, `незачёт`, `освобождён`, `на`, surrounding
    /// spaces ignored, any letter case); `nil` for anything else, including
    /// `н`, which is an absence, not a mark.
    public init?(text: String) {
        // The journal's own numeric texts (what rows store) need no normalising.
        if text.utf8.count == 1, let digit = text.utf8.first, (0x31...0x35).contains(digit) {
            self = .numeric(Int(digit) - 0x30)
            return
        }
        let t = text.normalizedName
        switch t {
        case "1", "2", "3", "4", "5": self = .numeric(Int(t)!)
        case "зач", "зачет", "зачтено": self = .pass
        case "незач", "незачет", "не зачтено": self = .fail
        case "осв", "освобожден", "освобождена": self = .exempt
        case "н/а", "на", "не аттестован", "не аттестована": self = .notAttested
        default: return nil
        }
    }

    /// The journal's text, as ``text``.
    public var description: String { text }
}
