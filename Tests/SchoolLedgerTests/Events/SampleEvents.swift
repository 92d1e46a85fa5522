import Crypto
import EventLedger
import SchoolLedger
import Testing

/// Realistic, valid samples of every event type of the catalog (a school
/// year of 7Б at school 12), with optional fields both set and unset.
///
/// Tests mutate a typed sample (`SampleEvents.markRecorded`) to break one
/// rule at a time; ``all`` wraps every sample as a ``SchoolEvent``.
enum SampleEvents {
    static func date(_ text: String) -> CivilDate { CivilDate(text)! }
    static func instant(_ text: String) -> Instant { Instant(iso8601: text)! }
    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(seed)) } }
    static func sealed(for subject: PersonID, seed: UInt8) -> SealedPersonalData {
        SealedPersonalData(
            subjectID: subject, nonce: bytes(12, seed: seed), ciphertext: bytes(61, seed: seed &+ 1), tag: bytes(16, seed: seed &+ 2))
    }
    static let noticeID = EventID("0192f0c1-2a3b-7c4d-8e5f-0123456789ab")!

    // MARK: Structure

    static let schoolRegistered = SchoolRegistered(
        schoolID: "school-12", fullName: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 12»",
        shortName: "МБОУ СОШ № 12", timeZone: "Europe/Moscow")
    static let schoolRegisteredMinimal = SchoolRegistered(schoolID: "school-12", fullName: "Школа № 12", timeZone: "Asia/Yekaterinburg")
    static let journalSettingsChanged = JournalSettingsChanged(
        schoolID: "school-12", editWindowDays: 7,
        kindsOfWork: [
            WorkKindWeight(workKind: .test, name: "Контрольная работа", defaultWeight: 5),
            WorkKindWeight(workKind: .classwork, name: "Работа на уроке", defaultWeight: 3),
            WorkKindWeight(workKind: .homework, name: "Домашняя работа", defaultWeight: 1),
            WorkKindWeight(workKind: .other, name: "Зачёт по технике чтения", defaultWeight: 4),
            WorkKindWeight(workKind: .other, name: "Сочинение", defaultWeight: 4),
        ],
        finalMarkRounding: FinalMarkRounding(thresholdFor5: 460, thresholdFor4: 360, thresholdFor3: 260))
    static let journalSettingsSigned = JournalSettingsChanged(
        schoolID: "school-12", kindsOfWork: [WorkKindWeight(workKind: .test, name: "Контрольная работа", defaultWeight: 5)],
        signaturesRequired: true, signedOperations: ["MarkRecorded", "AttendanceMarked"])
    static let academicYearOpened = AcademicYearOpened(
        academicYearID: "2026-2027", schoolID: "school-12", title: "2026/2027",
        dates: DateRange(start: date("2026-09-01"), end: date("2027-05-26")))
    static let reportingPeriodDefined = ReportingPeriodDefined(
        periodID: "2026-2027-q1", academicYearID: "2026-2027", kind: .quarter, ordinal: 1, title: "1 четверть",
        dates: DateRange(start: date("2026-09-01"), end: date("2026-10-24")))
    static let reportingPeriodDefinedHalfYear = ReportingPeriodDefined(
        periodID: "2026-2027-h1-senior", academicYearID: "2026-2027", kind: .halfYear, ordinal: 1, title: "1 полугодие",
        dates: DateRange(start: date("2026-09-01"), end: date("2026-12-27")), gradeLevels: [10, 11])
    static let holidayPeriodDeclared = HolidayPeriodDeclared(
        holidayID: "autumn-2026", academicYearID: "2026-2027", title: "Осенние каникулы",
        dates: DateRange(start: date("2026-10-26"), end: date("2026-11-03")))
    static let holidayPeriodDeclaredFirstGrade = HolidayPeriodDeclared(
        holidayID: "february-2027-grade-1", academicYearID: "2026-2027", title: "Дополнительные каникулы для первоклассников",
        dates: DateRange(start: date("2027-02-15"), end: date("2027-02-21")), gradeLevels: [1])
    static let subjectDefined = SubjectDefined(subjectID: "algebra", name: "Алгебра", shortName: "Алг.")
    static let subjectDefinedMinimal = SubjectDefined(subjectID: "english", name: "Английский язык")
    static let classFormed = ClassFormed(classID: "7B", academicYearID: "2026-2027", gradeLevel: 7, letter: "Б", name: "7Б")
    static let classFormedWithoutLetter = ClassFormed(
        classID: "10-profile", academicYearID: "2026-2027", gradeLevel: 10, name: "10 (профиль)")
    static let classTeacherAssigned = ClassTeacherAssigned(classID: "7B", teacherID: "t.smirnova", effectiveDate: date("2026-09-01"))
    static let studyGroupFormed = StudyGroupFormed(
        groupID: "7B-english-1", classIDs: ["7B"], subjectID: "english", name: "Английский язык, группа 1",
        studentIDs: ["S-1001", "S-1002", "S-1003"], effectiveDate: date("2026-09-01"))
    static let studyGroupMembershipChanged = StudyGroupMembershipChanged(
        groupID: "7B-english-1", addedStudentIDs: ["S-1004"], removedStudentIDs: ["S-1003"], effectiveDate: date("2026-10-01"),
        reason: "Перевод по результатам входного тестирования")
    static let studyGroupMembershipChangedRemoveOnly = StudyGroupMembershipChanged(
        groupID: "7B-english-1", removedStudentIDs: ["S-1002"], effectiveDate: date("2026-11-05"))
    static let streamFormed = StreamFormed(
        teachingStreamID: "10-physics", academicYearID: "2026-2027", subjectID: "physics", classIDs: ["10A", "10B"],
        name: "10-е классы, физика (профиль)", effectiveDate: date("2026-09-01"))
    static let individualPlanAssigned = IndividualPlanAssigned(
        planID: "iup-S-1005", studentID: "S-1005", academicYearID: "2026-2027", subjectIDs: ["algebra", "geometry"],
        startDate: date("2026-09-15"), endDate: date("2026-12-27"), orderReference: "№ 45-у от 01.09.2026")
    static let individualPlanAssignedOpenEnded = IndividualPlanAssigned(
        planID: "iup-S-1006", studentID: "S-1006", academicYearID: "2026-2027", subjectIDs: ["english"], startDate: date("2026-09-01"))
    static let teacherAssignedToClass = TeacherAssigned(
        teacherID: "i.petrov", subjectID: "algebra", target: .class("7B"), effectiveDate: date("2026-09-01"))
    static let teacherAssignedToGroup = TeacherAssigned(
        teacherID: "a.jones", subjectID: "english", target: .group("7B-english-1"), effectiveDate: date("2026-09-01"))
    static let teacherAssignedToStream = TeacherAssigned(
        teacherID: "p.kuznetsov", subjectID: "physics", target: .teachingStream("10-physics"), effectiveDate: date("2026-09-01"),
        endDate: date("2026-12-27"))
    static let teacherAssignedToStudent = TeacherAssigned(
        teacherID: "i.petrov", subjectID: "algebra", target: .student("S-1005"), effectiveDate: date("2026-09-15"))
    static let staffRoleGranted = StaffRoleGranted(accountID: "o.ivanova", role: .deputyHead, effectiveDate: date("2026-08-25"))
    static let staffRoleRevoked = StaffRoleRevoked(
        accountID: "o.ivanova", role: .deputyHead, effectiveDate: date("2027-06-30"), reason: "Окончание срока назначения")
    static let staffRoleRevokedMinimal = StaffRoleRevoked(accountID: "support-1", role: .support, effectiveDate: date("2027-01-10"))
    static let studentEnrolled = StudentEnrolled(
        studentID: "S-1001", classID: "7B", enrollmentDate: date("2026-09-01"), personalData: sealed(for: "S-1001", seed: 1),
        orderReference: "Приказ № 112 от 28.08.2026")
    static let studentEnrolledMinimal = StudentEnrolled(
        studentID: "S-1002", classID: "7B", enrollmentDate: date("2026-09-01"), personalData: sealed(for: "S-1002", seed: 2))
    static let studentDataCorrected = StudentDataCorrected(
        studentID: "S-1001", before: sealed(for: "S-1001", seed: 1), after: sealed(for: "S-1001", seed: 9),
        changedFields: [.familyName, .birthDate], reason: "Ошибка при вводе, исправлено по свидетельству")
    static let studentTransferred = StudentTransferred(
        studentID: "S-1003", fromClassID: "7B", toClassID: "7A", effectiveDate: date("2026-11-09"),
        orderReference: "Приказ № 140 от 06.11.2026")
    static let studentWithdrawn = StudentWithdrawn(
        studentID: "S-1004", classID: "7B", effectiveDate: date("2027-01-12"), reason: .transferToOtherSchool)
    static let parentLinked = ParentLinked(
        parentID: "P-2001", studentID: "S-1001", relation: .mother, personalData: sealed(for: "P-2001", seed: 21),
        effectiveDate: date("2026-09-01"))
    static let parentLinkedKnownParent = ParentLinked(
        parentID: "P-2001", studentID: "S-1007", relation: .mother, effectiveDate: date("2026-09-01"))
    static let parentUnlinked = ParentUnlinked(
        parentID: "P-2002", studentID: "S-1001", effectiveDate: date("2027-02-01"), reason: "Решение органа опеки")

    // MARK: Timetable

    static let lessonScheduled = LessonScheduled(
        lessonID: "L-2026-10-05-7B-3", subjectID: "algebra", target: .class("7B"), teacherID: "i.petrov",
        date: date("2026-10-05"), lessonNumber: 3, room: "214")
    static let lessonScheduledForGroup = LessonScheduled(
        lessonID: "L-2026-10-05-7B-en1-4", subjectID: "english", target: .group("7B-english-1"), teacherID: "a.jones",
        date: date("2026-10-05"), lessonNumber: 4)
    static let lessonRescheduled = LessonRescheduled(
        lessonID: "L-2026-10-05-7B-3", newDate: date("2026-10-06"), newLessonNumber: 5, newRoom: "301", reason: "Олимпиада")
    static let lessonCancelled = LessonCancelled(lessonID: "L-2026-10-07-7B-2", reason: "Карантин")
    static let lessonCancelledMinimal = LessonCancelled(lessonID: "L-2026-10-08-7B-2")
    static let substitutionAssigned = SubstitutionAssigned(
        lessonID: "L-2026-10-05-7B-3", substituteTeacherID: "n.sidorova", replacedTeacherID: "i.petrov", subjectID: "geometry",
        reason: "Курсы повышения квалификации")
    static let substitutionAssignedSameSubject = SubstitutionAssigned(
        lessonID: "L-2026-10-12-7B-3", substituteTeacherID: "n.sidorova", replacedTeacherID: "i.petrov")
    static let substitutionCancelled = SubstitutionCancelled(lessonID: "L-2026-10-05-7B-3", substituteTeacherID: "n.sidorova")
    static let lessonConducted = LessonConducted(lessonID: "L-2026-10-05-7B-3", topic: "Сложение и вычитание обыкновенных дробей")
    static let testScheduled = TestScheduled(
        testID: "T-7B-algebra-1", subjectID: "algebra", target: .class("7B"), date: date("2026-10-20"),
        lessonID: "L-2026-10-20-7B-2", lessonNumber: 2, workKind: .test, topic: "Дроби")
    static let testScheduledMinimal = TestScheduled(
        testID: "T-7B-russian-1", subjectID: "russian", target: .class("7B"), date: date("2026-10-22"), workKind: .dictation)
    static let testRescheduled = TestRescheduled(
        testID: "T-7B-algebra-1", newDate: date("2026-10-21"), newLessonID: "L-2026-10-21-7B-1", newLessonNumber: 1,
        reason: "Совпадение с ВПР")
    static let testRescheduledMinimal = TestRescheduled(testID: "T-7B-russian-1", newDate: date("2026-10-23"))
    static let testCancelled = TestCancelled(testID: "T-7B-russian-1", reason: "Изменение рабочей программы")
    static let homeworkAssigned = HomeworkAssigned(
        homeworkID: "HW-7B-algebra-12", lessonID: "L-2026-10-05-7B-3",
        text: "§ 12, № 245–250.\n\tПовторить правила сложения дробей.", dueDate: date("2026-10-07"),
        dueLessonID: "L-2026-10-07-7B-3")
    static let homeworkAssignedMinimal = HomeworkAssigned(
        homeworkID: "HW-7B-english-3", lessonID: "L-2026-10-05-7B-en1-4", text: "Workbook p. 14", dueDate: date("2026-10-08"))
    static let homeworkAmended = HomeworkAmended(
        homeworkID: "HW-7B-algebra-12", text: "§ 12, № 245–248.", dueDate: date("2026-10-08"), reason: "Перенос урока")

    // MARK: Assessment

    static let markRecorded = MarkRecorded(
        markID: "M-000001", studentID: "S-1001", lessonID: "L-2026-10-20-7B-2", subjectID: "algebra", value: .numeric(5),
        weight: 5, workKind: .test, workKindNote: "контрольная работа по теме «Дроби»", comment: "Аккуратное оформление",
        testID: "T-7B-algebra-1")
    static let markRecordedMinimal = MarkRecorded(
        markID: "M-000002", studentID: "S-1002", lessonID: "L-2026-10-05-7B-3", subjectID: "algebra", value: .pass, weight: 1,
        workKind: .homework)
    static let markCorrected = MarkCorrected(markID: "M-000001", newValue: .numeric(4), reason: "Ошибка при выставлении")
    static let markCancelled = MarkCancelled(markID: "M-000002", reason: "Отметка выставлена не тому обучающемуся")
    static let finalMarkSet = FinalMarkSet(
        finalMarkID: "FM-S-1001-algebra-q1", studentID: "S-1001", subjectID: "algebra", periodID: "2026-2027-q1",
        value: .numeric(4), weightedAverageHundredths: 437)
    static let finalMarkSetNotAttested = FinalMarkSet(
        finalMarkID: "FM-S-1004-algebra-q1", studentID: "S-1004", subjectID: "algebra", periodID: "2026-2027-q1", value: .notAttested)
    static let finalMarkCorrected = FinalMarkCorrected(
        finalMarkID: "FM-S-1004-algebra-q1", newValue: .numeric(3), reason: "Ликвидация задолженности")
    static let attendanceMarked = AttendanceMarked(studentID: "S-1002", lessonID: "L-2026-10-05-7B-3", status: .absent)
    static let attendanceMarkedLate = AttendanceMarked(
        studentID: "S-1001", lessonID: "L-2026-10-05-7B-3", status: .late, minutesLate: 10)
    static let attendanceCorrected = AttendanceCorrected(
        studentID: "S-1002", lessonID: "L-2026-10-05-7B-3", newStatus: .absentExcused, reason: "Справка")
    static let recommendationIssued = RecommendationIssued(
        recommendationID: "R-1", studentID: "S-1002", subjectID: "algebra",
        text: "Повторить тему «Дроби».\nРешить дополнительно № 251–255.", toStudent: true, toParents: true)
    static let recommendationIssuedGeneral = RecommendationIssued(
        recommendationID: "R-2", studentID: "S-1003", text: "Обратить внимание на пропуски уроков.", toStudent: false, toParents: true)

    // MARK: Communication

    static let credentialsIssued = CredentialsIssued(
        accountID: "S-1001.login", personID: "S-1001", holder: .student, channel: .paper,
        activationCode: ActivationCodeDigest(
            salt: bytes(16, seed: 3), hash: bytes(32, seed: 4), expiresAt: instant("2026-09-08T00:00:00Z")))
    static let credentialsIssuedStaff = CredentialsIssued(
        accountID: "i.petrov", personID: "i.petrov", holder: .staff, channel: .inPerson)
    static let credentialsReset = CredentialsReset(
        accountID: "S-1001.login", channel: .sms, activationCode: ActivationCodeDigest(salt: bytes(16, seed: 5), hash: bytes(32, seed: 6)),
        reason: "Компрометация пароля")
    static let credentialsResetMinimal = CredentialsReset(accountID: "P-2001.login", channel: .email)
    static let parentsInformedOfServices = ParentsInformedOfServices(
        parentID: "P-2001", studentID: "S-1001", services: [.personalCabinet, .smsMarks, .email])
    static let notificationPreferenceSet = NotificationPreferenceSet(
        parentID: "P-2001", channel: .sms, enabled: true, contact: sealed(for: "P-2001", seed: 22), submittedVia: .electronic,
        topics: [.marks, .scheduleChanges])
    static let notificationPreferenceSetOff = NotificationPreferenceSet(
        parentID: "P-2001", channel: .email, enabled: false, submittedVia: .paperForm)
    static let consentGiven = ConsentGiven(
        parentID: "P-2001", studentID: "S-1001", submittedVia: .paperForm, paperFormReference: "Вх. № 37 от 02.09.2026")
    static let consentGivenElectronically = ConsentGiven(parentID: "P-2003", studentID: "S-1002", submittedVia: .electronic)
    static let consentWithdrawn = ConsentWithdrawn(parentID: "P-2003", studentID: "S-1002", submittedVia: .electronic)
    static let electronicFormRefused = ElectronicFormRefused(
        parentID: "P-2004", studentID: "S-1003", submittedVia: .paperForm, paperFormReference: "Вх. № 41 от 03.09.2026")
    static let diaryAcknowledged = DiaryAcknowledged(
        parentID: "P-2001", studentID: "S-1001", upToDate: date("2026-10-05"), upToPosition: 1_234)
    static let diaryAcknowledgedByDate = DiaryAcknowledged(parentID: "P-2001", studentID: "S-1001", upToDate: date("2026-10-12"))
    static let diaryAcknowledgedByPosition = DiaryAcknowledged(parentID: "P-2003", studentID: "S-1002", upToPosition: 2_001)
    static let diaryAcknowledgedOnPaper = DiaryAcknowledged(
        parentID: "P-2004", studentID: "S-1003", upToDate: date("2026-10-25"), paperExtractID: "X-1")
    static let paperExtractIssued = PaperExtractIssued(
        extractID: "X-1", studentID: "S-1003", parentID: "P-2004", covers: .period("2026-2027-q1"), reason: .refusedElectronicForm)
    static let paperExtractIssuedForDates = PaperExtractIssued(
        extractID: "X-2", studentID: "S-1002", parentID: "P-2003",
        covers: .dates(DateRange(start: date("2026-10-01"), end: date("2026-10-31"))), reason: .noConsent)
    static let notificationDelivered = NotificationDelivered(
        notificationID: "N-1", parentID: "P-2001", channel: .sms, aboutPosition: 1_500, providerMessageID: "smsc-7781234")
    static let notificationFailed = NotificationFailed(
        notificationID: "N-2", parentID: "P-2001", channel: .email, aboutPosition: 1_501, error: "550 mailbox unavailable",
        permanent: true)
    static let notificationFailedMinimal = NotificationFailed(
        notificationID: "N-3", parentID: "P-2001", channel: .sms, aboutPosition: 1_502, permanent: false)
    static let personalDataErased = PersonalDataErased(subjectID: "P-2002")
    static let accessRulesExplained = AccessRulesExplained(accountID: "S-1001.login", signedFormReference: "журнал выдачи № 4")
    static let accessRulesExplainedMinimal = AccessRulesExplained(accountID: "P-2001.login")
    /// A device key of a teacher (a fixed Ed25519 key pair).
    static let teacherDeviceKey = DeviceKeys.fixed(seed: 40)
    static let signatureKeyRegistered = SignatureKeyRegistered(
        accountID: "T-7", publicKey: Array(teacherDeviceKey.publicKey.rawRepresentation),
        validFrom: Instant(microsecondsSinceEpoch: 1_788_000_000_000_000),
        validUntil: Instant(microsecondsSinceEpoch: 1_820_000_000_000_000))
    static let signatureKeyRegisteredOpenEnded = SignatureKeyRegistered(
        accountID: "T-8", publicKey: Array(teacherDeviceKey.publicKey.rawRepresentation),
        validFrom: Instant(microsecondsSinceEpoch: 1_788_000_000_000_000))
    static let signatureKeyRevoked = SignatureKeyRevoked(
        accountID: "T-7", keyID: signatureKeyRegistered.keyID, reason: "Телефон утерян")
    static let signatureKeyRevokedMinimal = SignatureKeyRevoked(accountID: "T-8", keyID: signatureKeyRegistered.keyID)

    // MARK: Compromise

    static let compromiseReported = CompromiseReported(
        accountID: "P-2001.login", discoveredAt: instant("2026-10-05T07:10:00Z"),
        receivedByHeadAt: instant("2026-10-05T09:00:00.250000Z"), receivedBySupportAt: instant("2026-10-05T08:30:00Z"),
        reportedBy: "P-2001.login", reporter: .participant, compromised: [.login, .password],
        note: "Пароль был записан в общем чате родителей")
    static let compromiseReportedBySupport = CompromiseReported(
        accountID: "i.petrov", receivedBySupportAt: instant("2026-11-02T12:00:00Z"), reportedBy: "support-1", reporter: .support)
    static let compromiseNoticeWithdrawn = CompromiseNoticeWithdrawn(
        noticeEventID: noticeID, noticePosition: 1_600, reason: "Уведомление внесено ошибочно: учётная запись не та")
    static let operationsVoided = OperationsVoided(
        noticeEventID: noticeID, noticePosition: 1_600, accountID: "P-2001.login", voidedPositions: [1_540, 1_577, 1_599],
        window: CompromiseWindow(opensAt: instant("2026-10-05T08:30:00Z")))
    static let operationsVoidedClosed = OperationsVoided(
        noticeEventID: noticeID, noticePosition: 1_600, accountID: "P-2001.login", voidedPositions: [],
        window: CompromiseWindow(
            opensAt: instant("2026-10-05T08:30:00Z"), closesAt: instant("2026-10-05T10:15:00Z"), closedByPosition: 1_610))
    static let voidsLifted = VoidsLifted(
        noticeEventID: noticeID, noticePosition: 1_600, withdrawalPosition: 1_700, voidsPositions: [1_601],
        liftedPositions: [1_540, 1_577, 1_599])

    /// Every sample as a school event: each of the 56 cases at least once.
    static let all: [SchoolEvent] = [
        .schoolRegistered(schoolRegistered), .schoolRegistered(schoolRegisteredMinimal),
        .journalSettingsChanged(journalSettingsChanged), .journalSettingsChanged(journalSettingsSigned),
        .academicYearOpened(academicYearOpened),
        .reportingPeriodDefined(reportingPeriodDefined), .reportingPeriodDefined(reportingPeriodDefinedHalfYear),
        .holidayPeriodDeclared(holidayPeriodDeclared), .holidayPeriodDeclared(holidayPeriodDeclaredFirstGrade),
        .subjectDefined(subjectDefined), .subjectDefined(subjectDefinedMinimal),
        .classFormed(classFormed), .classFormed(classFormedWithoutLetter),
        .classTeacherAssigned(classTeacherAssigned),
        .studyGroupFormed(studyGroupFormed),
        .studyGroupMembershipChanged(studyGroupMembershipChanged), .studyGroupMembershipChanged(studyGroupMembershipChangedRemoveOnly),
        .streamFormed(streamFormed),
        .individualPlanAssigned(individualPlanAssigned), .individualPlanAssigned(individualPlanAssignedOpenEnded),
        .teacherAssigned(teacherAssignedToClass), .teacherAssigned(teacherAssignedToGroup),
        .teacherAssigned(teacherAssignedToStream), .teacherAssigned(teacherAssignedToStudent),
        .staffRoleGranted(staffRoleGranted),
        .staffRoleRevoked(staffRoleRevoked), .staffRoleRevoked(staffRoleRevokedMinimal),
        .studentEnrolled(studentEnrolled), .studentEnrolled(studentEnrolledMinimal),
        .studentDataCorrected(studentDataCorrected),
        .studentTransferred(studentTransferred),
        .studentWithdrawn(studentWithdrawn),
        .parentLinked(parentLinked), .parentLinked(parentLinkedKnownParent),
        .parentUnlinked(parentUnlinked),
        .lessonScheduled(lessonScheduled), .lessonScheduled(lessonScheduledForGroup),
        .lessonRescheduled(lessonRescheduled),
        .lessonCancelled(lessonCancelled), .lessonCancelled(lessonCancelledMinimal),
        .substitutionAssigned(substitutionAssigned), .substitutionAssigned(substitutionAssignedSameSubject),
        .substitutionCancelled(substitutionCancelled),
        .lessonConducted(lessonConducted),
        .testScheduled(testScheduled), .testScheduled(testScheduledMinimal),
        .testRescheduled(testRescheduled), .testRescheduled(testRescheduledMinimal),
        .testCancelled(testCancelled),
        .homeworkAssigned(homeworkAssigned), .homeworkAssigned(homeworkAssignedMinimal),
        .homeworkAmended(homeworkAmended),
        .markRecorded(markRecorded), .markRecorded(markRecordedMinimal),
        .markCorrected(markCorrected),
        .markCancelled(markCancelled),
        .finalMarkSet(finalMarkSet), .finalMarkSet(finalMarkSetNotAttested),
        .finalMarkCorrected(finalMarkCorrected),
        .attendanceMarked(attendanceMarked), .attendanceMarked(attendanceMarkedLate),
        .attendanceCorrected(attendanceCorrected),
        .recommendationIssued(recommendationIssued), .recommendationIssued(recommendationIssuedGeneral),
        .credentialsIssued(credentialsIssued), .credentialsIssued(credentialsIssuedStaff),
        .credentialsReset(credentialsReset), .credentialsReset(credentialsResetMinimal),
        .parentsInformedOfServices(parentsInformedOfServices),
        .notificationPreferenceSet(notificationPreferenceSet), .notificationPreferenceSet(notificationPreferenceSetOff),
        .consentGiven(consentGiven), .consentGiven(consentGivenElectronically),
        .consentWithdrawn(consentWithdrawn),
        .electronicFormRefused(electronicFormRefused),
        .diaryAcknowledged(diaryAcknowledged), .diaryAcknowledged(diaryAcknowledgedByDate),
        .diaryAcknowledged(diaryAcknowledgedByPosition), .diaryAcknowledged(diaryAcknowledgedOnPaper),
        .paperExtractIssued(paperExtractIssued), .paperExtractIssued(paperExtractIssuedForDates),
        .notificationDelivered(notificationDelivered),
        .notificationFailed(notificationFailed), .notificationFailed(notificationFailedMinimal),
        .signatureKeyRegistered(signatureKeyRegistered), .signatureKeyRegistered(signatureKeyRegisteredOpenEnded),
        .signatureKeyRevoked(signatureKeyRevoked), .signatureKeyRevoked(signatureKeyRevokedMinimal),
        .accessRulesExplained(accessRulesExplained), .accessRulesExplained(accessRulesExplainedMinimal),
        .compromiseReported(compromiseReported), .compromiseReported(compromiseReportedBySupport),
        .compromiseNoticeWithdrawn(compromiseNoticeWithdrawn),
        .operationsVoided(operationsVoided), .operationsVoided(operationsVoidedClosed),
        .voidsLifted(voidsLifted),
        .personalDataErased(personalDataErased),
    ]
}

extension SchoolEvent: CustomTestStringConvertible {
    /// A short name for parameterized test cases, e.g. `MarkRecorded on mark/M-000001`.
    public var testDescription: String { "\(eventType) on \(stream)" }
}
