public import EventLedger

/// Whose history the auditor asks for (``AccountSession/auditHistory(of:asOf:)``).
public enum AuditSubject: Sendable, Hashable, CustomStringConvertible {
    /// A student: their own stream (enrolment, parents, recommendations,
    /// paper extracts), their marks and final marks, and the attendance
    /// facts about them in lessons.
    case student(StudentID)
    /// An account: every operation it recorded.
    case account(AccountID)
    /// A lesson: its own stream (schedule, moves, substitutions, conduct,
    /// attendance), the marks given in it and the homework set in it.
    case lesson(LessonID)

    /// `student S-1`, `account t-math`, `lesson L-2`.
    public var description: String {
        switch self {
        case .student(let id): "student \(id)"
        case .account(let id): "account \(id)"
        case .lesson(let id): "lesson \(id)"
        }
    }
}

/// A value an operation set or replaced: a mark (or final mark), or an
/// attendance fact. In JSON a single string: the journal's text of a mark
/// (`5`, `зач`, `н/а`) or the case name of an attendance status (`absentExcused`).
public enum HistoryValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A mark or a final mark.
    case mark(MarkValue)
    /// An attendance status.
    case attendance(AttendanceStatus)

    /// The mark's text (`5`, `зач`) or the attendance status's case name (`absent`).
    public var description: String {
        switch self {
        case .mark(let value): value.text
        case .attendance(let status): String(describing: status)
        }
    }

    /// Encodes ``description``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes an attendance status's case name or a mark's text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        if let status = AttendanceStatus.allCases.first(where: { String(describing: $0) == text }) {
            self = .attendance(status)
        } else if let mark = MarkValue(text: text) {
            self = .mark(mark)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is neither a mark nor an attendance status")
        }
    }
}

/// One operation in an auditor's history of a student, an account or a
/// lesson (``AccountSession/auditHistory(of:asOf:)``).
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// Whether the operation counts, as the ledger stood at the time asked about.
    public enum Status: String, Sendable, Hashable, Codable {
        /// It counts.
        case valid
        /// A breach notice voided it (clause 11): read models read as if it never happened.
        case void
        /// Its account recorded it between the stated discovery of a breach and
        /// the notice's receipt: it counts, but is flagged for the head to review.
        case suspect
    }

    /// Its log position.
    public var position: UInt64
    /// When the ledger recorded it.
    public var recordedAt: Instant
    /// When it happened in the school.
    public var occurredAt: Instant
    /// The account that performed it.
    public var actor: AccountID
    /// Its event type, e.g. `MarkCorrected`.
    public var eventType: String
    /// The stream it was appended to, e.g. `mark/M-1`.
    public var stream: String
    /// What it did, in a line of ids and values (``SchoolEvent/summary``).
    public var summary: String
    /// Valid, void or suspect.
    public var status: Status
    /// The position of the breach notice that voided it (``Status/void``) or
    /// under which it is suspect (``Status/suspect``); `nil` when valid.
    public var noticePosition: UInt64?
    /// For a correction or cancellation of a mark, final mark or attendance
    /// fact: the value it replaced (as the read models had it just before,
    /// void operations left out).
    public var before: HistoryValue?
    /// The value it set: a mark's or final mark's (new) value, an attendance
    /// status; `nil` for a cancellation and for other operations.
    public var after: HistoryValue?
}

extension SchoolJournal {
    /// Every operation concerning `subject`, oldest first, with who did it,
    /// when, what it did, whether it is valid, void (and under which notice)
    /// or suspect (and under which notice), and for corrections the value
    /// before and after. Void operations are shown, not hidden: this is the
    /// auditor's view.
    ///
    /// - A student: their stream, the streams of their marks and final marks,
    ///   and the attendance facts about them in the lessons of every class,
    ///   group and teaching stream they were ever taught in.
    /// - An account: every operation it recorded (the ledger's actor index).
    /// - A lesson: its stream, the streams of its marks and its homework.
    ///
    /// As of a past position or instant (ledger time), only what the ledger
    /// held then, with the statuses as they were then. A suspect operation
    /// is one recorded by a notice's account between its `discoveredAt` and
    /// the opening of its window (as in ``compromiseAudit(account:asOf:)``);
    /// notices withdrawn by then flag nothing (they were entered in error).
    ///
    /// - Throws: ``SchoolValidationError`` when the student or lesson was
    ///   never recorded, or the account neither recorded anything nor was
    ///   issued credentials.
    func auditHistory(of subject: AuditSubject, asOf: AsOf = .now) throws -> [HistoryEntry] {
        try ledger.read { reader in try Self.requireKnown(subject, reader: reader) }
        // The streams to read, found through the journal index as of `asOf`.
        var scope = HistoryScope()
        let last: UInt64 = try withIndex(asOf) { index in
            let folds = QueryFolds()
            switch subject {
            case .student(let student):
                scope.whole.insert(SchoolStream.student(student))
                for id in try folds.ids("marks-by-student", under: student.rawValue, index: index, parts: 3) {
                    scope.whole.insert(SchoolStream.mark(MarkID(id)))
                }
                for id in try folds.ids("finals-by-student", under: student.rawValue, index: index, parts: 4) {
                    scope.whole.insert(SchoolStream.finalMark(FinalMarkID(id)))
                }
                var targets: [TeachingTarget] = [.student(student)]
                var classes = Set<ClassID>()
                for event in try index.journalEntries(SchoolStream.student(student)).map(\.entry.event) {
                    switch event {
                    case .studentEnrolled(let e): classes.insert(e.classID)
                    case .studentTransferred(let e): classes.formUnion([e.fromClassID, e.toClassID])
                    default: break
                    }
                }
                for c in classes.sorted() {
                    targets.append(.class(c))
                    targets += try folds.ids("streams-by-class", under: c.rawValue, index: index).map {
                        .teachingStream(TeachingStreamID($0))
                    }
                }
                targets += try folds.ids("groups-by-student", under: student.rawValue, index: index).map { .group(StudyGroupID($0)) }
                for target in targets {
                    try index.forEach("lessons-by-target", prefix: RowKey.prefix(JournalIndexProjection.targetKey(target))) { key, _ in
                        let parts = RowKey.parts(key)
                        if parts.count == 4 { scope.attendance.insert(SchoolStream.lesson(LessonID(parts[3]))) }
                        return true
                    }
                }
            case .lesson(let lesson):
                scope.whole.insert(SchoolStream.lesson(lesson))
                for id in try folds.ids("marks-by-lesson", under: lesson.rawValue, index: index) {
                    scope.whole.insert(SchoolStream.mark(MarkID(id)))
                }
                for id in try folds.ids("homework-by-lesson", under: lesson.rawValue, index: index) {
                    scope.whole.insert(SchoolStream.homework(HomeworkID(id)))
                }
            case .account:
                break
            }
            return index.checkpoint
        }
        return try ledger.read { reader in
            let history = try HistoryReader(last: last, reader: reader)
            var entries = [UInt64: HistoryEntry]()
            switch subject {
            case .student(let student):
                for stream in scope.whole.sorted() {
                    let records = try history.records(inStream: stream, reader: reader)
                    for entry in history.entries(records, stream: stream) { entries[entry.position] = entry }
                    // The lessons of the student's marks, in case no class or group of theirs holds them.
                    for case .markRecorded(let e) in records.map(\.entry.event) { scope.attendance.insert(SchoolStream.lesson(e.lessonID)) }
                }
                for stream in scope.attendance.sorted() {
                    for entry in try history.entries(inStream: stream, reader: reader, about: student) {
                        entries[entry.position] = entry
                    }
                }
            case .lesson:
                for stream in scope.whole.sorted() {
                    for entry in try history.entries(inStream: stream, reader: reader) { entries[entry.position] = entry }
                }
            case .account(let account):
                var positions = [(position: UInt64, stream: String)]()
                try reader.forEach(byActor: account.rawValue, recordedIn: Instant.epoch..<Instant.latestValid) { view in
                    guard view.position <= last else { return false }
                    positions.append((view.position, view.stream))
                    return true
                }
                var folded = [String: [UInt64: HistoryEntry]]()
                for (position, stream) in positions {
                    if HistoryReader.carriesValues(stream) {
                        if folded[stream] == nil {
                            folded[stream] = Dictionary(
                                try history.entries(inStream: stream, reader: reader).map { ($0.position, $0) },
                                uniquingKeysWith: { a, _ in a })
                        }
                        if let entry = folded[stream]?[position] { entries[position] = entry }
                    } else if let view = try reader.record(at: position), let recorded = EventCoding.decodedEntry(view) {
                        entries[position] = history.entry(recorded, stream: stream, before: nil, after: nil)
                    }
                }
            }
            return entries.values.sorted { $0.position < $1.position }
        }
    }

    /// Throws when the ledger never held `subject`.
    private static func requireKnown(_ subject: AuditSubject, reader: borrowing LedgerReader) throws {
        switch subject {
        case .student(let id):
            guard try reader.streamVersion(SchoolStream.student(id)) > 0 else {
                throw SchoolValidationError(
                    eventType: "query", field: "student", value: id.rawValue, rule: "must name a student the ledger holds (StudentEnrolled)"
                )
            }
        case .lesson(let id):
            guard try reader.streamVersion(SchoolStream.lesson(id)) > 0 else {
                throw SchoolValidationError(
                    eventType: "query", field: "lesson", value: id.rawValue, rule: "must name a lesson the ledger holds (LessonScheduled)")
            }
        case .account(let id):
            guard try reader.eventCount(ofActor: id.rawValue) > 0 || reader.streamVersion(SchoolStream.account(id)) > 0 else {
                throw SchoolValidationError(
                    eventType: "query", field: "account", value: id.rawValue,
                    rule: "must name an account that recorded an operation or was issued credentials")
            }
        }
    }
}

/// The streams an audit history reads: whole streams, and lesson streams
/// read only for the attendance facts about one student.
private struct HistoryScope {
    var whole = Set<String>()
    var attendance = Set<String>()
}

/// Reads entries of the log up to a position with their statuses as they
/// stood then: the breach register folded to that position, void positions
/// with the notice that voided each, and the suspect intervals.
private struct HistoryReader {
    let last: UInt64
    private var register = CompromiseRegister()
    /// Per account, the intervals between discovery and receipt of its notices not withdrawn.
    private var suspectIntervals = [AccountID: [(range: Range<Instant>, notice: UInt64)]]()

    init(last: UInt64, reader: borrowing LedgerReader) throws {
        self.last = last
        let register = try CompromiseRegister.read(reader, through: last)
        for notice in register.notices where notice.withdrawnAt == nil {
            if let discovered = notice.notice.discoveredAt, discovered < notice.opensAt {
                suspectIntervals[notice.notice.accountID, default: []].append((discovered..<notice.opensAt, notice.position))
            }
        }
        self.register = register
    }

    /// Whether before / after values are folded from the stream: marks, final marks, lessons (attendance).
    static func carriesValues(_ stream: String) -> Bool {
        stream.hasPrefix("mark/") || stream.hasPrefix("final-mark/") || stream.hasPrefix("lesson/")
    }

    /// The stream's operations up to ``last``, oldest first.
    func records(inStream stream: String, reader: borrowing LedgerReader) throws -> [RecordedJournalEntry] {
        var recorded = [RecordedJournalEntry]()
        let last = self.last
        try reader.forEach(inStream: stream) { view in
            guard view.position <= last else { return false }
            if let entry = EventCoding.decodedEntry(view) { recorded.append(entry) }
            return true
        }
        return recorded
    }

    /// The stream's entries up to ``last`` (only the attendance facts about
    /// `student`, when given), with before / after values folded from the
    /// stream's operations that are not void.
    func entries(inStream stream: String, reader: borrowing LedgerReader, about student: StudentID? = nil) throws -> [HistoryEntry] {
        entries(try records(inStream: stream, reader: reader), stream: stream, about: student)
    }

    /// ``entries(inStream:reader:about:)`` over records already read.
    func entries(_ recorded: [RecordedJournalEntry], stream: String, about student: StudentID? = nil) -> [HistoryEntry] {
        var mark: MarkValue?
        var attendance = [StudentID: AttendanceStatus]()
        var out = [HistoryEntry]()
        for r in recorded {
            let counts = !register.allVoided.contains(r.position)
            var before: HistoryValue?, after: HistoryValue?
            var concerned = student == nil
            switch r.entry.event {
            case .markRecorded(let e):
                after = .mark(e.value)
                if counts { mark = e.value }
            case .markCorrected(let e):
                before = mark.map(HistoryValue.mark)
                after = .mark(e.newValue)
                if counts { mark = e.newValue }
            case .markCancelled:
                before = mark.map(HistoryValue.mark)
                if counts { mark = nil }
            case .finalMarkSet(let e):
                after = .mark(e.value)
                if counts { mark = e.value }
            case .finalMarkCorrected(let e):
                before = mark.map(HistoryValue.mark)
                after = .mark(e.newValue)
                if counts { mark = e.newValue }
            case .attendanceMarked(let e):
                after = .attendance(e.status)
                if counts { attendance[e.studentID] = e.status }
                concerned = concerned || e.studentID == student
            case .attendanceCorrected(let e):
                before = attendance[e.studentID].map(HistoryValue.attendance)
                after = .attendance(e.newStatus)
                if counts { attendance[e.studentID] = e.newStatus }
                concerned = concerned || e.studentID == student
            default:
                break
            }
            if concerned { out.append(entry(r, stream: stream, before: before, after: after)) }
        }
        return out
    }

    /// One entry with its status.
    func entry(_ r: RecordedJournalEntry, stream: String, before: HistoryValue?, after: HistoryValue?) -> HistoryEntry {
        var status = HistoryEntry.Status.valid
        var notice: UInt64?
        if register.allVoided.contains(r.position) {
            status = .void
            notice = register.voidedBy[r.position]
        } else if !r.entry.event.isExemptFromVoiding,
            let suspect = suspectIntervals[r.entry.actor]?.first(where: { $0.range.contains(r.recordedAt) })
        {
            status = .suspect
            notice = suspect.notice
        }
        return HistoryEntry(
            position: r.position, recordedAt: r.recordedAt, occurredAt: r.entry.occurredAt, actor: r.entry.actor,
            eventType: r.entry.event.eventType, stream: stream, summary: r.entry.event.summary, status: status,
            noticePosition: notice, before: before, after: after)
    }
}
