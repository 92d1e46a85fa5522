/// A mark is changed to another value (исправление отметки).
///
/// Who may record it: the teacher who entered the mark, within the school's
/// edit window (by default 7 days after the lesson); after it, the deputy
/// head. Stream: `mark/<markID>`.
public struct MarkCorrected: CatalogEvent {
    /// The mark corrected (``MarkRecorded/markID``).
    public var markID: MarkID
    /// The new mark (отметка): 1...5, or pass / fail / exempt; never not attested (`н/а`).
    public var newValue: MarkValue
    /// Why (причина исправления), 1...1000 bytes; required.
    public var reason: String

    /// Creates the event.
    public init(markID: MarkID, newValue: MarkValue, reason: String) {
        self.markID = markID
        self.newValue = newValue
        self.reason = reason
    }

    /// `mark/<markID>`.
    package var stream: String { SchoolStream.mark(markID) }

    /// Checks the id, the mark (1...5, not `н/а`) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(markID, "mark_id")
        try check.mark(newValue, "new_value", allowsNotAttested: false)
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
