import EventLedger

/// The rows of the notification outbox: the messages each source (a mark
/// recorded, corrected or cancelled, a lesson moved or cancelled, a void)
/// owes, worked out by the outbox's own folds (``JournalFacts/notices(_:index:)``,
/// ``JournalFacts/messages(about:reason:index:)``) when the source is
/// folded, and again whenever something they read changes; what can change
/// at delivery time (consent, channels, links, delivery reports) is read
/// from rows when the outbox is drained.
///
/// - `outbox-owed`: source position (8 bytes) + the message's place among
///   the source's (4 bytes) → a message not settled yet.
/// - `outbox-settled`: the same keys → a message reported delivered or
///   failed for good. A report moves its message between the two; a void of
///   the report moves it back.
/// - `notification-state`: a notification id → delivered, failed for good,
///   and how many failures were reported (the fold of its stream).
/// - `outbox-by-student`, `outbox-by-target`, `outbox-by-mark`: which
///   sources name a student, which lesson changes reach a target's students,
///   and which voids voided a mark's records (their corrections read the
///   mark's student): the sources to work out again when a void changes a
///   student's parents, a class's students or a mark.
/// - `students-by-parent`: every student a parent was ever linked to.
///
/// What makes a source's messages change, and where it is followed:
/// - the source itself, folded or folded again after a void (``apply(_:record:store:)``);
/// - a void or its lifting, of the source or of anything its messages
///   were worked out from: the parents' links, consent and channels as the
///   source found them, the mark's student, the lesson as it stood, the
///   students of the lesson's target (``follow(_:before:store:)``);
/// - a change of a class's, group's or teaching stream's students, which
///   the lesson changes of that target reach by their current dates.
///
/// Links, consent and channels added after a source do not change what it
/// owes: a message goes to the parents who were linked, had consent and the
/// channel on when the source was recorded, and is held back while they
/// are not now.
enum OutboxRows {
    /// The databases (beside the journal index's own).
    static let databases = [
        "outbox-owed", "outbox-settled", "notification-state", "outbox-by-student", "outbox-by-target", "outbox-by-mark",
        "students-by-parent",
    ]

    // MARK: Keeping the rows

    /// Writes the rows `event`, at `record`, changes.
    static func apply(_ event: SchoolEvent, record: RecordView, store: borrowing ProjectionStore) throws {
        switch event {
        case .markRecorded(let e):
            // A correction or cancellation recorded before its mark, and a void of one, find the mark's student now.
            try workSources(inStream: SchoolStream.mark(e.markID), store: store)
            for source in try listed("outbox-by-mark", under: SchoolStream.mark(e.markID), store: store) { try work(source, store: store) }
        case .markCorrected, .markCancelled, .lessonRescheduled, .lessonCancelled:
            try work(record.position, store: store)
        case .operationsVoided(let e):
            try follow(e.voidedPositions, before: record.position, store: store)
            try work(record.position, store: store)
        case .voidsLifted(let e):
            try follow(e.liftedPositions, before: record.position, store: store)
        case .notificationDelivered(let e):
            try refreshNotification(e.notificationID, store: store)
        case .notificationFailed(let e):
            try refreshNotification(e.notificationID, store: store)
        case .parentLinked(let e):
            try putOnce("students-by-parent", key: RowKey.make(e.parentID.rawValue, e.studentID.rawValue), store: store)
        case .studentEnrolled(let e):
            try workLessonChanges(reaching: classTargets(ofStudent: e.studentID, and: [e.classID], store: store), store: store)
        case .studentTransferred(let e):
            try workLessonChanges(
                reaching: classTargets(ofStudent: e.studentID, and: [e.fromClassID, e.toClassID], store: store), store: store)
        case .studentWithdrawn(let e):
            try workLessonChanges(reaching: classTargets(ofStudent: e.studentID, and: [e.classID], store: store), store: store)
        case .studyGroupFormed(let e):
            try workLessonChanges(reaching: [JournalIndexProjection.targetKey(.group(e.groupID))], store: store)
        case .studyGroupMembershipChanged(let e):
            try workLessonChanges(reaching: [JournalIndexProjection.targetKey(.group(e.groupID))], store: store)
        case .streamFormed(let e):
            try workLessonChanges(reaching: [JournalIndexProjection.targetKey(.teachingStream(e.teachingStreamID))], store: store)
        default:
            break
        }
    }

    /// Follows a void, or its lifting, of `positions` (those before the
    /// record being applied): works out again every source whose messages
    /// read what those records said.
    ///
    /// Not while the runtime folds a stream again up to an earlier record:
    /// what that record's void changed was followed when it was first
    /// applied, and the void that starts the fold again follows its own.
    private static func follow(_ positions: [UInt64], before position: UInt64, store: borrowing ProjectionStore) throws {
        guard !store.isFoldingAgain else { return }
        var sources = Set<UInt64>()
        var students = Set<StudentID>()
        var allLessonChanges = false
        for changed in positions where changed < position {
            guard let view = try store.record(at: changed, includingExcluded: true) else { continue }
            if try isSource(changed, store: store) { sources.insert(changed) }
            let stream = view.stream
            guard let slash = stream.firstIndex(of: "/") else { continue }
            let id = String(stream[stream.index(after: slash)...])
            switch stream[..<slash] {
            case "mark", "lesson":
                // The other sources of the stream, and the voids of its records, read the mark's student or the lesson as it stood.
                sources.formUnion(try self.sources(inStream: stream, store: store))
                sources.formUnion(try listed("outbox-by-mark", under: stream, store: store))
            case "student":
                students.insert(StudentID(id))
                // An enrolment, transfer or withdrawal changes who a lesson change reaches.
                allLessonChanges = true
            case "parent":
                try store.forEach("students-by-parent", prefix: RowKey.prefix(id)) { key, _ in
                    students.insert(StudentID(RowKey.last(key)))
                    return true
                }
            case "notification":
                try refreshNotification(NotificationID(id), store: store)
            case "group", "teaching-stream":
                allLessonChanges = true
            default:
                break
            }
        }
        for student in students { sources.formUnion(try listed("outbox-by-student", under: student.rawValue, store: store)) }
        if allLessonChanges {
            try store.forEach("outbox-by-target") { key, _ in
                sources.insert(UInt64(bigEndianKey: UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])))
                return true
            }
        }
        for source in sources.sorted() { try work(source, store: store) }
    }

    /// The sources listed in `db` under `name`.
    private static func listed(_ db: String, under name: String, store: borrowing ProjectionStore) throws -> [UInt64] {
        var sources = [UInt64]()
        try store.forEach(db, prefix: RowKey.prefix(name)) { key, _ in
            sources.append(UInt64(bigEndianKey: UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])))
            return true
        }
        return sources
    }

    /// The targets whose students a change of `student`'s class changes:
    /// every class of the student's history (a withdrawal or a backdated
    /// change ends a stay in another class than the one it names) and
    /// `classes`, and the teaching streams they are in.
    private static func classTargets(ofStudent student: StudentID, and classes: [ClassID], store: borrowing ProjectionStore) throws
        -> [String]
    {
        var targets = [String]()
        let history = try JournalRows.classChanges(of: student, rows: store).compactMap(\.classID)
        for c in Set(history + classes).sorted() {
            targets.append(JournalIndexProjection.targetKey(.class(c)))
            try store.forEach("streams-by-class", prefix: RowKey.prefix(c.rawValue)) { key, _ in
                targets.append(JournalIndexProjection.targetKey(.teachingStream(TeachingStreamID(RowKey.last(key)))))
                return true
            }
        }
        return targets
    }

    /// Works out again the lesson changes of `targets`.
    private static func workLessonChanges(reaching targets: [String], store: borrowing ProjectionStore) throws {
        var sources = Set<UInt64>()
        for target in targets { sources.formUnion(try listed("outbox-by-target", under: target, store: store)) }
        for source in sources.sorted() { try work(source, store: store) }
    }

    /// The sources among the records of `stream` the model keeps.
    private static func sources(inStream stream: String, store: borrowing ProjectionStore) throws -> [UInt64] {
        var sources = [UInt64]()
        try store.forEachRecord(inStream: stream) { record in
            if try isSource(record.position, store: store) { sources.append(record.position) }
            return true
        }
        return sources
    }

    private static func workSources(inStream stream: String, store: borrowing ProjectionStore) throws {
        for source in try sources(inStream: stream, store: store) { try work(source, store: store) }
    }

    private static func isSource(_ position: UInt64, store: borrowing ProjectionStore) throws -> Bool {
        try store.get("notification-sources", key: position.bigEndianKey) != nil
    }

    /// Works out the messages the source at `position` owes, as the outbox's
    /// folds give them now, and writes them in place of the ones it had:
    /// none when the model excludes the source.
    ///
    /// A source after the record being applied (met while the runtime folds
    /// a stream again up to an earlier record) is left as it is: the log
    /// that far does not show it, and the void that started the fold again
    /// works out what it changed once it is applied.
    static func work(_ position: UInt64, store: borrowing ProjectionStore) throws {
        guard let view = try store.record(at: position, includingExcluded: true) else { return }
        let prefix = position.bigEndianKey
        // What the source's rows hold now, to write only what changes (the model keeps each change's history).
        var old = [[UInt8]: (db: String, value: [UInt8])]()
        for db in ["outbox-owed", "outbox-settled"] {
            try store.forEach(db, prefix: prefix) { key, value in
                old[Array(key)] = (db, Array(value))
                return true
            }
        }
        let messages = try store.isExcluded(position) ? [] : messages(of: view, store: store)
        for (i, message) in messages.enumerated() {
            let key = prefix + place(i)
            let db = try state(message.message.notificationID, rows: store).isSettled ? "outbox-settled" : "outbox-owed"
            let value = message.encoded()
            let before = old.removeValue(forKey: key)
            if let before, before.db == db, before.value == value { continue }
            if let before, before.db != db { try store.delete(before.db, key: key) }
            try store.put(db, key: key, value: value)
        }
        for (key, stale) in old { try store.delete(stale.db, key: key) }
    }

    /// The messages the source `view` (kept by the model) owes, in the
    /// fold's order, and the source listed under its students (and a lesson
    /// change under its target).
    private static func messages(of view: RecordView, store: borrowing ProjectionStore) throws -> [Message] {
        let position = view.position
        guard let recorded = EventCoding.decodedEntry(view) else { return [] }
        var folds = JournalFacts()
        var messages = [Message]()
        // Whether the source is the record being applied (nothing after it shows).
        let isApplied = try store.record(at: position + 1, includingExcluded: true) == nil
        switch recorded.entry.event {
        case .operationsVoided(let voids):
            for voided in voids.voidedPositions {
                guard let voidedView = try store.record(at: voided, includingExcluded: true),
                    let entry = EventCoding.decodedEntry(voidedView)
                else { continue }
                if voidedView.stream.hasPrefix("mark/") {
                    try putOnce("outbox-by-mark", key: RowKey.prefix(voidedView.stream) + position.bigEndianKey, store: store)
                }
                for about in try folds.notices(entry, index: store) where about.reason.topic == .marks {
                    try note(about, store: store)
                    for message in try folds.messages(about: about, reason: .voidedMark, index: store) {
                        var correction = message.message
                        correction.notificationID = NotificationID(
                            "\(position)-void-\(voided)-\(message.message.parentID)-\(message.message.channel)")
                        correction.aboutPosition = voided
                        correction.value = nil
                        messages.append(Message(message: correction, afterDelivery: message.deliveredID))
                    }
                }
            }
        default:
            switch recorded.entry.event {
            case .lessonRescheduled(let e): try noteTarget(of: e.lessonID, before: position, store: store)
            case .lessonCancelled(let e): try noteTarget(of: e.lessonID, before: position, store: store)
            default: break
            }
            for about in try folds.notices(recorded, index: store) {
                try note(about, store: store)
                // Applied for the first time, the source is the record being applied: the parents' rows
                // show the parents as they stood at it, and answer without decoding their streams.
                let owed =
                    store.isFoldingAgain || !isApplied
                    ? try folds.messages(about: about, reason: about.reason, index: store)
                    : JournalFacts.messages(about: about, reason: about.reason, parents: try parentsNow(of: about.studentID, rows: store))
                for message in owed { messages.append(Message(message: message.message, afterDelivery: nil)) }
            }
        }
        return messages
    }

    /// The parents linked to `student` as the rows stand, with their
    /// channels and consent: ``JournalFacts/messages(about:reason:index:)``'s
    /// parents when the rows stand at the notice.
    private static func parentsNow(of student: StudentID, rows: borrowing ProjectionStore) throws -> [JournalFacts.NoticedParent] {
        var linked = [ParentID: Bool]()
        for link in try ParentRows.student(student, rows: rows).links { linked[link.parentID] = link.linked }
        return try linked.filter(\.value).keys.sorted().map { parent in
            let fold = try ParentRows.parent(parent, rows: rows)
            return JournalFacts.NoticedParent(
                parentID: parent, channels: fold.topics, allowsElectronicAccess: fold.consent[student]?.allowsElectronicAccess ?? false)
        }
    }

    /// Lists the source of `notice` under its student.
    private static func note(_ notice: JournalFacts.Notice, store: borrowing ProjectionStore) throws {
        try putOnce("outbox-by-student", key: RowKey.prefix(notice.studentID.rawValue) + notice.position.bigEndianKey, store: store)
    }

    /// Lists a lesson change under the target of its lesson, as it stood before.
    private static func noteTarget(of lesson: LessonID, before position: UInt64, store: borrowing ProjectionStore) throws {
        var events = [SchoolEvent]()
        try store.forEachRecord(inStream: SchoolStream.lesson(lesson)) { view in
            guard view.position < position else { return false }
            if let event = EventCoding.decodedEvent(view) { events.append(event) }
            return true
        }
        guard let target = SchoolFolds.lesson(events)?.target else { return }
        try putOnce("outbox-by-target", key: RowKey.prefix(JournalIndexProjection.targetKey(target)) + position.bigEndianKey, store: store)
    }

    /// Folds the reports on notification `id` into its state, and moves its
    /// message between owed and settled.
    /// Not while the runtime folds the stream again up to an earlier record
    /// (the reports after it do not show there): the void that starts the
    /// fold again refreshes what it changed.
    private static func refreshNotification(_ id: NotificationID, store: borrowing ProjectionStore) throws {
        guard !store.isFoldingAgain else { return }
        var state = NotificationState()
        try store.forEachRecord(inStream: SchoolStream.notification(id)) { view in
            switch EventCoding.decodedEvent(view) {
            case .notificationDelivered: state.delivered = true
            case .notificationFailed(let e):
                state.failures += 1
                if e.permanent { state.failedForGood = true }
            default: break
            }
            return true
        }
        let key = Array(id.rawValue.utf8)
        guard try self.state(id, rows: store) != state else { return }
        if state == NotificationState() {
            try store.delete("notification-state", key: key)
        } else {
            try store.put("notification-state", key: key, value: state.encoded())
        }
        // The message's source is the position its id begins with.
        guard let dash = id.rawValue.firstIndex(of: "-"), let source = UInt64(id.rawValue[..<dash]) else { return }
        var moves = [(from: String, key: [UInt8], value: [UInt8])]()
        for db in ["outbox-owed", "outbox-settled"] where (db == "outbox-settled") != state.isSettled {
            try store.forEach(db, prefix: source.bigEndianKey) { key, value in
                let message = Message(decoding: Array(value))
                if message.message.notificationID == id { moves.append((db, Array(key), Array(value))) }
                return true
            }
        }
        for move in moves {
            try store.delete(move.from, key: move.key)
            try store.put(move.from == "outbox-owed" ? "outbox-settled" : "outbox-owed", key: move.key, value: move.value)
        }
    }

    /// Lists `key` in an index that only grows (written once: the model keeps each write's history).
    private static func putOnce(_ db: String, key: [UInt8], store: borrowing ProjectionStore) throws {
        if try store.get(db, key: key) == nil { try store.put(db, key: key, value: []) }
    }

    private static func place(_ i: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: i >> (24 - 8 * $0)) } }

    // MARK: Reading the rows

    /// The messages owed now, oldest source first, at most `limit`: those
    /// not settled whose parent may get them now (still linked, consent
    /// registered, the channel on for the topic) and, for a void's
    /// correction, whose first message was delivered.
    static func owed(limit: Int, rows: borrowing some RowSource & ~Copyable) throws -> [OutboxMessage] {
        var owed = [OutboxMessage]()
        guard limit > 0 else { return owed }
        var parents = [ParentID: ParentRows.ParentFold]()
        var students = [StudentID: ParentRows.StudentParents]()
        try rows.forEach("outbox-owed", prefix: [], from: nil) { _, value in
            let row = Message(decoding: Array(value))
            var message = row.message
            if let first = row.afterDelivery, try !state(first, rows: rows).delivered { return true }
            let links = try students[message.studentID] ?? ParentRows.student(message.studentID, rows: rows)
            students[message.studentID] = links
            let parent = try parents[message.parentID] ?? ParentRows.parent(message.parentID, rows: rows)
            parents[message.parentID] = parent
            guard links.links.last(where: { $0.parentID == message.parentID })?.linked == true,
                parent.consent[message.studentID]?.allowsElectronicAccess ?? false,
                parent.topics[message.channel]?.contains(message.reason.topic) ?? false
            else { return true }
            if row.afterDelivery == nil { message.failedAttempts = try state(message.notificationID, rows: rows).failures }
            owed.append(message)
            return owed.count < limit
        }
        return owed
    }

    private static func state(_ id: NotificationID, rows: borrowing some RowSource & ~Copyable) throws -> NotificationState {
        try rows.get("notification-state", key: Array(id.rawValue.utf8)).map(NotificationState.init(decoding:)) ?? NotificationState()
    }

    // MARK: The rows' values

    /// What the reports on a notification say.
    struct NotificationState: Equatable {
        var delivered = false
        var failedForGood = false
        var failures = 0

        var isSettled: Bool { delivered || failedForGood }

        init() {}

        func encoded() -> [UInt8] {
            var row = RowWriter()
            row.bool(delivered)
            row.bool(failedForGood)
            row.int(failures)
            return row.bytes
        }

        init(decoding bytes: [UInt8]) {
            var row = RowReader(bytes)
            delivered = row.bool()
            failedForGood = row.bool()
            failures = row.int()
        }
    }

    /// A message a source owes; a void's correction is owed only once the
    /// message it corrects (`afterDelivery`) was delivered.
    struct Message {
        var message: OutboxMessage
        var afterDelivery: NotificationID?

        init(message: OutboxMessage, afterDelivery: NotificationID?) {
            self.message = message
            self.afterDelivery = afterDelivery
        }

        func encoded() -> [UInt8] {
            var row = RowWriter()
            row.string(message.notificationID.rawValue)
            row.string(message.parentID.rawValue)
            row.string(message.studentID.rawValue)
            row.int(NotificationChannel.allCases.firstIndex(of: message.channel) ?? 0)
            row.uint(message.aboutPosition)
            row.string(message.reason.rawValue)
            row.optional(message.markID?.rawValue)
            row.optional(message.value?.text)
            row.optional(message.lessonID?.rawValue)
            row.optional(message.newDate?.description)
            row.optional(afterDelivery?.rawValue)
            return row.bytes
        }

        init(decoding bytes: [UInt8]) {
            var row = RowReader(bytes)
            let id = NotificationID(row.string())
            let parent = ParentID(row.string())
            let student = StudentID(row.string())
            let channel = ParentRows.item(NotificationChannel.self, row.int()) ?? .sms
            let about = row.uint()
            let reason = OutboxMessage.Reason(rawValue: row.string()) ?? .newMark
            message = OutboxMessage(
                notificationID: id, parentID: parent, studentID: student, channel: channel, aboutPosition: about, reason: reason,
                markID: row.optional().map { MarkID($0) }, value: row.optional().flatMap { MarkValue(text: $0) },
                lessonID: row.optional().map { LessonID($0) }, newDate: row.optional().flatMap { CivilDate($0) }, failedAttempts: 0)
            afterDelivery = row.optional().map { NotificationID($0) }
        }
    }
}
