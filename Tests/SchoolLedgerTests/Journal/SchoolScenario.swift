import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger

/// A small school, recorded through the journal: one year with an autumn
/// holiday for everyone and a winter week for grade 1 only; maths and
/// English; classes 7A and 7B; four students (S-4 moves from 7A to 7B on
/// 1 October); an English group of 7A that S-2 joins on 15 October; and
/// three lessons.
struct SchoolScenario {
    let dir = TemporaryDirectory("journal")
    let journal: SchoolJournal
    /// The ledger's clock when the scenario was made with one (else the system clock).
    let clock: ManualClock
    static let admin: AccountID = "admin"
    static let teacher: AccountID = "teacher-ivanova"

    static func date(_ text: String) -> CivilDate { CivilDate(text)! }
    static func at(_ text: String) -> Instant { Instant(iso8601: "\(text)T09:00:00Z")! }

    static func sealed(_ subject: String) -> SealedPersonalData {
        SealedPersonalData(
            subjectID: PersonID(subject), nonce: [UInt8](repeating: 1, count: 12),
            ciphertext: Array("sealed \(subject)".utf8), tag: [UInt8](repeating: 2, count: 16))
    }

    static func lesson(_ id: LessonID, _ subject: SubjectID, _ target: TeachingTarget, _ date: String, number: Int = 1) -> SchoolEvent {
        .lessonScheduled(
            LessonScheduled(
                lessonID: id, subjectID: subject, target: target, teacherID: teacher,
                date: Self.date(date), lessonNumber: number))
    }

    static func mark(_ student: StudentID, _ lesson: LessonID, _ subject: SubjectID = "MATH", value: Int = 5) -> SchoolEvent {
        .markRecorded(
            MarkRecorded(
                markID: MarkID("M-\(UUID().uuidString.prefix(8))"), studentID: student, lessonID: lesson,
                subjectID: subject, value: .numeric(value), weight: 3, workKind: .classwork))
    }

    /// The school; with `manualClock`, the ledger's clock is a ``ManualClock``
    /// starting on 2026-09-01 (else the system clock); `relaxed` skips fsync;
    /// `backend` holds the log (LMDB unless a test runs on each).
    init(manualClock: Bool = false, relaxed: Bool = false, backend: Backend = .lmdb) async throws {
        clock = ManualClock()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(clock: manualClock ? clock : nil, relaxed: relaxed))
        journal = try SchoolJournal.open(
            ledger: ledger, vaultKeys: .file(path: dir.path + ".vault-key", ledgerDirectory: ledger.directory))
        let year: AcademicYearID = "2026-2027"
        let structure: [SchoolEvent] = [
            .staffRoleGranted(StaffRoleGranted(accountID: Self.admin, role: .admin, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: Self.teacher, role: .teacher, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "teacher-petrova", role: .teacher, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "teacher-sidorova", role: .teacher, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "head", role: .head, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "sms-gateway", role: .support, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "support", role: .support, effectiveDate: Self.date("2026-09-01"))),
            .staffRoleGranted(StaffRoleGranted(accountID: "teacher-orlov", role: .teacher, effectiveDate: Self.date("2026-09-01"))),
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-17", title: "2026/2027",
                    dates: DateRange(start: Self.date("2026-09-01"), end: Self.date("2027-05-31")))),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "autumn", academicYearID: year, title: "Осенние каникулы",
                    dates: DateRange(start: Self.date("2026-10-26"), end: Self.date("2026-11-03")))),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "grade-1-winter", academicYearID: year, title: "Дополнительные каникулы",
                    dates: DateRange(start: Self.date("2027-02-16"), end: Self.date("2027-02-22")),
                    gradeLevels: [1])),
            .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
            .subjectDefined(SubjectDefined(subjectID: "ENG", name: "Английский язык")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, letter: "А", name: "7А")),
            .classFormed(ClassFormed(classID: "7B", academicYearID: year, gradeLevel: 7, letter: "Б", name: "7Б")),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-1", classID: "7A", enrollmentDate: Self.date("2026-09-01"), personalData: Self.sealed("S-1"))),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-2", classID: "7A", enrollmentDate: Self.date("2026-09-01"), personalData: Self.sealed("S-2"))),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-3", classID: "7B", enrollmentDate: Self.date("2026-09-01"), personalData: Self.sealed("S-3"))),
            .studentEnrolled(
                StudentEnrolled(studentID: "S-4", classID: "7A", enrollmentDate: Self.date("2026-09-01"), personalData: Self.sealed("S-4"))),
            .studentTransferred(
                StudentTransferred(studentID: "S-4", fromClassID: "7A", toClassID: "7B", effectiveDate: Self.date("2026-10-01"))),
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: "ENG-1", classIDs: ["7A"], subjectID: "ENG", name: "Английский, группа 1",
                    studentIDs: ["S-1"], effectiveDate: Self.date("2026-09-01"))),
            .studyGroupMembershipChanged(
                StudyGroupMembershipChanged(
                    groupID: "ENG-1", addedStudentIDs: ["S-2"], removedStudentIDs: [],
                    effectiveDate: Self.date("2026-10-15"))),
            Self.lesson("L-1", "MATH", .class("7A"), "2026-09-07"),
            Self.lesson("L-2", "ENG", .group("ENG-1"), "2026-10-05"),
            Self.lesson("L-3", "ENG", .group("ENG-1"), "2026-10-20"),
            Self.lesson("L-4", "MATH", .class("7A"), "2026-10-05"),
        ]
        try await journal.recordTrusted(structure.map { JournalEntry(event: $0, actor: Self.admin, occurredAt: Self.at("2026-09-01")) })
    }

    @discardableResult
    func record(_ event: SchoolEvent, on day: String = "2026-10-20") async throws -> AppendResult {
        try await journal.recordTrusted(event, by: Self.teacher, occurredAt: Self.at(day))
    }
}
