package import EventLedger

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
package struct JournalIndexProjection: PreparingProjection {
    /// `journal-index`.
    package let name: String
    /// Version 19 (2 added the diary's and timetables' indexes, 3 the parents', 4 the outbox's, 5 schedule changes in the outbox,
    /// 6 where each person's sealed personal data is, 7 the quarantined records it skipped, 8 the rows of ``JournalRows``,
    /// 9 their lessons by target and subject, 10 the marks with their history, 11 each cell's mark with the position that
    /// first recorded it, 12 each placement with the student's attendance, 13 the history of every row, 14 the diary rows'
    /// history without their values, 15 each diary row with the position of its last change, 16 the parents' rows of ``ParentRows``, 17 the outbox's
    /// rows of ``OutboxRows``, 18 each diary row's lesson part, shared by the lesson's students, in a row of its own, 19 each
    /// placement with the student's marks in the lesson).
    package let version = 19
    /// The index keeps the history of its rows, so a query as of a past
    /// position or instant is a key-range read like a query for now.
    package let keepsHistory: Bool
    /// A diary row's two parts (the lesson's, shared by its students, and
    /// the student's own) repeat the lesson, homework, mark and attendance
    /// rows, and a placement repeats its diary row's key and the attendance
    /// row: their history keeps only when they existed, and as of the past
    /// a row changed since is composed again from the rows it repeats (the
    /// diary: ``JournalRows/diaryLesson(key:own:student:rows:)``; the
    /// analytical report reads the attendance row).
    package var historyKeepsOnlyKeys: Set<String> { Self.shared.historyKeepsOnlyKeys }
    /// The indexes.
    package var databases: [String] { Self.shared.databases }
    /// The events that add index entries (``indexes(_:)``).
    package var eventTypes: Set<String>? { Self.shared.eventTypes }

    /// The name of the journal's own index: what every query reads.
    package static let journalName = "journal-index"

    /// What every copy of the index declares, made once: each query names
    /// the index, and building these sets per call cost the diary a few
    /// microseconds.
    private static let shared = (
        historyKeepsOnlyKeys: Set(["student-lessons", "lesson-diary", "lesson-students"]),
        databases: [
            "marks-by-student", "marks-by-lesson", "lessons-by-target", "lessons-by-teacher", "students-by-class",
            "students-by-group", "groups-by-student", "groups-by-class", "streams-by-class", "finals-by-student",
            "homework-by-lesson", "tests-by-target", "periods", "parents-by-student", "accounts-by-person",
            "notification-sources", "personal-data", "quarantined",
        ] + JournalRows.databases + ParentRows.databases + OutboxRows.databases,
        eventTypes: Set(EventKind.allCases.filter(indexes).map(\.rawValue)) as Set<String>?
    )

    /// Whether the index takes events of `kind`: the read-model decision every
    /// event type needs (a new type does not compile until it is made here).
    /// The views fold what the index does not hold from the streams it names.
    static func indexes(_ kind: EventKind) -> Bool {
        switch kind {
        case .reportingPeriodDefined, .studyGroupFormed, .studyGroupMembershipChanged, .streamFormed, .studentEnrolled,
            .studentDataCorrected, .studentTransferred, .studentWithdrawn, .parentLinked, .lessonScheduled, .lessonRescheduled,
            .lessonCancelled, .substitutionAssigned, .substitutionCancelled, .lessonConducted, .testScheduled, .testRescheduled,
            .testCancelled, .homeworkAssigned, .homeworkAmended, .markRecorded, .markCorrected, .markCancelled, .finalMarkSet,
            .attendanceMarked, .attendanceCorrected, .recommendationIssued, .credentialsIssued, .notificationPreferenceSet,
            .operationsVoided, .parentUnlinked, .credentialsReset, .parentsInformedOfServices, .consentGiven, .consentWithdrawn,
            .electronicFormRefused, .diaryAcknowledged, .paperExtractIssued, .notificationDelivered, .notificationFailed, .voidsLifted,
            .accessRulesExplained:
            true
        case .schoolRegistered, .journalSettingsChanged, .academicYearOpened, .holidayPeriodDeclared, .subjectDefined,
            .classFormed, .classTeacherAssigned, .individualPlanAssigned, .teacherAssigned, .staffRoleGranted,
            .staffRoleRevoked, .finalMarkCorrected, .compromiseReported, .compromiseNoticeWithdrawn, .personalDataErased,
            .signatureKeyRegistered, .signatureKeyRevoked:
            false
        }
    }

    /// The journal's index; `name` and `keepsHistory` differ only for the
    /// benchmarks' copies (``SchoolJournal/index(named:keepsHistory:)``).
    package init(name: String = journalName, keepsHistory: Bool = true, encodedEvents: EncodedEvents? = nil) {
        self.name = name
        self.keepsHistory = keepsHistory
        self.encodedEvents = encodedEvents
    }

    /// The events the journal is appending, taken instead of decoding their records again.
    let encodedEvents: EncodedEvents?

    /// The record's event, decoded (during a rebuild, on another core ahead
    /// of the fold); `nil` for a record the school domain cannot decode.
    package func prepare(_ record: RecordView) -> SchoolEvent? {
        encodedEvents?.event(of: record) ?? EventCoding.decodedEvent(record)
    }

    /// Adds the index entries `record` implies.
    package func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        try apply(record, prepared: prepare(record), to: store)
    }

    /// Adds the index entries `record`, whose event is `event`, implies.
    /// A record the school domain cannot decode is skipped and listed in
    /// `quarantined` (position → type and reason): it never stops the model.
    package func apply(_ record: RecordView, prepared event: SchoolEvent?, to store: borrowing ProjectionStore) throws {
        guard let event else {
            let reason = QuarantinedRecord(record)?.reason ?? "does not decode"
            try store.put("quarantined", key: record.position.bigEndianKey, value: Array("\(record.type)\u{1F}\(reason)".utf8))
            return
        }
        let none: [UInt8] = []
        // What parents are notified of: marks recorded, corrected, cancelled, voids, and schedule changes.
        switch event {
        case .markRecorded, .markCorrected, .markCancelled, .operationsVoided, .lessonRescheduled, .lessonCancelled:
            try store.put("notification-sources", key: record.position.bigEndianKey, value: none)
        default:
            break
        }
        // Where each person's sealed data is, in log order (a zero-padded position sorts).
        for box in [Self.sealedBox(of: event)].compactMap({ $0 }) {
            let position = String(record.position)
            try store.put(
                "personal-data", key: RowKey.make(box.subjectID.rawValue, String(repeating: "0", count: 20 - position.count) + position),
                value: none)
        }
        switch event {
        case .markRecorded(let e):
            try store.put("marks-by-student", key: RowKey.make(e.studentID.rawValue, e.subjectID.rawValue, e.markID.rawValue), value: none)
            try store.put("marks-by-lesson", key: RowKey.make(e.lessonID.rawValue, e.markID.rawValue), value: none)
        case .lessonScheduled(let e):
            try store.put("lessons-by-target", key: Self.lessonKey(e.target, e.date, e.lessonNumber, e.lessonID), value: none)
            try store.put("lessons-by-teacher", key: Self.teacherKey(e.teacherID, e.date, e.lessonNumber, e.lessonID), value: none)
        case .lessonRescheduled(let e):
            // The target and teacher are the lesson's as it stands before this move (its row).
            if let lesson = try JournalRows.lesson(e.lessonID, rows: store) {
                try store.put(
                    "lessons-by-target", key: Self.lessonKey(lesson.target, e.newDate, e.newLessonNumber, e.lessonID), value: none)
                try store.put(
                    "lessons-by-teacher", key: Self.teacherKey(lesson.teacherID, e.newDate, e.newLessonNumber, e.lessonID), value: none)
            }
        case .substitutionAssigned(let e):
            // The lesson's date and number are its row's (a substitution moves nothing).
            if let lesson = try JournalRows.lesson(e.lessonID, rows: store) {
                try store.put(
                    "lessons-by-teacher", key: Self.teacherKey(e.substituteTeacherID, lesson.date, lesson.lessonNumber, e.lessonID),
                    value: none)
            }
        case .homeworkAssigned(let e):
            try store.put("homework-by-lesson", key: RowKey.make(e.lessonID.rawValue, e.homeworkID.rawValue), value: none)
        case .testScheduled(let e):
            try store.put("tests-by-target", key: RowKey.make(Self.targetKey(e.target), e.testID.rawValue), value: none)
        case .streamFormed(let e):
            for c in e.classIDs {
                try store.put("streams-by-class", key: RowKey.make(c.rawValue, e.teachingStreamID.rawValue), value: none)
            }
        case .studentEnrolled(let e):
            try store.put("students-by-class", key: RowKey.make(e.classID.rawValue, e.studentID.rawValue), value: none)
        case .studentTransferred(let e):
            try store.put("students-by-class", key: RowKey.make(e.toClassID.rawValue, e.studentID.rawValue), value: none)
        case .studyGroupFormed(let e):
            for s in e.studentIDs { try Self.putMember(s, of: e.groupID, store: store) }
            for c in e.classIDs { try store.put("groups-by-class", key: RowKey.make(c.rawValue, e.groupID.rawValue), value: none) }
        case .studyGroupMembershipChanged(let e):
            for s in e.addedStudentIDs { try Self.putMember(s, of: e.groupID, store: store) }
        case .finalMarkSet(let e):
            try store.put(
                "finals-by-student",
                key: RowKey.make(e.studentID.rawValue, e.periodID.rawValue, e.subjectID.rawValue, e.finalMarkID.rawValue),
                value: none)
        case .markCorrected, .markCancelled, .operationsVoided:
            break
        case .parentLinked(let e):
            try store.put("parents-by-student", key: RowKey.make(e.studentID.rawValue, e.parentID.rawValue), value: none)
        case .credentialsIssued(let e):
            try store.put("accounts-by-person", key: RowKey.make(e.personID.rawValue, e.accountID.rawValue), value: none)
        case .reportingPeriodDefined(let e):
            try store.put("periods", key: Array(e.periodID.rawValue.utf8), value: Array(e.academicYearID.rawValue.utf8))
        default:
            break
        }
        try JournalRows.apply(event, record: record, store: store)
        try ParentRows.apply(event, store: store)
        try OutboxRows.apply(event, record: record, store: store)
    }

    /// Voided operations leave the model; lifted voids come back.
    package func exclusions(in record: RecordView) throws -> ProjectionExclusions? {
        // Compared in place: this runs for every record of a rebuild.
        let type = record.typeBytes
        guard type.elementsEqual("OperationsVoided".utf8) || type.elementsEqual("VoidsLifted".utf8) else { return nil }
        switch EventCoding.decodedEvent(record) {
        case .operationsVoided(let e): return ProjectionExclusions(exclude: e.voidedPositions)
        case .voidsLifted(let e): return ProjectionExclusions(restore: e.liftedPositions)
        default: return nil
        }
    }

    /// The sealed personal data an event carries, if any.
    static func sealedBox(of event: SchoolEvent) -> SealedPersonalData? {
        switch event {
        case .studentEnrolled(let e): e.personalData
        case .studentDataCorrected(let e): e.after
        case .parentLinked(let e): e.personalData
        case .notificationPreferenceSet(let e): e.contact
        default: nil
        }
    }

    /// Removes the rows `stream` gave (see ``JournalRows``); the indexes stay,
    /// since they only name things and the rows say what holds.
    package func reset(stream: String, in store: borrowing ProjectionStore) throws {
        try JournalRows.reset(stream: stream, store: store)
    }

    private static func putMember(_ student: StudentID, of group: StudyGroupID, store: borrowing ProjectionStore) throws {
        try store.put("students-by-group", key: RowKey.make(group.rawValue, student.rawValue), value: [])
        try store.put("groups-by-student", key: RowKey.make(student.rawValue, group.rawValue), value: [])
    }

    /// `teacher, date, two-digit lesson number, lesson id`: a teacher's lessons in date order.
    static func teacherKey(_ teacher: AccountID, _ date: CivilDate, _ number: Int, _ lesson: LessonID) -> [UInt8] {
        RowKey.make(teacher.rawValue, date.description, JournalRows.twoDigits(number), lesson.rawValue)
    }

    /// `target kind:id, date, two-digit lesson number, lesson id`: a target's lessons in date order.
    static func lessonKey(_ target: TeachingTarget, _ date: CivilDate, _ number: Int, _ lesson: LessonID) -> [UInt8] {
        RowKey.make(targetKey(target), date.description, JournalRows.twoDigits(number), lesson.rawValue)
    }

    /// The target a ``targetKey(_:)`` names.
    static func target(fromKey key: String) -> TeachingTarget? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let id = String(key[key.index(after: colon)...])
        switch key[..<colon] {
        case "class": return .class(ClassID(id))
        case "group": return .group(StudyGroupID(id))
        case "stream": return .teachingStream(TeachingStreamID(id))
        case "student": return .student(StudentID(id))
        default: return nil
        }
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

extension UInt64 {
    /// Eight big-endian bytes: read-model keys that sort by number.
    var bigEndianKey: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }

    init(bigEndianKey b: UnsafeRawBufferPointer) {
        self = b.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
