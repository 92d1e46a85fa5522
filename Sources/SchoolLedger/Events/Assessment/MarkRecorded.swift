/// A mark is given to a student at a lesson (выставление отметки).
///
/// Schema versions: this library writes version 2 (a structured
/// ``workKind`` and an optional ``workKindNote``). Version 1 stored the kind
/// of work as free text (`kind_of_work`, e.g. `контрольная работа`);
/// reading the stored form upcasts it: the text's common Russian or
/// English name gives the kind (``WorkKind/init(commonName:)``),
/// ``WorkKind/other`` when nothing matches, and the text is kept as the note.
///
/// Who may record it: the subject teacher assigned to that subject and the
/// student's class, group, teaching stream or plan, or the substitute
/// assigned to that lesson. Stream: `mark/<markID>` (the mark's own stream,
/// which its corrections and cancellation also go to).
public struct MarkRecorded: CatalogEvent {
    /// The mark's id, 1...64 bytes; corrections and cancellations name it.
    public var markID: MarkID
    /// The student (обучающийся); must be in the lesson's class or group on the lesson's date.
    public var studentID: StudentID
    /// The lesson the mark belongs to (урок).
    public var lessonID: LessonID
    /// The subject (учебный предмет): the lesson's subject.
    public var subjectID: SubjectID
    /// The mark (отметка): 1...5, or pass / fail / exempt; never not attested (`н/а`).
    public var value: MarkValue
    /// The weight of the mark (вес отметки), 1...10, e.g. 5 for a test, 1 for homework.
    public var weight: Int
    /// The kind of work the mark is for (вид работы).
    public var workKind: WorkKind
    /// A free-text precision of the kind of work, e.g. `контрольная работа по
    /// теме «Дроби»`, 1...200 bytes; `nil`: none.
    public var workKindNote: String?
    /// The teacher's comment to the mark (комментарий к отметке), 1...1000
    /// bytes; `nil`: none. Must not contain personal data.
    public var comment: String?
    /// The scheduled test the mark is for (контрольная работа), if any.
    public var testID: TestID?

    /// Creates the event.
    public init(
        markID: MarkID, studentID: StudentID, lessonID: LessonID, subjectID: SubjectID, value: MarkValue, weight: Int,
        workKind: WorkKind, workKindNote: String? = nil, comment: String? = nil, testID: TestID? = nil
    ) {
        self.markID = markID
        self.studentID = studentID
        self.lessonID = lessonID
        self.subjectID = subjectID
        self.value = value
        self.weight = weight
        self.workKind = workKind
        self.workKindNote = workKindNote
        self.comment = comment
        self.testID = testID
    }

    /// 2: the structured kind of work.
    public static var schemaVersion: UInt32 { 2 }

    /// `mark/<markID>`.
    package var stream: String { SchoolStream.mark(markID) }

    /// Reads the stored form of version 1 or 2, upcasting version 1's free
    /// text `kind_of_work` to a ``WorkKind`` and a note. The value is
    /// required, and in version 2 the kind of work.
    package init(stored: Schoolledger_V1_MarkRecorded, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        let workKind: WorkKind
        let note: String?
        if schemaVersion == 1 {
            let text = stored.kindOfWork
            workKind = WorkKind(commonName: text) ?? .other
            note = text.nonEmpty
        } else {
            workKind = try read.enumCase(stored.workKind, "work_kind")
            note = stored.workKindNote.nonEmpty
        }
        self.init(
            markID: MarkID(stored.markID), studentID: StudentID(stored.studentID), lessonID: LessonID(stored.lessonID),
            subjectID: SubjectID(stored.subjectID), value: try read.mark(stored.hasValue, stored.value, "value"),
            weight: Int(stored.weight), workKind: workKind, workKindNote: note, comment: stored.comment.nonEmpty,
            testID: TestID(storedOptional: stored.testID))
    }

    /// The stored form, version 2: `work_kind` and `work_kind_note` set, `kind_of_work` empty.
    package var stored: Schoolledger_V1_MarkRecorded {
        var s = Schoolledger_V1_MarkRecorded()
        s.markID = markID.rawValue
        s.studentID = studentID.rawValue
        s.lessonID = lessonID.rawValue
        s.subjectID = subjectID.rawValue
        s.value = Schoolledger_V1_MarkValue(storing: value)
        s.weight = UInt32(storing: weight)
        s.workKind = workKind.stored
        s.workKindNote = workKindNote ?? ""
        s.comment = comment ?? ""
        s.testID = testID.storedText()
        return s
    }

    /// Checks the ids, the mark (1...5, not `н/а`), the weight (1...10), the
    /// note (1...200 bytes) and the comment (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(markID, "mark_id")
        try check.id(studentID, "student_id")
        try check.id(lessonID, "lesson_id")
        try check.id(subjectID, "subject_id")
        try check.mark(value, "value", allowsNotAttested: false)
        try check.weight(weight, "weight")
        try check.text(workKindNote, "work_kind_note", maxBytes: 200)
        try check.text(comment, "comment", maxBytes: 1000, .paragraph)
        try check.id(testID, "test_id")
    }
}
