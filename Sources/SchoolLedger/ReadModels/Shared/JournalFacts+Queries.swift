import EventLedger

/// The folds only queries need, over the one fold cache: marks with their
/// history, final marks, lessons in a range, parents and their status,
/// homework, tests, attendance, the outbox's notices — from the events the
/// journal index keeps (voided ones left out).
extension JournalFacts {
    /// A mark with its history, dated by its lesson's current date.
    mutating func mark(_ id: MarkID, index: borrowing ProjectionReader) throws -> JournalMark? {
        if let cached = markFolds[id] { return cached }
        var mark: JournalMark?
        for recorded in try index.journalEntries(SchoolStream.mark(id)) {
            let change = { (kind: MarkChange.Kind, before: MarkValue?, after: MarkValue?, reason: String?) in
                MarkChange(
                    kind: kind, position: recorded.position, recordedAt: recorded.recordedAt, actor: recorded.entry.actor,
                    before: before, after: after, reason: reason)
            }
            switch recorded.entry.event {
            case .markRecorded(let e):
                guard let lesson = try lesson(e.lessonID, reader: index) else { continue }
                mark = JournalMark(
                    markID: e.markID, studentID: e.studentID, lessonID: e.lessonID, subjectID: e.subjectID, date: lesson.date,
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
            default:
                break
            }
        }
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

    /// The lessons of `target` dated in the range (after moves), once each.
    mutating func lessons(
        of target: TeachingTarget, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader,
        includeCancelled: Bool
    ) throws -> [SchoolFolds.Lesson] {
        var found = [SchoolFolds.Lesson]()
        var seen = Set<LessonID>()
        try index.forEach("lessons-by-target", prefix: RowKey.prefix(JournalIndexProjection.targetKey(target))) { key, _ in
            let parts = RowKey.parts(key)
            guard parts.count == 4, let date = CivilDate(parts[1]), date >= from, date <= to else { return true }
            let id = LessonID(parts[3])
            if !seen.contains(id), let lesson = try lesson(id, reader: index), lesson.target == target,
                includeCancelled || !lesson.isCancelled, lesson.date >= from, lesson.date <= to
            {
                seen.insert(id)
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

    /// A student's parents linked on `date`.
    mutating func parents(of student: StudentID, on date: CivilDate, index: borrowing ProjectionReader) throws -> [ParentID] {
        var linked = [ParentID: Bool]()
        for event in try events(in: SchoolStream.student(student), reader: index) {
            switch event {
            case .parentLinked(let e) where e.effectiveDate <= date: linked[e.parentID] = true
            case .parentUnlinked(let e) where e.effectiveDate <= date: linked[e.parentID] = false
            default: break
            }
        }
        return linked.filter(\.value).keys.sorted()
    }

    /// What a parent has registered, for the children given.
    mutating func status(of parent: ParentID, children: [StudentID], index: borrowing ProjectionReader) throws -> ParentStatus {
        var informed = [StudentID: Set<ParentService>]()
        var ackDate = [StudentID: CivilDate](), ackPosition = [StudentID: UInt64]()
        var notifications = [NotificationChannel: Bool]()
        for event in try events(in: SchoolStream.parent(parent), reader: index) {
            switch event {
            case .parentsInformedOfServices(let e): informed[e.studentID, default: []].formUnion(e.services)
            case .notificationPreferenceSet(let e): notifications[e.channel] = e.enabled
            case .diaryAcknowledged(let e):
                if let d = e.upToDate { ackDate[e.studentID] = max(ackDate[e.studentID] ?? d, d) }
                if let p = e.upToPosition { ackPosition[e.studentID] = max(ackPosition[e.studentID] ?? p, p) }
            default: break
            }
        }
        let consent = SchoolFolds.consent(try events(in: SchoolStream.parent(parent), reader: index))
        var credentials = [CredentialState]()
        for account in try ids("accounts-by-person", under: parent.rawValue, index: index).map({ AccountID($0) }) {
            var state: CredentialState?
            for recorded in try index.journalEntries(SchoolStream.account(account)) {
                switch recorded.entry.event {
                case .credentialsIssued(let e):
                    state = CredentialState(accountID: account, issuedAt: recorded.recordedAt, lastResetAt: nil, channel: e.channel)
                case .credentialsReset(let e):
                    state?.lastResetAt = recorded.recordedAt
                    state?.channel = e.channel
                default: break
                }
            }
            if let state { credentials.append(state) }
        }
        let statuses = try children.map { student -> ParentChildStatus in
            let extracts = try events(in: SchoolStream.student(student), reader: index).compactMap { event -> ExtractID? in
                if case .paperExtractIssued(let e) = event, e.parentID == parent { return e.extractID } else { return nil }
            }
            let hasConsent = consent[student]?.given ?? false
            let refusedForm = consent[student]?.refused ?? false
            return ParentChildStatus(
                studentID: student, hasConsent: hasConsent, refusedElectronicForm: refusedForm,
                informedOf: (informed[student] ?? []).sorted { "\($0)" < "\($1)" },
                acknowledgedUpToDate: ackDate[student], acknowledgedUpToPosition: ackPosition[student],
                paperExtractReason: refusedForm
                    ? .refusedElectronicForm
                    : !hasConsent
                        ? .noConsent
                        : credentials.isEmpty ? .noInternet : nil,
                extractsIssued: extracts)
        }
        return ParentStatus(
            parentID: parent, children: statuses,
            notificationsOn: notifications.filter(\.value).keys.sorted { "\($0)" < "\($1)" }, credentials: credentials)
    }

    /// Who a student may be taught as from `from` through `to`: themselves,
    /// each class they are in on a day of the range, its teaching streams,
    /// and every group they were ever in. A lesson of one of these reaches
    /// the student only when ``students(of:on:index:)`` says so on its date.
    mutating func targets(ofStudent student: StudentID, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader) throws
        -> [TeachingTarget]
    {
        let events = try events(in: SchoolStream.student(student), reader: index)
        var targets: [TeachingTarget] = [.student(student)]
        var classes = Set<ClassID>()
        for day in SchoolJournal.days(from, to) { if let c = SchoolFolds.classOf(events, on: day) { classes.insert(c) } }
        for c in classes.sorted() {
            targets.append(.class(c))
            targets += try ids("streams-by-class", under: c.rawValue, index: index).map { .teachingStream(TeachingStreamID($0)) }
        }
        return targets + (try ids("groups-by-student", under: student.rawValue, index: index).map { .group(StudyGroupID($0)) })
    }

    /// The marks given in a lesson (not cancelled).
    mutating func marks(inLesson lesson: LessonID, index: borrowing ProjectionReader) throws -> [JournalMark] {
        try ids("marks-by-lesson", under: lesson.rawValue, index: index).compactMap { id in
            guard let mark = try mark(MarkID(id), index: index), !mark.isCancelled else { return nil }
            return mark
        }
    }

    /// The homework set in a lesson, amendments applied.
    mutating func homework(inLesson lesson: LessonID, index: borrowing ProjectionReader) throws -> [DiaryHomework] {
        return try ids("homework-by-lesson", under: lesson.rawValue, index: index).map { HomeworkID($0) }.compactMap { id in
            var homework: DiaryHomework?
            for event in try events(in: SchoolStream.homework(id), reader: index) {
                switch event {
                case .homeworkAssigned(let e): homework = DiaryHomework(homeworkID: e.homeworkID, text: e.text, dueDate: e.dueDate)
                case .homeworkAmended(let e):
                    homework?.text = e.text
                    homework?.dueDate = e.dueDate
                default: break
                }
            }
            return homework
        }
    }

    /// The tests of `target` dated in the range (after moves), not cancelled.
    mutating func tests(of target: TeachingTarget, from: CivilDate, to: CivilDate, index: borrowing ProjectionReader) throws
        -> [ScheduledTest]
    {
        return try ids("tests-by-target", under: JournalIndexProjection.targetKey(target), index: index).map { TestID($0) }.compactMap {
            id -> ScheduledTest? in
            var test: ScheduledTest?
            var cancelled = false
            for event in try events(in: SchoolStream.test(id), reader: index) {
                switch event {
                case .testScheduled(let e):
                    test = ScheduledTest(testID: e.testID, subjectID: e.subjectID, date: e.date, workKind: e.workKind, topic: e.topic)
                case .testRescheduled(let e): test?.date = e.newDate
                case .testCancelled: cancelled = true
                default: break
                }
            }
            guard let test, !cancelled, test.date >= from, test.date <= to else { return nil }
            return test
        }
    }

    /// Each lesson's attendance by student: the last fact recorded or corrected.
    mutating func attendance(_ lesson: LessonID, index: borrowing ProjectionReader) throws -> [StudentID: AttendanceStatus] {
        var facts = [StudentID: AttendanceStatus]()
        for event in try events(in: SchoolStream.lesson(lesson), reader: index) {
            switch event {
            case .attendanceMarked(let e): facts[e.studentID] = e.status
            case .attendanceCorrected(let e): facts[e.studentID] = e.newStatus
            default: break
            }
        }
        return facts
    }

    /// The students taught as `target` on any of `dates`.
    mutating func students(of target: TeachingTarget, on dates: [CivilDate], index: borrowing ProjectionReader) throws -> Set<StudentID> {
        switch target {
        case .student(let id):
            return [id]
        case .class(let id):
            return try classStudents([id], on: dates, index: index)
        case .teachingStream(let id):
            return try classStudents(
                SchoolFolds.classes(ofFormation: events(in: SchoolStream.teachingStream(id), reader: index)), on: dates, index: index)
        case .group(let id):
            let groupEvents = try events(in: SchoolStream.group(id), reader: index)
            return dates.reduce(into: Set<StudentID>()) { $0.formUnion(SchoolFolds.members(groupEvents, on: $1)) }
        }
    }

    private mutating func classStudents(_ classes: [ClassID], on dates: [CivilDate], index: borrowing ProjectionReader) throws -> Set<
        StudentID
    > {
        var result = Set<StudentID>()
        for classID in classes {
            for student in try ids("students-by-class", under: classID.rawValue, index: index).map({ StudentID($0) }) {
                let studentEvents = try events(in: SchoolStream.student(student), reader: index)
                if dates.contains(where: { SchoolFolds.classOf(studentEvents, on: $0) == classID }) { result.insert(student) }
            }
        }
        return result
    }

    /// The dates of a reporting period, or the range given.
    mutating func range(period: ReportingPeriodID?, from: CivilDate?, to: CivilDate?, index: borrowing ProjectionReader) throws -> (
        CivilDate, CivilDate
    ) {
        if let period {
            guard let year = try index.get("periods", key: Array(period.rawValue.utf8)) else {
                throw SchoolValidationError(
                    eventType: "query", field: "period", value: period.rawValue,
                    rule: "must name a reporting period defined with ReportingPeriodDefined")
            }
            for case .reportingPeriodDefined(let e) in try events(
                in: SchoolStream.year(AcademicYearID(String(decoding: year, as: UTF8.self))), reader: index)
            where e.periodID == period {
                return (e.dates.start, e.dates.end)
            }
            throw SchoolValidationError(eventType: "query", field: "period", value: period.rawValue, rule: "was voided or is unknown")
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
    mutating func notices(_ recorded: RecordedJournalEntry, index: borrowing ProjectionReader) throws -> [Notice] {
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
        index: borrowing ProjectionReader
    ) throws -> [Notice] {
        let before = try index.journalEntries(SchoolStream.lesson(id)).filter { $0.position < position }.map(\.entry.event)
        guard let lesson = SchoolFolds.lesson(before) else { return [] }
        let dates = [lesson.date] + (newDate.map { [$0] } ?? [])
        return try students(of: lesson.target, on: dates, index: index).sorted().map { student in
            Notice(lessonID: id, studentID: student, position: position, reason: reason, newDate: newDate)
        }
    }

    private mutating func markStudent(_ id: MarkID, index: borrowing ProjectionReader) throws -> StudentID? {
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
        index: borrowing ProjectionReader
    ) throws -> [(message: OutboxMessage, deliveredID: NotificationID)] {
        var linked = [ParentID: Bool]()
        for recorded in try index.journalEntries(SchoolStream.student(notice.studentID)) where recorded.position <= notice.position {
            if case .parentLinked(let e) = recorded.entry.event { linked[e.parentID] = true }
            if case .parentUnlinked(let e) = recorded.entry.event { linked[e.parentID] = false }
        }
        var out = [(message: OutboxMessage, deliveredID: NotificationID)]()
        for parent in linked.filter(\.value).keys.sorted() {
            var channels = [NotificationChannel: Set<NotificationTopic>]()
            let known = try index.journalEntries(SchoolStream.parent(parent)).filter { $0.position <= notice.position }.map(\.entry.event)
            for case .notificationPreferenceSet(let e) in known { channels[e.channel] = e.enabled ? e.effectiveTopics : [] }
            guard SchoolFolds.consent(known)[notice.studentID]?.allowsElectronicAccess ?? false else { continue }
            for channel in channels.filter({ $0.value.contains(notice.reason.topic) }).keys.sorted(by: { "\($0)" < "\($1)" }) {
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
    mutating func mayDeliver(_ message: OutboxMessage, index: borrowing ProjectionReader) throws -> Bool {
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
    mutating func isSettled(_ id: NotificationID, index: borrowing ProjectionReader) throws -> Bool {
        try events(in: SchoolStream.notification(id), reader: index).contains { event in
            switch event {
            case .notificationDelivered: true
            case .notificationFailed(let e): e.permanent
            default: false
            }
        }
    }

    mutating func wasDelivered(_ id: NotificationID, index: borrowing ProjectionReader) throws -> Bool {
        try events(in: SchoolStream.notification(id), reader: index).contains {
            if case .notificationDelivered = $0 { true } else { false }
        }
    }

    mutating func failures(_ id: NotificationID, index: borrowing ProjectionReader) throws -> Int {
        try events(in: SchoolStream.notification(id), reader: index).filter { if case .notificationFailed = $0 { true } else { false } }
            .count
    }
}
