/// A final mark is changed (исправление итоговой отметки).
///
/// Who may record it: the teacher who set it; the deputy head. Stream: `final-mark/<finalMarkID>`.
public struct FinalMarkCorrected: CatalogEvent {
    /// The final mark corrected (``FinalMarkSet/finalMarkID``).
    public var finalMarkID: FinalMarkID
    /// The new final mark: 1...5, or pass / fail / exempt / not attested (`н/а`).
    public var newValue: MarkValue
    /// Why (причина исправления), 1...1000 bytes; required.
    public var reason: String

    /// Creates the event.
    public init(finalMarkID: FinalMarkID, newValue: MarkValue, reason: String) {
        self.finalMarkID = finalMarkID
        self.newValue = newValue
        self.reason = reason
    }

    /// `final-mark/<finalMarkID>`.
    package var stream: String { SchoolStream.finalMark(finalMarkID) }

    /// Checks the id, the mark (1...5 or non-numeric) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(finalMarkID, "final_mark_id")
        try check.mark(newValue, "new_value", allowsNotAttested: true)
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
