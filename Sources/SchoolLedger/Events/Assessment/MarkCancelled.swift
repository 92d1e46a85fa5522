/// A mark is withdrawn as if never given (отмена, удаление отметки).
///
/// Who may record it: the teacher who entered the mark, within the school's
/// edit window (by default 7 days after the lesson); after it, the deputy
/// head. Stream: `mark/<markID>`.
public struct MarkCancelled: CatalogEvent {
    /// The mark cancelled (``MarkRecorded/markID``).
    public var markID: MarkID
    /// Why (причина отмены), 1...1000 bytes; required.
    public var reason: String

    /// Creates the event.
    public init(markID: MarkID, reason: String) {
        self.markID = markID
        self.reason = reason
    }

    /// `mark/<markID>`.
    package var stream: String { SchoolStream.mark(markID) }

    /// Checks the id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(markID, "mark_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
