// The driver of `make readme`: a fresh package that depends on SchoolLedger by
// path, as a new user's service would, compiles the README's Swift examples
// exactly as the README shows them (scripts/readme-package.sh copies each
// block into a file of its own) and runs them here, on ledgers it builds
// through the public API alone. It exits non-zero when an example fails or
// shows something other than what the README says it does.
import EventLedger
import Foundation
import SchoolLedger

func require(_ condition: Bool, _ what: String) {
    if !condition {
        print("README example failed: \(what)")
        exit(1)
    }
}

let scratch = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : NSTemporaryDirectory() + "readme-package"
try? FileManager.default.removeItem(atPath: scratch)
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

// 1. The embedding example (EventLedger alone) on a new ledger.
let recorded = try await recordFirstMark(ledgerDirectory: scratch + "/plain")
require(recorded.count == 1 && recorded[0].type == "MarkRecorded", "recordFirstMark read back \(recorded.map(\.type))")
print("embedding: recordFirstMark appended and read back \(recorded.count) event")

// 2. A school of one class, set up as a new user would: the founding admin's
// history loaded through recordTrusted, the school's people through their sessions.
let journal = try SchoolJournal.open(at: scratch + "/school")
let september = CivilDate("2026-09-01")!
let year: AcademicYearID = "2026-2027"
var setup: [SchoolEvent] = [
    .schoolRegistered(SchoolRegistered(schoolID: "school-1", fullName: "Школа № 1", timeZone: "Europe/Moscow")),
    .staffRoleGranted(StaffRoleGranted(accountID: "admin", role: .admin, effectiveDate: september)),
    .staffRoleGranted(StaffRoleGranted(accountID: "teacher-ivanova", role: .teacher, effectiveDate: september)),
    .academicYearOpened(
        AcademicYearOpened(
            academicYearID: year, schoolID: "school-1", title: "2026/2027",
            dates: DateRange(start: september, end: CivilDate("2027-05-31")!))),
    .reportingPeriodDefined(
        ReportingPeriodDefined(
            periodID: "2026-Q1", academicYearID: year, kind: .quarter, ordinal: 1, title: "1 четверть",
            dates: DateRange(start: september, end: CivilDate("2026-10-25")!))),
    .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
    .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, name: "7А")),
    .teacherAssigned(TeacherAssigned(teacherID: "teacher-ivanova", subjectID: "MATH", target: .class("7A"), effectiveDate: september)),
    .studentEnrolled(
        StudentEnrolled(
            studentID: "S-1", classID: "7A", enrollmentDate: september,
            personalData: try journal.seal(PersonalData(familyName: "Петров", givenName: "Пётр"), for: "S-1"))),
    .lessonScheduled(
        LessonScheduled(
            lessonID: "L-1", subjectID: "MATH", target: .class("7A"), teacherID: "teacher-ivanova",
            date: CivilDate("2026-09-14")!, lessonNumber: 1)),
    .parentLinked(ParentLinked(parentID: "P-1", studentID: "S-1", relation: .mother, effectiveDate: september)),
    .credentialsIssued(CredentialsIssued(accountID: "parent-1", personID: "P-1", holder: .parent, channel: .paper)),
]
setup.append(.consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .paperForm, paperFormReference: "№ 12")))
let lessonStart = Instant(iso8601: "2026-09-14T06:30:00Z")!
try await journal.recordTrusted(setup.map { JournalEntry(event: $0, actor: "admin", occurredAt: lessonStart) })

// 3. The journal example: the teacher records a test mark through her session.
try await recordTestMark(in: journal)
print("journal: recordTestMark recorded M-1 through teacher-ivanova's session")

// 4. The session example: another mark, the journal page, the mother's diary;
// then the same diary for a parent of nobody, which must be refused.
let mark = MarkRecorded(
    markID: "M-2", studentID: "S-1", lessonID: "L-1", subjectID: "MATH", value: .numeric(4), weight: 1, workKind: .classwork)
let diary = try await markAndDiary(
    journal: journal, teacher: "teacher-ivanova", parent: "parent-1", mark: mark, lessonStart: lessonStart)
let marks = diary.lessons.first { $0.lessonID == "L-1" }?.marks ?? []
require(Set(marks) == [.numeric(5), .numeric(4)], "the mother's diary shows \(marks) at L-1, not the marks 5 and 4")
print("session: the mother's diary shows L-1 with marks \(marks.map(\.description).joined(separator: ", "))")
var another = mark
another.markID = "M-3"
do {
    _ = try await markAndDiary(journal: journal, teacher: "teacher-ivanova", parent: "parent-9", mark: another, lessonStart: lessonStart)
    require(false, "a parent of nobody saw the diary")
} catch let denied as AccessDenied {
    print("session: a parent of nobody is refused: \(denied)")
}
require(try journal.ledger.verify().isIntact, "the chain does not verify")
print("README examples: 3 compiled in a fresh package and ran")
