import EventLedger

/// The rows of the parents' views (clauses 1–4 of the instruction: who is
/// told of what, consent and refusal, acknowledgements, paper extracts,
/// credentials), kept like ``JournalRows``' stream rows: an event of the
/// stream writes its row again from the stream's events the model keeps, and
/// a void re-folds the stream through ``reset(stream:id:store:)``.
///
/// - `parent-rows`: a parent → the fold of the parent's stream (services
///   told of, consent and refusal, acknowledgements per child; notification
///   channels switched on).
/// - `student-parents`: a student → the parents linked and unlinked, with
///   their dates, and the paper extracts handed over, in the stream's order.
/// - `account-rows`: an account → its credentials (issued, last reset, channel).
///
/// Enumerations are stored as their index among `allCases`: a case added at
/// the end keeps the rows readable; reordering cases needs a new model version.
enum ParentRows {
    /// The databases (beside the journal index's own).
    static let databases = ["parent-rows", "student-parents", "account-rows"]

    // MARK: Keeping the rows

    /// Writes the rows `event` changes: the row of the event's own stream.
    static func apply(_ event: SchoolEvent, store: borrowing ProjectionStore) throws {
        let stream = event.stream
        guard let slash = stream.firstIndex(of: "/") else { return }
        let id = String(stream[stream.index(after: slash)...])
        switch event {
        case .parentsInformedOfServices, .notificationPreferenceSet, .diaryAcknowledged, .consentGiven, .consentWithdrawn,
            .electronicFormRefused:
            try refreshParent(ParentID(id), store: store)
        case .parentLinked, .parentUnlinked, .paperExtractIssued: try refreshStudent(StudentID(id), store: store)
        case .credentialsIssued, .credentialsReset, .accessRulesExplained: try refreshAccount(AccountID(id), store: store)
        default: break
        }
    }

    /// Deletes the rows of a stream (`kind`/`id`) before the runtime folds its kept records again.
    static func reset(stream kind: Substring, id: String, store: borrowing ProjectionStore) throws {
        switch kind {
        case "parent": try store.delete("parent-rows", key: Array(id.utf8))
        case "student": try store.delete("student-parents", key: Array(id.utf8))
        case "account": try store.delete("account-rows", key: Array(id.utf8))
        default: break
        }
    }

    /// The kept events of `stream` up to the record being applied, with when each was recorded.
    private static func events(_ stream: String, store: borrowing ProjectionStore) throws -> [(SchoolEvent, Instant)] {
        var events = [(SchoolEvent, Instant)]()
        try store.forEachRecord(inStream: stream) { view in
            if let event = EventCoding.decodedEvent(view) { events.append((event, view.recordedAt)) }
            return true
        }
        return events
    }

    /// Puts `row`, or deletes the key when there is nothing to keep.
    private static func write(_ db: String, _ key: String, _ row: [UInt8]?, store: borrowing ProjectionStore) throws {
        if let row { try store.put(db, key: Array(key.utf8), value: row) } else { try store.delete(db, key: Array(key.utf8)) }
    }

    private static func refreshParent(_ id: ParentID, store: borrowing ProjectionStore) throws {
        let fold = ParentFold(try events(SchoolStream.parent(id), store: store).map(\.0))
        try write("parent-rows", id.rawValue, fold.isEmpty ? nil : fold.encoded(), store: store)
    }

    private static func refreshStudent(_ id: StudentID, store: borrowing ProjectionStore) throws {
        let fold = StudentParents(try events(SchoolStream.student(id), store: store).map(\.0))
        try write("student-parents", id.rawValue, fold.isEmpty ? nil : fold.encoded(), store: store)
    }

    private static func refreshAccount(_ id: AccountID, store: borrowing ProjectionStore) throws {
        var state: CredentialState?
        for (event, recordedAt) in try events(SchoolStream.account(id), store: store) {
            switch event {
            case .credentialsIssued(let e):
                state = CredentialState(accountID: id, issuedAt: recordedAt, lastResetAt: nil, channel: e.channel)
            case .credentialsReset(let e):
                state?.lastResetAt = recordedAt
                state?.channel = e.channel
            case .accessRulesExplained:
                state?.accessRulesExplainedAt = recordedAt
            default: break
            }
        }
        try write("account-rows", id.rawValue, state.map(encode), store: store)
    }

    // MARK: Reading the rows

    /// What `parent` registered (empty when nothing).
    static func parent(_ id: ParentID, rows: borrowing some RowSource & ~Copyable) throws -> ParentFold {
        try rows.get("parent-rows", key: Array(id.rawValue.utf8)).map(ParentFold.init(decoding:)) ?? ParentFold([])
    }

    /// The parents linked to `student` and the extracts handed over.
    static func student(_ id: StudentID, rows: borrowing some RowSource & ~Copyable) throws -> StudentParents {
        try rows.get("student-parents", key: Array(id.rawValue.utf8)).map(StudentParents.init(decoding:)) ?? StudentParents([])
    }

    /// The credentials of `account`, if issued.
    static func credentials(_ id: AccountID, rows: borrowing some RowSource & ~Copyable) throws -> CredentialState? {
        try rows.get("account-rows", key: Array(id.rawValue.utf8)).map { decodeCredentials(id, $0) }
    }

    // MARK: The folds and their encoding

    /// The fold of a parent's stream.
    struct ParentFold: Equatable {
        var informed = [StudentID: Set<ParentService>]()
        var acknowledgedUpToDate = [StudentID: CivilDate]()
        var acknowledgedUpToPosition = [StudentID: UInt64]()
        var notifications = [NotificationChannel: Bool]()
        /// The topics each channel is on for (none when switched off).
        var topics = [NotificationChannel: Set<NotificationTopic>]()
        var consent = [StudentID: SchoolFolds.Consent]()

        var isEmpty: Bool { self == ParentFold([]) }

        init(_ events: [SchoolEvent]) {
            for event in events {
                switch event {
                case .parentsInformedOfServices(let e): informed[e.studentID, default: []].formUnion(e.services)
                case .notificationPreferenceSet(let e):
                    notifications[e.channel] = e.enabled
                    topics[e.channel] = e.enabled ? e.effectiveTopics : []
                case .diaryAcknowledged(let e):
                    if let d = e.upToDate { acknowledgedUpToDate[e.studentID] = max(acknowledgedUpToDate[e.studentID] ?? d, d) }
                    if let p = e.upToPosition { acknowledgedUpToPosition[e.studentID] = max(acknowledgedUpToPosition[e.studentID] ?? p, p) }
                default: break
                }
            }
            consent = SchoolFolds.consent(events)
        }

        func encoded() -> [UInt8] {
            var row = RowWriter()
            let students = Set(informed.keys).union(acknowledgedUpToDate.keys).union(acknowledgedUpToPosition.keys)
                .union(consent.keys).sorted()
            row.int(students.count)
            for student in students {
                row.string(student.rawValue)
                let services = informed[student].map { set in
                    ParentService.allCases.indices.filter { set.contains(ParentService.allCases[$0]) }
                }
                row.int(services?.count ?? -1)
                for i in services ?? [] { row.int(i) }
                row.optional(acknowledgedUpToDate[student]?.description)
                // Any UInt64 a parent's acknowledgement names, stored by its bits.
                row.bool(acknowledgedUpToPosition[student] != nil)
                if let position = acknowledgedUpToPosition[student] { row.uint(position) }
                row.int(consent[student].map { ($0.given ? 1 : 0) | ($0.refused ? 2 : 0) } ?? -1)
            }
            row.int(notifications.count)
            for (i, channel) in NotificationChannel.allCases.enumerated() {
                if let on = notifications[channel] {
                    row.int(i)
                    row.bool(on)
                    let topics = NotificationTopic.allCases.indices.filter {
                        self.topics[channel]?.contains(NotificationTopic.allCases[$0]) ?? false
                    }
                    row.int(topics.count)
                    for t in topics { row.int(t) }
                }
            }
            return row.bytes
        }

        init(decoding bytes: [UInt8]) {
            var row = RowReader(bytes)
            for _ in 0..<max(0, row.int()) {
                let student = StudentID(row.string())
                let count = row.int()
                if count >= 0 { informed[student] = Set((0..<count).compactMap { _ in ParentRows.item(ParentService.self, row.int()) }) }
                if let date = row.optional().flatMap(CivilDate.init) { acknowledgedUpToDate[student] = date }
                if row.bool() { acknowledgedUpToPosition[student] = row.uint() }
                let flags = row.int()
                if flags >= 0 { consent[student] = SchoolFolds.Consent(given: flags & 1 != 0, refused: flags & 2 != 0) }
            }
            for _ in 0..<max(0, row.int()) {
                let channel = ParentRows.item(NotificationChannel.self, row.int())
                let on = row.bool()
                let onTopics = Set((0..<max(0, row.int())).compactMap { _ in ParentRows.item(NotificationTopic.self, row.int()) })
                if let channel {
                    notifications[channel] = on
                    topics[channel] = onTopics
                }
            }
        }
    }

    /// The parent links and paper extracts of a student's stream, in its order.
    struct StudentParents: Equatable {
        struct Link: Equatable {
            var parentID: ParentID
            var effectiveDate: CivilDate
            var linked: Bool
        }
        var links = [Link]()
        var extracts = [(parentID: ParentID, extractID: ExtractID)]()

        var isEmpty: Bool { links.isEmpty && extracts.isEmpty }

        init(_ events: [SchoolEvent]) {
            for event in events {
                switch event {
                case .parentLinked(let e): links.append(Link(parentID: e.parentID, effectiveDate: e.effectiveDate, linked: true))
                case .parentUnlinked(let e): links.append(Link(parentID: e.parentID, effectiveDate: e.effectiveDate, linked: false))
                case .paperExtractIssued(let e): extracts.append((e.parentID, e.extractID))
                default: break
                }
            }
        }

        /// The parents linked on `date` (a later link or unlink in the stream wins), sorted.
        func parents(on date: CivilDate) -> [ParentID] {
            var linked = [ParentID: Bool]()
            for link in links where link.effectiveDate <= date { linked[link.parentID] = link.linked }
            return linked.filter(\.value).keys.sorted()
        }

        /// The extracts handed over to `parent`, in order.
        func extracts(for parent: ParentID) -> [ExtractID] { extracts.filter { $0.parentID == parent }.map(\.extractID) }

        static func == (a: StudentParents, b: StudentParents) -> Bool {
            a.links == b.links && a.extracts.elementsEqual(b.extracts) { $0.parentID == $1.parentID && $0.extractID == $1.extractID }
        }

        func encoded() -> [UInt8] {
            var row = RowWriter()
            row.int(links.count)
            for link in links {
                row.string(link.parentID.rawValue)
                row.string(link.effectiveDate.description)
                row.bool(link.linked)
            }
            row.int(extracts.count)
            for extract in extracts {
                row.string(extract.parentID.rawValue)
                row.string(extract.extractID.rawValue)
            }
            return row.bytes
        }

        init(decoding bytes: [UInt8]) {
            var row = RowReader(bytes)
            for _ in 0..<max(0, row.int()) {
                let parent = ParentID(row.string())
                let date = CivilDate(row.string()) ?? CivilDate("1970-01-01")!
                links.append(Link(parentID: parent, effectiveDate: date, linked: row.bool()))
            }
            for _ in 0..<max(0, row.int()) {
                let parent = ParentID(row.string())
                extracts.append((parent, ExtractID(row.string())))
            }
        }
    }

    private static func encode(_ state: CredentialState) -> [UInt8] {
        var row = RowWriter()
        row.int(Int(state.issuedAt.microsecondsSinceEpoch))
        row.optional(state.lastResetAt.map { String($0.microsecondsSinceEpoch) })
        row.int(CredentialChannel.allCases.firstIndex(of: state.channel) ?? 0)
        // Last, so that a row written before the field reads as "not told".
        row.optional(state.accessRulesExplainedAt.map { String($0.microsecondsSinceEpoch) })
        return row.bytes
    }

    private static func decodeCredentials(_ id: AccountID, _ bytes: [UInt8]) -> CredentialState {
        var row = RowReader(bytes)
        let issued = Instant(microsecondsSinceEpoch: Int64(row.int()))
        let reset = row.optional().flatMap(Int64.init).map(Instant.init(microsecondsSinceEpoch:))
        let channel = item(CredentialChannel.self, row.int()) ?? .paper
        let explained = row.optional().flatMap(Int64.init).map(Instant.init(microsecondsSinceEpoch:))
        return CredentialState(
            accountID: id, issuedAt: issued, lastResetAt: reset, channel: channel, accessRulesExplainedAt: explained)
    }

    /// The case at `index` of `allCases` (`nil` out of range: a damaged row).
    static func item<E: CaseIterable>(_ type: E.Type, _ index: Int) -> E?
    where E.AllCases: RandomAccessCollection, E.AllCases.Index == Int {
        let all = E.allCases
        return all.indices.contains(index) ? all[index] : nil
    }
}
