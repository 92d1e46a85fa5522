import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Who acts in the rights tests: one account for each kind of participant.
enum Persona: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case admin, head, deputy, support
    /// Teaches maths in 7A; entered the marks.
    case mathTeacher
    /// Class teacher of 7A; teaches Russian in 7A.
    case classTeacher
    /// Class teacher of 7B; teaches maths in 7B.
    case otherTeacher
    /// A teacher who substitutes maths lesson L-2 of 7A.
    case substitute
    /// S-1 of 7A.
    case student
    /// S-3 of 7B.
    case otherStudent
    /// P-1, mother of S-1, consent registered.
    case parent
    /// P-2, father of S-2 (7A), no consent.
    case parentNoConsent
    /// P-3, mother of S-3 (7B), consent registered.
    case otherParent
    /// A deputy head whose account is under an open breach notice.
    case compromised
    /// An account the school does not know.
    case stranger

    var account: AccountID {
        switch self {
        case .admin: "admin"
        case .head: "head"
        case .deputy: "deputy-head"
        case .support: "support"
        case .mathTeacher: "t-math"
        case .classTeacher: "t-class"
        case .otherTeacher: "t-other"
        case .substitute: "t-sub"
        case .student: "acc-s1"
        case .otherStudent: "acc-s3"
        case .parent: "acc-p1"
        case .parentNoConsent: "acc-p2"
        case .otherParent: "acc-p3"
        case .compromised: "acc-x"
        case .stranger: "nobody"
        }
    }

    var isParentOrStudent: Bool { [.student, .otherStudent, .parent, .parentNoConsent, .otherParent].contains(self) }

    var testDescription: String { rawValue }
}

/// A small school recorded without rights checks (the facts the rights come
/// from), with the ledger's clock on Sunday 2026-09-20:
///
/// - roles: admin, head, deputy-head, support; teachers t-math, t-class,
///   t-other, t-sub; acc-x is a deputy head whose breach notice is open;
/// - 7A (class teacher t-class) with S-1, S-2 and the Russian group G-1;
///   7B (class teacher t-other) with S-3; t-math teaches maths in 7A,
///   t-class Russian in 7A, t-other maths in 7B; period Q1 (Sep 1–Oct 25);
/// - lessons: L-1 maths 7A on Sep 7 (edit window closed), L-2 maths 7A on
///   Sep 18 (substitute t-sub), L-3 Russian 7A on Sep 18, L-4 maths 7B;
/// - by t-math: marks M-OLD (L-1) and M-NEW (L-2) of S-1, S-1's attendance
///   in L-2, homework H-1, final mark F-1, test T-1;
/// - parents P-1 (S-1, consent), P-2 (S-2, none), P-3 (S-3, consent), with
///   accounts acc-p1..3; student accounts acc-s1, acc-s3.
struct AccessSchool {
    let dir = TemporaryDirectory("access")
    let clock = ManualClock(Instant(iso8601: "2026-09-15T08:00:00Z")!)
    let journal: SchoolJournal
    let noticeID = EventID.generate()
    let noticePosition: UInt64

    static let today = Instant(iso8601: "2026-09-20T09:00:00Z")!
    /// t-math's device key, registered from September 1.
    static let mathKey = DeviceKeys.fixed(seed: 7)
    static let mathKeyID = SignatureKeyRegistered.keyID(of: Array(mathKey.publicKey.rawRepresentation))
    static func date(_ text: String) -> CivilDate { CivilDate(text)! }
    static let september = date("2026-09-01")
    static func sealed(_ subject: String) -> SealedPersonalData {
        SealedPersonalData(
            subjectID: PersonID(subject), nonce: [UInt8](repeating: 1, count: 12),
            ciphertext: Array("sealed \(subject)".utf8), tag: [UInt8](repeating: 2, count: 16))
    }

    init(backend: Backend = .lmdb) async throws {
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: clock, relaxed: true))
        journal = try SchoolJournal.open(ledger: ledger, vaultKeys: .file(path: dir.path + ".vault-key", ledgerDirectory: ledger.directory))
        let year: AcademicYearID = "2026-2027"
        var admin: [SchoolEvent] = [.schoolRegistered(SchoolRegistered(schoolID: "school-1", fullName: "Школа № 1", timeZone: "UTC"))]
        let roles: [(Persona, StaffRole)] = [
            (.admin, .admin), (.head, .head), (.deputy, .deputyHead), (.support, .support),
            (.mathTeacher, .teacher), (.classTeacher, .teacher), (.otherTeacher, .teacher),
            (.substitute, .teacher), (.compromised, .deputyHead),
        ]
        admin += roles.map { .staffRoleGranted(StaffRoleGranted(accountID: $0.0.account, role: $0.1, effectiveDate: Self.september)) }
        admin += [
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-1", title: "2026/2027",
                    dates: DateRange(start: Self.september, end: Self.date("2027-05-31")))),
            .reportingPeriodDefined(
                ReportingPeriodDefined(
                    periodID: "2026-Q1", academicYearID: year, kind: .quarter, ordinal: 1, title: "1 четверть",
                    dates: DateRange(start: Self.september, end: Self.date("2026-10-25")))),
            .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
            .subjectDefined(SubjectDefined(subjectID: "RUS", name: "Русский язык")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, name: "7А")),
            .classFormed(ClassFormed(classID: "7B", academicYearID: year, gradeLevel: 7, name: "7Б")),
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7A", teacherID: "t-class", effectiveDate: Self.september)),
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7B", teacherID: "t-other", effectiveDate: Self.september)),
            .teacherAssigned(TeacherAssigned(teacherID: "t-math", subjectID: "MATH", target: .class("7A"), effectiveDate: Self.september)),
            .teacherAssigned(TeacherAssigned(teacherID: "t-class", subjectID: "RUS", target: .class("7A"), effectiveDate: Self.september)),
            .teacherAssigned(TeacherAssigned(teacherID: "t-other", subjectID: "MATH", target: .class("7B"), effectiveDate: Self.september)),
        ]
        for (student, cls) in [("S-1", "7A"), ("S-2", "7A"), ("S-3", "7B")] as [(StudentID, ClassID)] {
            admin.append(
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: student, classID: cls, enrollmentDate: Self.september,
                        personalData: Self.sealed(student.rawValue))))
        }
        admin += [
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: "G-1", classIDs: ["7A"], subjectID: "RUS", name: "Русский, группа 1",
                    studentIDs: ["S-1", "S-2"], effectiveDate: Self.september)),
            .lessonScheduled(
                LessonScheduled(
                    lessonID: "L-1", subjectID: "MATH", target: .class("7A"), teacherID: "t-math",
                    date: Self.date("2026-09-07"), lessonNumber: 1)),
            .lessonScheduled(
                LessonScheduled(
                    lessonID: "L-2", subjectID: "MATH", target: .class("7A"), teacherID: "t-math",
                    date: Self.date("2026-09-18"), lessonNumber: 1)),
            .lessonScheduled(
                LessonScheduled(
                    lessonID: "L-3", subjectID: "RUS", target: .class("7A"), teacherID: "t-class",
                    date: Self.date("2026-09-18"), lessonNumber: 2)),
            .lessonScheduled(
                LessonScheduled(
                    lessonID: "L-4", subjectID: "MATH", target: .class("7B"), teacherID: "t-other",
                    date: Self.date("2026-09-18"), lessonNumber: 1)),
            .substitutionAssigned(SubstitutionAssigned(lessonID: "L-2", substituteTeacherID: "t-sub", replacedTeacherID: "t-math")),
            .testScheduled(TestScheduled(testID: "T-1", subjectID: "MATH", target: .class("7A"), date: Self.date("2026-09-25"))),
        ]
        for (parent, student) in [("P-1", "S-1"), ("P-2", "S-2"), ("P-3", "S-3")] as [(ParentID, StudentID)] {
            admin.append(
                .parentLinked(ParentLinked(parentID: parent, studentID: student, relation: .mother, effectiveDate: Self.september)))
        }
        let accounts: [(Persona, String, AccountHolder)] = [
            (.student, "S-1", .student), (.otherStudent, "S-3", .student),
            (.parent, "P-1", .parent), (.parentNoConsent, "P-2", .parent),
            (.otherParent, "P-3", .parent), (.compromised, "acc-x", .staff),
        ]
        admin += accounts.map {
            .credentialsIssued(CredentialsIssued(accountID: $0.0.account, personID: PersonID($0.1), holder: $0.2, channel: .paper))
        }
        admin += [
            .signatureKeyRegistered(
                SignatureKeyRegistered(
                    accountID: "t-math", publicKey: Array(Self.mathKey.publicKey.rawRepresentation),
                    validFrom: Instant(iso8601: "2026-09-01T00:00:00Z")!)),
            .consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)),
            .consentGiven(ConsentGiven(parentID: "P-3", studentID: "S-3", submittedVia: .electronic)),
        ]
        let teacher: [SchoolEvent] = [
            .markRecorded(
                MarkRecorded(
                    markID: "M-OLD", studentID: "S-1", lessonID: "L-1", subjectID: "MATH", value: .numeric(4), weight: 3,
                    workKind: .classwork)),
            .markRecorded(
                MarkRecorded(
                    markID: "M-NEW", studentID: "S-1", lessonID: "L-2", subjectID: "MATH", value: .numeric(5), weight: 3,
                    workKind: .classwork)),
            .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-2", status: .present)),
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-1", lessonID: "L-2", text: "№ 1–5", dueDate: Self.date("2026-09-21"))),
            .finalMarkSet(FinalMarkSet(finalMarkID: "F-1", studentID: "S-1", subjectID: "MATH", periodID: "2026-Q1", value: .numeric(5))),
        ]
        try await journal.recordTrusted(
            admin.map { JournalEntry(event: $0, actor: "admin", occurredAt: Self.today) }
                + teacher.map { JournalEntry(event: $0, actor: "t-math", occurredAt: Self.today) })
        // The head received a breach notice about acc-x on Saturday morning and entered it at noon.
        clock.set(Instant(iso8601: "2026-09-19T12:00:00Z")!)
        let notice = CompromiseReported(
            accountID: "acc-x", receivedByHeadAt: Instant(iso8601: "2026-09-19T10:00:00Z")!,
            reportedBy: "head", reporter: .head, compromised: [.password])
        noticePosition = try await journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: Self.today, id: noticeID)
            .positions[0]
        clock.set(Self.today)
    }

    func session(_ persona: Persona) -> AccountSession { journal.session(for: persona.account) }

    var head: ChainHead { get throws { try journal.ledger.head() } }
}
