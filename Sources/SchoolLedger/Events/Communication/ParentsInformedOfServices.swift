/// A parent has been told that the electronic diary exists and which
/// services the system offers (информирование родителей о сервисах системы).
///
/// Who may record it: the class teacher of the student's class. Stream: `parent/<parentID>`.
public struct ParentsInformedOfServices: CatalogEvent {
    /// The parent informed.
    public var parentID: ParentID
    /// The student whose class teacher informed them.
    public var studentID: StudentID
    /// The services they were told about, at least one, none twice.
    public var services: [ParentService]

    /// Creates the event.
    public init(parentID: ParentID, studentID: StudentID, services: [ParentService]) {
        self.parentID = parentID
        self.studentID = studentID
        self.services = services
    }

    /// `parent/<parentID>`.
    package var stream: String { SchoolStream.parent(parentID) }

    /// Checks the ids and the services (at least one, none twice).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(parentID, "parent_id")
        try check.id(studentID, "student_id")
        try check.require(!services.isEmpty, "services", "", "must name at least one service")
        try check.unique(services, "services") { "\($0)" }
    }
}
