/// A student leaves the school (выбытие обучающегося). Their marks and
/// attendance stay as the school's record.
///
/// Who may record it: admin; the student's class teacher. Stream: `student/<studentID>`.
public struct StudentWithdrawn: CatalogEvent {
    /// The student.
    public var studentID: StudentID
    /// The class left.
    public var classID: ClassID
    /// The first day the student is no longer enrolled.
    public var effectiveDate: CivilDate
    /// Why the student leaves.
    public var reason: WithdrawalReason
    /// The school's order (приказ об отчислении), 1...200 bytes; `nil`: not given.
    public var orderReference: String?

    /// Creates the event.
    public init(
        studentID: StudentID, classID: ClassID, effectiveDate: CivilDate, reason: WithdrawalReason, orderReference: String? = nil
    ) {
        self.studentID = studentID
        self.classID = classID
        self.effectiveDate = effectiveDate
        self.reason = reason
        self.orderReference = orderReference
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids and the order reference (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.id(classID, "class_id")
        try check.text(orderReference, "order_reference", maxBytes: 200)
    }
}
