import EventLedger

/// The rights table of the school ("Roles and rights" in the domain), checked
/// from the facts in the ledger before anything is appended and before
/// anything is read. Each rule reads the facts it needs — staff roles,
/// class-teacher and subject-teacher assignments, substitutions, who holds an
/// account, whose parent a parent is, consent, the edit window — and either
/// lets the action through or throws ``AccessDenied`` naming what is missing.
///
/// "Today" is the civil date of the ledger's clock in the school's time zone:
/// assignments and roles are judged as they stand on it, except for work on
/// a lesson, judged on the lesson's date.
enum AccessPolicy {
    // MARK: Recording

    /// Whether `entry.actor` may record `entry`; throws ``AccessDenied`` if not.
    static func authorize(_ entry: JournalEntry, today: CivilDate, facts: inout JournalFacts, reader: borrowing LedgerReader) throws {
        let account = entry.actor
        let deny = { (needs: String) in
            AccessDenied(account: account, action: .record(eventType: entry.event.eventType), missingRight: needs)
        }
        if case .compromiseReported(let e) = entry.event, e.reporter == .participant, e.accountID == account {
            // A participant may report the breach of their own account through it.
        } else if let lock = try locked(account, facts: &facts, reader: reader) {
            var denied = deny(lock)
            denied.isAccountLocked = true
            throw denied
        }
        func role(_ roles: StaffRole...) throws -> Bool {
            try !facts.roles(of: account, on: today, reader: reader).isDisjoint(with: roles)
        }
        let setup = "one of the roles admin, deputy head"
        switch entry.event {
        case .journalSettingsChanged, .academicYearOpened, .reportingPeriodDefined, .holidayPeriodDeclared, .subjectDefined,
            .classFormed, .classTeacherAssigned, .teacherAssigned, .streamFormed, .individualPlanAssigned, .lessonScheduled,
            .lessonRescheduled, .lessonCancelled, .substitutionAssigned, .substitutionCancelled:
            guard try role(.admin, .deputyHead) else { throw deny(setup) }

        case .schoolRegistered:
            guard try facts.schoolIsUnregistered(reader: reader) || role(.admin) else { throw deny("the role admin") }
        case .staffRoleGranted(let e):
            let founder = try facts.founder(reader: reader)
            let founding = e.role == .admin && founder == account
            guard try founding || role(.admin) else {
                throw deny("the role admin (only the account that registered the school may grant the first admin role)")
            }
        case .staffRoleRevoked, .personalDataErased:
            guard try role(.admin) else { throw deny("the role admin") }

        case .studentEnrolled(let e):
            guard try role(.admin) || facts.isClassTeacher(account, ofAnyOf: [e.classID], on: today, reader: reader) else {
                throw deny("the role admin, or to be the class teacher of \(e.classID)")
            }
        case .studentTransferred(let e):
            // The class the student leaves decides: its class teacher hands the student over.
            guard try role(.admin) || facts.isClassTeacher(account, ofAnyOf: [e.fromClassID], on: today, reader: reader) else {
                throw deny("the role admin, or to be the class teacher of \(e.fromClassID), the class the student leaves")
            }
        case .studentDataCorrected(let e as any StudentScoped), .studentWithdrawn(let e as any StudentScoped),
            .parentLinked(let e as any StudentScoped), .parentUnlinked(let e as any StudentScoped):
            let classes = try [studentClass(e.studentID, today: today, facts: &facts, reader: reader)].compactMap { $0 }
            guard try role(.admin) || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
                throw deny("the role admin, or to be the class teacher of \(e.studentID)'s class")
            }
        case .studyGroupFormed(let e):
            guard try role(.admin) || facts.isClassTeacher(account, ofAnyOf: Array(e.classIDs.prefix(1)), on: today, reader: reader) else {
                throw deny("the role admin, or to be the class teacher of \(e.classIDs.first.map { "\($0)" } ?? "the group's class")")
            }
        case .studyGroupMembershipChanged(let e):
            let owner = Array(
                SchoolFolds.classes(ofFormation: try facts.events(in: SchoolStream.group(e.groupID), reader: reader)).prefix(1))
            guard try role(.admin) || facts.isClassTeacher(account, ofAnyOf: owner, on: today, reader: reader) else {
                throw deny("the role admin, or to be the class teacher of \(owner.first.map { "\($0)" } ?? "the group's class")")
            }

        case .credentialsIssued(let e):
            try authorizeCredentials(for: e.personID, holder: e.holder, account: account, today: today, facts: &facts, reader: reader, deny)
        case .credentialsReset(let e as any AccountEvent), .accessRulesExplained(let e as any AccountEvent):
            if let holder = try facts.holder(of: e.accountID, reader: reader) {
                try authorizeCredentials(
                    for: holder.person, holder: holder.kind, account: account, today: today, facts: &facts, reader: reader, deny)
            } else {
                guard try role(.admin, .support) else {
                    throw deny("one of the roles admin, support (no credentials were issued for \(e.accountID))")
                }
            }

        case .signatureKeyRegistered(let e as any AccountEvent), .signatureKeyRevoked(let e as any AccountEvent):
            guard try e.accountID == account || role(.admin, .support) else {
                throw deny("to be \(e.accountID) itself (from its own device), or one of the roles admin, support")
            }

        case .parentsInformedOfServices(let e):
            guard try facts.isParent(e.parentID, of: e.studentID, on: today, reader: reader) else {
                throw deny("\(e.parentID) to be a parent of \(e.studentID) (ParentLinked)")
            }
            try requireClassTeacher(of: e.studentID, account: account, today: today, facts: &facts, reader: reader, deny)
        case .paperExtractIssued(let e):
            try requireClassTeacher(of: e.studentID, account: account, today: today, facts: &facts, reader: reader, deny)
        case .consentGiven(let e as any ChildForm), .consentWithdrawn(let e as any ChildForm),
            .electronicFormRefused(let e as any ChildForm):
            try authorizeParentForm(e, children: [e.formStudentID], account: account, today: today, facts: &facts, reader: reader, deny)
        case .notificationPreferenceSet(let e):
            let children = try facts.children(of: e.parentID, on: today, reader: reader)
            try authorizeParentForm(e, children: children, account: account, today: today, facts: &facts, reader: reader, deny)
        case .diaryAcknowledged(let e) where e.paperExtractID != nil:
            try requireClassTeacher(of: e.studentID, account: account, today: today, facts: &facts, reader: reader, deny)
        case .diaryAcknowledged(let e):
            guard try facts.parent(heldBy: account, reader: reader) == e.parentID,
                try facts.isParent(e.parentID, of: e.studentID, on: today, reader: reader),
                try facts.consent(of: e.parentID, for: e.studentID, reader: reader).allowsElectronicAccess
            else {
                throw deny(
                    "to be the account of parent \(e.parentID), linked to \(e.studentID) with consent to electronic delivery registered")
            }
        case .notificationDelivered, .notificationFailed:
            guard try role(.admin, .support) else {
                throw deny("one of the roles admin, support (the embedding service's integration account)")
            }

        case .markRecorded(let e):
            try requireLessonTeacher(e.lessonID, account: account, facts: &facts, reader: reader, deny)
        case .attendanceMarked(let e):
            try requireLessonTeacher(e.lessonID, account: account, facts: &facts, reader: reader, deny)
        case .lessonConducted(let e):
            try requireLessonTeacher(e.lessonID, account: account, facts: &facts, reader: reader, deny)
        case .homeworkAssigned(let e):
            try requireLessonTeacher(e.lessonID, account: account, facts: &facts, reader: reader, deny)
        case .homeworkAmended(let e):
            let homework = try facts.facts(in: SchoolStream.homework(e.homeworkID), reader: reader)
            guard let first = homework.first, case .homeworkAssigned(let assigned) = first.event,
                let lesson = try facts.lesson(assigned.lessonID, reader: reader)
            else {
                throw deny("homework \(e.homeworkID) to have been set (HomeworkAssigned)")
            }
            guard
                try first.actor == account
                    || facts.isAssigned(account, subject: lesson.subjectID, to: lesson.target, on: lesson.date, reader: reader)
            else {
                throw deny(
                    "to be the teacher who set homework \(e.homeworkID), or the teacher assigned to \(lesson.subjectID) for \(lesson.target) on \(lesson.date)"
                )
            }
        case .testScheduled(let e):
            try requireAssigned(
                subject: e.subjectID, targets: [e.target], on: e.date, account: account, facts: &facts, reader: reader, deny)
        case .testRescheduled(let e as any TestScoped), .testCancelled(let e as any TestScoped):
            guard case .testScheduled(let scheduled)? = try facts.events(in: SchoolStream.test(e.testID), reader: reader).first else {
                throw deny("test \(e.testID) to have been scheduled (TestScheduled)")
            }
            try requireAssigned(
                subject: scheduled.subjectID, targets: [scheduled.target], on: scheduled.date, account: account,
                facts: &facts, reader: reader, deny)
        case .markCorrected(let e as any MarkScoped), .markCancelled(let e as any MarkScoped):
            let mark = try facts.facts(in: SchoolStream.mark(e.markID), reader: reader)
            guard let first = mark.first, case .markRecorded(let recorded) = first.event,
                let lesson = try facts.lesson(recorded.lessonID, reader: reader)
            else {
                throw deny("mark \(e.markID) to have been recorded (MarkRecorded)")
            }
            try requireEditor(
                author: first.actor, of: "mark \(e.markID)", lessonDate: lesson.date, account: account, today: today,
                facts: &facts, reader: reader, deny)
        case .attendanceCorrected(let e):
            let marked = try facts.facts(in: SchoolStream.lesson(e.lessonID), reader: reader).last { fact in
                if case .attendanceMarked(let m) = fact.event { m.studentID == e.studentID } else { false }
            }
            guard let marked, let lesson = try facts.lesson(e.lessonID, reader: reader) else {
                throw deny("attendance of \(e.studentID) in \(e.lessonID) to be marked first (AttendanceMarked)")
            }
            try requireEditor(
                author: marked.actor, of: "attendance of \(e.studentID) in \(e.lessonID)", lessonDate: lesson.date,
                account: account, today: today, facts: &facts, reader: reader, deny)
        case .finalMarkSet(let e):
            let date = min(today, try periodEnd(e.periodID, facts: &facts, reader: reader) ?? today)
            let targets = try facts.targets(ofStudent: e.studentID, on: date, reader: reader)
            try requireAssigned(subject: e.subjectID, targets: targets, on: date, account: account, facts: &facts, reader: reader, deny)
        case .finalMarkCorrected(let e):
            guard let first = try facts.facts(in: SchoolStream.finalMark(e.finalMarkID), reader: reader).first,
                case .finalMarkSet = first.event
            else {
                throw deny("final mark \(e.finalMarkID) to have been set (FinalMarkSet)")
            }
            guard try first.actor == account || role(.deputyHead) else {
                throw deny("to be the teacher who set final mark \(e.finalMarkID), or the role deputy head")
            }
        case .recommendationIssued(let e):
            let targets = try facts.targets(ofStudent: e.studentID, on: today, reader: reader)
            if let subject = e.subjectID {
                try requireAssigned(subject: subject, targets: targets, on: today, account: account, facts: &facts, reader: reader, deny)
            } else {
                var teaches = false
                for target in targets where try facts.isAssigned(account, subject: nil, to: target, on: today, reader: reader) {
                    teaches = true
                }
                let classes = try [studentClass(e.studentID, today: today, facts: &facts, reader: reader)].compactMap { $0 }
                guard try teaches || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
                    throw deny("to be a teacher of \(e.studentID) or the class teacher of \(names(classes))")
                }
            }

        case .compromiseReported(let e):
            guard e.reportedBy == account else { throw deny("to be the reporting account named in reported_by (\(e.reportedBy))") }
            switch e.reporter {
            case .participant:
                guard e.accountID == account else {
                    throw deny("to be the compromised account \(e.accountID) itself to report as the participant")
                }
            case .head:
                guard try role(.head) else { throw deny("the role head to report as the head") }
            case .support:
                guard try role(.support) else { throw deny("the role support to report as support") }
            }
        case .compromiseNoticeWithdrawn:
            guard try role(.head) else { throw deny("the role head") }
        case .operationsVoided, .voidsLifted:
            throw deny("to be the invalidator: these events are appended by the library itself with a breach notice or its withdrawal")
        }
    }

    // MARK: Reading

    /// Whether `account` may see `read`; throws ``AccessDenied`` if not.
    static func authorize(
        _ read: SchoolRead, by account: AccountID, today: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader
    ) throws {
        let deny = { (needs: String) in AccessDenied(account: account, action: .read(read.kind), missingRight: needs) }
        if let lock = try locked(account, facts: &facts, reader: reader) {
            var denied = deny(lock)
            denied.isAccountLocked = true
            throw denied
        }
        let roles = try facts.roles(of: account, on: today, reader: reader)
        func role(_ wanted: StaffRole...) -> Bool { !roles.isDisjoint(with: wanted) }
        switch read {
        case .diary(let student), .marks(let student), .paperExtract(let student):
            let classes = try [studentClass(student, today: today, facts: &facts, reader: reader)].compactMap { $0 }
            guard
                try role(.head, .deputyHead)
                    || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader)
                    || facts.student(heldBy: account, reader: reader) == student
                    || isParentWithAccess(account, of: student, today: today, facts: &facts, reader: reader)
            else {
                throw deny(
                    "to be \(student), a parent of \(student) with consent to electronic delivery registered, "
                        + "the class teacher of \(names(classes)), or one of the roles head, deputy head")
            }
        case .journalPage(let subject, let target):
            let classes = try facts.classes(of: target, on: today, reader: reader)
            guard
                try role(.head, .deputyHead)
                    || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader)
                    || facts.isAssigned(account, subject: subject, to: target, on: nil, reader: reader)
            else {
                throw deny(
                    "to be the teacher assigned to \(subject) for \(target), the class teacher of \(names(classes)), "
                        + "or one of the roles head, deputy head")
            }
        case .classList(let classID):
            guard
                try role(.admin, .head, .deputyHead)
                    || facts.isClassTeacher(account, ofAnyOf: [classID], on: today, reader: reader)
                    || teachesAny(of: try facts.targets(ofClass: classID, reader: reader), account: account, facts: &facts, reader: reader)
            else {
                throw deny("to be the class teacher or a teacher of \(classID), or one of the roles admin, head, deputy head")
            }
        case .groupList(let groupID):
            let classes = SchoolFolds.classes(ofFormation: try facts.events(in: SchoolStream.group(groupID), reader: reader))
            guard
                try role(.admin, .head, .deputyHead)
                    || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader)
                    || facts.isAssigned(account, subject: nil, to: .group(groupID), on: nil, reader: reader)
            else {
                throw deny(
                    "to be a teacher of \(groupID), the class teacher of \(names(classes)), or one of the roles admin, head, deputy head")
            }
        case .classTimetable(let classID), .testSchedule(let classID):
            guard
                try !roles.isEmpty
                    || facts.isClassTeacher(account, ofAnyOf: [classID], on: today, reader: reader)
                    || belongs(account, toAnyOf: [classID], today: today, facts: &facts, reader: reader)
            else {
                throw deny("to be a staff member, a student of \(classID), or a parent of one with consent registered")
            }
        case .teacherTimetable(let teacher):
            guard teacher == account || role(.admin, .head, .deputyHead) else {
                throw deny("to be \(teacher) themself, or one of the roles admin, head, deputy head")
            }
        case .holidays:
            guard try !roles.isEmpty || facts.holder(of: account, reader: reader) != nil else {
                throw deny("an account of the school (a staff role, or credentials issued)")
            }
        case .teachers(let target):
            let classes = try facts.classes(of: target, on: today, reader: reader)
            guard try !roles.isEmpty || belongs(account, toAnyOf: classes, today: today, facts: &facts, reader: reader) else {
                throw deny("to be a staff member, a student of \(names(classes)), or a parent of one with consent registered")
            }
        case .parents(let classID), .acknowledgements(let classID):
            guard try role(.head, .deputyHead) || facts.isClassTeacher(account, ofAnyOf: [classID], on: today, reader: reader) else {
                throw deny("to be the class teacher of \(classID), or one of the roles head, deputy head")
            }
        case .outbox:
            guard role(.admin, .support) else {
                throw deny("one of the roles admin, support (the embedding service's integration account)")
            }
        case .classReport(let classID):
            guard try role(.head, .deputyHead) || facts.isClassTeacher(account, ofAnyOf: [classID], on: today, reader: reader) else {
                throw deny("to be the class teacher of \(classID), or one of the roles head, deputy head")
            }
        case .studentReport(let student):
            let classes = try [studentClass(student, today: today, facts: &facts, reader: reader)].compactMap { $0 }
            guard try role(.head, .deputyHead) || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
                throw deny("to be the class teacher of \(names(classes)), or one of the roles head, deputy head")
            }
        case .personalData(let person):
            var classes = try [studentClass(StudentID(person.rawValue), today: today, facts: &facts, reader: reader)].compactMap { $0 }
            for child in try facts.children(of: ParentID(person.rawValue), on: today, reader: reader) {
                if let c = try studentClass(child, today: today, facts: &facts, reader: reader) { classes.append(c) }
            }
            guard
                try role(.admin, .head, .deputyHead) || facts.holder(of: account, reader: reader)?.person == person
                    || facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader)
                    || isParentWithAccess(account, of: StudentID(person.rawValue), today: today, facts: &facts, reader: reader)
            else {
                throw deny(
                    "to be \(person) themself, a parent of \(person) with consent to electronic delivery registered, "
                        + "the class teacher of \(names(classes)), or one of the roles admin, head, deputy head")
            }
        case .audit:
            guard role(.admin, .head, .deputyHead) else { throw deny("one of the roles admin, head, deputy head") }
        case .studentSearch:
            guard !roles.isEmpty else {
                throw deny("a staff role (the students found are only those whose personal data the account may see)")
            }
        }
    }

    // MARK: Rules shared by several actions

    /// Why `account` is locked by a breach notice, or `nil`.
    private static func locked(_ account: AccountID, facts: inout JournalFacts, reader: borrowing LedgerReader) throws -> String? {
        guard let notice = try facts.openNotice(of: account, reader: reader) else { return nil }
        return "credentials that are not compromised: the breach notice\(notice.position.map { " at position \($0)" } ?? "") "
            + "opened a compromise window at \(notice.opensAt); reset the account's credentials (CredentialsReset) first"
    }

    /// The student's class today, or the last class they were in.
    private static func studentClass(
        _ student: StudentID, today: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader
    ) throws -> ClassID? {
        let events = try facts.events(in: SchoolStream.student(student), reader: reader)
        return SchoolFolds.classOf(events, on: today) ?? SchoolFolds.classOf(events, on: CivilDate(year: 9999, month: 12, day: 31)!)
    }

    private static func names(_ classes: [ClassID]) -> String {
        classes.isEmpty ? "the student's class" : classes.map(\.rawValue).joined(separator: " or ")
    }

    private static func requireClassTeacher(
        of student: StudentID, account: AccountID, today: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader, _ deny: (String) -> AccessDenied
    ) throws {
        let classes = try [studentClass(student, today: today, facts: &facts, reader: reader)].compactMap { $0 }
        guard try facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
            throw deny("to be the class teacher of \(names(classes))")
        }
    }

    /// Credentials of students and parents: their class teacher, or support;
    /// of staff: admin or support.
    private static func authorizeCredentials(
        for person: PersonID, holder: AccountHolder, account: AccountID, today: CivilDate,
        facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ deny: (String) -> AccessDenied
    ) throws {
        let roles = try facts.roles(of: account, on: today, reader: reader)
        if roles.contains(.support) { return }
        let classes: [ClassID]
        switch holder {
        case .staff:
            guard roles.contains(.admin) else { throw deny("one of the roles admin, support (credentials of staff)") }
            return
        case .student:
            classes = try [studentClass(StudentID(person.rawValue), today: today, facts: &facts, reader: reader)].compactMap { $0 }
        case .parent:
            var found = [ClassID]()
            for child in try facts.children(of: ParentID(person.rawValue), on: today, reader: reader) {
                if let c = try studentClass(child, today: today, facts: &facts, reader: reader) { found.append(c) }
            }
            classes = found
        }
        guard try facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
            throw deny("the role support, or to be the class teacher of \(classes.isEmpty ? "the \(holder)'s class" : names(classes))")
        }
    }

    /// A parent's form: electronically by the parent's own account; on paper
    /// by the class teacher of one of the children it concerns.
    private static func authorizeParentForm(
        _ form: any ParentForm, children: [StudentID], account: AccountID, today: CivilDate,
        facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ deny: (String) -> AccessDenied
    ) throws {
        switch form.submittedVia {
        case .electronic:
            var linked = false
            for child in children where try facts.isParent(form.formParentID, of: child, on: today, reader: reader) { linked = true }
            guard try facts.parent(heldBy: account, reader: reader) == form.formParentID, linked else {
                throw deny(
                    "to be the account of parent \(form.formParentID), linked to the student (submitted electronically); "
                        + "a class teacher records a signed paper form with submitted_via paper")
            }
        case .paperForm:
            var classes = [ClassID]()
            for child in children where try facts.isParent(form.formParentID, of: child, on: today, reader: reader) {
                if let c = try studentClass(child, today: today, facts: &facts, reader: reader) { classes.append(c) }
            }
            guard try facts.isClassTeacher(account, ofAnyOf: classes, on: today, reader: reader) else {
                throw deny(
                    "to be the class teacher of a child of \(form.formParentID) (\(classes.isEmpty ? "no linked child" : names(classes))), "
                        + "recording a signed paper form; the parent submits electronically")
            }
        }
    }

    /// Work on a lesson: the teacher assigned to its subject and target on
    /// its date, the teacher it was scheduled with, or its substitute.
    private static func requireLessonTeacher(
        _ id: LessonID, account: AccountID, facts: inout JournalFacts,
        reader: borrowing LedgerReader, _ deny: (String) -> AccessDenied
    ) throws {
        guard let lesson = try facts.lesson(id, reader: reader) else { throw deny("lesson \(id) to exist") }
        let named = lesson.teacherID == account || lesson.substituteID == account
        guard
            try (named && facts.isTeacher(account, on: lesson.date, reader: reader))
                || facts.isAssigned(account, subject: lesson.subjectID, to: lesson.target, on: lesson.date, reader: reader)
        else {
            throw deny(
                "to be the teacher assigned to \(lesson.subjectID) for \(lesson.target) on \(lesson.date), or the substitute of lesson \(id), "
                    + "holding the role teacher on that date and today")
        }
    }

    private static func requireAssigned(
        subject: SubjectID, targets: [TeachingTarget], on date: CivilDate, account: AccountID,
        facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ deny: (String) -> AccessDenied
    ) throws {
        for target in targets where try facts.isAssigned(account, subject: subject, to: target, on: date, reader: reader) { return }
        let described = targets.count == 1 ? "\(targets[0])" : "the student"
        throw deny("to be the teacher assigned to \(subject) for \(described) on \(date)")
    }

    /// Corrections: the author within the edit window after the lesson, the
    /// deputy head after it.
    private static func requireEditor(
        author: AccountID, of what: String, lessonDate: CivilDate, account: AccountID, today: CivilDate,
        facts: inout JournalFacts, reader: borrowing LedgerReader,
        _ deny: (String) -> AccessDenied
    ) throws {
        let days = try facts.editWindowDays(reader: reader)
        let lastDay = lessonDate.adding(days: days)
        if today <= lastDay {
            guard account == author else {
                throw deny(
                    "to be \(author), who entered \(what), within the edit window (until \(lastDay)); the deputy head corrects after it")
            }
        } else {
            guard try facts.roles(of: account, on: today, reader: reader).contains(.deputyHead) else {
                throw deny("the role deputy head: the edit window of \(what) closed on \(lastDay) (\(days) days after the lesson)")
            }
        }
    }

    private static func periodEnd(_ period: ReportingPeriodID, facts: inout JournalFacts, reader: borrowing LedgerReader) throws
        -> CivilDate?
    {
        for case .reportingPeriodDefined(let e) in try facts.yearEvents(reader: reader) where e.periodID == period { return e.dates.end }
        return nil
    }

    private static func teachesAny(
        of targets: [TeachingTarget], account: AccountID, facts: inout JournalFacts,
        reader: borrowing LedgerReader
    ) throws -> Bool {
        for target in targets where try facts.isAssigned(account, subject: nil, to: target, on: nil, reader: reader) { return true }
        return false
    }

    private static func isParentWithAccess(
        _ account: AccountID, of student: StudentID, today: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader
    ) throws -> Bool {
        guard let parent = try facts.parent(heldBy: account, reader: reader) else { return false }
        return try facts.isParent(parent, of: student, on: today, reader: reader)
            && facts.consent(of: parent, for: student, reader: reader).allowsElectronicAccess
    }

    /// Whether `account` is a student of one of `classes` today, or a parent
    /// with electronic access of such a student.
    private static func belongs(
        _ account: AccountID, toAnyOf classes: [ClassID], today: CivilDate, facts: inout JournalFacts,
        reader: borrowing LedgerReader
    ) throws -> Bool {
        if let student = try facts.student(heldBy: account, reader: reader) {
            return try studentClass(student, today: today, facts: &facts, reader: reader).map(classes.contains) ?? false
        }
        guard let parent = try facts.parent(heldBy: account, reader: reader) else { return false }
        for child in try facts.children(of: parent, on: today, reader: reader)
        where try facts.consent(of: parent, for: child, reader: reader).allowsElectronicAccess {
            if try studentClass(child, today: today, facts: &facts, reader: reader).map(classes.contains) ?? false { return true }
        }
        return false
    }
}

// MARK: Events that share a rule

/// An event about one student.
protocol StudentScoped { var studentID: StudentID { get } }
extension StudentDataCorrected: StudentScoped {}
extension StudentWithdrawn: StudentScoped {}
extension ParentLinked: StudentScoped {}
extension ParentUnlinked: StudentScoped {}

/// A parent's form, submitted electronically or on paper.
protocol ParentForm {
    var formParentID: ParentID { get }
    var submittedVia: SubmissionMedium { get }
}

/// A parent's form about one child.
protocol ChildForm: ParentForm { var formStudentID: StudentID { get } }

extension ConsentGiven: ChildForm {
    var formParentID: ParentID { parentID }
    var formStudentID: StudentID { studentID }
}
extension ConsentWithdrawn: ChildForm {
    var formParentID: ParentID { parentID }
    var formStudentID: StudentID { studentID }
}
extension ElectronicFormRefused: ChildForm {
    var formParentID: ParentID { parentID }
    var formStudentID: StudentID { studentID }
}
extension NotificationPreferenceSet: ParentForm {
    var formParentID: ParentID { parentID }
}

/// An event about one test.
protocol TestScoped { var testID: TestID { get } }
extension TestRescheduled: TestScoped {}
extension TestCancelled: TestScoped {}

/// An event about one mark.
protocol MarkScoped { var markID: MarkID { get } }
extension MarkCorrected: MarkScoped {}
extension MarkCancelled: MarkScoped {}
