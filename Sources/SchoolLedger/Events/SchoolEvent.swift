/// One event of the school's journal, as a Swift value: one case per event
/// type of the catalog (`Schemas/schoolledger/v1`), in the order of the
/// envelope's `payload` oneof.
///
/// ```swift
/// let event = SchoolEvent.markRecorded(
///     MarkRecorded(markID: "M-1", studentID: "S-1001", lessonID: "L-1", subjectID: "algebra",
///                  value: .numeric(5), weight: 3, workKind: .classwork))
/// try event.validate()
/// event.eventType      // "MarkRecorded"
/// event.schemaVersion  // 2
/// event.stream         // "mark/M-1"
/// ```
///
/// ## Streams
///
/// Each event is appended to one event stream, named `"<kind>/<id>"` from
/// the ids in the event itself (``SchoolStream`` builds the names). An
/// event goes to the stream of the thing it creates or changes; when the
/// follow-up events of a thing name only that thing (a mark's correction
/// names only the mark), the thing has its own stream, so that its whole
/// history is one stream:
///
/// | stream | events |
/// |---|---|
/// | `school` | SchoolRegistered, JournalSettingsChanged, StaffRoleGranted, StaffRoleRevoked |
/// | `year/<academicYearID>` | AcademicYearOpened, ReportingPeriodDefined, HolidayPeriodDeclared |
/// | `subject/<subjectID>` | SubjectDefined |
/// | `class/<classID>` | ClassFormed, ClassTeacherAssigned, TeacherAssigned to a class |
/// | `group/<groupID>` | StudyGroupFormed, StudyGroupMembershipChanged, TeacherAssigned to a group |
/// | `teaching-stream/<id>` | StreamFormed, TeacherAssigned to a teaching stream (учебный поток) |
/// | `student/<studentID>` | StudentEnrolled, StudentDataCorrected, StudentTransferred, StudentWithdrawn, IndividualPlanAssigned, TeacherAssigned to an individual student, ParentLinked, ParentUnlinked, RecommendationIssued, PaperExtractIssued |
/// | `lesson/<lessonID>` | LessonScheduled, LessonRescheduled, LessonCancelled, SubstitutionAssigned, SubstitutionCancelled, LessonConducted, AttendanceMarked, AttendanceCorrected |
/// | `test/<testID>` | TestScheduled, TestRescheduled, TestCancelled |
/// | `homework/<homeworkID>` | HomeworkAssigned, HomeworkAmended |
/// | `mark/<markID>` | MarkRecorded, MarkCorrected, MarkCancelled |
/// | `final-mark/<finalMarkID>` | FinalMarkSet, FinalMarkCorrected |
/// | `parent/<parentID>` | ParentsInformedOfServices, NotificationPreferenceSet, ConsentGiven, ConsentWithdrawn, ElectronicFormRefused, DiaryAcknowledged |
/// | `account/<accountID>` | CredentialsIssued, CredentialsReset |
/// | `notification/<notificationID>` | NotificationDelivered, NotificationFailed |
/// | `compromise` | CompromiseReported, CompromiseNoticeWithdrawn, OperationsVoided, VoidsLifted |
/// | `personal-data/<subjectID>` | PersonalDataErased |
///
/// Tests, homework, marks and final marks have their own streams because
/// their later events (`TestRescheduled`, `HomeworkAmended`,
/// `MarkCorrected`, `FinalMarkCorrected`) carry only the thing's id. The
/// breach register is one stream because `CompromiseNoticeWithdrawn` and
/// `VoidsLifted` name a notice, not an account; an account's own stream
/// holds its credential events, which close compromise windows.
///
/// ## Schema versions
///
/// ``schemaVersion`` is what this library writes: 1, except `MarkRecorded`
/// (2). Reading also accepts `MarkRecorded` version 1 and upcasts it.
public enum SchoolEvent: Sendable, Hashable {
    // MARK: Structure

    /// The school is registered (регистрация ОО). See ``SchoolRegistered``.
    case schoolRegistered(SchoolRegistered)
    /// The journal settings change (настройки журнала). See ``JournalSettingsChanged``.
    case journalSettingsChanged(JournalSettingsChanged)
    /// An academic year is opened (учебный год). See ``AcademicYearOpened``.
    case academicYearOpened(AcademicYearOpened)
    /// A reporting period is defined (отчётный период). See ``ReportingPeriodDefined``.
    case reportingPeriodDefined(ReportingPeriodDefined)
    /// A holiday period is declared (каникулы). See ``HolidayPeriodDeclared``.
    case holidayPeriodDeclared(HolidayPeriodDeclared)
    /// A subject is defined (учебный предмет). See ``SubjectDefined``.
    case subjectDefined(SubjectDefined)
    /// A class is formed (класс). See ``ClassFormed``.
    case classFormed(ClassFormed)
    /// A class teacher is assigned (классный руководитель). See ``ClassTeacherAssigned``.
    case classTeacherAssigned(ClassTeacherAssigned)
    /// A study group is formed (учебная группа). See ``StudyGroupFormed``.
    case studyGroupFormed(StudyGroupFormed)
    /// A study group's list changes (список учебной группы). See ``StudyGroupMembershipChanged``.
    case studyGroupMembershipChanged(StudyGroupMembershipChanged)
    /// A stream is formed (учебный поток). See ``StreamFormed``.
    case streamFormed(StreamFormed)
    /// A student is put on an individual plan (индивидуальный учебный план). See ``IndividualPlanAssigned``.
    case individualPlanAssigned(IndividualPlanAssigned)
    /// A subject teacher is assigned (учитель-предметник). See ``TeacherAssigned``.
    case teacherAssigned(TeacherAssigned)
    /// A staff role is granted. See ``StaffRoleGranted``.
    case staffRoleGranted(StaffRoleGranted)
    /// A staff role is revoked. See ``StaffRoleRevoked``.
    case staffRoleRevoked(StaffRoleRevoked)
    /// A student is enrolled (зачисление). See ``StudentEnrolled``.
    case studentEnrolled(StudentEnrolled)
    /// A student's data is corrected (корректировка данных). See ``StudentDataCorrected``.
    case studentDataCorrected(StudentDataCorrected)
    /// A student moves to another class (перевод). See ``StudentTransferred``.
    case studentTransferred(StudentTransferred)
    /// A student leaves the school (выбытие). See ``StudentWithdrawn``.
    case studentWithdrawn(StudentWithdrawn)
    /// A parent is linked to a student (законный представитель). See ``ParentLinked``.
    case parentLinked(ParentLinked)
    /// A parent is unlinked from a student. See ``ParentUnlinked``.
    case parentUnlinked(ParentUnlinked)
    // MARK: Timetable

    /// A lesson is scheduled (урок в расписании). See ``LessonScheduled``.
    case lessonScheduled(LessonScheduled)
    /// A lesson is moved (перенос урока). See ``LessonRescheduled``.
    case lessonRescheduled(LessonRescheduled)
    /// A lesson is cancelled (отмена урока). See ``LessonCancelled``.
    case lessonCancelled(LessonCancelled)
    /// A substitute takes a lesson (замена). See ``SubstitutionAssigned``.
    case substitutionAssigned(SubstitutionAssigned)
    /// A substitution is withdrawn (отмена замены). See ``SubstitutionCancelled``.
    case substitutionCancelled(SubstitutionCancelled)
    /// A lesson took place, with its topic (тема урока). See ``LessonConducted``.
    case lessonConducted(LessonConducted)
    /// A test is scheduled (контрольная работа). See ``TestScheduled``.
    case testScheduled(TestScheduled)
    /// A test is moved (перенос контрольной работы). See ``TestRescheduled``.
    case testRescheduled(TestRescheduled)
    /// A test is cancelled (отмена контрольной работы). See ``TestCancelled``.
    case testCancelled(TestCancelled)
    /// Homework is set (домашнее задание). See ``HomeworkAssigned``.
    case homeworkAssigned(HomeworkAssigned)
    /// Homework is changed (изменение домашнего задания). See ``HomeworkAmended``.
    case homeworkAmended(HomeworkAmended)
    // MARK: Assessment

    /// A mark is given (выставление отметки); schema_version 1 or 2. See ``MarkRecorded``.
    case markRecorded(MarkRecorded)
    /// A mark is corrected (исправление отметки). See ``MarkCorrected``.
    case markCorrected(MarkCorrected)
    /// A mark is cancelled (отмена отметки). See ``MarkCancelled``.
    case markCancelled(MarkCancelled)
    /// A final mark is set (итоговая отметка). See ``FinalMarkSet``.
    case finalMarkSet(FinalMarkSet)
    /// A final mark is corrected (исправление итоговой отметки). See ``FinalMarkCorrected``.
    case finalMarkCorrected(FinalMarkCorrected)
    /// Attendance is recorded (посещаемость). See ``AttendanceMarked``.
    case attendanceMarked(AttendanceMarked)
    /// Attendance is corrected (исправление посещаемости). See ``AttendanceCorrected``.
    case attendanceCorrected(AttendanceCorrected)
    /// A teacher's recommendation (рекомендация педагога). See ``RecommendationIssued``.
    case recommendationIssued(RecommendationIssued)
    // MARK: Communication and access

    /// Credentials are handed out (выдача реквизитов доступа). See ``CredentialsIssued``.
    case credentialsIssued(CredentialsIssued)
    /// Credentials are reset (сброс реквизитов доступа). See ``CredentialsReset``.
    case credentialsReset(CredentialsReset)
    /// A parent is told about the diary and its services. See ``ParentsInformedOfServices``.
    case parentsInformedOfServices(ParentsInformedOfServices)
    /// A parent turns SMS / e-mail notifications on or off. See ``NotificationPreferenceSet``.
    case notificationPreferenceSet(NotificationPreferenceSet)
    /// Consent to processing of personal data (согласие). See ``ConsentGiven``.
    case consentGiven(ConsentGiven)
    /// Consent is withdrawn (отзыв согласия). See ``ConsentWithdrawn``.
    case consentWithdrawn(ConsentWithdrawn)
    /// The electronic form is refused (отказ от электронной формы). See ``ElectronicFormRefused``.
    case electronicFormRefused(ElectronicFormRefused)
    /// A parent acknowledges the diary (ознакомление). See ``DiaryAcknowledged``.
    case diaryAcknowledged(DiaryAcknowledged)
    /// A paper extract is handed over (выписка). See ``PaperExtractIssued``.
    case paperExtractIssued(PaperExtractIssued)
    /// A notification was delivered. See ``NotificationDelivered``.
    case notificationDelivered(NotificationDelivered)
    /// A notification could not be delivered. See ``NotificationFailed``.
    case notificationFailed(NotificationFailed)
    // MARK: Compromise and invalidator

    /// A breach notice (уведомление о компрометации). See ``CompromiseReported``.
    case compromiseReported(CompromiseReported)
    /// A breach notice is withdrawn by the head. See ``CompromiseNoticeWithdrawn``.
    case compromiseNoticeWithdrawn(CompromiseNoticeWithdrawn)
    /// The invalidator voids a window's operations. See ``OperationsVoided``.
    case operationsVoided(OperationsVoided)
    /// The invalidator lifts a withdrawn notice's voids. See ``VoidsLifted``.
    case voidsLifted(VoidsLifted)
    // MARK: Personal data

    /// A data subject's personal data is erased (уничтожение ПДн). See ``PersonalDataErased``.
    case personalDataErased(PersonalDataErased)

    /// The names of every event type of the catalog, in the envelope's
    /// oneof order: the proto message names, e.g. `MarkRecorded`.
    public static let allEventTypes: [String] = [
        SchoolRegistered.eventType,
        JournalSettingsChanged.eventType,
        AcademicYearOpened.eventType,
        ReportingPeriodDefined.eventType,
        HolidayPeriodDeclared.eventType,
        SubjectDefined.eventType,
        ClassFormed.eventType,
        ClassTeacherAssigned.eventType,
        StudyGroupFormed.eventType,
        StudyGroupMembershipChanged.eventType,
        StreamFormed.eventType,
        IndividualPlanAssigned.eventType,
        TeacherAssigned.eventType,
        StaffRoleGranted.eventType,
        StaffRoleRevoked.eventType,
        StudentEnrolled.eventType,
        StudentDataCorrected.eventType,
        StudentTransferred.eventType,
        StudentWithdrawn.eventType,
        ParentLinked.eventType,
        ParentUnlinked.eventType,
        LessonScheduled.eventType,
        LessonRescheduled.eventType,
        LessonCancelled.eventType,
        SubstitutionAssigned.eventType,
        SubstitutionCancelled.eventType,
        LessonConducted.eventType,
        TestScheduled.eventType,
        TestRescheduled.eventType,
        TestCancelled.eventType,
        HomeworkAssigned.eventType,
        HomeworkAmended.eventType,
        MarkRecorded.eventType,
        MarkCorrected.eventType,
        MarkCancelled.eventType,
        FinalMarkSet.eventType,
        FinalMarkCorrected.eventType,
        AttendanceMarked.eventType,
        AttendanceCorrected.eventType,
        RecommendationIssued.eventType,
        CredentialsIssued.eventType,
        CredentialsReset.eventType,
        ParentsInformedOfServices.eventType,
        NotificationPreferenceSet.eventType,
        ConsentGiven.eventType,
        ConsentWithdrawn.eventType,
        ElectronicFormRefused.eventType,
        DiaryAcknowledged.eventType,
        PaperExtractIssued.eventType,
        NotificationDelivered.eventType,
        NotificationFailed.eventType,
        CompromiseReported.eventType,
        CompromiseNoticeWithdrawn.eventType,
        OperationsVoided.eventType,
        VoidsLifted.eventType,
        PersonalDataErased.eventType,
    ]

    /// The event itself, as its payload type.
    public var content: any SchoolEventPayload { catalogEvent }

    /// The event itself, with its stored form, stream and field rules.
    package var catalogEvent: any CatalogEvent {
        switch self {
        case .schoolRegistered(let e): e
        case .journalSettingsChanged(let e): e
        case .academicYearOpened(let e): e
        case .reportingPeriodDefined(let e): e
        case .holidayPeriodDeclared(let e): e
        case .subjectDefined(let e): e
        case .classFormed(let e): e
        case .classTeacherAssigned(let e): e
        case .studyGroupFormed(let e): e
        case .studyGroupMembershipChanged(let e): e
        case .streamFormed(let e): e
        case .individualPlanAssigned(let e): e
        case .teacherAssigned(let e): e
        case .staffRoleGranted(let e): e
        case .staffRoleRevoked(let e): e
        case .studentEnrolled(let e): e
        case .studentDataCorrected(let e): e
        case .studentTransferred(let e): e
        case .studentWithdrawn(let e): e
        case .parentLinked(let e): e
        case .parentUnlinked(let e): e
        case .lessonScheduled(let e): e
        case .lessonRescheduled(let e): e
        case .lessonCancelled(let e): e
        case .substitutionAssigned(let e): e
        case .substitutionCancelled(let e): e
        case .lessonConducted(let e): e
        case .testScheduled(let e): e
        case .testRescheduled(let e): e
        case .testCancelled(let e): e
        case .homeworkAssigned(let e): e
        case .homeworkAmended(let e): e
        case .markRecorded(let e): e
        case .markCorrected(let e): e
        case .markCancelled(let e): e
        case .finalMarkSet(let e): e
        case .finalMarkCorrected(let e): e
        case .attendanceMarked(let e): e
        case .attendanceCorrected(let e): e
        case .recommendationIssued(let e): e
        case .credentialsIssued(let e): e
        case .credentialsReset(let e): e
        case .parentsInformedOfServices(let e): e
        case .notificationPreferenceSet(let e): e
        case .consentGiven(let e): e
        case .consentWithdrawn(let e): e
        case .electronicFormRefused(let e): e
        case .diaryAcknowledged(let e): e
        case .paperExtractIssued(let e): e
        case .notificationDelivered(let e): e
        case .notificationFailed(let e): e
        case .compromiseReported(let e): e
        case .compromiseNoticeWithdrawn(let e): e
        case .operationsVoided(let e): e
        case .voidsLifted(let e): e
        case .personalDataErased(let e): e
        }
    }

    /// The event type, e.g. `MarkRecorded`: the envelope's and the record's `type`.
    public var eventType: String { type(of: catalogEvent).eventType }

    /// The schema version this library writes for the event's type (1, or 2
    /// for `MarkRecorded`): the record's `schema_version`.
    public var schemaVersion: UInt32 { type(of: content).schemaVersion }

    /// The event stream to append the event to, e.g. `student/S-1001` (see
    /// the table above).
    public var stream: String { catalogEvent.stream }

    /// Checks every field against the catalog's rules.
    ///
    /// - Throws: ``SchoolValidationError`` naming the event type, the first
    ///   field that breaks a rule, its value and the rule.
    public func validate() throws(SchoolValidationError) {
        try catalogEvent.validate()
    }

    /// The schema version this library writes for the event in `payload`:
    /// what a command without a `schema_version` means.
    package static func currentSchemaVersion(of payload: Schoolledger_V1_Envelope.OneOf_Payload) -> UInt32 {
        switch payload {
        case .markRecorded: MarkRecorded.schemaVersion
        default: 1
        }
    }

    /// Reads a stored (or imported) event: the envelope's `payload` oneof
    /// and the record's schema version, upcasting older versions.
    ///
    /// - Throws: ``SchoolSchemaError`` naming the event type and the field
    ///   that does not decode.
    package init(payload: Schoolledger_V1_Envelope.OneOf_Payload, schemaVersion: UInt32) throws(SchoolSchemaError) {
        switch payload {
        case .schoolRegistered(let s): self = .schoolRegistered(try SchoolRegistered(stored: s, schemaVersion: schemaVersion))
        case .journalSettingsChanged(let s):
            self = .journalSettingsChanged(try JournalSettingsChanged(stored: s, schemaVersion: schemaVersion))
        case .academicYearOpened(let s): self = .academicYearOpened(try AcademicYearOpened(stored: s, schemaVersion: schemaVersion))
        case .reportingPeriodDefined(let s):
            self = .reportingPeriodDefined(try ReportingPeriodDefined(stored: s, schemaVersion: schemaVersion))
        case .holidayPeriodDeclared(let s):
            self = .holidayPeriodDeclared(try HolidayPeriodDeclared(stored: s, schemaVersion: schemaVersion))
        case .subjectDefined(let s): self = .subjectDefined(try SubjectDefined(stored: s, schemaVersion: schemaVersion))
        case .classFormed(let s): self = .classFormed(try ClassFormed(stored: s, schemaVersion: schemaVersion))
        case .classTeacherAssigned(let s): self = .classTeacherAssigned(try ClassTeacherAssigned(stored: s, schemaVersion: schemaVersion))
        case .studyGroupFormed(let s): self = .studyGroupFormed(try StudyGroupFormed(stored: s, schemaVersion: schemaVersion))
        case .studyGroupMembershipChanged(let s):
            self = .studyGroupMembershipChanged(try StudyGroupMembershipChanged(stored: s, schemaVersion: schemaVersion))
        case .streamFormed(let s): self = .streamFormed(try StreamFormed(stored: s, schemaVersion: schemaVersion))
        case .individualPlanAssigned(let s):
            self = .individualPlanAssigned(try IndividualPlanAssigned(stored: s, schemaVersion: schemaVersion))
        case .teacherAssigned(let s): self = .teacherAssigned(try TeacherAssigned(stored: s, schemaVersion: schemaVersion))
        case .staffRoleGranted(let s): self = .staffRoleGranted(try StaffRoleGranted(stored: s, schemaVersion: schemaVersion))
        case .staffRoleRevoked(let s): self = .staffRoleRevoked(try StaffRoleRevoked(stored: s, schemaVersion: schemaVersion))
        case .studentEnrolled(let s): self = .studentEnrolled(try StudentEnrolled(stored: s, schemaVersion: schemaVersion))
        case .studentDataCorrected(let s): self = .studentDataCorrected(try StudentDataCorrected(stored: s, schemaVersion: schemaVersion))
        case .studentTransferred(let s): self = .studentTransferred(try StudentTransferred(stored: s, schemaVersion: schemaVersion))
        case .studentWithdrawn(let s): self = .studentWithdrawn(try StudentWithdrawn(stored: s, schemaVersion: schemaVersion))
        case .parentLinked(let s): self = .parentLinked(try ParentLinked(stored: s, schemaVersion: schemaVersion))
        case .parentUnlinked(let s): self = .parentUnlinked(try ParentUnlinked(stored: s, schemaVersion: schemaVersion))
        case .lessonScheduled(let s): self = .lessonScheduled(try LessonScheduled(stored: s, schemaVersion: schemaVersion))
        case .lessonRescheduled(let s): self = .lessonRescheduled(try LessonRescheduled(stored: s, schemaVersion: schemaVersion))
        case .lessonCancelled(let s): self = .lessonCancelled(try LessonCancelled(stored: s, schemaVersion: schemaVersion))
        case .substitutionAssigned(let s): self = .substitutionAssigned(try SubstitutionAssigned(stored: s, schemaVersion: schemaVersion))
        case .substitutionCancelled(let s):
            self = .substitutionCancelled(try SubstitutionCancelled(stored: s, schemaVersion: schemaVersion))
        case .lessonConducted(let s): self = .lessonConducted(try LessonConducted(stored: s, schemaVersion: schemaVersion))
        case .testScheduled(let s): self = .testScheduled(try TestScheduled(stored: s, schemaVersion: schemaVersion))
        case .testRescheduled(let s): self = .testRescheduled(try TestRescheduled(stored: s, schemaVersion: schemaVersion))
        case .testCancelled(let s): self = .testCancelled(try TestCancelled(stored: s, schemaVersion: schemaVersion))
        case .homeworkAssigned(let s): self = .homeworkAssigned(try HomeworkAssigned(stored: s, schemaVersion: schemaVersion))
        case .homeworkAmended(let s): self = .homeworkAmended(try HomeworkAmended(stored: s, schemaVersion: schemaVersion))
        case .markRecorded(let s): self = .markRecorded(try MarkRecorded(stored: s, schemaVersion: schemaVersion))
        case .markCorrected(let s): self = .markCorrected(try MarkCorrected(stored: s, schemaVersion: schemaVersion))
        case .markCancelled(let s): self = .markCancelled(try MarkCancelled(stored: s, schemaVersion: schemaVersion))
        case .finalMarkSet(let s): self = .finalMarkSet(try FinalMarkSet(stored: s, schemaVersion: schemaVersion))
        case .finalMarkCorrected(let s): self = .finalMarkCorrected(try FinalMarkCorrected(stored: s, schemaVersion: schemaVersion))
        case .attendanceMarked(let s): self = .attendanceMarked(try AttendanceMarked(stored: s, schemaVersion: schemaVersion))
        case .attendanceCorrected(let s): self = .attendanceCorrected(try AttendanceCorrected(stored: s, schemaVersion: schemaVersion))
        case .recommendationIssued(let s): self = .recommendationIssued(try RecommendationIssued(stored: s, schemaVersion: schemaVersion))
        case .credentialsIssued(let s): self = .credentialsIssued(try CredentialsIssued(stored: s, schemaVersion: schemaVersion))
        case .credentialsReset(let s): self = .credentialsReset(try CredentialsReset(stored: s, schemaVersion: schemaVersion))
        case .parentsInformedOfServices(let s):
            self = .parentsInformedOfServices(try ParentsInformedOfServices(stored: s, schemaVersion: schemaVersion))
        case .notificationPreferenceSet(let s):
            self = .notificationPreferenceSet(try NotificationPreferenceSet(stored: s, schemaVersion: schemaVersion))
        case .consentGiven(let s): self = .consentGiven(try ConsentGiven(stored: s, schemaVersion: schemaVersion))
        case .consentWithdrawn(let s): self = .consentWithdrawn(try ConsentWithdrawn(stored: s, schemaVersion: schemaVersion))
        case .electronicFormRefused(let s):
            self = .electronicFormRefused(try ElectronicFormRefused(stored: s, schemaVersion: schemaVersion))
        case .diaryAcknowledged(let s): self = .diaryAcknowledged(try DiaryAcknowledged(stored: s, schemaVersion: schemaVersion))
        case .paperExtractIssued(let s): self = .paperExtractIssued(try PaperExtractIssued(stored: s, schemaVersion: schemaVersion))
        case .notificationDelivered(let s):
            self = .notificationDelivered(try NotificationDelivered(stored: s, schemaVersion: schemaVersion))
        case .notificationFailed(let s): self = .notificationFailed(try NotificationFailed(stored: s, schemaVersion: schemaVersion))
        case .compromiseReported(let s): self = .compromiseReported(try CompromiseReported(stored: s, schemaVersion: schemaVersion))
        case .compromiseNoticeWithdrawn(let s):
            self = .compromiseNoticeWithdrawn(try CompromiseNoticeWithdrawn(stored: s, schemaVersion: schemaVersion))
        case .operationsVoided(let s): self = .operationsVoided(try OperationsVoided(stored: s, schemaVersion: schemaVersion))
        case .voidsLifted(let s): self = .voidsLifted(try VoidsLifted(stored: s, schemaVersion: schemaVersion))
        case .personalDataErased(let s): self = .personalDataErased(try PersonalDataErased(stored: s, schemaVersion: schemaVersion))
        }
    }

    /// The stored form: the envelope's `payload` oneof, in the current schema version.
    package var payload: Schoolledger_V1_Envelope.OneOf_Payload {
        switch self {
        case .schoolRegistered(let e): .schoolRegistered(e.stored)
        case .journalSettingsChanged(let e): .journalSettingsChanged(e.stored)
        case .academicYearOpened(let e): .academicYearOpened(e.stored)
        case .reportingPeriodDefined(let e): .reportingPeriodDefined(e.stored)
        case .holidayPeriodDeclared(let e): .holidayPeriodDeclared(e.stored)
        case .subjectDefined(let e): .subjectDefined(e.stored)
        case .classFormed(let e): .classFormed(e.stored)
        case .classTeacherAssigned(let e): .classTeacherAssigned(e.stored)
        case .studyGroupFormed(let e): .studyGroupFormed(e.stored)
        case .studyGroupMembershipChanged(let e): .studyGroupMembershipChanged(e.stored)
        case .streamFormed(let e): .streamFormed(e.stored)
        case .individualPlanAssigned(let e): .individualPlanAssigned(e.stored)
        case .teacherAssigned(let e): .teacherAssigned(e.stored)
        case .staffRoleGranted(let e): .staffRoleGranted(e.stored)
        case .staffRoleRevoked(let e): .staffRoleRevoked(e.stored)
        case .studentEnrolled(let e): .studentEnrolled(e.stored)
        case .studentDataCorrected(let e): .studentDataCorrected(e.stored)
        case .studentTransferred(let e): .studentTransferred(e.stored)
        case .studentWithdrawn(let e): .studentWithdrawn(e.stored)
        case .parentLinked(let e): .parentLinked(e.stored)
        case .parentUnlinked(let e): .parentUnlinked(e.stored)
        case .lessonScheduled(let e): .lessonScheduled(e.stored)
        case .lessonRescheduled(let e): .lessonRescheduled(e.stored)
        case .lessonCancelled(let e): .lessonCancelled(e.stored)
        case .substitutionAssigned(let e): .substitutionAssigned(e.stored)
        case .substitutionCancelled(let e): .substitutionCancelled(e.stored)
        case .lessonConducted(let e): .lessonConducted(e.stored)
        case .testScheduled(let e): .testScheduled(e.stored)
        case .testRescheduled(let e): .testRescheduled(e.stored)
        case .testCancelled(let e): .testCancelled(e.stored)
        case .homeworkAssigned(let e): .homeworkAssigned(e.stored)
        case .homeworkAmended(let e): .homeworkAmended(e.stored)
        case .markRecorded(let e): .markRecorded(e.stored)
        case .markCorrected(let e): .markCorrected(e.stored)
        case .markCancelled(let e): .markCancelled(e.stored)
        case .finalMarkSet(let e): .finalMarkSet(e.stored)
        case .finalMarkCorrected(let e): .finalMarkCorrected(e.stored)
        case .attendanceMarked(let e): .attendanceMarked(e.stored)
        case .attendanceCorrected(let e): .attendanceCorrected(e.stored)
        case .recommendationIssued(let e): .recommendationIssued(e.stored)
        case .credentialsIssued(let e): .credentialsIssued(e.stored)
        case .credentialsReset(let e): .credentialsReset(e.stored)
        case .parentsInformedOfServices(let e): .parentsInformedOfServices(e.stored)
        case .notificationPreferenceSet(let e): .notificationPreferenceSet(e.stored)
        case .consentGiven(let e): .consentGiven(e.stored)
        case .consentWithdrawn(let e): .consentWithdrawn(e.stored)
        case .electronicFormRefused(let e): .electronicFormRefused(e.stored)
        case .diaryAcknowledged(let e): .diaryAcknowledged(e.stored)
        case .paperExtractIssued(let e): .paperExtractIssued(e.stored)
        case .notificationDelivered(let e): .notificationDelivered(e.stored)
        case .notificationFailed(let e): .notificationFailed(e.stored)
        case .compromiseReported(let e): .compromiseReported(e.stored)
        case .compromiseNoticeWithdrawn(let e): .compromiseNoticeWithdrawn(e.stored)
        case .operationsVoided(let e): .operationsVoided(e.stored)
        case .voidsLifted(let e): .voidsLifted(e.stored)
        case .personalDataErased(let e): .personalDataErased(e.stored)
        }
    }
}
