/// A student is enrolled in a class (зачисление обучающегося).
///
/// Who may record it: the class's class teacher; admin. Stream: `student/<studentID>`.
public struct StudentEnrolled: CatalogEvent {
    /// The student's id, 1...64 bytes; also the subject id of their personal data.
    public var studentID: StudentID
    /// The class enrolled in.
    public var classID: ClassID
    /// The first school day in the class.
    public var enrollmentDate: CivilDate
    /// The student's name and birth date (ФИО, дата рождения), sealed under
    /// the student's key; its subject is ``studentID``.
    public var personalData: SealedPersonalData
    /// The school's enrolment order (приказ о зачислении), 1...200 bytes; `nil`: not given.
    public var orderReference: String?

    /// Creates the event.
    public init(
        studentID: StudentID, classID: ClassID, enrollmentDate: CivilDate, personalData: SealedPersonalData,
        orderReference: String? = nil
    ) {
        self.studentID = studentID
        self.classID = classID
        self.enrollmentDate = enrollmentDate
        self.personalData = personalData
        self.orderReference = orderReference
    }

    /// `student/<studentID>`.
    package var stream: String { SchoolStream.student(studentID) }

    /// Checks the ids, the sealed data (subject is the student, 12-byte
    /// nonce, 16-byte tag) and the order reference (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(studentID, "student_id")
        try check.id(classID, "class_id")
        try check.sealed(personalData, "personal_data", subject: PersonID(studentID))
        try check.text(orderReference, "order_reference", maxBytes: 200)
    }
}
