import EventLedger

/// The journal's read-model indexes: which marks a student has, which marks
/// a lesson has, which lessons a class or group has on which date, who was
/// ever in a class or group, a student's final marks, and the academic year
/// of each reporting period.
///
/// The indexes only grow: they name the streams a query folds (a mark's, a
/// lesson's, a student's), and the fold reads the events the model keeps —
/// without those a breach notice voided (`OperationsVoided` excludes them,
/// `VoidsLifted` brings them back). So a void needs no index rewrite: a
/// voided mark folds to nothing, a voided move folds back to the old date.
public struct JournalIndexProjection: Projection {
    /// `journal-index`.
    public let name = "journal-index"
    /// Version 1.
    public let version = 1
    /// The indexes.
    public let databases = ["marks-by-student", "marks-by-lesson", "lessons-by-target", "students-by-class",
                            "students-by-group", "finals-by-student", "periods"]
    /// The events that add index entries, and the invalidator's.
    public let eventTypes: Set<String>? = ["MarkRecorded", "LessonScheduled", "LessonRescheduled", "StudentEnrolled",
                                           "StudentTransferred", "StudyGroupFormed", "StudyGroupMembershipChanged",
                                           "FinalMarkSet", "ReportingPeriodDefined"]

    /// The projection.
    public init() {}

    /// Adds the index entries `record` implies.
    public func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        let event = try EventCoding.entry(from: record).entry.event
        let none: [UInt8] = []
        switch event {
        case .markRecorded(let e):
            try store.put("marks-by-student", key: RowKey.make(e.studentID.rawValue, e.subjectID.rawValue, e.markID.rawValue), value: none)
            try store.put("marks-by-lesson", key: RowKey.make(e.lessonID.rawValue, e.markID.rawValue), value: none)
        case .lessonScheduled(let e):
            try store.put("lessons-by-target", key: Self.lessonKey(e.target, e.date, e.lessonNumber, e.lessonID), value: none)
        case .lessonRescheduled(let e):
            // The target comes from the lesson's first event, earlier in its stream.
            var target: TeachingTarget?
            try store.forEachRecord(inStream: SchoolStream.lesson(e.lessonID)) { view in
                if case .lessonScheduled(let s) = try EventCoding.entry(from: view).entry.event { target = s.target }
                return false
            }
            if let target {
                try store.put("lessons-by-target", key: Self.lessonKey(target, e.newDate, e.newLessonNumber, e.lessonID), value: none)
            }
        case .studentEnrolled(let e):
            try store.put("students-by-class", key: RowKey.make(e.classID.rawValue, e.studentID.rawValue), value: none)
        case .studentTransferred(let e):
            try store.put("students-by-class", key: RowKey.make(e.toClassID.rawValue, e.studentID.rawValue), value: none)
        case .studyGroupFormed(let e):
            for s in e.studentIDs { try store.put("students-by-group", key: RowKey.make(e.groupID.rawValue, s.rawValue), value: none) }
        case .studyGroupMembershipChanged(let e):
            for s in e.addedStudentIDs { try store.put("students-by-group", key: RowKey.make(e.groupID.rawValue, s.rawValue), value: none) }
        case .finalMarkSet(let e):
            try store.put("finals-by-student", key: RowKey.make(e.studentID.rawValue, e.periodID.rawValue, e.subjectID.rawValue, e.finalMarkID.rawValue),
                          value: none)
        case .reportingPeriodDefined(let e):
            try store.put("periods", key: Array(e.periodID.rawValue.utf8), value: Array(e.academicYearID.rawValue.utf8))
        default:
            break
        }
    }

    /// Voided operations leave the model; lifted voids come back.
    public func exclusions(in record: RecordView) throws -> ProjectionExclusions? {
        // Compared in place: this runs for every record of a rebuild.
        let type = record.typeBytes
        guard type.elementsEqual("OperationsVoided".utf8) || type.elementsEqual("VoidsLifted".utf8) else { return nil }
        switch try EventCoding.entry(from: record).entry.event {
        case .operationsVoided(let e): return ProjectionExclusions(exclude: e.voidedPositions)
        case .voidsLifted(let e): return ProjectionExclusions(restore: e.liftedPositions)
        default: return nil
        }
    }

    /// Nothing to remove: the indexes name streams, and folds skip voided events.
    public func reset(stream: String, in store: borrowing ProjectionStore) throws {}

    /// `target kind:id, date, two-digit lesson number, lesson id`: a target's lessons in date order.
    static func lessonKey(_ target: TeachingTarget, _ date: CivilDate, _ number: Int, _ lesson: LessonID) -> [UInt8] {
        RowKey.make(targetKey(target), date.description, number < 10 ? "0\(number)" : "\(number)", lesson.rawValue)
    }

    static func targetKey(_ target: TeachingTarget) -> String {
        switch target {
        case .class(let id): "class:\(id.rawValue)"
        case .group(let id): "group:\(id.rawValue)"
        case .teachingStream(let id): "stream:\(id.rawValue)"
        case .student(let id): "student:\(id.rawValue)"
        }
    }
}
