/// Students join or leave a study group (корректировка списка учебной группы).
///
/// Who may record it: the class teacher of the group's owning class; admin.
/// Stream: `group/<groupID>`.
public struct StudyGroupMembershipChanged: CatalogEvent {
    /// The group.
    public var groupID: StudyGroupID
    /// Students who join from the effective date.
    public var addedStudentIDs: [StudentID]
    /// Students who leave from the effective date (they are not members on it).
    public var removedStudentIDs: [StudentID]
    /// The first day the change holds.
    public var effectiveDate: CivilDate
    /// Why (причина), 1...1000 bytes; `nil`: not given. Must not contain personal data.
    public var reason: String?

    /// Creates the event.
    public init(
        groupID: StudyGroupID, addedStudentIDs: [StudentID] = [], removedStudentIDs: [StudentID] = [], effectiveDate: CivilDate,
        reason: String? = nil
    ) {
        self.groupID = groupID
        self.addedStudentIDs = addedStudentIDs
        self.removedStudentIDs = removedStudentIDs
        self.effectiveDate = effectiveDate
        self.reason = reason
    }

    /// `group/<groupID>`.
    package var stream: String { SchoolStream.group(groupID) }

    /// Checks the ids (at least one student added or removed, none twice,
    /// none both added and removed) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(groupID, "group_id")
        try check.require(
            !addedStudentIDs.isEmpty || !removedStudentIDs.isEmpty, "added_student_ids", "",
            "must name at least one student when removed_student_ids is empty")
        try check.ids(addedStudentIDs, "added_student_ids")
        try check.ids(removedStudentIDs, "removed_student_ids")
        let added = Set(addedStudentIDs)
        for (i, id) in removedStudentIDs.enumerated() {
            try check.require(
                !added.contains(id), "removed_student_ids[\(i)]", id.rawValue, "must not also be in added_student_ids")
        }
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
