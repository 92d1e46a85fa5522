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

    /// Reads the stored form; the effective date is required.
    package init(stored: Schoolledger_V1_StudentTransferred, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            studentID: StudentID(stored.studentID), fromClassID: ClassID(stored.fromClassID), toClassID: ClassID(stored.toClassID),
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"), orderReference: stored.orderReference.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_StudentTransferred {
        var s = Schoolledger_V1_StudentTransferred()
        s.studentID = studentID.rawValue
        s.fromClassID = fromClassID.rawValue
        s.toClassID = toClassID.rawValue
        s.effectiveDate = effectiveDate.description
        s.orderReference = orderReference ?? ""
        return s
    }

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
