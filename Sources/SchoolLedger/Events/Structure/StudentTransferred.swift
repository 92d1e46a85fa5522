/// A student moves to another class of the school (перевод в другой класс),
/// including the yearly move to the next grade.
///
/// Who may record it: admin; the class teacher of either class. Stream: `student/<studentID>`.
public struct StudentTransferred: CatalogEvent {
    /// The student.
    public var studentID: StudentID
    /// The class left.
    public var fromClassID: ClassID
    /// The class joined; not ``fromClassID``.
    public var toClassID: ClassID
    /// The first school day in the new class.
    public var effectiveDate: CivilDate
    /// The school's order (приказ о переводе), 1...200 bytes; `nil`: not given.
    public var orderReference: String?

    /// Creates the event.
    public init(
        studentID: StudentID, fromClassID: ClassID, toClassID: ClassID, effectiveDate: CivilDate, orderReference: String? = nil
    ) {
        self.studentID = studentID
        self.fromClassID = fromClassID
        self.toClassID = toClassID
        self.effectiveDate = effectiveDate
        self.orderReference = orderReference
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids (two different classes) and the order reference (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.id(fromClassID, "from_class_id")
        try check.id(toClassID, "to_class_id")
        try check.require(toClassID != fromClassID, "to_class_id", toClassID.rawValue, "must differ from from_class_id")
        try check.text(orderReference, "order_reference", maxBytes: 200)
    }
}
