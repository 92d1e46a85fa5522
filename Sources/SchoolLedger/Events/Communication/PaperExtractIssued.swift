/// A paper extract of the diary is handed to a parent (выдача выписки на
/// бумажном носителе), for a parent without internet, who refused the
/// electronic form or gave no consent.
///
/// Who may record it: the class teacher of the student's class. Stream: `student/<studentID>`.
public struct PaperExtractIssued: CatalogEvent {
    /// The extract's id, 1...64 bytes.
    public var extractID: ExtractID
    /// The student whose diary is printed.
    public var studentID: StudentID
    /// The parent who received it.
    public var parentID: ParentID
    /// What the extract covers: one reporting period or a range of dates.
    public var covers: ExtractCoverage
    /// Why the parent gets paper.
    public var reason: ExtractReason

    /// Creates the event.
    public init(extractID: ExtractID, studentID: StudentID, parentID: ParentID, covers: ExtractCoverage, reason: ExtractReason) {
        self.extractID = extractID
        self.studentID = studentID
        self.parentID = parentID
        self.covers = covers
        self.reason = reason
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Reads the stored form; what it covers and the reason are required.
    package init(stored: Schoolledger_V1_PaperExtractIssued, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        let covers: ExtractCoverage
        switch stored.covers {
        case .periodID(let id)?: covers = .period(ReportingPeriodID(id))
        case .dateRange(let range)?: covers = .dates(try read.dateRange(true, range, "date_range"))
        case nil: throw read.error("covers", "", .missingField, "is required but neither period_id nor date_range is set")
        }
        self.init(
            extractID: ExtractID(stored.extractID), studentID: StudentID(stored.studentID), parentID: ParentID(stored.parentID),
            covers: covers, reason: try read.enumCase(stored.reason, "reason"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_PaperExtractIssued {
        var s = Schoolledger_V1_PaperExtractIssued()
        s.extractID = extractID.rawValue
        s.studentID = studentID.rawValue
        s.parentID = parentID.rawValue
        switch covers {
        case .period(let id): s.periodID = id.rawValue
        case .dates(let range): s.dateRange = Schoolledger_V1_DateRange(storing: range)
        }
        s.reason = reason.stored
        return s
    }

    /// Checks the ids and, for a date range, that it does not end before it starts.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(extractID, "extract_id")
        try check.id(studentID, "student_id")
        try check.id(parentID, "parent_id")
        switch covers {
        case .period(let id): try check.id(id, "period_id")
        case .dates(let range): try check.dates(range, "date_range")
        }
    }
}
