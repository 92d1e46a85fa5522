import EventLedger

/// The rules that need the ledger's contents: what an event names must exist,
/// marks and attendance must be for students of the lesson, lessons must lie
/// in an academic year and outside its holidays.
enum ReferenceRules {
    /// A lesson's teacher, a substitute, a class or subject teacher: an
    /// account holding the role teacher on `date`.
    static func requireTeacher(
        _ account: AccountID, _ field: String, on date: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader, _ refuse: (String, String, String) -> SchoolValidationError
    ) throws {
        guard try facts.roles(of: account, on: date, reader: reader).contains(.teacher) else {
            throw refuse(field, account.rawValue, "must be an account holding the role teacher on \(date) (StaffRoleGranted, not revoked)")
        }
    }

    static func check(_ entry: JournalEntry, facts: inout JournalFacts, reader: borrowing LedgerReader) throws {
        let type = entry.event.eventType
        func refuse(_ field: String, _ value: String, _ rule: String) -> SchoolValidationError {
            SchoolValidationError(eventType: type, field: field, value: value, rule: rule)
        }
        try requireNew(entry.event, facts: &facts, reader: reader, refuse)
        switch entry.event {
        case .markRecorded(let e):
            let lesson = try requireLesson(e.lessonID, facts: &facts, reader: reader, refuse)
            guard try facts.studentExists(e.studentID, reader: reader) else {
                throw refuse("student_id", e.studentID.rawValue, "must name an enrolled student (no StudentEnrolled for it)")
            }
            guard e.subjectID == lesson.subjectID else {
                throw refuse("subject_id", e.subjectID.rawValue, "must be the lesson's subject, \(lesson.subjectID)")
            }
            try requireMembership(e.studentID, of: lesson, facts: &facts, reader: reader, refuse)
        case .attendanceMarked(let e):
            let lesson = try requireLesson(e.lessonID, facts: &facts, reader: reader, refuse)
            guard try facts.studentExists(e.studentID, reader: reader) else {
                throw refuse("student_id", e.studentID.rawValue, "must name an enrolled student (no StudentEnrolled for it)")
            }
            let marked = try facts.events(in: SchoolStream.lesson(e.lessonID), reader: reader).contains { event in
                if case .attendanceMarked(let m) = event { m.studentID == e.studentID } else { false }
            }
            guard !marked else {
                throw refuse(
                    "student_id", e.studentID.rawValue, "already has attendance marked in \(e.lessonID): change it with AttendanceCorrected"
                )
            }
            try requireMembership(e.studentID, of: lesson, facts: &facts, reader: reader, refuse)
        case .lessonScheduled(let e):
            guard try !facts.events(in: SchoolStream.subject(e.subjectID), reader: reader).isEmpty else {
                throw refuse("subject_id", e.subjectID.rawValue, "must name a subject defined with SubjectDefined")
            }
            guard try facts.exists(e.target, reader: reader) else {
                throw refuse("target", "\(e.target)", "must name a class, study group, teaching stream or student the ledger knows")
            }
            try requireSchoolDay(e.date, field: "date", target: e.target, facts: &facts, reader: reader, refuse)
            try requireTeacher(e.teacherID, "teacher_id", on: e.date, facts: &facts, reader: reader, refuse)
        case .substitutionAssigned(let e):
            let lesson = try requireLesson(e.lessonID, facts: &facts, reader: reader, refuse)
            try requireTeacher(e.substituteTeacherID, "substitute_teacher_id", on: lesson.date, facts: &facts, reader: reader, refuse)
        case .classTeacherAssigned(let e):
            try requireTeacher(e.teacherID, "teacher_id", on: e.effectiveDate, facts: &facts, reader: reader, refuse)
        case .teacherAssigned(let e):
            try requireTeacher(e.teacherID, "teacher_id", on: e.effectiveDate, facts: &facts, reader: reader, refuse)
        case .lessonRescheduled(let e):
            let lesson = try requireLesson(e.lessonID, facts: &facts, reader: reader, refuse)
            try requireSchoolDay(e.newDate, field: "new_date", target: lesson.target, facts: &facts, reader: reader, refuse)
        case .studentEnrolled(let e):
            guard try !facts.events(in: SchoolStream.class(e.classID), reader: reader).isEmpty else {
                throw refuse("class_id", e.classID.rawValue, "must name a class formed with ClassFormed")
            }
        case .studentTransferred(let e):
            guard try facts.studentExists(e.studentID, reader: reader) else {
                throw refuse("student_id", e.studentID.rawValue, "must name an enrolled student")
            }
            let current = try facts.classOf(e.studentID, on: e.effectiveDate.adding(days: -1), reader: reader)
            guard current == e.fromClassID else {
                throw refuse(
                    "from_class_id", e.fromClassID.rawValue,
                    "must be the student's class before \(e.effectiveDate) (\(current.map { "\($0)" } ?? "none"))")
            }
            guard try !facts.events(in: SchoolStream.class(e.toClassID), reader: reader).isEmpty else {
                throw refuse("to_class_id", e.toClassID.rawValue, "must name a class formed with ClassFormed")
            }
        case .studyGroupFormed(let e):
            guard try !facts.events(in: SchoolStream.subject(e.subjectID), reader: reader).isEmpty else {
                throw refuse("subject_id", e.subjectID.rawValue, "must name a subject defined with SubjectDefined")
            }
            for (n, student) in e.studentIDs.enumerated() where try !facts.studentExists(student, reader: reader) {
                throw refuse("student_ids[\(n)]", student.rawValue, "must name an enrolled student")
            }
        case .compromiseReported(let e):
            if let now = facts.now {
                let earliest = now.adding(microseconds: -ReferenceRules.participantReachBack * 1_000_000)
                for (field, instant) in [("received_by_head_at", e.receivedByHeadAt), ("received_by_support_at", e.receivedBySupportAt)] {
                    guard let instant else { continue }
                    if instant > now {
                        throw refuse(field, instant.description, "must not be in the future (the ledger's clock reads \(now))")
                    }
                    // A participant's own report cannot reach back further than a day: that would let an
                    // account void its own older work; older receipts are entered by the head or support.
                    if e.reporter == .participant, instant < earliest {
                        throw refuse(
                            field, instant.description,
                            "must be within 24 hours before now (\(earliest) or later) in a participant's own report; "
                                + "the head or support enters an older receipt")
                    }
                }
            }
        case .credentialsIssued(let e):
            if let holder = try facts.holder(of: e.accountID, reader: reader), holder.person != e.personID || holder.kind != e.holder {
                throw refuse(
                    "person_id", e.personID.rawValue,
                    "must be \(holder.person) (\(holder.kind)): account \(e.accountID) already belongs to them; "
                        + "reset its credentials (CredentialsReset) or issue a new account id")
            }
            if e.holder != .staff, try !facts.everHeldRoles(e.accountID, reader: reader).isEmpty {
                throw refuse("holder", "\(e.holder)", "must be staff: account \(e.accountID) holds staff roles")
            }
        case .diaryAcknowledged(let e):
            guard let extractID = e.paperExtractID else { break }
            let issued = try facts.events(in: SchoolStream.student(e.studentID), reader: reader).lazy.compactMap { event in
                if case .paperExtractIssued(let p) = event, p.extractID == extractID { p } else { nil }
            }.first
            guard let issued, issued.parentID == e.parentID else {
                throw refuse(
                    "paper_extract_id", extractID.rawValue,
                    "must name a paper extract of \(e.studentID) handed to \(e.parentID) (PaperExtractIssued)")
            }
            let covered: CivilDate? =
                switch issued.covers {
                case .dates(let range): range.end
                case .period(let id):
                    try facts.yearEvents(reader: reader).lazy.compactMap { event -> CivilDate? in
                        if case .reportingPeriodDefined(let p) = event, p.periodID == id { p.dates.end } else { nil }
                    }.first
                }
            if let upTo = e.upToDate, let covered, upTo > covered {
                throw refuse("up_to_date", upTo.description, "must not be after \(covered), the last date extract \(extractID) covers")
            }
        case .accessRulesExplained(let e):
            guard try facts.holder(of: e.accountID, reader: reader) != nil else {
                throw refuse(
                    "account_id", e.accountID.rawValue,
                    "must name an account with credentials issued (CredentialsIssued): the rules are told when credentials are handed over")
            }
        case .signatureKeyRegistered(let e):
            guard try facts.isKnown(e.accountID, reader: reader) else {
                throw refuse(
                    "account_id", e.accountID.rawValue,
                    "must be an account the ledger knows (credentials issued, a staff role granted): a key belongs to a participant")
            }
            let keys = try facts.signatureKeys(of: e.accountID, reader: reader)
            if let earlier = keys.first(where: { $0.registered.keyID == e.keyID }) {
                throw refuse(
                    "key_id", e.keyID,
                    "is registered for \(e.accountID) already (\(earlier.position == .max ? "earlier in this call" : "at position \(earlier.position)")): a key is registered once; a new key needs a new key pair"
                )
            }
        case .signatureKeyRevoked(let e):
            let keys = try facts.signatureKeys(of: e.accountID, reader: reader)
            guard let key = keys.first(where: { $0.registered.keyID == e.keyID }) else {
                throw refuse("key_id", e.keyID, "must name a key registered for \(e.accountID) (SignatureKeyRegistered)")
            }
            if let revoked = key.revokedAt {
                throw refuse(
                    "key_id", e.keyID,
                    "names a key revoked already (\(revoked == .max ? "earlier in this call" : "at position \(revoked)"))")
            }
        case .compromiseNoticeWithdrawn(let e):
            let register = try facts.register(reader: reader)
            guard let notice = register.notices.first(where: { $0.position == e.noticePosition }), notice.eventID == e.noticeEventID else {
                throw refuse(
                    "notice_position", String(e.noticePosition),
                    "must name a CompromiseReported at that position with event id \(e.noticeEventID)")
            }
            guard notice.withdrawnAt == nil else {
                throw refuse(
                    "notice_position", String(e.noticePosition), "names a notice already withdrawn at position \(notice.withdrawnAt!)")
            }
        case .studyGroupMembershipChanged(let e):
            for (n, student) in e.addedStudentIDs.enumerated() where try !facts.studentExists(student, reader: reader) {
                throw refuse("added_student_ids[\(n)]", student.rawValue, "must name an enrolled student")
            }
        // No reference to check beyond requireNew above. Every event type is
        // named here or above, so a new type does not compile without a decision.
        case .schoolRegistered, .journalSettingsChanged, .academicYearOpened, .reportingPeriodDefined,
            .holidayPeriodDeclared, .subjectDefined, .classFormed, .streamFormed, .individualPlanAssigned,
            .staffRoleGranted, .staffRoleRevoked, .studentDataCorrected, .studentWithdrawn, .parentLinked,
            .parentUnlinked, .lessonCancelled, .substitutionCancelled, .lessonConducted, .testScheduled,
            .testRescheduled, .testCancelled, .homeworkAssigned, .homeworkAmended, .markCorrected, .markCancelled,
            .finalMarkSet, .finalMarkCorrected, .attendanceCorrected, .recommendationIssued, .credentialsReset,
            .parentsInformedOfServices, .notificationPreferenceSet, .consentGiven, .consentWithdrawn,
            .electronicFormRefused, .paperExtractIssued, .notificationDelivered,
            .notificationFailed, .operationsVoided, .voidsLifted, .personalDataErased:
            break
        }
    }

    /// How far back a participant's own breach report may date its receipt: 24 hours, in seconds.
    static let participantReachBack: Int64 = 24 * 3600

    /// An event that creates something must name something new: a mark,
    /// homework, test, final mark or lesson whose stream never held an event
    /// (voided ones included), or a student, group, class, stream, subject or
    /// year not yet created.
    private static func requireNew(
        _ event: SchoolEvent, facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ refuse: (String, String, String) -> SchoolValidationError
    ) throws {
        let fresh: (field: String, id: String)?
        switch event {
        case .markRecorded(let e): fresh = ("mark_id", e.markID.rawValue)
        case .homeworkAssigned(let e): fresh = ("homework_id", e.homeworkID.rawValue)
        case .testScheduled(let e): fresh = ("test_id", e.testID.rawValue)
        case .finalMarkSet(let e): fresh = ("final_mark_id", e.finalMarkID.rawValue)
        case .lessonScheduled(let e): fresh = ("lesson_id", e.lessonID.rawValue)
        default: fresh = nil
        }
        if let fresh {
            guard try facts.rawCount(of: event.stream, reader: reader) == 0 else {
                throw refuse(fresh.field, fresh.id, "is taken: \(event.stream) already holds events; a new one needs a new id")
            }
            return
        }
        let created: (field: String, id: String, isCreation: (SchoolEvent) -> Bool)?
        switch event {
        case .studentEnrolled(let e):
            created = ("student_id", e.studentID.rawValue, { if case .studentEnrolled = $0 { true } else { false } })
        case .studyGroupFormed(let e):
            created = ("group_id", e.groupID.rawValue, { if case .studyGroupFormed = $0 { true } else { false } })
        case .classFormed(let e): created = ("class_id", e.classID.rawValue, { if case .classFormed = $0 { true } else { false } })
        case .streamFormed(let e):
            created = ("teaching_stream_id", e.teachingStreamID.rawValue, { if case .streamFormed = $0 { true } else { false } })
        case .subjectDefined(let e):
            created = ("subject_id", e.subjectID.rawValue, { if case .subjectDefined = $0 { true } else { false } })
        case .academicYearOpened(let e):
            created = ("academic_year_id", e.academicYearID.rawValue, { if case .academicYearOpened = $0 { true } else { false } })
        default: created = nil
        }
        if let created, try facts.events(in: event.stream, reader: reader).contains(where: created.isCreation) {
            throw refuse(
                created.field, created.id,
                "already exists (\(event.stream)): a \(event.eventType) is recorded once; change it with the events that change it")
        }
    }

    private static func requireLesson(
        _ id: LessonID, facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ refuse: (String, String, String) -> SchoolValidationError
    ) throws -> SchoolFolds.Lesson {
        guard let lesson = try facts.lesson(id, reader: reader) else {
            throw refuse("lesson_id", id.rawValue, "must name a lesson scheduled with LessonScheduled")
        }
        guard !lesson.isCancelled else {
            throw refuse("lesson_id", id.rawValue, "names a cancelled lesson")
        }
        return lesson
    }

    private static func requireMembership(
        _ student: StudentID, of lesson: SchoolFolds.Lesson, facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ refuse: (String, String, String) -> SchoolValidationError
    ) throws {
        let isMember: Bool
        switch lesson.target {
        case .class(let id):
            isMember = try facts.classOf(student, on: lesson.date, reader: reader) == id
        case .group(let id):
            isMember = try facts.members(of: id, on: lesson.date, reader: reader).contains(student)
        case .teachingStream:
            let classes = try facts.classes(of: lesson.target, on: lesson.date, reader: reader)
            isMember = try facts.classOf(student, on: lesson.date, reader: reader).map(classes.contains) ?? false
        case .student(let id):
            isMember = id == student
        }
        guard isMember else {
            throw refuse("student_id", student.rawValue, "must be in the lesson's \(lesson.target) on \(lesson.date)")
        }
    }

    private static func requireSchoolDay(
        _ date: CivilDate, field: String, target: TeachingTarget, facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ refuse: (String, String, String) -> SchoolValidationError
    ) throws {
        let yearEvents = try facts.yearEvents(reader: reader)
        let years = yearEvents.compactMap { event -> AcademicYearOpened? in
            if case .academicYearOpened(let e) = event { return e } else { return nil }
        }
        guard let year = years.first(where: { $0.dates.contains(date) }) else {
            throw refuse(field, date.description, "must lie inside an academic year opened with AcademicYearOpened")
        }
        var grades = Set<Int>()
        for classID in try facts.classes(of: target, on: date, reader: reader) {
            if let grade = try facts.gradeLevel(of: classID, reader: reader) { grades.insert(grade) }
        }
        for case .holidayPeriodDeclared(let holiday) in yearEvents
        where holiday.academicYearID == year.academicYearID && holiday.dates.contains(date)
            && (holiday.gradeLevels.isEmpty || !grades.isDisjoint(with: holiday.gradeLevels))
        {
            throw refuse(field, date.description, "falls in the holiday \(holiday.title) (\(holiday.dates))")
        }
    }
}
