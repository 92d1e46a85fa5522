import EventLedger

/// What the access policy needs to know about accounts, read from the
/// ledger's facts: staff roles, class-teacher and subject-teacher
/// assignments, who holds an account, whose parent a parent is, consent,
/// open compromise notices.
extension JournalFacts {
    /// The staff roles `account` holds on `date`, by the grants and
    /// revocations of the `school` stream in their effective dates.
    mutating func roles(of account: AccountID, on date: CivilDate, reader: borrowing LedgerReader) throws -> Set<StaffRole> {
        if let known = rolesOn[account]?[date] { return known }
        var changes = [(date: CivilDate, order: Int, role: StaffRole, granted: Bool)]()
        for (n, event) in try events(in: SchoolStream.school, reader: reader).enumerated() {
            switch event {
            case .staffRoleGranted(let e) where e.accountID == account: changes.append((e.effectiveDate, n, e.role, true))
            case .staffRoleRevoked(let e) where e.accountID == account: changes.append((e.effectiveDate, n, e.role, false))
            default: break
            }
        }
        var roles = Set<StaffRole>()
        for change in changes.sorted(by: { ($0.date, $0.order) < ($1.date, $1.order) }) where change.date <= date {
            if change.granted { roles.insert(change.role) } else { roles.remove(change.role) }
        }
        rolesOn[account, default: [:]][date] = roles
        return roles
    }

    /// Every staff role ever granted to `account` (revoked or not).
    mutating func everHeldRoles(_ account: AccountID, reader: borrowing LedgerReader) throws -> Set<StaffRole> {
        var roles = Set<StaffRole>()
        for case .staffRoleGranted(let e) in try events(in: SchoolStream.school, reader: reader) where e.accountID == account {
            roles.insert(e.role)
        }
        return roles
    }

    /// Whether the ledger knows `account`: a staff role was granted to it,
    /// credentials were issued for it, or it registered the school.
    mutating func isKnown(_ account: AccountID, reader: borrowing LedgerReader) throws -> Bool {
        if try !everHeldRoles(account, reader: reader).isEmpty || holder(of: account, reader: reader) != nil { return true }
        return try facts(in: SchoolStream.school, reader: reader).first { if case .schoolRegistered = $0.event { true } else { false } }?
            .actor == account
    }

    /// The account that registered the school, while no staff role has been
    /// granted yet (it may then grant the first admin role).
    mutating func founder(reader: borrowing LedgerReader) throws -> AccountID? {
        let facts = try facts(in: SchoolStream.school, reader: reader)
        if facts.contains(where: { if case .staffRoleGranted = $0.event { true } else { false } }) { return nil }
        return facts.first { if case .schoolRegistered = $0.event { true } else { false } }?.actor
    }

    /// The school's id (``SchoolRegistered/schoolID``), if registered.
    mutating func schoolID(reader: borrowing LedgerReader) throws -> SchoolID? {
        for case .schoolRegistered(let e) in try events(in: SchoolStream.school, reader: reader) { return e.schoolID }
        return nil
    }

    /// Whether the school stream is still empty (no school registered).
    mutating func schoolIsUnregistered(reader: borrowing LedgerReader) throws -> Bool {
        try facts(in: SchoolStream.school, reader: reader).isEmpty
    }

    /// The class teacher of `classID` on `date`: the latest assignment in effect.
    mutating func classTeacher(of classID: ClassID, on date: CivilDate, reader: borrowing LedgerReader) throws -> AccountID? {
        var latest: (date: CivilDate, order: Int, teacher: AccountID)?
        for (n, event) in try events(in: SchoolStream.class(classID), reader: reader).enumerated() {
            if case .classTeacherAssigned(let e) = event, e.effectiveDate <= date,
                latest.map({ ($0.date, $0.order) < (e.effectiveDate, n) }) ?? true
            {
                latest = (e.effectiveDate, n, e.teacherID)
            }
        }
        return latest?.teacher
    }

    /// Whether `account` is the class teacher of any of `classes` on `date`,
    /// holding the role teacher on that date and today (a revoked role ends it).
    mutating func isClassTeacher(
        _ account: AccountID, ofAnyOf classes: [ClassID], on date: CivilDate,
        reader: borrowing LedgerReader
    ) throws -> Bool {
        guard try isTeacher(account, on: date, reader: reader) else { return false }
        for classID in classes where try classTeacher(of: classID, on: date, reader: reader) == account { return true }
        return false
    }

    /// Whether `account` holds the role teacher on `date` and on the
    /// school's today (when known): a revocation ends the rights that
    /// depend on the role from its effective date, past lessons included.
    mutating func isTeacher(_ account: AccountID, on date: CivilDate?, reader: borrowing LedgerReader) throws -> Bool {
        let today = try currentDay(reader: reader)
        for day in [date, today].compactMap({ $0 }) where try !roles(of: account, on: day, reader: reader).contains(.teacher) {
            return false
        }
        if date != nil || today != nil { return true }
        return try everHeldRoles(account, reader: reader).contains(.teacher)
    }

    /// Whether `teacher` is assigned (``TeacherAssigned``) to teach `subject`
    /// to `target` on `date`; with `date` `nil`, on the school's today (on
    /// any date when the facts have no clock). Of several
    /// assignments of one teacher, subject and target the last recorded
    /// holds (a later one with an end date ends an open-ended one), and the
    /// teacher must hold the role teacher (see ``isTeacher(_:on:reader:)``).
    mutating func isAssigned(
        _ teacher: AccountID, subject: SubjectID?, to target: TeachingTarget, on given: CivilDate?,
        reader: borrowing LedgerReader
    ) throws -> Bool {
        let date = try given ?? currentDay(reader: reader)
        var latest = [SubjectID: TeacherAssigned]()
        for case .teacherAssigned(let e) in try events(in: target.stream, reader: reader)
        where e.teacherID == teacher && e.target == target && (subject.map { $0 == e.subjectID } ?? true) {
            latest[e.subjectID] = e
        }
        let holds = latest.values.contains { e in
            guard let date else { return true }
            return e.effectiveDate <= date && (e.endDate.map { date <= $0 } ?? true)
        }
        return try holds && isTeacher(teacher, on: date, reader: reader)
    }

    /// What a student is taught as on `date`: their class, its teaching
    /// streams, their study groups, and their individual plan.
    mutating func targets(ofStudent student: StudentID, on date: CivilDate, reader: borrowing some FoldSource & ~Copyable) throws
        -> [TeachingTarget]
    {
        var targets: [TeachingTarget] = [.student(student)]
        guard let classID = try classOf(student, on: date, reader: reader) else { return targets }
        targets.append(.class(classID))
        for name in try streamNames(withPrefix: "teaching-stream/", reader: reader) {
            let events = try events(in: name, reader: reader)
            for case .streamFormed(let e) in events where e.classIDs.contains(classID) {
                targets.append(.teachingStream(e.teachingStreamID))
            }
        }
        for name in try streamNames(withPrefix: "group/", reader: reader) {
            let events = try events(in: name, reader: reader)
            if SchoolFolds.members(events, on: date).contains(student) {
                for case .studyGroupFormed(let e) in events { targets.append(.group(e.groupID)) }
            }
        }
        return targets
    }

    /// The study groups and teaching streams formed from `classID`, and the class itself.
    mutating func targets(ofClass classID: ClassID, reader: borrowing some FoldSource & ~Copyable) throws -> [TeachingTarget] {
        let streams = try streamNames(withPrefix: "group/", reader: reader) + streamNames(withPrefix: "teaching-stream/", reader: reader)
        return try targets(ofClass: classID, formedIn: streams, reader: reader)
    }

    /// The class, then the study groups and teaching streams the events of
    /// `streams` (in that order) form from it, each once.
    mutating func targets(ofClass classID: ClassID, formedIn streams: [String], reader: borrowing some FoldSource & ~Copyable) throws
        -> [TeachingTarget]
    {
        var targets: [TeachingTarget] = [.class(classID)]
        for name in streams {
            for event in try events(in: name, reader: reader) {
                let target: TeachingTarget? =
                    switch event {
                    case .studyGroupFormed(let e) where e.classIDs.contains(classID): .group(e.groupID)
                    case .streamFormed(let e) where e.classIDs.contains(classID): .teachingStream(e.teachingStreamID)
                    default: nil
                    }
                // A group or stream formed again with the class is one target: its lessons count once.
                if let target, !targets.contains(target) { targets.append(target) }
            }
        }
        return targets
    }

    /// Who holds `account`: the person and whether a student, parent or
    /// staff, from its latest ``CredentialsIssued``.
    mutating func holder(of account: AccountID, reader: borrowing LedgerReader) throws -> (person: PersonID, kind: AccountHolder)? {
        var found: (PersonID, AccountHolder)?
        for case .credentialsIssued(let e) in try events(in: SchoolStream.account(account), reader: reader) {
            found = (e.personID, e.holder)
        }
        return found
    }

    /// The parent `account` belongs to, if it is a parent's account.
    mutating func parent(heldBy account: AccountID, reader: borrowing LedgerReader) throws -> ParentID? {
        guard let holder = try holder(of: account, reader: reader), holder.kind == .parent else { return nil }
        return ParentID(holder.person.rawValue)
    }

    /// The student `account` belongs to, if it is a student's account.
    mutating func student(heldBy account: AccountID, reader: borrowing LedgerReader) throws -> StudentID? {
        guard let holder = try holder(of: account, reader: reader), holder.kind == .student else { return nil }
        return StudentID(holder.person.rawValue)
    }

    /// Whether `parent` is linked to `student` on `date`.
    mutating func isParent(_ parent: ParentID, of student: StudentID, on date: CivilDate, reader: borrowing LedgerReader) throws -> Bool {
        var linked = false
        for event in try events(in: SchoolStream.student(student), reader: reader) {
            switch event {
            case .parentLinked(let e) where e.parentID == parent && e.effectiveDate <= date: linked = true
            case .parentUnlinked(let e) where e.parentID == parent && e.effectiveDate <= date: linked = false
            default: break
            }
        }
        return linked
    }

    /// The students `parent` is linked to on `date`. Lists every student
    /// stream: cost grows with the school's size, which is paid only by
    /// commands about a parent that name no student (credentials, preferences).
    mutating func children(of parent: ParentID, on date: CivilDate, reader: borrowing LedgerReader) throws -> [StudentID] {
        var children = [StudentID]()
        for name in try streamNames(withPrefix: "student/", reader: reader) {
            let student = StudentID(String(name.dropFirst("student/".count)))
            if try isParent(parent, of: student, on: date, reader: reader) { children.append(student) }
        }
        return children
    }

    /// What `parent` has registered for `student`: consent and refusal of the
    /// electronic form, by the parent's stream (see ``SchoolFolds/consent(_:)``).
    mutating func consent(of parent: ParentID, for student: StudentID, reader: borrowing LedgerReader) throws -> SchoolFolds.Consent {
        SchoolFolds.consent(try events(in: SchoolStream.parent(parent), reader: reader))[student] ?? SchoolFolds.Consent()
    }

    /// The school's edit window for marks, in days after the lesson
    /// (``JournalSettingsChanged/editWindowDays``; 7 until set).
    mutating func editWindowDays(reader: borrowing LedgerReader) throws -> Int {
        var days = JournalFacts.defaultEditWindowDays
        for case .journalSettingsChanged(let e) in try events(in: SchoolStream.school, reader: reader) { days = e.editWindowDays }
        return days
    }

    /// The edit window until the school sets one: 7 days.
    static let defaultEditWindowDays = 7

    /// The school's time zone (``SchoolRegistered/timeZone``), if registered.
    mutating func timeZone(reader: borrowing LedgerReader) throws -> String? {
        var zone: String?
        for case .schoolRegistered(let e) in try events(in: SchoolStream.school, reader: reader) { zone = e.timeZone }
        return zone
    }

    /// The breach notice that keeps `account` locked, if any: a notice for it,
    /// not withdrawn, whose window no credentials reset or issue has closed
    /// (one in the call being checked closes them all).
    mutating func openNotice(of account: AccountID, reader: borrowing LedgerReader) throws -> (position: UInt64?, opensAt: Instant)? {
        let notices = try register(reader: reader).activeNotices(of: account)
        guard !notices.isEmpty else { return nil }
        // Pinned through the facts; a reset of this call closes every window.
        let credentials = try facts(in: SchoolStream.account(account), reader: reader)
        if credentials.contains(where: { $0.position == nil && $0.event.changesCredentials }) { return nil }
        // Closing counts every reset recorded, as the invalidator does, voided ones included.
        let changes = try Invalidator.credentialChanges(of: account, reader: reader)
        return notices.first { $0.window(closedBy: changes).isOpen }.map { ($0.position == 0 ? nil : $0.position, $0.opensAt) }
    }
}

extension SchoolEvent {
    /// Whether the event issues or resets an account's credentials (and so
    /// closes the account's compromise windows).
    var changesCredentials: Bool {
        switch self {
        case .credentialsIssued, .credentialsReset: true
        default: false
        }
    }
}
