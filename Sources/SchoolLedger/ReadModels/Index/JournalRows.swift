import EventLedger

/// The rows of the journal model that the views read instead of folding
/// streams at every call: each lesson as it stands, each student's lessons
/// by date, the cells (attendance and marks by lesson and student), homework,
/// tests by date, recommendations, and the class and group histories the
/// lessons' students come from.
///
/// Two kinds of row, kept so that the live model, a rebuild and a fold as of
/// a past position always agree:
/// - **Stream rows** hold the fold of one stream (a lesson, a mark, a
///   homework, a test, a student's class changes, a group's members, a
///   teaching stream's classes). An event of the stream writes them again
///   from the stream's events the model keeps; ``reset(stream:store:)``
///   deletes them before the runtime folds the stream again without the
///   records a breach notice voided.
/// - **Placement rows** (`student-lessons` and its reverse `lesson-students`)
///   say which students a lesson reaches. They are a function of the stream
///   rows alone, worked out again for exactly the lessons whose rows changed:
///   a lesson moved or voided, a student whose class changed from a date on,
///   a group whose members changed.
///
/// So a void, a lifted void, a correction, a cancellation and a move touch
/// only the rows they concern, and the final rows depend only on the events
/// the model keeps, whatever order the runtime folded them in.
enum JournalRows {
    /// The databases of the rows (beside the journal index's own).
    static let databases = [
        "lesson-rows", "lesson-diary", "student-lessons", "lesson-students", "attendance", "lesson-marks", "mark-cells", "homework-rows",
        "test-rows", "tests-by-date", "class-history", "group-history", "formation-classes", "recommendations",
        "lessons-by-subject", "mark-rows",
    ]

    // MARK: Keeping the rows

    /// Writes the rows `event` (the record being applied) changes.
    static func apply(_ event: SchoolEvent, record: RecordView, store: borrowing ProjectionStore) throws {
        switch event {
        case .lessonScheduled(let e): try refreshLesson(e.lessonID, store: store)
        case .lessonRescheduled(let e): try refreshLesson(e.lessonID, store: store)
        case .lessonCancelled(let e): try refreshLesson(e.lessonID, store: store)
        case .substitutionAssigned(let e): try refreshLesson(e.lessonID, store: store)
        case .substitutionCancelled(let e): try refreshLesson(e.lessonID, store: store)
        case .lessonConducted(let e): try refreshLesson(e.lessonID, store: store)
        case .attendanceMarked(let e): try setAttendance(e.status, of: e.studentID, in: e.lessonID, store: store)
        case .attendanceCorrected(let e): try setAttendance(e.newStatus, of: e.studentID, in: e.lessonID, store: store)
        case .markRecorded(let e): try refreshMark(e.markID, store: store)
        case .markCorrected(let e): try refreshMark(e.markID, store: store)
        case .markCancelled(let e): try refreshMark(e.markID, store: store)
        case .homeworkAssigned(let e): try refreshHomework(e.homeworkID, store: store)
        case .homeworkAmended(let e): try refreshHomework(e.homeworkID, store: store)
        case .testScheduled(let e): try refreshTest(e.testID, store: store)
        case .testRescheduled(let e): try refreshTest(e.testID, store: store)
        case .testCancelled(let e): try refreshTest(e.testID, store: store)
        case .studentEnrolled(let e): try refreshClassHistory(e.studentID, store: store)
        case .studentTransferred(let e): try refreshClassHistory(e.studentID, store: store)
        case .studentWithdrawn(let e): try refreshClassHistory(e.studentID, store: store)
        case .studyGroupFormed(let e): try refreshGroup(e.groupID, store: store)
        case .studyGroupMembershipChanged(let e): try refreshGroup(e.groupID, store: store)
        case .streamFormed(let e): try refreshFormation(e.teachingStreamID, store: store)
        case .recommendationIssued(let e):
            var row = RowWriter()
            row.string(e.recommendationID.rawValue)
            row.optional(e.subjectID?.rawValue)
            row.string(e.text)
            row.int(Int(record.occurredAt.microsecondsSinceEpoch))
            row.string(record.actor)
            try store.put("recommendations", key: RowKey.make(e.studentID.rawValue, Self.sortable(record.position)), value: row.bytes)
        default:
            break
        }
    }

    /// Deletes the rows `stream` gave (and the placements that follow from
    /// them); the runtime then folds the stream's kept records again.
    static func reset(stream: String, store: borrowing ProjectionStore) throws {
        guard let slash = stream.firstIndex(of: "/") else { return }
        let id = String(stream[stream.index(after: slash)...])
        try ParentRows.reset(stream: stream[..<slash], id: id, store: store)
        switch stream[..<slash] {
        case "lesson":
            // The lesson's row goes first, and its diary rows with it.
            try refreshLesson(LessonID(id), events: [], store: store)
            try store.deleteAll("attendance", prefix: RowKey.prefix(id))
        case "mark": try refreshMark(MarkID(id), entries: [], store: store)
        case "homework": try refreshHomework(HomeworkID(id), events: [], store: store)
        case "test": try refreshTest(TestID(id), events: [], store: store)
        case "student":
            try store.deleteAll("recommendations", prefix: RowKey.prefix(id))
            try refreshClassHistory(StudentID(id), events: [], store: store)
        case "group": try refreshGroup(StudyGroupID(id), events: [], store: store)
        case "teaching-stream": try refreshFormation(TeachingStreamID(id), events: [], store: store)
        default: break
        }
    }

    /// The events of `stream` the model keeps up to the record being applied
    /// (only those of `types`, when given: the rest are not decoded).
    private static func events(_ stream: String, types: [[UInt8]]? = nil, store: borrowing ProjectionStore) throws -> [SchoolEvent] {
        var events = [SchoolEvent]()
        try store.forEachRecord(inStream: stream) { view in
            if let types {
                let type = view.typeBytes
                guard types.contains(where: { type.elementsEqual($0) }) else { return true }
            }
            if let event = EventCoding.decodedEvent(view) { events.append(event) }
            return true
        }
        return events
    }

    private static let classTypes = ["StudentEnrolled", "StudentTransferred", "StudentWithdrawn"].map { Array($0.utf8) }

    // MARK: Lessons and their placement

    private static func refreshLesson(_ id: LessonID, store: borrowing ProjectionStore) throws {
        try refreshLesson(id, events: events(SchoolStream.lesson(id), types: SchoolFolds.lessonEventTypeBytes, store: store), store: store)
    }

    private static func refreshLesson(_ id: LessonID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        let old = try store.get("lesson-rows", key: Array(id.rawValue.utf8)).flatMap { lesson(id, $0) }
        let new = SchoolFolds.lesson(events)
        guard old != new else { return }
        if let new {
            try store.put("lesson-rows", key: Array(id.rawValue.utf8), value: encode(new))
        } else {
            try store.delete("lesson-rows", key: Array(id.rawValue.utf8))
        }
        if let old { try store.delete("lessons-by-subject", key: subjectKey(old)) }
        if let new { try store.put("lessons-by-subject", key: subjectKey(new), value: []) }
        try writeLessonDiary(id, store: store)
        // Who it reaches is worked out again only when its date, number or
        // target changed: the students' rows hold only their own part.
        if let old, let new, old.date == new.date, old.lessonNumber == new.lessonNumber, old.target == new.target { return }
        try place(id, new, only: nil, store: store)
    }

    /// Works out again which students `lesson` reaches (of `only`, when
    /// given), and writes the difference: a placement for each student it
    /// reaches, none for the others.
    private static func place(
        _ id: LessonID, _ lesson: SchoolFolds.Lesson?, only: Set<StudentID>?, store: borrowing ProjectionStore
    ) throws {
        var old = [StudentID: [UInt8]]()
        if let only {
            for student in only {
                if let value = try store.get("lesson-students", key: RowKey.make(id.rawValue, student.rawValue)) {
                    old[student] = diaryKey(value)
                }
            }
        } else {
            try store.forEach("lesson-students", prefix: RowKey.prefix(id.rawValue)) { key, value in
                old[StudentID(RowKey.last(key))] = diaryKey(Array(value))
                return true
            }
        }
        let students = try lesson.map { try self.students(of: $0.target, on: $0.date, only: only, store: store) } ?? []
        for (student, key) in old {
            if let lesson, students.contains(student), key == placementKey(student, lesson) { continue }
            try store.delete("student-lessons", key: key)
            try store.delete("lesson-students", key: RowKey.make(id.rawValue, student.rawValue))
        }
        guard let lesson else { return }
        let placing = students.compactMap { student -> (StudentID, [UInt8])? in
            let key = placementKey(student, lesson)
            return old[student] == key ? nil : (student, key)
        }
        guard !placing.isEmpty else { return }
        // The lesson's marks and roll call, read once for all the students
        // placed (a new lesson reaches a whole class: one key range each,
        // not a read per student).
        var marks = [StudentID: [CellMark]](), attendance = [StudentID: AttendanceStatus]()
        for mark in try self.marks(inLesson: id, rows: store) { marks[mark.student, default: []].append(mark) }
        try store.forEach("attendance", prefix: RowKey.prefix(id.rawValue)) { key, value in
            if let status = status(Array(value)) { attendance[StudentID(RowKey.last(key))] = status }
            return true
        }
        for (student, key) in placing {
            try putOwn(id, student, diaryKey: key, marks: marks[student] ?? [], attendance: attendance[student], store: store)
        }
    }

    /// Writes the two rows that hold a student's marks and attendance in a
    /// lesson: their diary row's own part and their placement.
    private static func putOwn(
        _ id: LessonID, _ student: StudentID, diaryKey: [UInt8], marks: [CellMark], attendance: AttendanceStatus?,
        store: borrowing ProjectionStore
    ) throws {
        try store.put("student-lessons", key: diaryKey, value: studentPart(marks: marks.map(\.value.text), attendance: attendance))
        try store.put(
            "lesson-students", key: RowKey.make(id.rawValue, student.rawValue),
            value: placement(diaryKey: diaryKey, marks: marks, attendance: attendance))
    }

    /// A placement row's value: the key of the student's diary row of the
    /// lesson, the student's marks in it (value, weight and first position,
    /// in mark order, as their `lesson-marks` rows hold them), then their
    /// attendance in it (one byte, last), so that a lesson's roll with its
    /// marks is one key range.
    static func placement(diaryKey: [UInt8], marks: [CellMark], attendance: AttendanceStatus?) -> [UInt8] {
        var row = RowWriter()
        row.blob(diaryKey)
        row.int(marks.count)
        for mark in marks {
            row.string(mark.value.text)
            row.int(mark.weight)
            row.uint(mark.firstPosition)
        }
        return row.bytes + [attendanceByte(attendance)]
    }

    /// The key of the diary row a placement row names.
    static func diaryKey(_ placement: [UInt8]) -> [UInt8] {
        var row = RowReader(placement)
        return Array(row.blob())
    }

    /// Calls `body` with each mark a placement row holds (value, weight and
    /// first position, in mark order).
    static func marks(
        inPlacement placement: UnsafeRawBufferPointer, _ body: (_ value: MarkValue, _ weight: Int, _ firstPosition: UInt64) throws -> Void
    ) rethrows {
        var row = RowReader(placement)
        _ = row.blob()  // the diary row's key
        for _ in 0..<max(0, row.int()) {
            let text = row.string()
            let weight = row.int()
            let first = row.uint()
            if let value = MarkValue(text: text) { try body(value, weight, first) }
        }
    }

    /// The attendance a placement row ends with.
    static func attendance(endingWith bytes: some BidirectionalCollection<UInt8>) -> AttendanceStatus? {
        guard let last = bytes.last else { return nil }
        let value = Int(last >> 1) ^ -Int(last & 1)
        return AttendanceStatus.allCases.indices.contains(value) ? AttendanceStatus.allCases[value] : nil
    }

    /// Records a roll-call fact: its cell, and the last byte of the
    /// student's placement in the lesson and of their diary row (the roll
    /// call is most of a school's events, so both are patched in place).
    private static func setAttendance(_ status: AttendanceStatus, of student: StudentID, in id: LessonID, store: borrowing ProjectionStore)
        throws
    {
        let cell = RowKey.make(id.rawValue, student.rawValue)
        try store.put("attendance", key: cell, value: [code(status)])
        guard var placement = try store.get("lesson-students", key: cell), !placement.isEmpty else { return }
        placement[placement.count - 1] = attendanceByte(status)
        try store.put("lesson-students", key: cell, value: placement)
        let key = diaryKey(placement)
        guard var row = try store.get("student-lessons", key: key), !row.isEmpty else { return }
        row[row.count - 1] = attendanceByte(status)
        try store.put("student-lessons", key: key, value: row)
    }

    /// The last field of a placement and of a diary row: the attendance code
    /// as a one-byte zig-zag varint (`nil`, written as -1, is 1).
    static func attendanceByte(_ status: AttendanceStatus?) -> UInt8 {
        var row = RowWriter()
        row.int(status.map { Int(code($0)) } ?? -1)
        return row.bytes[0]
    }

    // MARK: The diary's rows
    //
    // A student's diary row of a lesson is two parts. What every student of
    // the lesson sees (the lesson as it stands and its homework) is one
    // `lesson-diary` row per lesson, so a topic, a move or a homework writes
    // one row, not one per student the lesson reaches (that was 42 % of the
    // journal's append cost). The student's own part (their marks and
    // attendance) is the value of their `student-lessons` row.

    /// Writes again the part of `lesson`'s diary rows its students share.
    private static func writeLessonDiary(_ id: LessonID, store: borrowing ProjectionStore) throws {
        let key = Array(id.rawValue.utf8)
        if let row = try lessonDiary(id, rows: store) {
            try store.put("lesson-diary", key: key, value: row)
        } else {
            _ = try store.delete("lesson-diary", key: key)
        }
    }

    /// The part of `lesson`'s diary rows its students share, from the lesson
    /// and homework rows as they stand in `rows`; `nil` without the lesson.
    private static func lessonDiary(_ id: LessonID, rows: borrowing some RowSource & ~Copyable) throws -> [UInt8]? {
        guard let lesson = try lesson(id, rows: rows) else { return nil }
        var row = RowWriter()
        row.date(lesson.date)
        row.int(lesson.lessonNumber)
        row.string(lesson.subjectID.rawValue)
        row.string(lesson.teacherID.rawValue)
        row.optional(lesson.substituteID?.rawValue)
        row.bool(lesson.isMoved)
        row.bool(lesson.isCancelled)
        row.optional(lesson.topic)
        let homework = try homework(inLesson: id, rows: rows)
        row.int(homework.count)
        for h in homework {
            row.string(h.homeworkID.rawValue)
            row.string(h.text)
            row.date(h.dueDate)
        }
        return row.bytes
    }

    /// A student's own part of their diary row of a lesson: their marks (in
    /// mark order), then their attendance in one byte, last, which a
    /// roll-call fact patches in place (see `setAttendance`).
    private static func studentPart(_ id: LessonID, _ student: StudentID, rows: borrowing some RowSource & ~Copyable) throws -> [UInt8] {
        let (marks, attendance) = try own(id, student, rows: rows)
        return studentPart(marks: marks.map(\.value.text), attendance: attendance)
    }

    /// The student's marks in a lesson (in mark order) and their attendance in it, from the rows.
    private static func own(_ id: LessonID, _ student: StudentID, rows: borrowing some RowSource & ~Copyable) throws -> (
        [CellMark], AttendanceStatus?
    ) {
        let marks = try self.marks(inLesson: id, student: student, rows: rows)
        return (marks, try rows.get("attendance", key: RowKey.make(id.rawValue, student.rawValue)).flatMap(status))
    }

    /// A student's own part from their marks' values (in mark order) and attendance.
    private static func studentPart(marks: [String], attendance: AttendanceStatus?) -> [UInt8] {
        var row = RowWriter()
        row.int(marks.count)
        for mark in marks { row.string(mark) }
        return row.bytes + [attendanceByte(attendance)]
    }

    /// Writes again the student's part of their diary row of `lesson` and
    /// their placement in it (both hold their marks), if the lesson reaches them.
    private static func refreshStudentPart(_ id: LessonID, _ student: StudentID, store: borrowing ProjectionStore) throws {
        guard let key = try store.get("lesson-students", key: RowKey.make(id.rawValue, student.rawValue)).map(diaryKey) else { return }
        let (marks, attendance) = try own(id, student, rows: store)
        try putOwn(id, student, diaryKey: key, marks: marks, attendance: attendance, store: store)
    }

    /// The diary row under `key` (of `student`'s diary), its value `own`: the
    /// lesson's shared part and the student's own, as they stand in `rows`
    /// (now or as of a past position). Both parts repeat other rows, so the
    /// history of `lesson-diary` and `student-lessons` keeps only which rows
    /// existed: as of the past a row changed since comes with an empty value
    /// and is composed again from the rows it repeats, as they stood.
    static func diaryLesson(
        key: UnsafeRawBufferPointer, own: UnsafeRawBufferPointer, student: StudentID, rows: borrowing some RowSource & ~Copyable
    ) throws -> DiaryLesson? {
        let id = LessonID(RowKey.last(key))
        guard var shared = try rows.get("lesson-diary", key: Array(id.rawValue.utf8)) else { return nil }
        if shared.isEmpty {
            guard let composed = try lessonDiary(id, rows: rows) else { return nil }
            shared = composed
        }
        var lesson = RowReader(shared)
        guard let date = lesson.date() else { return nil }
        let number = lesson.int()
        let subject = SubjectID(lesson.string())
        let teacher = AccountID(lesson.string())
        let substitute = lesson.optional().map { AccountID($0) }
        let moved = lesson.bool()
        let cancelled = lesson.bool()
        let topic = lesson.optional()
        var homework = [DiaryHomework]()
        for _ in 0..<max(0, lesson.int()) {
            let hid = HomeworkID(lesson.string())
            let text = lesson.string()
            guard let due = lesson.date() else { return nil }
            homework.append(DiaryHomework(homeworkID: hid, text: text, dueDate: due))
        }
        var mine = RowReader(own.isEmpty ? try studentPart(id, student, rows: rows) : Array(own))
        let marks = (0..<max(0, mine.int())).compactMap { _ in MarkValue(text: mine.string()) }
        let attendance = mine.int()
        return DiaryLesson(
            lessonID: id, date: date, lessonNumber: number, subjectID: subject, teacherID: teacher, substituteID: substitute,
            isMoved: moved, isCancelled: cancelled, topic: topic, homework: homework, marks: marks,
            attendance: attendance >= 0 ? status([UInt8(truncatingIfNeeded: attendance)]) : nil)
    }

    /// The homework set in a lesson, amendments applied, from the homework rows, in homework order.
    static func homework(inLesson lesson: LessonID, rows: borrowing some RowSource & ~Copyable) throws -> [DiaryHomework] {
        var ids = [String]()
        try rows.forEach("homework-by-lesson", prefix: RowKey.prefix(lesson.rawValue), from: nil) { key, _ in
            ids.append(RowKey.parts(key).last ?? "")
            return true
        }
        return try ids.compactMap { id -> DiaryHomework? in
            guard let bytes = try rows.get("homework-rows", key: Array(id.utf8)) else { return nil }
            var row = RowReader(bytes)
            guard row.string() == lesson.rawValue else { return nil }
            let text = row.string()
            return row.date().map { DiaryHomework(homeworkID: HomeworkID(id), text: text, dueDate: $0) }
        }
    }

    /// A mark as its cell shows it: the value, its weight, and the position
    /// that first recorded it (what orders a student's marks of one date).
    struct CellMark {
        var student: StudentID
        var value: MarkValue
        var weight: Int
        var firstPosition: UInt64
    }

    /// The marks given in a lesson (to `student`, when given) as the cells
    /// show them, not cancelled, in mark order, from the rows.
    static func marks(inLesson lesson: LessonID, student: StudentID? = nil, rows: borrowing some RowSource & ~Copyable) throws
        -> [CellMark]
    {
        var marks = [CellMark]()
        let prefix = student.map { RowKey.prefix(lesson.rawValue, $0.rawValue) } ?? RowKey.prefix(lesson.rawValue)
        try rows.forEach("lesson-marks", prefix: prefix, from: nil) { key, value in
            var row = RowReader(Array(value))
            // `lesson, student, mark`: three parts.
            if key.count(where: { $0 == 0 }) == 2, let student = RowKey.part(1, of: key), let mark = MarkValue(text: row.string()) {
                let weight = row.int()
                marks.append(CellMark(student: StudentID(student), value: mark, weight: weight, firstPosition: row.uint()))
            }
            return true
        }
        return marks
    }

    /// `target, subject, date, two-digit lesson number, lesson`: the lessons
    /// of a journal page in date order, as they stand (one key each).
    static func subjectKey(_ lesson: SchoolFolds.Lesson) -> [UInt8] {
        RowKey.make(
            JournalIndexProjection.targetKey(lesson.target), lesson.subjectID.rawValue, lesson.date.description,
            twoDigits(lesson.lessonNumber),
            lesson.lessonID.rawValue)
    }

    /// `student, date, two-digit lesson number, lesson`: a student's lessons in date order.
    static func placementKey(_ student: StudentID, _ lesson: SchoolFolds.Lesson) -> [UInt8] {
        RowKey.make(student.rawValue, lesson.date.description, twoDigits(lesson.lessonNumber), lesson.lessonID.rawValue)
    }

    private static func students(of target: TeachingTarget, on date: CivilDate, only: Set<StudentID>?, store: borrowing ProjectionStore)
        throws -> Set<StudentID>
    {
        try students(of: target, on: [date], only: only, rows: store)
    }

    /// The students taught as `target` on any of `dates` (of `only`, when
    /// given), from the rows: the student themselves, the class's students
    /// by their class history, a teaching stream's classes', a group's members.
    static func students(
        of target: TeachingTarget, on dates: [CivilDate], only: Set<StudentID>?, rows: borrowing some RowSource & ~Copyable
    ) throws -> Set<StudentID> {
        switch target {
        case .student(let id):
            return only == nil || only!.contains(id) ? [id] : []
        case .class(let id):
            return try classStudents([id], on: dates, only: only, rows: rows)
        case .teachingStream(let id):
            let classes = try rows.get("formation-classes", key: Array(id.rawValue.utf8)).map(decodeIDs) ?? []
            return try classStudents(classes.map { ClassID($0) }, on: dates, only: only, rows: rows)
        case .group(let id):
            let changes = try rows.get("group-history", key: Array(id.rawValue.utf8)).map(decodeMembership) ?? []
            let members = dates.reduce(into: Set<StudentID>()) { $0.formUnion(SchoolFolds.members(changes, on: $1)) }
            return only.map { members.intersection($0) } ?? members
        }
    }

    /// Everyone ever in a class, with their class histories: read once,
    /// asked for many dates.
    struct ClassMembers {
        let classID: ClassID
        let histories: [(StudentID, [SchoolFolds.ClassChange])]

        /// The students in the class on any of `dates`.
        func students(on dates: [CivilDate]) -> Set<StudentID> {
            Set(histories.lazy.filter { _, changes in dates.contains { SchoolFolds.classOf(changes, on: $0) == classID } }.map(\.0))
        }
    }

    /// Walks the rows of `db` under `lesson` (keys `lesson, student, …`,
    /// in student order) beside `students` (UTF-8 ids in byte order), and
    /// calls `body` with the index in `students` of each row's student, the
    /// rest of the key after the student, and the value. A merge of two
    /// sorted lists: no student id is made or hashed (the class report's hot loop).
    static func walk(
        _ db: String, lesson: LessonID, students: [[UInt8]], rows: borrowing some RowSource & ~Copyable,
        _ body: (Int, UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let prefix = RowKey.prefix(lesson.rawValue)
        var next = 0
        try rows.forEach(db, prefix: prefix, from: nil) { key, value in
            let rest = UnsafeRawBufferPointer(rebasing: key[prefix.count...])
            let end = rest.firstIndex(of: 0) ?? rest.count
            let student = UnsafeRawBufferPointer(rebasing: rest[..<end])
            var order = 0
            while next < students.count {
                order = students[next].withUnsafeBytes { $0.compareBytes(student) }
                guard order < 0 else { break }
                next += 1
            }
            guard next < students.count else { return false }
            if order == 0 { try body(next, UnsafeRawBufferPointer(rebasing: rest[end...]), value) }
            return true
        }
    }

    /// Walks the marks of `lesson` (`lesson-marks` rows: `lesson, student,
    /// mark`) beside `students` as ``walk(_:lesson:students:rows:_:)`` does,
    /// calling `body` with the student's index and each mark's value, weight
    /// and first position, in mark order.
    static func walkMarks(
        lesson: LessonID, students: [[UInt8]], rows: borrowing some RowSource & ~Copyable,
        _ body: (_ student: Int, _ value: MarkValue, _ weight: Int, _ firstPosition: UInt64) throws -> Void
    ) throws {
        try walk("lesson-marks", lesson: lesson, students: students, rows: rows) { n, rest, value in
            guard rest.count > 1, rest.dropFirst().firstIndex(of: 0) == nil else { return }
            var reader = RowReader(value)
            guard let mark = MarkValue(text: reader.string()) else { return }
            let weight = reader.int()
            try body(n, mark, weight, reader.uint())
        }
    }

    /// The students a class ever had (of `only`, when given), with their class histories, from the rows.
    static func classMembers(_ classID: ClassID, only: Set<StudentID>? = nil, rows: borrowing some RowSource & ~Copyable) throws
        -> ClassMembers
    {
        var candidates = only ?? []
        if only == nil {
            try rows.forEach("students-by-class", prefix: RowKey.prefix(classID.rawValue), from: nil) { key, _ in
                candidates.insert(StudentID(RowKey.last(key)))
                return true
            }
        }
        return ClassMembers(classID: classID, histories: try candidates.map { ($0, try classChanges(of: $0, rows: rows)) })
    }

    private static func classStudents(
        _ classes: [ClassID], on dates: [CivilDate], only: Set<StudentID>?, rows: borrowing some RowSource & ~Copyable
    ) throws -> Set<StudentID> {
        try classes.reduce(into: Set<StudentID>()) { $0.formUnion(try classMembers($1, only: only, rows: rows).students(on: dates)) }
    }

    static func encode(_ mark: JournalMark) -> [UInt8] {
        var row = RowWriter()
        row.string(mark.studentID.rawValue)
        row.string(mark.lessonID.rawValue)
        row.string(mark.subjectID.rawValue)
        row.string(mark.value.text)
        row.int(mark.weight)
        row.int(WorkKind.allCases.firstIndex(of: mark.workKind) ?? 0)
        row.bool(mark.isCancelled)
        row.int(mark.history.count)
        for change in mark.history {
            row.int(change.kind == .recorded ? 0 : change.kind == .corrected ? 1 : 2)
            row.uint(change.position)
            row.int(Int(change.recordedAt.microsecondsSinceEpoch))
            row.string(change.actor.rawValue)
            row.optional(change.before?.text)
            row.optional(change.after?.text)
            row.optional(change.reason)
        }
        return row.bytes
    }

    /// The mark as it stands with its history, dated by its lesson's current
    /// date; `nil` when the mark or its lesson does not stand.
    static func mark(_ id: MarkID, rows: borrowing some RowSource & ~Copyable) throws -> JournalMark? {
        guard let bytes = try rows.get("mark-rows", key: Array(id.rawValue.utf8)) else { return nil }
        var row = RowReader(bytes)
        let student = StudentID(row.string())
        let lessonID = LessonID(row.string())
        let subject = SubjectID(row.string())
        guard let value = MarkValue(text: row.string()) else { return nil }
        let weight = row.int()
        let kind = row.int()
        let cancelled = row.bool()
        var history = [MarkChange]()
        for _ in 0..<max(0, row.int()) {
            let kind: MarkChange.Kind = [.recorded, .corrected, .cancelled][min(2, max(0, row.int()))]
            let position = row.uint()
            let recordedAt = Instant(microsecondsSinceEpoch: Int64(row.int()))
            let actor = AccountID(row.string())
            let before = row.optional().flatMap { MarkValue(text: $0) }
            let after = row.optional().flatMap { MarkValue(text: $0) }
            history.append(
                MarkChange(
                    kind: kind, position: position, recordedAt: recordedAt, actor: actor, before: before, after: after,
                    reason: row.optional()))
        }
        guard let lesson = try lesson(lessonID, rows: rows) else { return nil }
        return JournalMark(
            markID: id, studentID: student, lessonID: lessonID, subjectID: subject, date: lesson.date, value: value, weight: weight,
            workKind: WorkKind.allCases.indices.contains(kind) ? WorkKind.allCases[kind] : .other, isCancelled: cancelled, history: history)
    }

    /// The students a lesson reaches, from its placement rows.
    static func placed(_ lesson: LessonID, rows: borrowing some RowSource & ~Copyable) throws -> Set<StudentID> {
        var students = Set<StudentID>()
        try rows.forEach("lesson-students", prefix: RowKey.prefix(lesson.rawValue), from: nil) { key, _ in
            students.insert(StudentID(RowKey.last(key)))
            return true
        }
        return students
    }

    /// A student's class changes, from their row.
    static func classChanges(of student: StudentID, rows: borrowing some RowSource & ~Copyable) throws -> [SchoolFolds.ClassChange] {
        try rows.get("class-history", key: Array(student.rawValue.utf8)).map(decodeClassChanges) ?? []
    }

    /// The lesson's row, if the lesson stands (scheduled, and not voided).
    static func lesson(_ id: LessonID, rows: borrowing some RowSource & ~Copyable) throws -> SchoolFolds.Lesson? {
        try rows.get("lesson-rows", key: Array(id.rawValue.utf8)).flatMap { lesson(id, $0) }
    }

    /// Places again, for `only` (or all students), every lesson of `target`
    /// dated `from` on.
    private static func placeLessons(of target: TeachingTarget, from: CivilDate, only: Set<StudentID>?, store: borrowing ProjectionStore)
        throws
    {
        var seen = Set<LessonID>()
        var lessons = [(LessonID, SchoolFolds.Lesson)]()
        try store.forEach("lessons-by-target", prefix: RowKey.prefix(JournalIndexProjection.targetKey(target))) { key, _ in
            let parts = RowKey.parts(key)
            guard parts.count == 4, let date = CivilDate(parts[1]), date >= from else { return true }
            let id = LessonID(parts[3])
            if seen.insert(id).inserted, let bytes = try store.get("lesson-rows", key: Array(id.rawValue.utf8)),
                let lesson = lesson(id, bytes), lesson.date >= from
            {
                lessons.append((id, lesson))
            }
            return true
        }
        for (id, lesson) in lessons { try place(id, lesson, only: only, store: store) }
    }

    // MARK: Histories

    private static func refreshClassHistory(_ student: StudentID, store: borrowing ProjectionStore) throws {
        try refreshClassHistory(student, events: events(SchoolStream.student(student), types: classTypes, store: store), store: store)
    }

    private static func refreshClassHistory(_ student: StudentID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        let old = try store.get("class-history", key: Array(student.rawValue.utf8)).map(decodeClassChanges) ?? []
        let new = SchoolFolds.classChanges(events)
        guard
            let from = try writeHistory(
                "class-history", student.rawValue, old: old, new: new, store: store,
                { row, change in
                    row.optional(change.classID?.rawValue)
                })
        else { return }
        var targets = [TeachingTarget]()
        for classID in Set((old + new).compactMap(\.classID)).sorted() {
            targets.append(.class(classID))
            try store.forEach("streams-by-class", prefix: RowKey.prefix(classID.rawValue)) { key, _ in
                targets.append(.teachingStream(TeachingStreamID(RowKey.parts(key).last ?? "")))
                return true
            }
        }
        for target in targets { try placeLessons(of: target, from: from, only: [student], store: store) }
    }

    private static func refreshGroup(_ group: StudyGroupID, store: borrowing ProjectionStore) throws {
        try refreshGroup(group, events: events(SchoolStream.group(group), store: store), store: store)
    }

    private static func refreshGroup(_ group: StudyGroupID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        let old = try store.get("group-history", key: Array(group.rawValue.utf8)).map(decodeMembership) ?? []
        let new = SchoolFolds.membershipChanges(events)
        guard
            let from = try writeHistory(
                "group-history", group.rawValue, old: old, new: new, store: store,
                { row, change in
                    row.bool(change.startsAfresh)
                    row.ids(change.added.map(\.rawValue))
                    row.ids(change.removed.map(\.rawValue))
                })
        else { return }
        try placeLessons(of: .group(group), from: from, only: nil, store: store)
    }

    private static func refreshFormation(_ stream: TeachingStreamID, store: borrowing ProjectionStore) throws {
        try refreshFormation(stream, events: events(SchoolStream.teachingStream(stream), store: store), store: store)
    }

    private static func refreshFormation(_ stream: TeachingStreamID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        let key = Array(stream.rawValue.utf8)
        let old = try store.get("formation-classes", key: key).map(decodeIDs) ?? []
        let new = SchoolFolds.classes(ofFormation: events).map(\.rawValue)
        guard old != new else { return }
        if new.isEmpty {
            try store.delete("formation-classes", key: key)
        } else {
            var row = RowWriter()
            row.ids(new)
            try store.put("formation-classes", key: key, value: row.bytes)
        }
        try placeLessons(of: .teachingStream(stream), from: CivilDate(year: 1, month: 1, day: 1)!, only: nil, store: store)
    }

    /// Writes a history row (`new`, each change's date then `fields`) when it
    /// differs from `old`; returns the date from which the two may answer
    /// differently, or `nil` when nothing changed.
    private static func writeHistory<C: Equatable & Dated>(
        _ db: String, _ id: String, old: [C], new: [C], store: borrowing ProjectionStore, _ fields: (inout RowWriter, C) -> Void
    ) throws -> CivilDate? {
        guard let from = firstDifference(old, new, date: \.date) else { return nil }
        if new.isEmpty {
            try store.delete(db, key: Array(id.utf8))
        } else {
            var row = RowWriter()
            row.int(new.count)
            for change in new {
                row.date(change.date)
                fields(&row, change)
            }
            try store.put(db, key: Array(id.utf8), value: row.bytes)
        }
        return from
    }

    /// The earliest date from which two change lists (each in effective
    /// order) may answer differently, or `nil` when they are equal: before
    /// the first entry where they differ, both hold the same changes.
    static func firstDifference<C: Equatable>(_ a: [C], _ b: [C], date: KeyPath<C, CivilDate>) -> CivilDate? {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : nil
            let y = i < b.count ? b[i] : nil
            if x != y { return [x?[keyPath: date], y?[keyPath: date]].compactMap { $0 }.min() }
        }
        return nil
    }

    // MARK: Marks, homework, tests

    private static func refreshMark(_ id: MarkID, store: borrowing ProjectionStore) throws {
        var entries = [RecordedJournalEntry]()
        try store.forEachRecord(inStream: SchoolStream.mark(id)) { view in
            if let entry = EventCoding.decodedEntry(view) { entries.append(entry) }
            return true
        }
        try refreshMark(id, entries: entries, store: store)
    }

    /// The mark's row (its latest recording with the corrections and
    /// cancellation after it, and their history) and its cell.
    private static func refreshMark(_ id: MarkID, entries: [RecordedJournalEntry], store: borrowing ProjectionStore) throws {
        var mark: JournalMark?
        for recorded in entries {
            let change = { (kind: MarkChange.Kind, before: MarkValue?, after: MarkValue?, reason: String?) in
                MarkChange(
                    kind: kind, position: recorded.position, recordedAt: recorded.recordedAt, actor: recorded.entry.actor,
                    before: before, after: after, reason: reason)
            }
            switch recorded.entry.event {
            case .markRecorded(let e):
                // A mark recorded again under its id starts afresh, as in the mark's fold.
                mark = JournalMark(
                    markID: e.markID, studentID: e.studentID, lessonID: e.lessonID, subjectID: e.subjectID,
                    date: CivilDate(year: 1, month: 1, day: 1)!,
                    value: e.value, weight: e.weight, workKind: e.workKind, isCancelled: false,
                    history: [change(.recorded, nil, e.value, nil)])
            case .markCorrected(let e):
                let before = mark?.value
                mark?.history.append(change(.corrected, before, e.newValue, e.reason))
                mark?.value = e.newValue
            case .markCancelled(let e):
                let before = mark?.value
                mark?.history.append(change(.cancelled, before, nil, e.reason))
                mark?.isCancelled = true
            default: break
            }
        }
        if let mark {
            try store.put("mark-rows", key: Array(id.rawValue.utf8), value: encode(mark))
        } else {
            try store.delete("mark-rows", key: Array(id.rawValue.utf8))
        }
        let cell = mark.map {
            (lesson: $0.lessonID, student: $0.studentID, value: $0.value, weight: $0.weight, firstPosition: $0.history.first?.position ?? 0)
        }
        let cancelled = mark?.isCancelled ?? false
        let idKey = Array(id.rawValue.utf8)
        var touched = [(LessonID, StudentID)]()
        if let old = try store.get("mark-cells", key: idKey) {
            try store.delete("lesson-marks", key: old + [0] + idKey)
            try store.delete("mark-cells", key: idKey)
            let parts = old.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if parts.count == 2 { touched.append((LessonID(parts[0]), StudentID(parts[1]))) }
        }
        if let cell, !cancelled {
            let prefix = RowKey.make(cell.lesson.rawValue, cell.student.rawValue)
            var row = RowWriter()
            row.string(cell.value.text)
            row.int(cell.weight)
            row.uint(cell.firstPosition)
            try store.put("lesson-marks", key: prefix + [0] + idKey, value: row.bytes)
            try store.put("mark-cells", key: idKey, value: prefix)
            touched.append((cell.lesson, cell.student))
        }
        for (lesson, student) in touched { try refreshStudentPart(lesson, student, store: store) }
    }

    private static func refreshHomework(_ id: HomeworkID, store: borrowing ProjectionStore) throws {
        try refreshHomework(id, events: events(SchoolStream.homework(id), store: store), store: store)
    }

    private static func refreshHomework(_ id: HomeworkID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        var homework: (lesson: LessonID, row: DiaryHomework)?
        for event in events {
            switch event {
            case .homeworkAssigned(let e):
                homework = (e.lessonID, DiaryHomework(homeworkID: e.homeworkID, text: e.text, dueDate: e.dueDate))
            case .homeworkAmended(let e):
                homework?.row.text = e.text
                homework?.row.dueDate = e.dueDate
            default: break
            }
        }
        let key = Array(id.rawValue.utf8)
        var lessons = Set<LessonID>()
        if let old = try store.get("homework-rows", key: key) {
            var row = RowReader(old)
            lessons.insert(LessonID(row.string()))
        }
        if let homework {
            var row = RowWriter()
            row.string(homework.lesson.rawValue)
            row.string(homework.row.text)
            row.date(homework.row.dueDate)
            try store.put("homework-rows", key: key, value: row.bytes)
            lessons.insert(homework.lesson)
        } else {
            try store.delete("homework-rows", key: key)
        }
        for lesson in lessons.sorted() { try writeLessonDiary(lesson, store: store) }
    }

    private static func refreshTest(_ id: TestID, store: borrowing ProjectionStore) throws {
        try refreshTest(id, events: events(SchoolStream.test(id), store: store), store: store)
    }

    private static func refreshTest(_ id: TestID, events: [SchoolEvent], store: borrowing ProjectionStore) throws {
        var test: (target: TeachingTarget, row: ScheduledTest)?
        var cancelled = false
        for event in events {
            switch event {
            case .testScheduled(let e):
                test = (
                    e.target, ScheduledTest(testID: e.testID, subjectID: e.subjectID, date: e.date, workKind: e.workKind, topic: e.topic)
                )
                cancelled = false
            case .testRescheduled(let e): test?.row.date = e.newDate
            case .testCancelled: cancelled = true
            default: break
            }
        }
        let idKey = Array(id.rawValue.utf8)
        if let old = try store.get("test-rows", key: idKey) {
            try store.delete("tests-by-date", key: old)
            try store.delete("test-rows", key: idKey)
        }
        guard let test, !cancelled else { return }
        let key = RowKey.make(JournalIndexProjection.targetKey(test.target), test.row.date.description, id.rawValue)
        var row = RowWriter()
        row.string(test.row.subjectID.rawValue)
        row.int(WorkKind.allCases.firstIndex(of: test.row.workKind) ?? 0)
        row.optional(test.row.topic)
        try store.put("tests-by-date", key: key, value: row.bytes)
        try store.put("test-rows", key: idKey, value: key)
    }

    // MARK: Row forms

    static func code(_ status: AttendanceStatus) -> UInt8 { UInt8(AttendanceStatus.allCases.firstIndex(of: status) ?? 0) }

    static func status(_ bytes: [UInt8]) -> AttendanceStatus? {
        bytes.first.flatMap { Int($0) < AttendanceStatus.allCases.count ? AttendanceStatus.allCases[Int($0)] : nil }
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A position as 20 decimal digits: keys that sort by it.
    static func sortable(_ position: UInt64) -> String {
        let digits = String(position)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }

    static func encode(_ lesson: SchoolFolds.Lesson) -> [UInt8] {
        var row = RowWriter()
        row.string(lesson.subjectID.rawValue)
        row.string(JournalIndexProjection.targetKey(lesson.target))
        row.string(lesson.teacherID.rawValue)
        row.date(lesson.date)
        row.int(lesson.lessonNumber)
        row.date(lesson.scheduledDate)
        row.int(lesson.scheduledNumber)
        row.bool(lesson.isCancelled)
        row.optional(lesson.substituteID?.rawValue)
        row.optional(lesson.topic)
        return row.bytes
    }

    /// The lesson row of `id`; `nil` for a row this version cannot read.
    static func lesson(_ id: LessonID, _ bytes: [UInt8]) -> SchoolFolds.Lesson? {
        var row = RowReader(bytes)
        let subject = SubjectID(row.string())
        guard let target = JournalIndexProjection.target(fromKey: row.string()) else { return nil }
        let teacher = AccountID(row.string())
        guard let date = row.date() else { return nil }
        let number = row.int()
        guard let scheduledDate = row.date() else { return nil }
        let scheduledNumber = row.int()
        let cancelled = row.bool()
        let substitute = row.optional().map { AccountID($0) }
        let topic = row.optional()
        return SchoolFolds.Lesson(
            lessonID: id, subjectID: subject, target: target, teacherID: teacher, date: date, lessonNumber: number,
            scheduledDate: scheduledDate, scheduledNumber: scheduledNumber, isCancelled: cancelled, substituteID: substitute,
            topic: topic)
    }

    static func decodeClassChanges(_ bytes: [UInt8]) -> [SchoolFolds.ClassChange] {
        var row = RowReader(bytes)
        return (0..<max(0, row.int())).compactMap { _ in
            let date = row.date()
            let classID = row.optional().map { ClassID($0) }
            return date.map { SchoolFolds.ClassChange(date: $0, classID: classID) }
        }
    }

    static func decodeMembership(_ bytes: [UInt8]) -> [SchoolFolds.MembershipChange] {
        var row = RowReader(bytes)
        return (0..<max(0, row.int())).compactMap { _ in
            let date = row.date()
            let afresh = row.bool()
            let added = row.ids().map { StudentID($0) }
            let removed = row.ids().map { StudentID($0) }
            return date.map { SchoolFolds.MembershipChange(date: $0, startsAfresh: afresh, added: added, removed: removed) }
        }
    }

    static func decodeIDs(_ bytes: [UInt8]) -> [String] {
        var row = RowReader(bytes)
        return row.ids()
    }
}

/// What rows are read through: the store while the model is written, the
/// reader while it is queried. One set of row reads serves both.
protocol RowSource: ~Copyable {
    /// A copy of the value under `key`, or `nil`.
    func get(_ db: String, key: [UInt8]) throws -> [UInt8]?
    /// Each key and value under `prefix`, from `start` when given, until `body` returns `false`.
    func forEach(
        _ db: String, prefix: [UInt8], from start: [UInt8]?, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws
}

extension ProjectionStore: RowSource {}
extension ProjectionReader: RowSource {}

/// A change that takes effect on a date (a class or membership change).
protocol Dated {
    var date: CivilDate { get }
}

extension SchoolFolds.ClassChange: Dated {}
extension SchoolFolds.MembershipChange: Dated {}

extension RowWriter {
    /// A date as one number, `yyyymmdd`.
    mutating func date(_ d: CivilDate) { int(d.year * 10_000 + d.month * 100 + d.day) }

    /// A count, then each string.
    mutating func ids(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }
}

extension RowReader {
    mutating func date() -> CivilDate? {
        let n = int()
        return CivilDate(year: n / 10_000, month: n / 100 % 100, day: n % 100)
    }

    mutating func ids() -> [String] { (0..<max(0, min(int(), 1 << 20))).map { _ in string() } }
}
