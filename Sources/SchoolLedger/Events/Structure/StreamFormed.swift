/// Several classes are joined into a teaching stream for a subject (учебный
/// поток), e.g. the 10th grades' physics at the advanced level.
///
/// Who may record it: admin, deputy head. Stream: `teaching-stream/<teachingStreamID>`.
public struct StreamFormed: CatalogEvent {
    /// The teaching stream's id, 1...64 bytes (stored as `stream_id`).
    public var teachingStreamID: TeachingStreamID
    /// The academic year.
    public var academicYearID: AcademicYearID
    /// The subject taught to the stream.
    public var subjectID: SubjectID
    /// The classes in the stream, at least two, none twice.
    public var classIDs: [ClassID]
    /// Its name, e.g. `10-е классы, физика (профиль)`, 1...200 bytes.
    public var name: String
    /// The first day the stream exists.
    public var effectiveDate: CivilDate

    /// Creates the event.
    public init(
        teachingStreamID: TeachingStreamID, academicYearID: AcademicYearID, subjectID: SubjectID, classIDs: [ClassID],
        name: String, effectiveDate: CivilDate
    ) {
        self.teachingStreamID = teachingStreamID
        self.academicYearID = academicYearID
        self.subjectID = subjectID
        self.classIDs = classIDs
        self.name = name
        self.effectiveDate = effectiveDate
    }

    /// `teaching-stream/<teachingStreamID>`.
    package var stream: String { SchoolStream.teachingStream(teachingStreamID) }

    /// Reads the stored form; the effective date is required.
    package init(stored: Schoolledger_V1_StreamFormed, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            teachingStreamID: TeachingStreamID(stored.streamID), academicYearID: AcademicYearID(stored.academicYearID),
            subjectID: SubjectID(stored.subjectID), classIDs: stored.classIds.map { ClassID($0) }, name: stored.name,
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_StreamFormed {
        var s = Schoolledger_V1_StreamFormed()
        s.streamID = teachingStreamID.rawValue
        s.academicYearID = academicYearID.rawValue
        s.subjectID = subjectID.rawValue
        s.classIds = classIDs.map(\.rawValue)
        s.name = name
        s.effectiveDate = effectiveDate.description
        return s
    }

    /// Checks the ids (at least two classes, none twice) and the name (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(teachingStreamID, "stream_id")
        try check.id(academicYearID, "academic_year_id")
        try check.id(subjectID, "subject_id")
        try check.ids(classIDs, "class_ids", minimum: 2)
        try check.text(name, "name", maxBytes: 200)
    }
}
