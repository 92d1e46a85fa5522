/// A teacher writes a recommendation to a student and / or the parents
/// (рекомендации педагога), shown in the diary.
///
/// Who may record it: the subject teacher assigned to that subject and the
/// student's class, group, teaching stream or plan. Stream: `student/<studentID>`.
public struct RecommendationIssued: CatalogEvent {
    /// The recommendation's id, 1...64 bytes.
    public var recommendationID: RecommendationID
    /// The student it concerns.
    public var studentID: StudentID
    /// The subject it concerns; `nil`: general.
    public var subjectID: SubjectID?
    /// The text (текст рекомендации), 1...4000 bytes; may span lines.
    public var text: String
    /// Whether the student sees it in the diary; ``toStudent`` or ``toParents`` (or both) is true.
    public var toStudent: Bool
    /// Whether the student's parents see it in the diary.
    public var toParents: Bool

    /// Creates the event.
    public init(
        recommendationID: RecommendationID, studentID: StudentID, subjectID: SubjectID? = nil, text: String, toStudent: Bool,
        toParents: Bool
    ) {
        self.recommendationID = recommendationID
        self.studentID = studentID
        self.subjectID = subjectID
        self.text = text
        self.toStudent = toStudent
        self.toParents = toParents
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids, the text (1...4000 bytes) and that someone sees it.
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(recommendationID, "recommendation_id")
        try check.id(studentID, "student_id")
        try check.id(subjectID, "subject_id")
        try check.text(text, "text", maxBytes: 4000, .paragraph)
        try check.require(toStudent || toParents, "to_parents", "false", "must be true when to_student is false: someone must see it")
    }
}
