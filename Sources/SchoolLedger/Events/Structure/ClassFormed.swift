/// A class is formed for an academic year (формирование класса).
///
/// Who may record it: admin, deputy head. Stream: `class/<classID>`.
public struct ClassFormed: CatalogEvent {
    /// The class's id, 1...64 bytes.
    public var classID: ClassID
    /// The academic year it is formed for.
    public var academicYearID: AcademicYearID
    /// Its grade level (параллель), 1...11.
    public var gradeLevel: Int
    /// Its letter (литера), e.g. `Б`, 1...10 bytes; `nil`: none.
    public var letter: String?
    /// Its display name, e.g. `7Б`, 1...20 bytes.
    public var name: String

    /// Creates the event.
    public init(classID: ClassID, academicYearID: AcademicYearID, gradeLevel: Int, letter: String? = nil, name: String) {
        self.classID = classID
        self.academicYearID = academicYearID
        self.gradeLevel = gradeLevel
        self.letter = letter
        self.name = name
    }

    /// `class/<classID>`.
    package var stream: String { SchoolStream.class(classID) }

    /// Checks the ids, the grade level (1...11), the letter (1...10 bytes) and the name (1...20 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(classID, "class_id")
        try check.id(academicYearID, "academic_year_id")
        try check.number(gradeLevel, "grade_level", 1...11)
        try check.text(letter, "letter", maxBytes: 10)
        try check.text(name, "name", maxBytes: 20)
    }
}
