import EventLedger

/// The folds only queries need, over the one fold cache: marks with their
/// history, final marks, lessons in a range, parents and their status,
/// homework, tests, attendance, the outbox's notices — from the events the
/// journal index keeps (voided ones left out).
extension JournalFacts {
    /// A mark with its history, dated by its lesson's current date (its row).
    mutating func mark(_ id: MarkID, index: borrowing ProjectionReader) throws -> JournalMark? {
        if let cached = markFolds[id] { return cached }
        let mark = try JournalRows.mark(id, rows: index)
        markFolds[id] = mark
        return mark
    }

    mutating func finalMark(_ id: FinalMarkID, index: borrowing ProjectionReader) throws -> FinalMarkEntry? {
        var final: FinalMarkEntry?
        for event in try events(in: SchoolStream.finalMark(id), reader: index) {
            switch event {
            case .finalMarkSet(let e):
                final = FinalMarkEntry(finalMarkID: e.finalMarkID, subjectID: e.subjectID, periodID: e.periodID, value: e.value)
            case .finalMarkCorrected(let e): final?.value = e.newValue
            default: break
            }
        }
        return final
    }

    /// The lessons of `target` dated in the range (after moves), once each,
    /// from the lesson rows.
    mutating func lessons(
        of target: TeachingTarget, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader,
        includeCancelled: Bool
    ) throws -> [SchoolFolds.Lesson] {
        var found = [SchoolFolds.Lesson]()
        var seen = Set<LessonID>()
        let prefix = RowKey.prefix(JournalIndexProjection.targetKey(target))
        try index.forEach("lessons-by-target", prefix: prefix, from: prefix + Array(from.description.utf8)) { key, _ in
            // `target, date, number, lesson`: the date and the lesson read in place.
            let rest = key[prefix.count...]
            guard let dateEnd = rest.firstIndex(of: 0), let numberEnd = key[(dateEnd + 1)...].firstIndex(of: 0),
                !key[(numberEnd + 1)...].contains(0),
                let date = CivilDate(String(decoding: UnsafeRawBufferPointer(rebasing: key[prefix.count..<dateEnd]), as: UTF8.self))
            else { return true }
            guard date <= to else { return false }
            let id = LessonID(String(decoding: UnsafeRawBufferPointer(rebasing: key[(numberEnd + 1)...]), as: UTF8.self))
            if seen.insert(id).inserted, let lesson = try JournalRows.lesson(id, rows: index), lesson.target == target,
                includeCancelled || !lesson.isCancelled, lesson.date >= from, lesson.date <= to
            {
                found.append(lesson)
            }
            return true
        }
        return found
    }

    /// The second parts of the two-part keys of `db` under `first`: the ids an
    /// index lists for one thing (a lesson's marks, a class's groups).
    func ids(_ db: String, under first: String, index: borrowing ProjectionReader, parts count: Int = 2) throws -> [String] {
        var ids = [String]()
        try index.forEach(db, prefix: RowKey.prefix(first)) { key, _ in
            let parts = RowKey.parts(key)
            if parts.count == count { ids.append(parts[count - 1]) }
            return true
        }
        return ids
    }

    /// The parents linked to `student` on `date`, by the student's row.
    func parents(of student: StudentID, on date: CivilDate, index: borrowing ProjectionReader) throws -> [ParentID] {
        try ParentRows.student(student, rows: index).parents(on: date)
    }

    /// What a parent has registered, for the children given, by the parents' rows.
    func status(of parent: ParentID, children: [StudentID], index: borrowing ProjectionReader) throws -> ParentStatus {
        let fold = try ParentRows.parent(parent, rows: index)
        var credentials = [CredentialState]()
        for account in try ids("accounts-by-person", under: parent.rawValue, index: index).map({ AccountID($0) }) {
            if let state = try ParentRows.credentials(account, rows: index) { credentials.append(state) }
        }
        let statuses = try children.map { student -> ParentChildStatus in
            let hasConsent = fold.consent[student]?.given ?? false
            let refusedForm = fold.consent[student]?.refused ?? false
            return ParentChildStatus(
                studentID: student, hasConsent: hasConsent, refusedElectronicForm: refusedForm,
                informedOf: (fold.informed[student] ?? []).sorted { "\($0)" < "\($1)" },
                acknowledgedUpToDate: fold.acknowledgedUpToDate[student], acknowledgedUpToPosition: fold.acknowledgedUpToPosition[student],
                paperExtractReason: refusedForm
                    ? .refusedElectronicForm
                    : !hasConsent
                        ? .noConsent
                        : credentials.isEmpty ? .noInternet : nil,
                extractsIssued: try ParentRows.student(student, rows: index).extracts(for: parent))
        }
        return ParentStatus(
            parentID: parent, children: statuses,
            notificationsOn: fold.notifications.filter(\.value).keys.sorted { "\($0)" < "\($1)" }, credentials: credentials)
    }

    /// Who a student may be taught as from `from` through `to`: themselves,
    /// each class they are in on a day of the range (by their class
    /// history row), its teaching streams, and every group they were ever in.
    mutating func targets(ofStudent student: StudentID, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader) throws
        -> [TeachingTarget]
    {
        let changes = try JournalRows.classChanges(of: student, rows: index)
        var targets: [TeachingTarget] = [.student(student)]
        var classes = Set<ClassID>()
        for day in SchoolJournal.days(from, to) { if let c = SchoolFolds.classOf(changes, on: day) { classes.insert(c) } }
        for c in classes.sorted() {
            targets.append(.class(c))
            targets += try ids("streams-by-class", under: c.rawValue, index: index).map { .teachingStream(TeachingStreamID($0)) }
        }
        targets += try ids("groups-by-student", under: student.rawValue, index: index).map { .group(StudyGroupID($0)) }
        // A stream the student's classes of the range share is named once.
        var seen = Set<TeachingTarget>()
        return targets.filter { seen.insert($0).inserted }
    }

    /// The study groups and teaching streams formed from `classID`, and the
    /// class itself: the targets ``targets(ofClass:reader:)`` finds, named by
    /// the index's `groups-by-class` and `streams-by-class` rows instead of
    /// every group's and stream's events. Those rows only grow, so each named
    /// stream is folded (a voided formation folds to nothing); a school's
    /// other groups and streams are not read.
    mutating func targets(ofClass classID: ClassID, index: borrowing ProjectionReader) throws -> [TeachingTarget] {
        let groups = try ids("groups-by-class", under: classID.rawValue, index: index).map { SchoolStream.group(StudyGroupID($0)) }
        let streams = try ids("streams-by-class", under: classID.rawValue, index: index).map {
            SchoolStream.teachingStream(TeachingStreamID($0))
        }
        return try targets(ofClass: classID, formedIn: groups + streams, reader: index)
    }

    /// The tests of `target` dated in the range (after moves), not cancelled, from the rows of tests by date.
    func tests(of target: TeachingTarget, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader) throws -> [ScheduledTest] {
        var tests = [ScheduledTest]()
        let prefix = RowKey.prefix(JournalIndexProjection.targetKey(target))
        try index.forEach("tests-by-date", prefix: prefix, from: prefix + Array(from.description.utf8)) { key, value in
            let parts = RowKey.parts(key)
            guard parts.count == 3, let date = CivilDate(parts[1]) else { return true }
            guard date <= to else { return false }
            var row = RowReader(Array(value))
            let subject = SubjectID(row.string())
            let kind = row.int()
            let topic = row.optional()
            tests.append(
                ScheduledTest(
                    testID: TestID(parts[2]), subjectID: subject, date: date,
                    workKind: WorkKind.allCases.indices.contains(kind) ? WorkKind.allCases[kind] : .other, topic: topic))
            return true
        }
        return tests
    }

    /// Each lesson's attendance by student: the last fact recorded or corrected, from the rows.
    func attendance(_ lesson: LessonID, index: borrowing ProjectionReader) throws -> [StudentID: AttendanceStatus] {
        var facts = [StudentID: AttendanceStatus]()
        try index.forEach("attendance", prefix: RowKey.prefix(lesson.rawValue), from: nil) { key, value in
            if let status = JournalRows.status(Array(value)) { facts[StudentID(RowKey.last(key))] = status }
            return true
        }
        return facts
    }

    /// The students taught as `target` on any of `dates`, from the rows.
    func students(of target: TeachingTarget, on dates: [CivilDate], index: borrowing some IndexSource & ~Copyable) throws -> Set<StudentID>
    {
        try JournalRows.students(of: target, on: dates, only: nil, rows: index)
    }

    /// The reporting period `id` and every period defined in its academic
    /// year, as the model keeps them (only those records are decoded).
    ///
    /// - Throws: ``SchoolValidationError`` naming `period` for a period
    ///   never defined, or voided.
    static func period(_ id: ReportingPeriodID, index: borrowing ProjectionReader) throws -> (
        period: ReportingPeriodDefined, ofItsYear: [ReportingPeriodDefined]
    ) {
        guard let year = try index.get("periods", key: Array(id.rawValue.utf8)) else {
            throw SchoolValidationError(
                eventType: "query", field: "period", value: id.rawValue,
                rule: "must name a reporting period defined with ReportingPeriodDefined")
        }
        let stream = SchoolStream.year(AcademicYearID(String(decoding: year, as: UTF8.self)))
        let defined = try index.journalEntries(stream, ofType: ReportingPeriodDefined.eventType).compactMap {
            if case .reportingPeriodDefined(let e) = $0.entry.event { e } else { nil }
        }
        guard let period = defined.first(where: { $0.periodID == id }) else {
            throw SchoolValidationError(eventType: "query", field: "period", value: id.rawValue, rule: "was voided or is unknown")
        }
        return (period, defined)
    }

    /// The dates of a reporting period, or the range given.
    func range(period: ReportingPeriodID?, from: CivilDate?, to: CivilDate?, index: borrowing ProjectionReader) throws -> (
        CivilDate, CivilDate
    ) {
        if let period {
            let dates = try Self.period(period, index: index).period.dates
            return (dates.start, dates.end)
        }
        guard let from, let to else {
            throw SchoolValidationError(eventType: "query", field: "from", value: "", rule: "must be given with to, or give a period")
        }
        guard from <= to else {
            throw SchoolValidationError(eventType: "query", field: "to", value: to.description, rule: "must not be before from (\(from))")
        }
        return (from, to)
    }

    // MARK: The notification outbox

    /// What an event tells the parents of one student.
    struct Notice {
        var markID: MarkID?
        var lessonID: LessonID?
        var studentID: StudentID
        var position: UInt64
        var reason: OutboxMessage.Reason
        var value: MarkValue?
        var newDate: CivilDate?
    }

    /// The notices an event gives: one for a mark's student; one per student
    /// of a moved or cancelled lesson, as the lesson stood then.
    mutating func notices(_ recorded: RecordedJournalEntry, index: borrowing some IndexSource & ~Copyable) throws -> [Notice] {
        let position = recorded.position
        switch recorded.entry.event {
        case .markRecorded(let e):
            return [Notice(markID: e.markID, studentID: e.studentID, position: position, reason: .newMark, value: e.value)]
        case .markCorrected(let e):
            guard let student = try markStudent(e.markID, index: index) else { return [] }
            return [Notice(markID: e.markID, studentID: student, position: position, reason: .correctedMark, value: e.newValue)]
        case .markCancelled(let e):
            guard let student = try markStudent(e.markID, index: index) else { return [] }
            return [Notice(markID: e.markID, studentID: student, position: position, reason: .cancelledMark)]
        case .lessonRescheduled(let e):
            return try lessonNotices(e.lessonID, at: position, reason: .lessonMoved, newDate: e.newDate, index: index)
        case .lessonCancelled(let e):
            return try lessonNotices(e.lessonID, at: position, reason: .lessonCancelled, newDate: nil, index: index)
        default:
            return []
        }
    }

    private mutating func lessonNotices(
        _ id: LessonID, at position: UInt64, reason: OutboxMessage.Reason, newDate: CivilDate?,
        index: borrowing some IndexSource & ~Copyable
    ) throws -> [Notice] {
        let before = try index.journalEntries(SchoolStream.lesson(id)).filter { $0.position < position }.map(\.entry.event)
        guard let lesson = SchoolFolds.lesson(before) else { return [] }
        let dates = [lesson.date] + (newDate.map { [$0] } ?? [])
        return try students(of: lesson.target, on: dates, index: index).sorted().map { student in
            Notice(lessonID: id, studentID: student, position: position, reason: reason, newDate: newDate)
        }
    }

    private mutating func markStudent(_ id: MarkID, index: borrowing some IndexSource & ~Copyable) throws -> StudentID? {
        for event in try events(in: SchoolStream.mark(id), reader: index) {
            if case .markRecorded(let e) = event { return e.studentID }
        }
        return nil
    }

    /// The messages a notice owes: one per parent linked to the student, with
    /// consent for that student and the channel on for the notice's topic, as
    /// the ledger stood at the notice's position. `deliveredID` is the id of
    /// that message.
    mutating func messages(
        about notice: Notice, reason: OutboxMessage.Reason,
        index: borrowing some IndexSource & ~Copyable
    ) throws -> [(message: OutboxMessage, deliveredID: NotificationID)] {
        var linked = [ParentID: Bool]()
        for recorded in try index.journalEntries(SchoolStream.student(notice.studentID)) where recorded.position <= notice.position {
            if case .parentLinked(let e) = recorded.entry.event { linked[e.parentID] = true }
            if case .parentUnlinked(let e) = recorded.entry.event { linked[e.parentID] = false }
        }
        var parents = [NoticedParent]()
        for parent in linked.filter(\.value).keys.sorted() {
            var channels = [NotificationChannel: Set<NotificationTopic>]()
            let known = try index.journalEntries(SchoolStream.parent(parent)).filter { $0.position <= notice.position }.map(\.entry.event)
            for case .notificationPreferenceSet(let e) in known { channels[e.channel] = e.enabled ? e.effectiveTopics : [] }
            parents.append(
                NoticedParent(
                    parentID: parent, channels: channels,
                    allowsElectronicAccess: SchoolFolds.consent(known)[notice.studentID]?.allowsElectronicAccess ?? false))
        }
        return Self.messages(about: notice, reason: reason, parents: parents)
    }

    /// A parent linked to a notice's student when the notice was given: the
    /// channels on, with their topics, and whether consent to electronic
    /// delivery was registered for that student.
    struct NoticedParent {
        var parentID: ParentID
        var channels: [NotificationChannel: Set<NotificationTopic>]
        var allowsElectronicAccess: Bool
    }

    /// The messages a notice owes to `parents` (sorted by id), as they stood at the notice.
    static func messages(about notice: Notice, reason: OutboxMessage.Reason, parents: [NoticedParent]) -> [(
        message: OutboxMessage, deliveredID: NotificationID
    )] {
        var out = [(message: OutboxMessage, deliveredID: NotificationID)]()
        for noticed in parents where noticed.allowsElectronicAccess {
            let parent = noticed.parentID
            for channel in noticed.channels.filter({ $0.value.contains(notice.reason.topic) }).keys.sorted(by: { "\($0)" < "\($1)" }) {
                // A lesson change reaches each of a parent's children: the id names the student too.
                let id = NotificationID(
                    notice.lessonID == nil
                        ? "\(notice.position)-\(parent)-\(channel)"
                        : "\(notice.position)-\(parent)-\(notice.studentID)-\(channel)")
                out.append(
                    (
                        OutboxMessage(
                            notificationID: id, parentID: parent, studentID: notice.studentID, channel: channel,
                            aboutPosition: notice.position, reason: reason, markID: notice.markID, value: notice.value,
                            lessonID: notice.lessonID, newDate: notice.newDate, failedAttempts: 0), id
                    ))
            }
        }
        return out
    }

    /// Whether `message` may be delivered now, as the index stands: its
    /// parent is still linked to the student, has consent to electronic
    /// delivery (not withdrawn, the electronic form not refused) and has the
    /// channel on for the message's topic. A voided withdrawal or switch-off
    /// does not count, so the message comes back.
    mutating func mayDeliver(_ message: OutboxMessage, index: borrowing some IndexSource & ~Copyable) throws -> Bool {
        // The streams come from the fold cache: an outbox of many messages
        // decodes each student's and parent's stream once.
        var linked = false
        for event in try events(in: SchoolStream.student(message.studentID), reader: index) {
            if case .parentLinked(let e) = event, e.parentID == message.parentID { linked = true }
            if case .parentUnlinked(let e) = event, e.parentID == message.parentID { linked = false }
        }
        guard linked else { return false }
        let known = try events(in: SchoolStream.parent(message.parentID), reader: index)
        guard SchoolFolds.consent(known)[message.studentID]?.allowsElectronicAccess ?? false else { return false }
        var topics = Set<NotificationTopic>()
        for case .notificationPreferenceSet(let e) in known where e.channel == message.channel {
            topics = e.enabled ? e.effectiveTopics : []
        }
        return topics.contains(message.reason.topic)
    }

    /// Whether the embedding service reported the message delivered, or failed for good.
    mutating func isSettled(_ id: NotificationID, index: borrowing some IndexSource & ~Copyable) throws -> Bool {
        try events(in: SchoolStream.notification(id), reader: index).contains { event in
            switch event {
            case .notificationDelivered: true
            case .notificationFailed(let e): e.permanent
            default: false
            }
        }
    }

    mutating func wasDelivered(_ id: NotificationID, index: borrowing some IndexSource & ~Copyable) throws -> Bool {
        try events(in: SchoolStream.notification(id), reader: index).contains {
            if case .notificationDelivered = $0 { true } else { false }
        }
    }

    mutating func failures(_ id: NotificationID, index: borrowing some IndexSource & ~Copyable) throws -> Int {
        try events(in: SchoolStream.notification(id), reader: index).filter { if case .notificationFailed = $0 { true } else { false } }
            .count
    }
}
