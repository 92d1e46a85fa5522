/// A final mark for a reporting period or the year is set (итоговая
/// отметка: четвертная, триместровая, полугодовая, годовая).
///
/// Who may record it: the subject teacher assigned to that subject and the
/// student's class, group, teaching stream or plan. Stream:
/// `final-mark/<finalMarkID>` (the final mark's own stream, which its
/// corrections also go to).
public struct FinalMarkSet: CatalogEvent {
    /// The final mark's id, 1...64 bytes; corrections name it.
    public var finalMarkID: FinalMarkID
    /// The student.
    public var studentID: StudentID
    /// The subject.
    public var subjectID: SubjectID
    /// The reporting period or year (``ReportingPeriodDefined/periodID``).
    public var periodID: ReportingPeriodID
    /// The final mark: 1...5, or pass / fail / exempt / not attested (`н/а`).
    public var value: MarkValue
    /// The weighted average the teacher was shown (средневзвешенный балл), in
    /// hundredths of a mark point, 100...500 (437 = 4.37); `nil` when the
    /// student had no numeric marks.
    public var weightedAverageHundredths: Int?

    /// Creates the event.
    public init(
        finalMarkID: FinalMarkID, studentID: StudentID, subjectID: SubjectID, periodID: ReportingPeriodID, value: MarkValue,
        weightedAverageHundredths: Int? = nil
    ) {
        self.finalMarkID = finalMarkID
        self.studentID = studentID
        self.subjectID = subjectID
        self.periodID = periodID
        self.value = value
        self.weightedAverageHundredths = weightedAverageHundredths
    }

    /// `final-mark/<finalMarkID>`.
    package var stream: String { SchoolStream.finalMark(finalMarkID) }

    /// Checks the ids, the mark (1...5 or non-numeric) and the average (100...500 hundredths when given).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(finalMarkID, "final_mark_id")
        try check.id(studentID, "student_id")
        try check.id(subjectID, "subject_id")
        try check.id(periodID, "period_id")
        try check.mark(value, "value", allowsNotAttested: true)
        try check.number(weightedAverageHundredths, "weighted_average_hundredths", 100...500, unit: "hundredths")
    }
}
