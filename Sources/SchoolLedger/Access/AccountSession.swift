public import EventLedger

/// One account's way into the journal: every command and every query is
/// checked against that account's rights (see the access policy in the
/// README's "Roles and rights") before anything is appended or read.
///
/// The embedding service authenticates the user itself (password, single
/// sign-on, Госуслуги), maps the user to their account id, and then works
/// through a session of that account:
///
/// ```swift
/// let teacher = journal.session(for: "teacher-ivanova")
/// try await teacher.record(.markRecorded(mark), occurredAt: lessonStart)
/// let page = try teacher.journalPage(subject: "MATH", target: .class("7A"), from: monday, to: friday)
/// ```
///
/// A refusal throws ``AccessDenied`` and leaves the ledger as it was. Every
/// query that shows a student's or parent's data also appends an entry to
/// the read log (``SchoolJournal/readLog()``): who, which view, whose data,
/// when, and the ``RequestContext`` the service passed.
public struct AccountSession: Sendable {
    /// The journal.
    public let journal: SchoolJournal
    /// The account everything is done on behalf of.
    public let account: AccountID
    /// Whether queries check the account's rights: `false` only in a session
    /// from ``SchoolJournal/trustedSession(for:context:)``. Commands are
    /// checked in every session.
    public let checksRights: Bool
    /// The request context every read of this session is logged with.
    public let context: RequestContext

    init(journal: SchoolJournal, account: AccountID, checksRights: Bool, context: RequestContext) {
        self.journal = journal
        self.account = account
        self.checksRights = checksRights
        self.context = context
    }

    // MARK: Commands

    /// Records `events` done by this account, atomically, after checking its
    /// rights, the field rules and the reference rules.
    @discardableResult
    public func record(_ events: [SchoolEvent], occurredAt: Instant) async throws -> AppendResult {
        try await journal.record(events.map { JournalEntry(event: $0, actor: account, occurredAt: occurredAt) })
    }

    /// Records one event; see ``record(_:occurredAt:)-([SchoolEvent],_)``. Give
    /// `id` to make a retried request idempotent.
    @discardableResult
    public func record(_ event: SchoolEvent, occurredAt: Instant, id: EventID = .generate()) async throws -> AppendResult {
        try await journal.record([JournalEntry(id: id, event: event, actor: account, occurredAt: occurredAt)])
    }

    /// Issues credentials for `holderAccount` with a fresh one-time activation
    /// code: the ledger records who, when and through which channel, and
    /// only the code's salted hash; the code itself is returned once. (A
    /// retry with the same `id` is refused as a changed event, since the new
    /// code differs: check ``SchoolJournal/verifyActivationCode(_:for:)`` or
    /// the parents' view instead of retrying blindly.)
    ///
    /// - Parameters:
    ///   - holderAccount: the account the credentials are for.
    ///   - person: the person who holds it.
    ///   - holder: whether a student, a parent or staff.
    ///   - channel: how the code is handed over.
    ///   - validFor: how long the code works, 14 days by default.
    ///   - occurredAt: when the credentials were issued in the school.
    ///   - id: the event's id; give one to retry.
    public func issueCredentials(
        account holderAccount: AccountID, person: PersonID, holder: AccountHolder, channel: CredentialChannel,
        validFor: Duration = .seconds(14 * 86_400), occurredAt: Instant,
        id: EventID = .generate()
    ) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsIssued(
            accountID: holderAccount, personID: person, holder: holder, channel: channel,
            activationCode: code.digest(expiresAt: expiresAt))
        let result = try await record(.credentialsIssued(event), occurredAt: occurredAt, id: id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    /// Resets the credentials of `holderAccount` with a fresh activation code
    /// (which also closes an open compromise window of that account).
    public func resetCredentials(
        account holderAccount: AccountID, channel: CredentialChannel, reason: String? = nil,
        validFor: Duration = .seconds(14 * 86_400), occurredAt: Instant,
        id: EventID = .generate()
    ) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsReset(
            accountID: holderAccount, channel: channel, activationCode: code.digest(expiresAt: expiresAt), reason: reason)
        let result = try await record(.credentialsReset(event), occurredAt: occurredAt, id: id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    /// Reports to the ledger that the embedding service delivered an outbox
    /// message; reporting the same message again changes nothing.
    @discardableResult
    public func reportDelivered(_ message: OutboxMessage, providerMessageID: String? = nil, occurredAt: Instant) async throws
        -> AppendResult
    {
        let event = NotificationDelivered(
            notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
            aboutPosition: message.aboutPosition, providerMessageID: providerMessageID)
        return try await record(.notificationDelivered(event), occurredAt: occurredAt, id: Self.deliveryReportID(message, attempt: 0))
    }

    /// Reports a failed delivery; a `permanent` failure settles the message,
    /// another leaves it in the outbox to be tried again.
    @discardableResult
    public func reportFailed(_ message: OutboxMessage, error: String? = nil, permanent: Bool, occurredAt: Instant) async throws
        -> AppendResult
    {
        let event = NotificationFailed(
            notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
            aboutPosition: message.aboutPosition, error: error, permanent: permanent)
        return try await record(
            .notificationFailed(event), occurredAt: occurredAt,
            id: Self.deliveryReportID(message, attempt: message.failedAttempts + 1))
    }

    /// The event id of a delivery report, derived from the message and the
    /// attempt, so a report resent after a crash is recognised as the same.
    static func deliveryReportID(_ message: OutboxMessage, attempt: Int) -> EventID {
        EventID.derived(from: "notification-report/\(message.notificationID)/\(attempt)")
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    // MARK: Queries

    /// Checks this account's right to `read` (unless this is a trusted
    /// session), runs `body`, and records the read in the read log with the
    /// data subjects `subjects` names in the result; views that show no
    /// one's data are not logged.
    func read<T>(_ read: SchoolRead, detail: String, subjects: (T) throws -> [DataSubject], _ body: () throws -> T) throws -> T {
        if checksRights { try journal.authorize(read, by: account) }
        let value = try body()
        let shown = try subjects(value)
        if !shown.isEmpty {
            try journal.readLog().record(
                account: account, view: read.kind.rawValue, subjects: shown, rightsChecked: checksRights,
                context: context, detail: detail)
        }
        return value
    }

    /// The diary of `student`: lessons, marks, attendance, homework, tests and
    /// recommendations for the school dates `from` through `to`.
    public func diary(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> StudentDiary {
        try read(.diary(student), detail: "\(student) \(from)...\(to)", subjects: { _ in [.student(student)] }) {
            try journal.diary(of: student, from: from, to: to, asOf: asOf)
        }
    }

    /// The marks of `student` by subject, with weighted and plain averages,
    /// in a reporting period or between dates.
    public func marks(
        of student: StudentID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> StudentMarks {
        try read(.marks(student), detail: "\(student)", subjects: { _ in [.student(student)] }) {
            try journal.marks(of: student, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The journal page of a subject for a class, group, stream or student:
    /// a row per student, a column per lesson.
    public func journalPage(
        subject: SubjectID, target: TeachingTarget, period: ReportingPeriodID? = nil,
        from: CivilDate? = nil, to: CivilDate? = nil, asOf: AsOf = .now
    ) throws -> JournalPage {
        try read(.journalPage(subject, target), detail: "\(subject) \(target)", subjects: { $0.rows.map { .student($0.studentID) } }) {
            try journal.journalPage(subject: subject, target: target, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The students of a class on a date.
    public func classList(_ classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try read(.classList(classID), detail: "\(classID) \(date)", subjects: { $0.map(DataSubject.student) }) {
            try journal.classList(classID, on: date, asOf: asOf)
        }
    }

    /// The students of a study group on a date.
    public func groupList(_ groupID: StudyGroupID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try read(.groupList(groupID), detail: "\(groupID) \(date)", subjects: { $0.map(DataSubject.student) }) {
            try journal.groupList(groupID, on: date, asOf: asOf)
        }
    }

    /// A class's timetable for the school dates `from` through `to`.
    public func timetable(of classID: ClassID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try read(.classTimetable(classID), detail: "\(classID)", subjects: { _ in [] }) {
            try journal.timetable(of: classID, from: from, to: to, asOf: asOf)
        }
    }

    /// A teacher's timetable for the school dates `from` through `to`.
    public func timetable(ofTeacher teacher: AccountID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try read(.teacherTimetable(teacher), detail: "\(teacher)", subjects: { _ in [] }) {
            try journal.timetable(ofTeacher: teacher, from: from, to: to, asOf: asOf)
        }
    }

    /// A class's test schedule, in a period or between dates.
    public func testSchedule(
        of classID: ClassID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> [ScheduledTest] {
        try read(.testSchedule(classID), detail: "\(classID)", subjects: { _ in [] }) {
            try journal.testSchedule(of: classID, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The holidays of an academic year, for any account of the school.
    public func holidays(of year: AcademicYearID, asOf: AsOf = .now) throws -> [Holiday] {
        try read(.holidays, detail: "\(year)", subjects: { _ in [] }) { try journal.holidays(of: year, asOf: asOf) }
    }

    /// The teachers working with a class, group, stream or student on a date.
    public func teachers(of target: TeachingTarget, on date: CivilDate, asOf: AsOf = .now) throws -> [AssignedTeacher] {
        try read(.teachers(target), detail: "\(target) \(date)", subjects: { _ in [] }) {
            try journal.teachers(of: target, on: date, asOf: asOf)
        }
    }

    /// The parents of a class with consent, preferences, credentials and
    /// paper extracts, for the class teacher and the school's heads.
    public func parents(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [ParentStatus] {
        try read(
            .parents(classID), detail: "\(classID) \(date)",
            subjects: { $0.flatMap { [.parent($0.parentID)] + $0.children.map { .student($0.studentID) } } }
        ) {
            try journal.parents(ofClass: classID, on: date, asOf: asOf)
        }
    }

    /// The parents of a class who get paper extracts, for the class teacher and the school's heads.
    public func paperExtractsDue(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [PaperExtractDue] {
        try read(
            .parents(classID), detail: "\(classID) \(date)", subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }
        ) {
            try journal.paperExtractsDue(ofClass: classID, on: date, asOf: asOf)
        }
    }

    /// The class teacher's control list: marks parents have not acknowledged
    /// for more than `days` school days (dates in the school's time zone).
    public func unacknowledgedMarks(ofClass classID: ClassID, olderThan days: Int, now: Instant, asOf: AsOf = .now) throws
        -> [UnacknowledgedMarks]
    {
        try read(
            .acknowledgements(classID), detail: "\(classID) older than \(days) days",
            subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }
        ) {
            try journal.unacknowledgedMarks(ofClass: classID, olderThan: days, now: now, asOf: asOf)
        }
    }

    /// The notifications owed to parents, for the embedding service's
    /// integration account: only messages the parent may get now (consent,
    /// channel and topic on, electronic form not refused).
    public func outbox(limit: Int = 1000, asOf: AsOf = .now) throws -> [OutboxMessage] {
        try read(.outbox, detail: "limit \(limit)", subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }) {
            try journal.outbox(limit: limit, asOf: asOf)
        }
    }

    /// The analytical report of a class (clause 5), for its class teacher and the school's heads.
    public func analyticalReport(ofClass classID: ClassID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> ClassReport {
        try read(.classReport(classID), detail: "\(classID) \(period)", subjects: { $0.studentIDs.map(DataSubject.student) }) {
            try journal.analyticalReport(ofClass: classID, period: period, asOf: asOf)
        }
    }

    /// The analytical report of a student (clause 5), for the student's class teacher and the school's heads.
    public func analyticalReport(ofStudent student: StudentID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> StudentReport {
        try read(.studentReport(student), detail: "\(student) \(period)", subjects: { _ in [.student(student)] }) {
            try journal.analyticalReport(ofStudent: student, period: period, asOf: asOf)
        }
    }

    /// A paper extract of `student`'s diary (clause 2) for the school dates
    /// `from` through `to`, with the student's name opened from the vault.
    public func paperExtract(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> PaperExtract {
        try read(.paperExtract(student), detail: "\(student) \(from)...\(to)", subjects: { _ in [.student(student)] }) {
            try journal.paperExtract(of: student, from: from, to: to, asOf: asOf)
        }
    }

    /// A person's personal data opened from the vault (see
    /// `SchoolJournal.personalData(of:asOf:)`): for the person themself,
    /// their class teacher (a parent's: a child's class teacher) and the
    /// roles admin, head, deputy head.
    public func personalData(of person: PersonID, asOf: AsOf = .now) throws -> PersonalDataReading {
        try read(.personalData(person), detail: "\(person)", subjects: { _ in try journal.dataSubjects(person) }) {
            try journal.personalData(of: person, asOf: asOf)
        }
    }

    /// The students whose full name contains `text`, ignoring case and
    /// spacing (`иванова` finds `Иванова Анна Сергеевна`), in name order:
    /// how a teacher or the school's office finds a student's id.
    ///
    /// Open to staff (an account with a staff role). Only students whose personal data this
    /// account may see (``personalData(of:asOf:)``) are compared and shown;
    /// the read log names each student found.
    ///
    /// - Throws: ``AccessDenied`` for an account without a staff role, or
    ///   whose credentials are under a breach notice.
    public func findStudents(named text: String) throws -> [FoundStudent] {
        let wanted = text.normalizedName
        return try read(.studentSearch, detail: "named \(text)", subjects: { $0.map { .student($0.studentID) } }) {
            guard !wanted.isEmpty else { return [] }
            var found = [FoundStudent]()
            for case .student(let student) in try journal.allDataSubjects() {
                let person = PersonID(student.rawValue)
                if checksRights {
                    do { try journal.authorize(.personalData(person), by: account) } catch is AccessDenied { continue }
                }
                guard let name = try journal.personalData(of: person).data?.fullName,
                    name.normalizedName.contains(wanted)
                else { continue }
                found.append(FoundStudent(studentID: student, fullName: name))
            }
            return found.sorted { ($0.fullName, $0.studentID.rawValue) < ($1.fullName, $1.studentID.rawValue) }
        }
    }

    /// How to show a person (their full name, the erased marker, or the id),
    /// under the same right as ``personalData(of:asOf:)``.
    public func displayName(of person: PersonID) throws -> String {
        switch try personalData(of: person) {
        case .known(let data): data.fullName ?? person.rawValue
        case .erased: SchoolJournal.erasedName
        case .unavailable: person.rawValue
        }
    }
}

/// A student found by name (``AccountSession/findStudents(named:)``).
public struct FoundStudent: Sendable, Hashable, Codable {
    /// The student's id, for the journal's other views.
    public var studentID: StudentID
    /// The full name from the personal-data vault.
    public var fullName: String
}
