/// A study group is formed with its subject and members (формирование
/// учебной группы, списки учебных групп), e.g. English group 1 of 7Б.
///
/// Who may record it: the class teacher of the group's owning (first)
/// class; admin. Stream: `group/<groupID>`.
public struct StudyGroupFormed: CatalogEvent {
    /// The group's id, 1...64 bytes.
    public var groupID: StudyGroupID
    /// The class or classes the group is drawn from, at least one, none twice.
    /// The first is the owning class, whose class teacher keeps the list.
    public var classIDs: [ClassID]
    /// The subject taught to the group.
    public var subjectID: SubjectID
    /// Its name, e.g. `Английский язык, группа 1`, 1...200 bytes.
    public var name: String
    /// The students in the group from the effective date (состав группы),
    /// none twice; each must belong to one of ``classIDs`` on that date.
    public var studentIDs: [StudentID]
    /// The first day the group exists.
    public var effectiveDate: CivilDate

    /// Creates the event.
    public init(
        groupID: StudyGroupID, classIDs: [ClassID], subjectID: SubjectID, name: String, studentIDs: [StudentID],
        effectiveDate: CivilDate
    ) {
        self.groupID = groupID
        self.classIDs = classIDs
        self.subjectID = subjectID
        self.name = name
        self.studentIDs = studentIDs
        self.effectiveDate = effectiveDate
    }

    /// `group/<groupID>`.
    package var stream: String { SchoolStream.group(groupID) }

    /// Checks the ids (at least one class, no id twice) and the name (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(groupID, "group_id")
        try check.ids(classIDs, "class_ids", minimum: 1)
        try check.id(subjectID, "subject_id")
        try check.text(name, "name", maxBytes: 200)
        try check.ids(studentIDs, "student_ids")
    }
}
