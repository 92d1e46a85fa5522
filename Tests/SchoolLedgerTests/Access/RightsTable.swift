import Crypto
import EventLedger
import Foundation
import SchoolLedger
import Testing

/// The rights table of the domain, one row per action: who may do it. The
/// matrix test runs every row for every persona, so no right is forgotten:
/// allowed personas must succeed, every other must be refused with the ledger
/// unchanged.
struct RecordRow: Sendable, CustomTestStringConvertible {
    let label: String
    let eventType: String
    let allowed: Set<Persona>
    /// The event the persona submits (a fresh id each call).
    let sample: @Sendable (Persona, AccessSchool) -> SchoolEvent

    init(
        _ label: String, _ eventType: String, _ allowed: Set<Persona>, _ sample: @escaping @Sendable (Persona, AccessSchool) -> SchoolEvent
    ) {
        self.label = label
        self.eventType = eventType
        self.allowed = allowed
        self.sample = sample
    }

    var testDescription: String { label }
}

/// A read of the table: who may see it.
struct ReadRow: Sendable, CustomTestStringConvertible {
    let label: String
    let kind: SchoolRead.Kind
    let allowed: Set<Persona>
    let read: @Sendable (AccountSession) throws -> Void

    var testDescription: String { label }
}

enum RightsTable {
    static func fresh(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }
    static let d = AccessSchool.date
    static let setup: Set<Persona> = [.admin, .deputy]
    static let staffRoles: Set<Persona> = [.admin, .head, .deputy, .support, .mathTeacher, .classTeacher, .otherTeacher, .substitute]
    static let everyone = Set(Persona.allCases)

    /// Parents act electronically; staff record a signed paper form.
    static func medium(_ p: Persona) -> SubmissionMedium { p.isParentOrStudent ? .electronic : .paperForm }

    static let records: [RecordRow] = [
        // Structure
        RecordRow("SchoolRegistered (school already registered)", "SchoolRegistered", [.admin]) { _, _ in
            .schoolRegistered(SchoolRegistered(schoolID: "school-1", fullName: "Школа № 1 имени Пушкина", timeZone: "UTC"))
        },
        RecordRow("JournalSettingsChanged", "JournalSettingsChanged", setup) { _, _ in
            .journalSettingsChanged(JournalSettingsChanged(schoolID: "school-1", editWindowDays: 10, kindsOfWork: []))
        },
        RecordRow("AcademicYearOpened", "AcademicYearOpened", setup) { _, _ in
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: AcademicYearID(fresh("Y")), schoolID: "school-1", title: "2027/2028",
                    dates: DateRange(start: d("2027-09-01"), end: d("2028-05-31"))))
        },
        RecordRow("ReportingPeriodDefined", "ReportingPeriodDefined", setup) { _, _ in
            .reportingPeriodDefined(
                ReportingPeriodDefined(
                    periodID: ReportingPeriodID(fresh("Q")), academicYearID: "2026-2027", kind: .quarter,
                    ordinal: 2, title: "2 четверть", dates: DateRange(start: d("2026-11-05"), end: d("2026-12-28"))))
        },
        RecordRow("HolidayPeriodDeclared", "HolidayPeriodDeclared", setup) { _, _ in
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: HolidayID(fresh("H")), academicYearID: "2026-2027", title: "Зимние каникулы",
                    dates: DateRange(start: d("2026-12-29"), end: d("2027-01-08"))))
        },
        RecordRow("SubjectDefined", "SubjectDefined", setup) { _, _ in
            .subjectDefined(SubjectDefined(subjectID: SubjectID(fresh("PHYS")), name: "Физика"))
        },
        RecordRow("ClassFormed", "ClassFormed", setup) { _, _ in
            .classFormed(ClassFormed(classID: ClassID(fresh("8A")), academicYearID: "2026-2027", gradeLevel: 8, name: "8А"))
        },
        RecordRow("ClassTeacherAssigned", "ClassTeacherAssigned", setup) { _, _ in
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7B", teacherID: "t-math", effectiveDate: d("2026-09-21")))
        },
        RecordRow("TeacherAssigned", "TeacherAssigned", setup) { _, _ in
            .teacherAssigned(TeacherAssigned(teacherID: "t-sub", subjectID: "MATH", target: .class("7B"), effectiveDate: d("2026-09-21")))
        },
        RecordRow("StreamFormed", "StreamFormed", setup) { _, _ in
            .streamFormed(
                StreamFormed(
                    teachingStreamID: TeachingStreamID(fresh("TS")), academicYearID: "2026-2027", subjectID: "MATH",
                    classIDs: ["7A", "7B"], name: "Поток 7", effectiveDate: d("2026-09-21")))
        },
        RecordRow("IndividualPlanAssigned", "IndividualPlanAssigned", setup) { _, _ in
            .individualPlanAssigned(
                IndividualPlanAssigned(
                    planID: IndividualPlanID(fresh("IP")), studentID: "S-2", academicYearID: "2026-2027",
                    subjectIDs: ["MATH"], startDate: d("2026-09-21")))
        },
        RecordRow("StaffRoleGranted", "StaffRoleGranted", [.admin]) { _, _ in
            .staffRoleGranted(StaffRoleGranted(accountID: "t-new", role: .teacher, effectiveDate: d("2026-09-21")))
        },
        RecordRow("StaffRoleRevoked", "StaffRoleRevoked", [.admin]) { _, _ in
            .staffRoleRevoked(StaffRoleRevoked(accountID: "t-sub", role: .teacher, effectiveDate: d("2026-09-21")))
        },
        RecordRow("StudentEnrolled (into 7A)", "StudentEnrolled", [.admin, .classTeacher]) { _, _ in
            let id = fresh("S")
            return .studentEnrolled(
                StudentEnrolled(
                    studentID: StudentID(id), classID: "7A", enrollmentDate: d("2026-09-21"),
                    personalData: AccessSchool.sealed(id)))
        },
        RecordRow("StudentDataCorrected (S-1 of 7A)", "StudentDataCorrected", [.admin, .classTeacher]) { _, _ in
            .studentDataCorrected(
                StudentDataCorrected(
                    studentID: "S-1", before: AccessSchool.sealed("S-1"), after: AccessSchool.sealed("S-1"),
                    changedFields: [.phone]))
        },
        RecordRow("StudentTransferred (7A to 7B: the class teacher of the class left)", "StudentTransferred", [.admin, .classTeacher]) {
            _, _ in
            .studentTransferred(StudentTransferred(studentID: "S-2", fromClassID: "7A", toClassID: "7B", effectiveDate: d("2026-09-21")))
        },
        RecordRow("StudentWithdrawn (S-2 of 7A)", "StudentWithdrawn", [.admin, .classTeacher]) { _, _ in
            .studentWithdrawn(
                StudentWithdrawn(studentID: "S-2", classID: "7A", effectiveDate: d("2026-09-21"), reason: .transferToOtherSchool))
        },
        RecordRow("ParentLinked (to S-1)", "ParentLinked", [.admin, .classTeacher]) { _, _ in
            .parentLinked(
                ParentLinked(parentID: ParentID(fresh("P")), studentID: "S-1", relation: .guardian, effectiveDate: d("2026-09-21")))
        },
        RecordRow("ParentUnlinked (P-2 from S-2)", "ParentUnlinked", [.admin, .classTeacher]) { _, _ in
            .parentUnlinked(ParentUnlinked(parentID: "P-2", studentID: "S-2", effectiveDate: d("2026-09-21")))
        },
        RecordRow("StudyGroupFormed (of 7A)", "StudyGroupFormed", [.admin, .classTeacher]) { _, _ in
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: StudyGroupID(fresh("G")), classIDs: ["7A"], subjectID: "MATH", name: "Группа",
                    studentIDs: ["S-1"], effectiveDate: d("2026-09-21")))
        },
        RecordRow("StudyGroupMembershipChanged (G-1 of 7A)", "StudyGroupMembershipChanged", [.admin, .classTeacher]) { _, _ in
            .studyGroupMembershipChanged(
                StudyGroupMembershipChanged(groupID: "G-1", removedStudentIDs: ["S-2"], effectiveDate: d("2026-09-21")))
        },

        // Timetable
        RecordRow("LessonScheduled", "LessonScheduled", setup) { _, _ in
            .lessonScheduled(
                LessonScheduled(
                    lessonID: LessonID(fresh("L")), subjectID: "MATH", target: .class("7A"), teacherID: "t-math",
                    date: d("2026-09-21"), lessonNumber: 3))
        },
        RecordRow("LessonRescheduled", "LessonRescheduled", setup) { _, _ in
            .lessonRescheduled(LessonRescheduled(lessonID: "L-2", newDate: d("2026-09-21"), newLessonNumber: 4))
        },
        RecordRow("LessonCancelled", "LessonCancelled", setup) { _, _ in .lessonCancelled(LessonCancelled(lessonID: "L-4")) },
        RecordRow("SubstitutionAssigned", "SubstitutionAssigned", setup) { _, _ in
            .substitutionAssigned(SubstitutionAssigned(lessonID: "L-3", substituteTeacherID: "t-sub", replacedTeacherID: "t-class"))
        },
        RecordRow("SubstitutionCancelled", "SubstitutionCancelled", setup) { _, _ in
            .substitutionCancelled(SubstitutionCancelled(lessonID: "L-2", substituteTeacherID: "t-sub"))
        },
        RecordRow("LessonConducted (L-2: its teacher or substitute)", "LessonConducted", [.mathTeacher, .substitute]) { _, _ in
            .lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби"))
        },
        RecordRow("TestScheduled (maths 7A)", "TestScheduled", [.mathTeacher]) { _, _ in
            .testScheduled(TestScheduled(testID: TestID(fresh("T")), subjectID: "MATH", target: .class("7A"), date: d("2026-10-01")))
        },
        RecordRow("TestRescheduled (T-1)", "TestRescheduled", [.mathTeacher]) { _, _ in
            .testRescheduled(TestRescheduled(testID: "T-1", newDate: d("2026-10-02")))
        },
        RecordRow("TestCancelled (T-1)", "TestCancelled", [.mathTeacher]) { _, _ in .testCancelled(TestCancelled(testID: "T-1")) },
        RecordRow("HomeworkAssigned (L-2)", "HomeworkAssigned", [.mathTeacher, .substitute]) { _, _ in
            .homeworkAssigned(HomeworkAssigned(homeworkID: HomeworkID(fresh("HW")), lessonID: "L-2", text: "№ 6", dueDate: d("2026-09-22")))
        },
        RecordRow("HomeworkAmended (H-1)", "HomeworkAmended", [.mathTeacher]) { _, _ in
            .homeworkAmended(HomeworkAmended(homeworkID: "H-1", text: "№ 1–7", dueDate: d("2026-09-22")))
        },

        // Assessment
        RecordRow("MarkRecorded (maths L-2: its teacher or substitute)", "MarkRecorded", [.mathTeacher, .substitute]) { _, _ in
            .markRecorded(
                MarkRecorded(
                    markID: MarkID(fresh("M")), studentID: "S-2", lessonID: "L-2", subjectID: "MATH", value: .numeric(4),
                    weight: 2, workKind: .classwork))
        },
        RecordRow("MarkRecorded (Russian L-3: the class teacher's own subject)", "MarkRecorded", [.classTeacher]) { _, _ in
            .markRecorded(
                MarkRecorded(
                    markID: MarkID(fresh("M")), studentID: "S-2", lessonID: "L-3", subjectID: "RUS", value: .numeric(4),
                    weight: 2, workKind: .classwork))
        },
        RecordRow("MarkCorrected (within the edit window: the author)", "MarkCorrected", [.mathTeacher]) { _, _ in
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(4), reason: "ошибка ввода"))
        },
        RecordRow("MarkCorrected (after the edit window: the deputy head)", "MarkCorrected", [.deputy]) { _, _ in
            .markCorrected(MarkCorrected(markID: "M-OLD", newValue: .numeric(5), reason: "пересмотр работы"))
        },
        RecordRow("MarkCancelled (within the edit window: the author)", "MarkCancelled", [.mathTeacher]) { _, _ in
            .markCancelled(MarkCancelled(markID: "M-NEW", reason: "не тот ученик"))
        },
        RecordRow("MarkCancelled (after the edit window: the deputy head)", "MarkCancelled", [.deputy]) { _, _ in
            .markCancelled(MarkCancelled(markID: "M-OLD", reason: "не тот ученик"))
        },
        RecordRow("FinalMarkSet (maths, S-1)", "FinalMarkSet", [.mathTeacher]) { _, _ in
            .finalMarkSet(
                FinalMarkSet(
                    finalMarkID: FinalMarkID(fresh("F")), studentID: "S-1", subjectID: "MATH", periodID: "2026-Q1", value: .numeric(5)))
        },
        RecordRow("FinalMarkCorrected (F-1: its teacher or the deputy head)", "FinalMarkCorrected", [.mathTeacher, .deputy]) { _, _ in
            .finalMarkCorrected(FinalMarkCorrected(finalMarkID: "F-1", newValue: .numeric(4), reason: "апелляция"))
        },
        RecordRow("AttendanceMarked (L-2: its teacher or substitute)", "AttendanceMarked", [.mathTeacher, .substitute]) { _, _ in
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .late, minutesLate: 5))
        },
        RecordRow("AttendanceCorrected (within the edit window: who marked it)", "AttendanceCorrected", [.mathTeacher]) { _, _ in
            .attendanceCorrected(AttendanceCorrected(studentID: "S-1", lessonID: "L-2", newStatus: .absentExcused, reason: "справка"))
        },
        RecordRow("RecommendationIssued (maths, S-1)", "RecommendationIssued", [.mathTeacher]) { _, _ in
            .recommendationIssued(
                RecommendationIssued(
                    recommendationID: RecommendationID(fresh("R")), studentID: "S-1", subjectID: "MATH",
                    text: "Повторить дроби", toStudent: true, toParents: true))
        },

        // Communication and access
        RecordRow("CredentialsIssued (a student of 7A)", "CredentialsIssued", [.classTeacher, .support]) { _, _ in
            .credentialsIssued(CredentialsIssued(accountID: AccountID(fresh("acc")), personID: "S-2", holder: .student, channel: .paper))
        },
        RecordRow("CredentialsIssued (a parent of 7A)", "CredentialsIssued", [.classTeacher, .support]) { _, _ in
            .credentialsIssued(CredentialsIssued(accountID: AccountID(fresh("acc")), personID: "P-2", holder: .parent, channel: .sms))
        },
        RecordRow("CredentialsIssued (staff)", "CredentialsIssued", [.admin, .support]) { _, _ in
            let id = fresh("t")
            return .credentialsIssued(
                CredentialsIssued(accountID: AccountID(id), personID: PersonID(id), holder: .staff, channel: .inPerson))
        },
        RecordRow("CredentialsReset (a parent of 7A)", "CredentialsReset", [.classTeacher, .support]) { _, _ in
            .credentialsReset(CredentialsReset(accountID: "acc-p1", channel: .paper, reason: "забыт пароль"))
        },
        RecordRow("AccessRulesExplained (the holder of acc-p1, a parent of 7A)", "AccessRulesExplained", [.classTeacher, .support]) {
            _, _ in .accessRulesExplained(AccessRulesExplained(accountID: "acc-p1", signedFormReference: "журнал выдачи № 4"))
        },
        RecordRow("SignatureKeyRegistered (a key of t-math)", "SignatureKeyRegistered", [.admin, .support, .mathTeacher]) { _, _ in
            .signatureKeyRegistered(
                SignatureKeyRegistered(
                    accountID: "t-math", publicKey: Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation),
                    validFrom: AccessSchool.today))
        },
        RecordRow("SignatureKeyRevoked (t-math's device key)", "SignatureKeyRevoked", [.admin, .support, .mathTeacher]) { _, _ in
            .signatureKeyRevoked(SignatureKeyRevoked(accountID: "t-math", keyID: AccessSchool.mathKeyID, reason: "phone lost"))
        },
        RecordRow("ParentsInformedOfServices (P-2 of 7A)", "ParentsInformedOfServices", [.classTeacher]) { _, _ in
            .parentsInformedOfServices(
                ParentsInformedOfServices(parentID: "P-2", studentID: "S-2", services: [.personalCabinet, .smsMarks]))
        },
        RecordRow(
            "NotificationPreferenceSet (P-1: herself or the class teacher on paper)", "NotificationPreferenceSet", [.parent, .classTeacher]
        ) { p, _ in
            .notificationPreferenceSet(NotificationPreferenceSet(parentID: "P-1", channel: .email, enabled: true, submittedVia: medium(p)))
        },
        RecordRow("ConsentGiven (P-1 for S-1)", "ConsentGiven", [.parent, .classTeacher]) { p, _ in
            .consentGiven(
                ConsentGiven(
                    parentID: "P-1", studentID: "S-1", submittedVia: medium(p), paperFormReference: p.isParentOrStudent ? nil : "№ 3"))
        },
        RecordRow("ConsentWithdrawn (P-1 for S-1)", "ConsentWithdrawn", [.parent, .classTeacher]) { p, _ in
            .consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: medium(p)))
        },
        RecordRow("ElectronicFormRefused (P-1 for S-1)", "ElectronicFormRefused", [.parent, .classTeacher]) { p, _ in
            .electronicFormRefused(ElectronicFormRefused(parentID: "P-1", studentID: "S-1", submittedVia: medium(p)))
        },
        RecordRow("DiaryAcknowledged (P-1 for S-1)", "DiaryAcknowledged", [.parent]) { _, _ in
            .diaryAcknowledged(DiaryAcknowledged(parentID: "P-1", studentID: "S-1", upToDate: d("2026-09-20")))
        },
        RecordRow("PaperExtractIssued (S-2 of 7A)", "PaperExtractIssued", [.classTeacher]) { _, _ in
            .paperExtractIssued(
                PaperExtractIssued(
                    extractID: ExtractID(fresh("X")), studentID: "S-2", parentID: "P-2", covers: .period("2026-Q1"),
                    reason: .noConsent))
        },
        RecordRow("NotificationDelivered", "NotificationDelivered", [.admin, .support]) { _, _ in
            .notificationDelivered(
                NotificationDelivered(notificationID: NotificationID(fresh("N")), parentID: "P-1", channel: .sms, aboutPosition: 3))
        },
        RecordRow("NotificationFailed", "NotificationFailed", [.admin, .support]) { _, _ in
            .notificationFailed(
                NotificationFailed(
                    notificationID: NotificationID(fresh("N")), parentID: "P-1", channel: .sms, aboutPosition: 3,
                    permanent: false))
        },
        RecordRow("PersonalDataErased", "PersonalDataErased", [.admin]) { _, _ in .personalDataErased(PersonalDataErased(subjectID: "P-2"))
        },

        // Compromise: anyone may report their own account; the head and support report for others.
        RecordRow("CompromiseReported (own account, or by the head or support)", "CompromiseReported", everyone) { p, _ in
            let received = Instant(iso8601: "2026-09-20T08:00:00Z")!
            switch p {
            case .head:
                return .compromiseReported(
                    CompromiseReported(accountID: "t-math", receivedByHeadAt: received, reportedBy: "head", reporter: .head))
            case .support:
                return .compromiseReported(
                    CompromiseReported(
                        accountID: "t-math", receivedBySupportAt: received, reportedBy: "support",
                        reporter: .support))
            default:
                return .compromiseReported(
                    CompromiseReported(
                        accountID: p.account, receivedBySupportAt: received, reportedBy: p.account,
                        reporter: .participant))
            }
        },
        RecordRow("CompromiseReported (as the head, for someone else)", "CompromiseReported", [.head]) { p, _ in
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Instant(iso8601: "2026-09-20T08:00:00Z")!,
                    reportedBy: p.account, reporter: .head))
        },
        RecordRow("CompromiseNoticeWithdrawn", "CompromiseNoticeWithdrawn", [.head]) { _, school in
            .compromiseNoticeWithdrawn(
                CompromiseNoticeWithdrawn(
                    noticeEventID: school.noticeID, noticePosition: school.noticePosition,
                    reason: "введено ошибочно"))
        },
        RecordRow("OperationsVoided (the invalidator's own)", "OperationsVoided", []) { _, school in
            .operationsVoided(
                OperationsVoided(
                    noticeEventID: school.noticeID, noticePosition: school.noticePosition, accountID: "acc-x",
                    voidedPositions: [], window: CompromiseWindow(opensAt: Instant(iso8601: "2026-09-19T10:00:00Z")!)))
        },
        RecordRow("VoidsLifted (the invalidator's own)", "VoidsLifted", []) { _, school in
            .voidsLifted(
                VoidsLifted(
                    noticeEventID: school.noticeID, noticePosition: school.noticePosition, withdrawalPosition: school.noticePosition + 1,
                    voidsPositions: [], liftedPositions: []))
        },
    ]

    static let sep = (from: d("2026-09-14"), to: d("2026-09-20"))
    static let ownChild: Set<Persona> = [.head, .deputy, .classTeacher, .student, .parent]
    static let classMembers: Set<Persona> = staffRoles.union([.student, .parent])

    static let reads: [ReadRow] = [
        ReadRow(label: "diary of S-1", kind: .diary, allowed: ownChild) { _ = try $0.diary(of: "S-1", from: sep.from, to: sep.to) },
        ReadRow(label: "diary of S-2 (his parent has no consent)", kind: .diary, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.diary(of: "S-2", from: sep.from, to: sep.to)
        },
        ReadRow(label: "marks of S-1", kind: .marks, allowed: ownChild) { _ = try $0.marks(of: "S-1", period: "2026-Q1") },
        ReadRow(
            label: "journal page maths 7A (class teacher read-only)", kind: .journalPage,
            allowed: [.head, .deputy, .classTeacher, .mathTeacher]
        ) {
            _ = try $0.journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1")
        },
        ReadRow(label: "journal page Russian 7A", kind: .journalPage, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.journalPage(subject: "RUS", target: .class("7A"), period: "2026-Q1")
        },
        ReadRow(label: "class list 7A", kind: .classList, allowed: [.admin, .head, .deputy, .classTeacher, .mathTeacher]) {
            _ = try $0.classList("7A", on: sep.to)
        },
        ReadRow(label: "group list G-1", kind: .groupList, allowed: [.admin, .head, .deputy, .classTeacher]) {
            _ = try $0.groupList("G-1", on: sep.to)
        },
        ReadRow(label: "timetable of 7A", kind: .classTimetable, allowed: classMembers) {
            _ = try $0.timetable(of: "7A", from: sep.from, to: sep.to)
        },
        ReadRow(label: "timetable of t-math", kind: .teacherTimetable, allowed: [.mathTeacher, .admin, .head, .deputy]) {
            _ = try $0.timetable(ofTeacher: "t-math", from: sep.from, to: sep.to)
        },
        ReadRow(label: "test schedule of 7A", kind: .testSchedule, allowed: classMembers) {
            _ = try $0.testSchedule(of: "7A", period: "2026-Q1")
        },
        ReadRow(label: "holidays", kind: .holidays, allowed: everyone.subtracting([.stranger, .compromised])) {
            _ = try $0.holidays(of: "2026-2027")
        },
        ReadRow(label: "teachers of 7A", kind: .teachers, allowed: classMembers) { _ = try $0.teachers(of: .class("7A"), on: sep.to) },
        ReadRow(label: "parents of 7A", kind: .parents, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.parents(ofClass: "7A", on: sep.to)
        },
        ReadRow(label: "paper extracts due in 7A", kind: .parents, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.paperExtractsDue(ofClass: "7A", on: sep.to)
        },
        ReadRow(label: "acknowledgement control list of 7A", kind: .acknowledgements, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.unacknowledgedMarks(ofClass: "7A", olderThan: 3, now: AccessSchool.today)
        },
        ReadRow(label: "outbox", kind: .outbox, allowed: [.admin, .support]) { _ = try $0.outbox() },
        ReadRow(label: "analytical report of 7A", kind: .classReport, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.analyticalReport(ofClass: "7A", period: "2026-Q1")
        },
        ReadRow(label: "analytical report of S-1", kind: .studentReport, allowed: [.head, .deputy, .classTeacher]) {
            _ = try $0.analyticalReport(ofStudent: "S-1", period: "2026-Q1")
        },
        ReadRow(label: "paper extract of S-1", kind: .paperExtract, allowed: ownChild) {
            _ = try $0.paperExtract(of: "S-1", from: sep.from, to: sep.to)
        },
        ReadRow(label: "personal data of S-1", kind: .personalData, allowed: [.admin, .head, .deputy, .classTeacher, .student, .parent]) {
            _ = try $0.personalData(of: "S-1")
        },
        ReadRow(label: "name of P-1", kind: .personalData, allowed: [.admin, .head, .deputy, .classTeacher, .parent]) {
            _ = try $0.displayName(of: "P-1")
        },
        ReadRow(label: "students named Иванов", kind: .studentSearch, allowed: staffRoles) { _ = try $0.findStudents(named: "Иванов") },
        ReadRow(label: "compromise audit", kind: .audit, allowed: auditors) { _ = try $0.compromiseAudit() },
        ReadRow(label: "exposure of acc-x", kind: .audit, allowed: auditors) { _ = try $0.exposure(of: "acc-x") },
        ReadRow(label: "who read S-1", kind: .audit, allowed: auditors) { _ = try $0.reads(of: .student("S-1")) },
        ReadRow(label: "history of S-1", kind: .audit, allowed: auditors) { _ = try $0.auditHistory(of: .student("S-1")) },
        ReadRow(label: "export", kind: .audit, allowed: auditors) { _ = try $0.export(to: FileHandle(forWritingAtPath: "/dev/null")!) },
    ]
    static let auditors: Set<Persona> = [.admin, .head, .deputy]
}
