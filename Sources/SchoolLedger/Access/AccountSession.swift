import EventLedger

/// One account's way into the journal: every command and every query is
/// checked against that account's rights (see ``AccessPolicy`` in the
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
/// A refusal throws ``AccessDenied`` and leaves the ledger as it was.
public struct AccountSession: Sendable {
    /// The journal.
    public let journal: SchoolJournal
    /// The account everything is done on behalf of.
    public let account: AccountID

    init(journal: SchoolJournal, account: AccountID) {
        self.journal = journal
        self.account = account
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
    /// - Parameter validFor: how long the code works, 14 days by default.
    public func issueCredentials(account holderAccount: AccountID, person: PersonID, holder: AccountHolder, channel: CredentialChannel,
                                 validFor: Duration = .seconds(14 * 86_400), occurredAt: Instant,
                                 id: EventID = .generate()) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsIssued(accountID: holderAccount, personID: person, holder: holder, channel: channel,
                                      activationCode: code.digest(expiresAt: expiresAt))
        let result = try await record(.credentialsIssued(event), occurredAt: occurredAt, id: id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    /// Resets the credentials of `holderAccount` with a fresh activation code
    /// (which also closes an open compromise window of that account).
    public func resetCredentials(account holderAccount: AccountID, channel: CredentialChannel, reason: String? = nil,
                                 validFor: Duration = .seconds(14 * 86_400), occurredAt: Instant,
                                 id: EventID = .generate()) async throws -> IssuedCredentials {
        let code = ActivationCode.generate()
        let expiresAt = journal.ledger.options.clock.now().adding(microseconds: Self.microseconds(validFor))
        let event = CredentialsReset(accountID: holderAccount, channel: channel, activationCode: code.digest(expiresAt: expiresAt), reason: reason)
        let result = try await record(.credentialsReset(event), occurredAt: occurredAt, id: id)
        return IssuedCredentials(result: result, activationCode: code, expiresAt: expiresAt)
    }

    /// Reports to the ledger that the embedding service delivered an outbox
    /// message; reporting the same message again changes nothing.
    @discardableResult
    public func reportDelivered(_ message: OutboxMessage, providerMessageID: String? = nil, occurredAt: Instant) async throws -> AppendResult {
        let event = NotificationDelivered(notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
                                          aboutPosition: message.aboutPosition, providerMessageID: providerMessageID)
        return try await record(.notificationDelivered(event), occurredAt: occurredAt, id: Self.deliveryReportID(message, attempt: 0))
    }

    /// Reports a failed delivery; a `permanent` failure settles the message,
    /// another leaves it in the outbox to be tried again.
    @discardableResult
    public func reportFailed(_ message: OutboxMessage, error: String? = nil, permanent: Bool, occurredAt: Instant) async throws -> AppendResult {
        let event = NotificationFailed(notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
                                       aboutPosition: message.aboutPosition, error: error, permanent: permanent)
        return try await record(.notificationFailed(event), occurredAt: occurredAt,
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

    /// ``SchoolJournal/diary(of:from:to:asOf:)``, if this account may see the student's diary.
    public func diary(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> StudentDiary {
        try journal.authorize(.diary(student), by: account)
        return try journal.diary(of: student, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/marks(of:period:from:to:asOf:)``, if this account may see the student's marks.
    public func marks(of student: StudentID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
                      asOf: AsOf = .now) throws -> StudentMarks {
        try journal.authorize(.marks(student), by: account)
        return try journal.marks(of: student, period: period, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/journalPage(subject:target:period:from:to:asOf:)``, if this account may see it.
    public func journalPage(subject: SubjectID, target: TeachingTarget, period: ReportingPeriodID? = nil,
                            from: CivilDate? = nil, to: CivilDate? = nil, asOf: AsOf = .now) throws -> JournalPage {
        try journal.authorize(.journalPage(subject, target), by: account)
        return try journal.journalPage(subject: subject, target: target, period: period, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/classList(_:on:asOf:)``, if this account may see it.
    public func classList(_ classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try journal.authorize(.classList(classID), by: account)
        return try journal.classList(classID, on: date, asOf: asOf)
    }

    /// ``SchoolJournal/groupList(_:on:asOf:)``, if this account may see it.
    public func groupList(_ groupID: StudyGroupID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try journal.authorize(.groupList(groupID), by: account)
        return try journal.groupList(groupID, on: date, asOf: asOf)
    }

    /// ``SchoolJournal/timetable(of:from:to:asOf:)``, if this account may see the class's timetable.
    public func timetable(of classID: ClassID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try journal.authorize(.classTimetable(classID), by: account)
        return try journal.timetable(of: classID, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/timetable(ofTeacher:from:to:asOf:)``, if this account may see the teacher's timetable.
    public func timetable(ofTeacher teacher: AccountID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> Timetable {
        try journal.authorize(.teacherTimetable(teacher), by: account)
        return try journal.timetable(ofTeacher: teacher, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/testSchedule(of:period:from:to:asOf:)``, if this account may see it.
    public func testSchedule(of classID: ClassID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
                             asOf: AsOf = .now) throws -> [ScheduledTest] {
        try journal.authorize(.testSchedule(classID), by: account)
        return try journal.testSchedule(of: classID, period: period, from: from, to: to, asOf: asOf)
    }

    /// ``SchoolJournal/holidays(of:asOf:)``, for any account of the school.
    public func holidays(of year: AcademicYearID, asOf: AsOf = .now) throws -> [Holiday] {
        try journal.authorize(.holidays, by: account)
        return try journal.holidays(of: year, asOf: asOf)
    }

    /// ``SchoolJournal/teachers(of:on:asOf:)``, if this account may see them.
    public func teachers(of target: TeachingTarget, on date: CivilDate, asOf: AsOf = .now) throws -> [AssignedTeacher] {
        try journal.authorize(.teachers(target), by: account)
        return try journal.teachers(of: target, on: date, asOf: asOf)
    }

    /// ``SchoolJournal/parents(ofClass:on:asOf:)``, for the class teacher and the school's heads.
    public func parents(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [ParentStatus] {
        try journal.authorize(.parents(classID), by: account)
        return try journal.parents(ofClass: classID, on: date, asOf: asOf)
    }

    /// ``SchoolJournal/paperExtractsDue(ofClass:on:asOf:)``, for the class teacher and the school's heads.
    public func paperExtractsDue(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [PaperExtractDue] {
        try journal.authorize(.parents(classID), by: account)
        return try journal.paperExtractsDue(ofClass: classID, on: date, asOf: asOf)
    }

    /// ``SchoolJournal/unacknowledgedMarks(ofClass:olderThan:now:asOf:)``, for the class teacher and the school's heads.
    public func unacknowledgedMarks(ofClass classID: ClassID, olderThan days: Int, now: Instant, asOf: AsOf = .now) throws -> [UnacknowledgedMarks] {
        try journal.authorize(.acknowledgements(classID), by: account)
        return try journal.unacknowledgedMarks(ofClass: classID, olderThan: days, now: now, asOf: asOf)
    }

    /// ``SchoolJournal/outbox(limit:asOf:)``, for the embedding service's integration account.
    public func outbox(limit: Int = 1000, asOf: AsOf = .now) throws -> [OutboxMessage] {
        try journal.authorize(.outbox, by: account)
        return try journal.outbox(limit: limit, asOf: asOf)
    }

    /// ``SchoolJournal/analyticalReport(ofClass:period:asOf:)``, for the class teacher of that class and the school's heads.
    public func analyticalReport(ofClass classID: ClassID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> ClassReport {
        try journal.authorize(.classReport(classID), by: account)
        return try journal.analyticalReport(ofClass: classID, period: period, asOf: asOf)
    }

    /// ``SchoolJournal/analyticalReport(ofStudent:period:asOf:)``, for the student's class teacher and the school's heads.
    public func analyticalReport(ofStudent student: StudentID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> StudentReport {
        try journal.authorize(.studentReport(student), by: account)
        return try journal.analyticalReport(ofStudent: student, period: period, asOf: asOf)
    }
}
