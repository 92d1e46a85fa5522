import EventLedger
import Foundation
import JournalServiceCore
import SchoolLedger
import Synchronization

/// The ledger's clock in the tests, set by the test.
final class SettableClock: LedgerClock {
    private let instant: Mutex<Instant>
    init(_ start: Instant) { instant = Mutex(start) }
    func now() -> Instant { instant.withLock { $0 } }
    func set(_ to: Instant) { instant.withLock { $0 = to } }
}

/// A small school behind the service, on a fresh ledger in a temporary
/// directory, set up on 2026-09-01, with the clock then on Friday 2026-09-18:
///
/// - 7A with S-1 and S-2; t-math teaches maths in 7A; lessons L-1 (Monday
///   2026-09-14) and L-2 (Friday 2026-09-18), homework on L-1;
/// - t-math's mark M-1 (5) for S-1 on L-1, S-1 present, a recommendation
///   for S-1, and an independent work T-1 on Friday;
/// - parents P-1 of S-1 (account acc-p1) and P-2 of S-2 (acc-p2), both consenting;
/// - P-1 wants marks by SMS, so M-1 waits in the outbox for `integration`
///   (the delivery integration's account, role support);
/// - acc-x, a deputy head whose breach notice is open (locked).
struct ServiceSchool {
    let directory: String
    let journal: SchoolJournal
    let identity: JWTAccountResolver
    let service: JournalService

    static let today = Instant(iso8601: "2026-09-18T09:00:00Z")!
    static func date(_ text: String) -> CivilDate { CivilDate(text)! }

    init() async throws {
        directory = NSTemporaryDirectory() + "journal-service-\(UUID().uuidString)"
        var options = EventLedger.Options()
        let clock = SettableClock(Instant(iso8601: "2026-09-01T08:00:00Z")!)
        options.clock = clock
        options.durability = .relaxed
        journal = try SchoolJournal.open(
            at: directory, options: options, vaultKeys: .file(path: directory + ".vault-key", ledgerDirectory: directory))
        identity = try await JWTAccountResolver(secret: Array(repeating: 7, count: 32))
        service = JournalService(journal: journal, identity: identity)
        let september = Self.date("2026-09-01")
        let year: AcademicYearID = "2026-2027"
        var admin: [SchoolEvent] = [.schoolRegistered(SchoolRegistered(schoolID: "school-1", fullName: "Школа № 1", timeZone: "UTC"))]
        for (account, role) in [
            ("admin", StaffRole.admin), ("head", .head), ("t-math", .teacher), ("acc-x", .deputyHead), ("integration", .support),
        ] {
            admin.append(.staffRoleGranted(StaffRoleGranted(accountID: AccountID(rawValue: account), role: role, effectiveDate: september)))
        }
        admin += [
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-1", title: "2026/2027",
                    dates: DateRange(start: september, end: Self.date("2027-05-31")))),
            .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, name: "7А")),
            .teacherAssigned(TeacherAssigned(teacherID: "t-math", subjectID: "MATH", target: .class("7A"), effectiveDate: september)),
        ]
        for student in ["S-1", "S-2"] {
            admin.append(
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: StudentID(rawValue: student), classID: "7A", enrollmentDate: september,
                        personalData: SealedPersonalData(
                            subjectID: PersonID(student), nonce: [UInt8](repeating: 1, count: 12), ciphertext: Array(student.utf8),
                            tag: [UInt8](repeating: 2, count: 16)))))
        }
        for (lesson, day) in [("L-1", "2026-09-14"), ("L-2", "2026-09-18")] {
            admin.append(
                .lessonScheduled(
                    LessonScheduled(
                        lessonID: LessonID(rawValue: lesson), subjectID: "MATH", target: .class("7A"), teacherID: "t-math",
                        date: Self.date(day), lessonNumber: 2)))
        }
        for (parent, student, account) in [("P-1", "S-1", "acc-p1"), ("P-2", "S-2", "acc-p2")] {
            admin += [
                .parentLinked(
                    ParentLinked(
                        parentID: ParentID(rawValue: parent), studentID: StudentID(rawValue: student), relation: .mother,
                        effectiveDate: september)),
                .credentialsIssued(
                    CredentialsIssued(accountID: AccountID(rawValue: account), personID: PersonID(parent), holder: .parent, channel: .paper)
                ),
                .consentGiven(
                    ConsentGiven(parentID: ParentID(rawValue: parent), studentID: StudentID(rawValue: student), submittedVia: .electronic)),
            ]
        }
        admin.append(
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1", channel: .sms, enabled: true,
                    contact: SealedPersonalData(
                        subjectID: PersonID("P-1"), nonce: [UInt8](repeating: 3, count: 12), ciphertext: Array("+7 900".utf8),
                        tag: [UInt8](repeating: 4, count: 16)),
                    submittedVia: .electronic, topics: [.marks])))
        admin.append(
            .credentialsIssued(CredentialsIssued(accountID: "acc-x", personID: PersonID("acc-x"), holder: .staff, channel: .paper)))
        admin.append(
            .testScheduled(
                TestScheduled(
                    testID: "T-1", subjectID: "MATH", target: .class("7A"), date: Self.date("2026-09-18"), lessonID: "L-2",
                    workKind: .independentWork, topic: "Дроби")))
        let teacher: [SchoolEvent] = [
            .markRecorded(
                MarkRecorded(
                    markID: "M-1", studentID: "S-1", lessonID: "L-1", subjectID: "MATH", value: .numeric(5), weight: 2, workKind: .classwork
                )),
            .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-1", status: .present)),
            .homeworkAssigned(
                HomeworkAssigned(homeworkID: "H-1", lessonID: "L-1", text: "№ 12–15, с. 8", dueDate: Self.date("2026-09-18"))),
            .recommendationIssued(
                RecommendationIssued(
                    recommendationID: "R-1", studentID: "S-1", subjectID: "MATH", text: "Повторить таблицу умножения", toStudent: true,
                    toParents: true)),
        ]
        try await journal.recordTrusted(
            admin.map { JournalEntry(event: $0, actor: "admin", occurredAt: Self.today) }
                + teacher.map { JournalEntry(event: $0, actor: "t-math", occurredAt: Self.today) })
        // The head received acc-x's breach notice this morning, long after its credentials were issued.
        clock.set(Self.today)
        let notice = CompromiseReported(
            accountID: "acc-x", receivedByHeadAt: Instant(iso8601: "2026-09-18T08:00:00Z")!, reportedBy: "head", reporter: .head,
            compromised: [.password])
        try await journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: Self.today)
    }

    /// A bearer token for `account`.
    func token(_ account: String) async throws -> String {
        try await identity.token(for: AccountID(rawValue: account))
    }

    /// A mark's command as a client sends it (protobuf JSON), its event id the idempotency key.
    static func markCommand(id: String, mark: String, student: String, lesson: String = "L-2", value: Int = 4) -> String {
        """
        {"eventId":"\(id)","occurredAt":"2026-09-18T09:00:00Z","markRecorded":{"markId":"\(mark)","studentId":"\(student)",\
        "lessonId":"\(lesson)","subjectId":"MATH","value":{"numeric":\(value)},"weight":2,"workKind":"WORK_KIND_CLASSWORK"}}
        """
    }

    /// What a command's POST answers (`RecordedCommand` in openapi.yaml).
    struct Recorded: Codable, Equatable {
        var positions: [UInt64]
        var duplicate: Bool
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + ".vault-key")
    }
}
