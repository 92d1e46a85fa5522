import EventLedger

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
            let folds = JournalFacts()
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
            noticePosition: notice, before: before, after: after, signatureKeyID: r.entry.signature?.keyID)
    }
}

extension SchoolJournal {
    /// The breach notices (of one account, or all), oldest first, with their
    /// windows, the operations they voided, the suspect operations between
    /// discovery and receipt, withdrawals, and late reports (received more
    /// than an hour after discovery). As of now, or as the ledger stood at
    /// `asOf` (ledger time).
    func compromiseAudit(account: AccountID? = nil, asOf: AsOf = .now) throws -> [CompromiseNoticeAudit] {
        try ledger.read { reader in
            let last: UInt64
            switch asOf {
            case .now: last = try reader.lastPosition()
            case .position(let p): last = min(p, try reader.lastPosition())
            case .instant(let i): last = try reader.position(atOrBefore: i)
            }
            let register = try CompromiseRegister.read(reader, through: last)
            let rule = try ClauseEleven.evaluate(reader, through: last)
            var audits = [CompromiseNoticeAudit]()
            for notice in register.notices where account.map({ $0 == notice.notice.accountID }) ?? true {
                let changes = try Invalidator.credentialChanges(of: notice.notice.accountID, reader: reader).filter { $0.position <= last }
                var voided = [AuditedOperation]()
                for voidEvent in register.voidEvents[notice.position] ?? [] {
                    guard let view = try reader.record(at: voidEvent),
                        case .operationsVoided(let e) = EventCoding.decodedEvent(view)
                    else { continue }
                    for position in e.voidedPositions {
                        if let op = try Self.audited(position, reader: reader, voided: register.allVoided) { voided.append(op) }
                    }
                }
                let judged = rule.notice(at: notice.position)
                let window = judged?.window ?? notice.window(closedBy: changes)
                var pendingVoids = [AuditedOperation]()
                if let pending = judged?.pendingOpening {
                    try reader.forEach(byActor: notice.notice.accountID.rawValue, recordedIn: pending..<window.opensAt) { view in
                        if view.position <= last, !ClauseEleven.derivedTypes.contains(view.type),
                            let op = try Self.audited(view.position, reader: reader, voided: register.allVoided)
                        {
                            pendingVoids.append(op)
                        }
                        return true
                    }
                }
                var suspect = [AuditedOperation]()
                let opensAt = min(judged?.pendingOpening ?? window.opensAt, window.opensAt)
                if let discovered = notice.notice.discoveredAt, discovered < opensAt {
                    try reader.forEach(byActor: notice.notice.accountID.rawValue, recordedIn: discovered..<opensAt) { view in
                        if view.position <= last, !SchoolEvent.exemptFromVoiding.contains(view.type),
                            let op = try Self.audited(view.position, reader: reader, voided: register.allVoided)
                        {
                            suspect.append(op)
                        }
                        return true
                    }
                }
                let delay = notice.notice.discoveredAt.map { (opensAt.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) / 1_000_000 }
                audits.append(
                    CompromiseNoticeAudit(
                        position: notice.position, accountID: notice.notice.accountID, reportedBy: notice.notice.reportedBy,
                        reporter: "\(notice.notice.reporter)", enteredAt: notice.recordedAt, discoveredAt: notice.notice.discoveredAt,
                        receivedByHeadAt: notice.notice.receivedByHeadAt, receivedBySupportAt: notice.notice.receivedBySupportAt,
                        window: window, pendingOpening: judged?.pendingOpening, pendingVoids: pendingVoids,
                        isEffective: judged?.isEffective ?? true,
                        isLate: (delay ?? 0) > 3600, secondsFromDiscoveryToReceipt: delay,
                        withdrawnAtPosition: judged?.withdrawnBy ?? notice.withdrawnAt, voided: voided.sorted { $0.position < $1.position },
                        suspect: suspect))
            }
            return audits
        }
    }

    private static func audited(_ position: UInt64, reader: borrowing LedgerReader, voided: Set<UInt64>) throws -> AuditedOperation? {
        guard let view = try reader.record(at: position), let entry = EventCoding.decodedEntry(view)?.entry else { return nil }
        return AuditedOperation(
            position: position, recordedAt: view.recordedAt, eventType: entry.event.eventType,
            summary: entry.event.summary, isVoid: voided.contains(position))
    }
}

extension SchoolEvent {
    /// What the event did, in a line of ids and values (no personal data).
    public var summary: String {
        switch self {
        case .markRecorded(let e): "mark \(e.markID): \(e.value) (weight \(e.weight)) for \(e.studentID) in \(e.lessonID), \(e.subjectID)"
        case .markCorrected(let e): "mark \(e.markID) corrected to \(e.newValue): \(e.reason)"
        case .markCancelled(let e): "mark \(e.markID) cancelled: \(e.reason)"
        case .attendanceMarked(let e): "\(e.studentID) \(e.status) in \(e.lessonID)"
        case .attendanceCorrected(let e): "\(e.studentID) corrected to \(e.newStatus) in \(e.lessonID)"
        case .finalMarkSet(let e): "final mark \(e.finalMarkID): \(e.value) for \(e.studentID), \(e.subjectID), \(e.periodID)"
        case .finalMarkCorrected(let e): "final mark \(e.finalMarkID) corrected to \(e.newValue): \(e.reason)"
        case .consentGiven(let e): "\(e.parentID) consents for \(e.studentID) (\(e.submittedVia))"
        case .consentWithdrawn(let e): "\(e.parentID) withdraws consent for \(e.studentID) (\(e.submittedVia))"
        case .electronicFormRefused(let e): "\(e.parentID) refuses the electronic form for \(e.studentID) (\(e.submittedVia))"
        case .diaryAcknowledged(let e):
            "\(e.parentID) acknowledges the diary of \(e.studentID) up to \(e.upToDate.map { "\($0)" } ?? e.upToPosition.map { "#\($0)" } ?? "?")"
        case .notificationPreferenceSet(let e): "\(e.parentID) turns \(e.channel) \(e.enabled ? "on" : "off")"
        case .credentialsIssued(let e): "credentials of \(e.accountID) issued (\(e.channel))"
        case .credentialsReset(let e): "credentials of \(e.accountID) reset (\(e.channel))"
        case .lessonConducted(let e): "\(e.lessonID) conducted"
        case .homeworkAssigned(let e): "homework \(e.homeworkID) in \(e.lessonID)"
        default: "\(eventType) in \(stream)"
        }
    }
}

extension SchoolJournal {
    /// The exposure of each notice in `audits`, read from the read log.
    func exposure(of audits: [CompromiseNoticeAudit]) throws -> [NoticeExposure] {
        guard !audits.isEmpty else { return [] }
        let accounts = Set(audits.map(\.accountID))
        let reads = try readLog().entries { accounts.contains($0.account) }
        return audits.map { audit in
            let mine = reads.filter { $0.account == audit.accountID }
            let windowReads = mine.filter { audit.window.contains($0.readAt) }.map(ExposedRead.init)
            let opening = min(audit.pendingOpening ?? audit.window.opensAt, audit.window.opensAt)
            let span = audit.discoveredAt.flatMap { $0 < opening ? $0..<opening : nil }
            let suspectReads = span.map { span in mine.filter { span.contains($0.readAt) }.map(ExposedRead.init) } ?? []
            let exposed = Set(windowReads.flatMap(\.subjects))
            return NoticeExposure(
                noticePosition: audit.position, accountID: audit.accountID, isEffective: audit.isEffective,
                window: audit.window, suspectSpan: span, windowReads: windowReads, suspectReads: suspectReads,
                exposedSubjects: exposed.sorted(),
                suspectSubjects: Set(suspectReads.flatMap(\.subjects)).subtracting(exposed).sorted())
        }
    }
}
