/// A student is put on an individual plan (индивидуальный учебный план): for
/// the plan's subjects the student is taught individually
/// (``TeacherAssigned`` with a ``TeachingTarget/student(_:)`` target).
///
/// Who may record it: admin, deputy head. Stream: `student/<studentID>`.
public struct IndividualPlanAssigned: CatalogEvent {
    /// The plan's id, 1...64 bytes.
    public var planID: IndividualPlanID
    /// The student.
    public var studentID: StudentID
    /// The academic year.
    public var academicYearID: AcademicYearID
    /// The subjects studied on the plan, at least one, none twice.
    public var subjectIDs: [SubjectID]
    /// The first day the plan holds.
    public var startDate: CivilDate
    /// The last day it holds, inclusive; `nil`: until the end of the academic year.
    public var endDate: CivilDate?
    /// The school's order that set it (приказ), e.g. `№ 45-у от 01.09.2026`,
    /// 1...200 bytes; `nil`: not given. Must not contain personal data (no diagnosis).
    public var orderReference: String?

    /// Creates the event.
    public init(
        planID: IndividualPlanID, studentID: StudentID, academicYearID: AcademicYearID, subjectIDs: [SubjectID],
        startDate: CivilDate, endDate: CivilDate? = nil, orderReference: String? = nil
    ) {
        self.planID = planID
        self.studentID = studentID
        self.academicYearID = academicYearID
        self.subjectIDs = subjectIDs
        self.startDate = startDate
        self.endDate = endDate
        self.orderReference = orderReference
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Reads the stored form; the dates and their start date are required.
    package init(stored: Schoolledger_V1_IndividualPlanAssigned, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        try read.require(stored.hasDates, "dates")
        self.init(
            planID: IndividualPlanID(stored.planID), studentID: StudentID(stored.studentID),
            academicYearID: AcademicYearID(stored.academicYearID), subjectIDs: stored.subjectIds.map { SubjectID($0) },
            startDate: try read.date(stored.dates.startDate, "dates.start_date"),
            endDate: try read.optionalDate(stored.dates.endDate, "dates.end_date"), orderReference: stored.orderReference.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_IndividualPlanAssigned {
        var s = Schoolledger_V1_IndividualPlanAssigned()
        s.planID = planID.rawValue
        s.studentID = studentID.rawValue
        s.academicYearID = academicYearID.rawValue
        s.subjectIds = subjectIDs.map(\.rawValue)
        s.dates.startDate = startDate.description
        s.dates.endDate = endDate?.description ?? ""
        s.orderReference = orderReference ?? ""
        return s
    }

    /// Checks the ids (at least one subject, none twice), that the plan does
    /// not end before it starts, and the order reference (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(planID, "plan_id")
        try check.id(studentID, "student_id")
        try check.id(academicYearID, "academic_year_id")
        try check.ids(subjectIDs, "subject_ids", minimum: 1)
        try check.dateOrder(start: startDate, end: endDate, "dates.end_date")
        try check.text(orderReference, "order_reference", maxBytes: 200)
    }
}
