/// A parent has read the student's diary up to a point (ознакомление с
/// электронным дневником). At least one of ``upToDate`` and
/// ``upToPosition`` is given; with both, the acknowledgement covers what
/// satisfies both.
///
/// A parent who gets paper acknowledges by signing an issued extract
/// (clause 3): the class teacher records it with ``paperExtractID``, and the
/// parent leaves the control list for the marks up to ``upToDate``.
///
/// Who may record it: the parent; with ``paperExtractID``, the class teacher
/// of the student's class. Stream: `parent/<parentID>`.
public struct DiaryAcknowledged: CatalogEvent {
    /// The parent.
    public var parentID: ParentID
    /// The student whose diary was read.
    public var studentID: StudentID
    /// Every diary entry dated (school date) up to and including this day; `nil`: not given.
    public var upToDate: CivilDate?
    /// Every diary entry recorded at or before this ledger position (the
    /// position the parent's view was built at), from 1; `nil`: not given.
    public var upToPosition: UInt64?
    /// The paper extract the parent signed (``PaperExtractIssued/extractID``);
    /// `nil`: acknowledged electronically.
    public var paperExtractID: ExtractID?

    /// Creates the event.
    public init(
        parentID: ParentID, studentID: StudentID, upToDate: CivilDate? = nil, upToPosition: UInt64? = nil,
        paperExtractID: ExtractID? = nil
    ) {
        self.parentID = parentID
        self.studentID = studentID
        self.upToDate = upToDate
        self.upToPosition = upToPosition
        self.paperExtractID = paperExtractID
    }

    /// `parent/<parentID>`.
    package var stream: String { SchoolStream.parent(parentID) }

    /// Checks the ids and that a date or a position (from 1) is given; on
    /// paper, a date and no position.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        try check.id(paperExtractID, "paper_extract_id")
        if paperExtractID != nil {
            try check.require(
                upToDate != nil, "up_to_date", "", "must be given with paper_extract_id: the last date the signed extract covers")
            try check.require(
                upToPosition == nil, "up_to_position", upToPosition.map(String.init) ?? "",
                "must not be given with paper_extract_id: a paper extract is acknowledged up to a date")
        }
        try check.require(
            upToDate != nil || upToPosition != nil, "up_to_date", "", "must be given when up_to_position is not (at least one of them)")
        if let upToPosition { try check.position(upToPosition, "up_to_position") }
    }
}
