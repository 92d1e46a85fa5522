import EventLedger

/// What the reference rules need to know about the school, read from the
/// ledger's streams on demand and kept up to date with the entries of the
/// call being checked.
///
/// Each stream is read once (its events decoded and upcast) and its version
/// remembered in ``versionsRead``, so that the append can pin it.
struct JournalFacts {
    private var streams = [String: [SchoolEvent]]()
    private(set) var versionsRead = [String: UInt64]()
    private var yearsLoaded = false

    /// The events of `stream`: the stored ones, then those of this call.
    mutating func events(in stream: String, reader: borrowing LedgerReader) throws -> [SchoolEvent] {
        if let cached = streams[stream] { return cached }
        var events = [SchoolEvent]()
        var version: UInt64 = 0
        try reader.forEach(inStream: stream) { view in
            events.append(try EventCoding.entry(from: view).entry.event)
            version = view.streamVersion
            return true
        }
        streams[stream] = events
        versionsRead[stream] = version
        return events
    }

    /// Adds an entry of this call, so later entries of the call see it.
    mutating func apply(_ entry: JournalEntry, reader: borrowing LedgerReader) throws {
        let stream = entry.event.stream
        _ = try events(in: stream, reader: reader)
        streams[stream, default: []].append(entry.event)
    }

    /// Every academic year's events (the year, its periods and holidays).
    mutating func yearEvents(reader: borrowing LedgerReader) throws -> [SchoolEvent] {
        if !yearsLoaded {
            var names = [String]()
            try reader.forEachStream(withPrefix: "year/") { name, _ in names.append(name); return true }
            for name in names { _ = try events(in: name, reader: reader) }
            yearsLoaded = true
        }
        return streams.filter { $0.key.hasPrefix("year/") }.values.flatMap { $0 }
    }

    // MARK: Folds

    /// A lesson as scheduled, with its moves applied.
    struct Lesson {
        var subjectID: SubjectID
        var target: TeachingTarget
        var date: CivilDate
        var isCancelled: Bool
    }

    mutating func lesson(_ id: LessonID, reader: borrowing LedgerReader) throws -> Lesson? {
        var lesson: Lesson?
        for event in try events(in: SchoolStream.lesson(id), reader: reader) {
            switch event {
            case .lessonScheduled(let e):
                lesson = Lesson(subjectID: e.subjectID, target: e.target, date: e.date, isCancelled: false)
            case .lessonRescheduled(let e):
                lesson?.date = e.newDate
            case .lessonCancelled:
                lesson?.isCancelled = true
            default:
                break
            }
        }
        return lesson
    }

    /// Whether the student was ever enrolled.
    mutating func studentExists(_ id: StudentID, reader: borrowing LedgerReader) throws -> Bool {
        try events(in: SchoolStream.student(id), reader: reader).contains {
            if case .studentEnrolled = $0 { return true } else { return false }
        }
    }

    /// The student's class on `date`, following enrolment, transfers and
    /// withdrawal by their effective dates; `nil` when not enrolled then.
    mutating func classOf(_ id: StudentID, on date: CivilDate, reader: borrowing LedgerReader) throws -> ClassID? {
        var changes = [(date: CivilDate, classID: ClassID?)]()
        for event in try events(in: SchoolStream.student(id), reader: reader) {
            switch event {
            case .studentEnrolled(let e): changes.append((e.enrollmentDate, e.classID))
            case .studentTransferred(let e): changes.append((e.effectiveDate, e.toClassID))
            case .studentWithdrawn(let e): changes.append((e.effectiveDate, nil))
            default: break
            }
        }
        // Stable by date: of two changes on one day, the later recorded wins.
        let effective = changes.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
        return effective.last { $0.element.date <= date }?.element.classID
    }

    /// The members of a study group on `date`.
    mutating func members(of group: StudyGroupID, on date: CivilDate, reader: borrowing LedgerReader) throws -> Set<StudentID> {
        var changes = [(date: CivilDate, order: Int, added: [StudentID], removed: [StudentID], reset: Bool)]()
        for (n, event) in try events(in: SchoolStream.group(group), reader: reader).enumerated() {
            switch event {
            case .studyGroupFormed(let e): changes.append((e.effectiveDate, n, e.studentIDs, [], true))
            case .studyGroupMembershipChanged(let e): changes.append((e.effectiveDate, n, e.addedStudentIDs, e.removedStudentIDs, false))
            default: break
            }
        }
        var members = Set<StudentID>()
        for change in changes.sorted(by: { ($0.date, $0.order) < ($1.date, $1.order) }) where change.date <= date {
            if change.reset { members = [] }
            members.formUnion(change.added)
            members.subtract(change.removed)
        }
        return members
    }

    /// The classes of a study group or teaching stream, or the class itself.
    mutating func classes(of target: TeachingTarget, on date: CivilDate, reader: borrowing LedgerReader) throws -> [ClassID] {
        switch target {
        case .class(let id):
            return [id]
        case .group(let id):
            for case .studyGroupFormed(let e) in try events(in: SchoolStream.group(id), reader: reader) { return e.classIDs }
            return []
        case .teachingStream(let id):
            for case .streamFormed(let e) in try events(in: SchoolStream.teachingStream(id), reader: reader) { return e.classIDs }
            return []
        case .student(let id):
            return try classOf(id, on: date, reader: reader).map { [$0] } ?? []
        }
    }

    /// Whether `target` names something the ledger knows.
    mutating func exists(_ target: TeachingTarget, reader: borrowing LedgerReader) throws -> Bool {
        switch target {
        case .class(let id): return try !events(in: SchoolStream.class(id), reader: reader).isEmpty
        case .group(let id): return try !events(in: SchoolStream.group(id), reader: reader).isEmpty
        case .teachingStream(let id): return try !events(in: SchoolStream.teachingStream(id), reader: reader).isEmpty
        case .student(let id): return try studentExists(id, reader: reader)
        }
    }

    /// The grade level (parallel) of a class, from ClassFormed.
    mutating func gradeLevel(of id: ClassID, reader: borrowing LedgerReader) throws -> Int? {
        for case .classFormed(let e) in try events(in: SchoolStream.class(id), reader: reader) { return e.gradeLevel }
        return nil
    }
}
