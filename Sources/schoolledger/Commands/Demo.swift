import ArgumentParser
import Crypto
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger demo`: a small end-to-end demonstration on a fresh ledger.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a small demonstration history to a ledger and show what the ledger does with it.",
            discussion: """
                Creates the ledger when missing. The demonstration's event ids are fixed, so running it \
                again on the same ledger appends nothing (idempotent retries).
                """)

        @Option(name: .long, help: ArgumentHelp("The ledger directory to create or extend.", valueName: "DIR"))
        var ledger: String

        func run() async throws {
            let path = URL(fileURLWithPath: ledger).standardizedFileURL.path
            let journal = try SchoolJournal.open(at: path)
            let l = journal.ledger
            print(
                "Ledger: \(l.directory) (personal-data keys in \(journal.vaultDirectory ?? "-"), reads logged in \(journal.readLogDirectory))"
            )
            try await DemoScenario(journal: journal).run()
            let report = try l.verify()
            print(
                "\nVerify: \(report.isIntact ? "chain intact" : "BROKEN at \(report.firstBadPosition!)"), \(report.checkedRecords) records")
            print("Head:   \(try l.head())")
            print("\nThe demo ledger is in \(l.directory)")
            print("Inspect it with: schoolledger stats --ledger \(l.directory)   or   mdb_stat -a \(l.directory)")
            print(DemoScenario.ids)
        }
    }
}

/// The demonstration: the start of a school year, recorded through the journal.
struct DemoScenario {
    let ledger: EventLedger
    let journal: SchoolJournal

    init(journal: SchoolJournal) {
        self.ledger = journal.ledger
        self.journal = journal
    }

    private static let firstDay = Instant(iso8601: "2026-09-01T05:00:00Z")!
    private static func date(_ text: String) -> CivilDate { CivilDate(text)! }

    /// Deterministic ids, so a second run is an idempotent retry.
    private static func id(_ n: UInt64) -> EventID { EventID(high: 0x0192_F000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    static let students: [(StudentID, ClassID)] = [
        ("S-1001", "7A"), ("S-1002", "7A"), ("S-1003", "7A"),
        ("S-2001", "7B"), ("S-2002", "7B"), ("S-2003", "7B"),
    ]

    /// The people of the demo. Their data is sealed under each one's key in
    /// the vault before it is appended: the ledger's files never hold it in clear.
    static let people: [PersonID: PersonalData] = [
        "S-1001": PersonalData(familyName: "Иванова", givenName: "Анна", patronymic: "Сергеевна", birthDate: date("2013-03-14")),
        "S-1002": PersonalData(familyName: "Петров", givenName: "Дмитрий", patronymic: "Алексеевич", birthDate: date("2013-07-02")),
        "S-1003": PersonalData(familyName: "Смирнова", givenName: "Мария", patronymic: "Игоревна", birthDate: date("2013-11-21")),
        "S-2001": PersonalData(familyName: "Кузнецов", givenName: "Артём", patronymic: "Владимирович", birthDate: date("2013-01-30")),
        "S-2002": PersonalData(familyName: "Соколова", givenName: "Елизавета", patronymic: "Андреевна", birthDate: date("2013-05-09")),
        "S-2003": PersonalData(familyName: "Попов", givenName: "Максим", patronymic: "Николаевич", birthDate: date("2013-09-17")),
        "P-1001": PersonalData(
            familyName: "Иванова", givenName: "Ольга", patronymic: "Викторовна", phone: "+79161234567",
            email: "olga.ivanova@example.ru"),
        "P-1002": PersonalData(familyName: "Петров", givenName: "Алексей", patronymic: "Иванович", phone: "+79031112233"),
    ]
    /// The ids a user needs to try the demo's school next.
    static let ids = """

        The demo's ids, for queries (--as ACCOUNT answers as that account):
          accounts  admin, head, deputy-head, support (the SMS gateway), teacher-math (class teacher of 7A),
                    teacher-russian (class teacher of 7B), teacher-english, teacher-petrova, parent-1001 (mother of S-1001)
          classes   7A (S-1001, S-1002, S-1003; English group 7A-ENG-1: S-1001, S-1002), 7B (S-2001, S-2002, S-2003)
          subjects  MATH, RUS, ENG;  period 2026-Q1 (2026-09-01...2026-10-25);  year 2026-2027
          lessons   L-7A-MATH-1, L-7B-MATH-1, L-7B-RUS-1, L-7A-ENG-1 on 2026-09-02; L-7A-RUS-1 moved to 2026-09-03
        """
    static let year: AcademicYearID = "2026-2027"
    static let september = date("2026-09-01")

    /// The year's set-up, each step by the account whose right it is: the
    /// founding admin registers the school and grants the staff roles; the
    /// admin opens the year; each class teacher enrols their class; the
    /// mother of S-1001 gives consent from her own account; the maths teacher
    /// records the first lesson.
    private static func setup(_ sealed: (String) throws -> SealedPersonalData) throws -> [(actor: AccountID, events: [SchoolEvent])] {
        var admin: [SchoolEvent] = [
            .schoolRegistered(
                SchoolRegistered(
                    schoolID: "school-17", fullName: "МБОУ «Средняя общеобразовательная школа № 17»",
                    shortName: "СОШ № 17", timeZone: "Europe/Moscow")),
            .staffRoleGranted(StaffRoleGranted(accountID: "admin", role: .admin, effectiveDate: september)),
        ]
        let staff: [(AccountID, StaffRole)] = [
            ("head", .head), ("deputy-head", .deputyHead), ("support", .support),
            ("teacher-math", .teacher), ("teacher-russian", .teacher), ("teacher-english", .teacher),
            ("teacher-petrova", .teacher),
        ]
        admin += staff.map { .staffRoleGranted(StaffRoleGranted(accountID: $0.0, role: $0.1, effectiveDate: september)) }
        // Clause 10: the school asks for signatures on marks and their corrections; each
        // teacher's device key (its public half) is registered.
        admin.append(
            .journalSettingsChanged(
                JournalSettingsChanged(
                    schoolID: "school-17",
                    kindsOfWork: [
                        WorkKindWeight(workKind: .classwork, name: "Работа на уроке", defaultWeight: 2),
                        WorkKindWeight(workKind: .homework, name: "Домашняя работа", defaultWeight: 1),
                        WorkKindWeight(workKind: .dictation, name: "Диктант", defaultWeight: 4),
                        WorkKindWeight(workKind: .test, name: "Контрольная работа", defaultWeight: 5),
                    ], signaturesRequired: true)))
        admin += signingTeachers.map { teacher in
            .signatureKeyRegistered(
                SignatureKeyRegistered(
                    accountID: teacher, publicKey: Array(deviceKey(of: teacher).publicKey.rawRepresentation),
                    validFrom: Instant(iso8601: "2026-08-25T00:00:00Z")!))
        }
        admin += [
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-17", title: "2026/2027 учебный год",
                    dates: DateRange(start: september, end: date("2027-05-31")))),
            .reportingPeriodDefined(
                ReportingPeriodDefined(
                    periodID: "2026-Q1", academicYearID: year, kind: .quarter, ordinal: 1, title: "I четверть",
                    dates: DateRange(start: september, end: date("2026-10-25")))),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "autumn-2026", academicYearID: year, title: "Осенние каникулы",
                    dates: DateRange(start: date("2026-10-26"), end: date("2026-11-03")))),
            .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
            .subjectDefined(SubjectDefined(subjectID: "RUS", name: "Русский язык")),
            .subjectDefined(SubjectDefined(subjectID: "ENG", name: "Английский язык")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, letter: "А", name: "7А")),
            .classFormed(ClassFormed(classID: "7B", academicYearID: year, gradeLevel: 7, letter: "Б", name: "7Б")),
            // The maths teacher is the class teacher of 7А, the Russian teacher of 7Б.
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7A", teacherID: "teacher-math", effectiveDate: september)),
            .classTeacherAssigned(ClassTeacherAssigned(classID: "7B", teacherID: "teacher-russian", effectiveDate: september)),
        ]
        for cls in ["7A", "7B"] as [ClassID] {
            admin.append(
                .teacherAssigned(
                    TeacherAssigned(teacherID: "teacher-math", subjectID: "MATH", target: .class(cls), effectiveDate: september)))
            admin.append(
                .teacherAssigned(
                    TeacherAssigned(teacherID: "teacher-russian", subjectID: "RUS", target: .class(cls), effectiveDate: september)))
        }
        var classTeacher7A: [SchoolEvent] = try students.filter { $0.1 == "7A" }.map { student, cls in
            .studentEnrolled(
                StudentEnrolled(studentID: student, classID: cls, enrollmentDate: september, personalData: try sealed(student.rawValue)))
        }
        classTeacher7A += [
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: "7A-ENG-1", classIDs: ["7A"], subjectID: "ENG", name: "7А английский, группа 1",
                    studentIDs: ["S-1001", "S-1002"], effectiveDate: september)),
            // Parents: the mother of S-1001 will consent from her own account; the father of
            // S-1002 refused the electronic form on a signed paper form, which the class teacher records.
            .parentLinked(
                ParentLinked(
                    parentID: "P-1001", studentID: "S-1001", relation: .mother, personalData: try sealed("P-1001"),
                    effectiveDate: september)),
            .parentLinked(
                ParentLinked(
                    parentID: "P-1002", studentID: "S-1002", relation: .father, personalData: try sealed("P-1002"),
                    effectiveDate: september)),
            .electronicFormRefused(
                ElectronicFormRefused(
                    parentID: "P-1002", studentID: "S-1002", submittedVia: .paperForm,
                    paperFormReference: "заявление №7")),
            .parentsInformedOfServices(
                ParentsInformedOfServices(parentID: "P-1001", studentID: "S-1001", services: [.personalCabinet, .smsMarks])),
        ]
        let classTeacher7B: [SchoolEvent] = try students.filter { $0.1 == "7B" }.map { student, cls in
            .studentEnrolled(
                StudentEnrolled(studentID: student, classID: cls, enrollmentDate: september, personalData: try sealed(student.rawValue)))
        }
        var timetable: [SchoolEvent] = [
            .teacherAssigned(
                TeacherAssigned(teacherID: "teacher-english", subjectID: "ENG", target: .group("7A-ENG-1"), effectiveDate: september))
        ]
        let lessons: [(LessonID, SubjectID, TeachingTarget, AccountID)] = [
            ("L-7A-MATH-1", "MATH", .class("7A"), "teacher-math"), ("L-7B-MATH-1", "MATH", .class("7B"), "teacher-math"),
            ("L-7A-RUS-1", "RUS", .class("7A"), "teacher-russian"), ("L-7B-RUS-1", "RUS", .class("7B"), "teacher-russian"),
            ("L-7A-ENG-1", "ENG", .group("7A-ENG-1"), "teacher-english"),
        ]
        for (n, (lesson, subject, target, teacher)) in lessons.enumerated() {
            timetable.append(
                .lessonScheduled(
                    LessonScheduled(
                        lessonID: lesson, subjectID: subject, target: target, teacherID: teacher,
                        date: date("2026-09-02"), lessonNumber: n + 1)))
        }
        // The first week's changes: a moved lesson and a substitute.
        timetable.append(
            .lessonRescheduled(
                LessonRescheduled(
                    lessonID: "L-7A-RUS-1", newDate: date("2026-09-03"), newLessonNumber: 2,
                    reason: "учитель на курсах")))
        timetable.append(
            .substitutionAssigned(
                SubstitutionAssigned(
                    lessonID: "L-7A-ENG-1", substituteTeacherID: "teacher-petrova",
                    replacedTeacherID: "teacher-english", reason: "больничный")))
        let mother: [SchoolEvent] = [
            .consentGiven(ConsentGiven(parentID: "P-1001", studentID: "S-1001", submittedVia: .electronic)),
            .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: "P-1001", channel: .sms, enabled: true,
                    contact: try sealed("P-1001-phone"), submittedVia: .electronic)),
        ]
        let mathsLesson: [SchoolEvent] = [
            .lessonConducted(LessonConducted(lessonID: "L-7A-MATH-1", topic: "Обыкновенные дроби")),
            .homeworkAssigned(
                HomeworkAssigned(homeworkID: "H-7A-MATH-1", lessonID: "L-7A-MATH-1", text: "№ 12–15, с. 8", dueDate: date("2026-09-04"))),
            .testScheduled(
                TestScheduled(
                    testID: "T-7A-MATH-1", subjectID: "MATH", target: .class("7A"), date: date("2026-09-10"),
                    workKind: .test, topic: "Входная контрольная работа")),
            .attendanceMarked(AttendanceMarked(studentID: "S-1003", lessonID: "L-7A-MATH-1", status: .absent)),
        ]
        return [
            ("admin", admin), ("teacher-math", classTeacher7A), ("teacher-russian", classTeacher7B), ("deputy-head", timetable),
            ("parent-1001", mother), ("teacher-math", mathsLesson),
        ]
    }

    /// The teachers who sign their marks on their devices (clause 10).
    static let signingTeachers: [AccountID] = ["teacher-math", "teacher-russian", "teacher-english", "teacher-petrova"]

    /// A teacher's device key, made from the teacher's account name so that
    /// a rerun signs the same bytes the same way (Ed25519 is deterministic).
    /// A real device makes its key at random and never lets it out.
    static func deviceKey(of teacher: AccountID) -> Curve25519.Signing.PrivateKey {
        let seed = Array(SHA256.hash(data: Array("schoolledger demo device key \(teacher)".utf8)))
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            preconditionFailure("32 bytes are always an Ed25519 private key")
        }
        return key
    }

    /// `entry` signed on its actor's device.
    static func signed(_ entry: JournalEntry) throws -> JournalEntry {
        try entry.signed(school: "school-17", with: deviceKey(of: entry.actor))
    }

    /// Kinds of work and their weights for the first marks (classwork, homework, a dictation).
    static let kinds: [(kind: WorkKind, weight: Int)] = [(.classwork, 2), (.homework, 1), (.dictation, 4)]

    /// The credentials of the mother's account, issued by the class teacher of 7А.
    private static let credentialsID = id(90)

    /// The class teacher of 7А issues the mother's account with a one-time
    /// activation code; the ledger keeps only the code's salted hash.
    private func issueMothersCredentials() async throws {
        if try ledger.position(of: Self.credentialsID) != nil {
            print("   (credentials of parent-1001 were issued by an earlier run)")
            return
        }
        let issued = try await journal.session(for: "teacher-math").issueCredentials(
            account: "parent-1001", person: "P-1001", holder: .parent, channel: .paper, explainingAccessRules: true,
            occurredAt: Self.firstDay, id: Self.credentialsID)
        print(
            "   Credentials of parent-1001 issued by the class teacher at position \(issued.result.positions[0]); "
                + "activation code \(issued.activationCode) (shown once: the ledger keeps only its salted hash; "
                + "it checks: \(try journal.verifyActivationCode(issued.activationCode.text, for: "parent-1001")))")
        let missing = try journal.session(for: "teacher-math").accessControlList(ofClass: "7A", on: Self.september)
        print(
            "   She is told the rules of access as she gets them (clause 9, at #\(issued.result.positions[1])); the class teacher's "
                + "access control list of 7A still names \(missing.filter { $0.accountID == nil }.map(\.person.description).joined(separator: ", ")) "
                + "(no credentials yet)")
    }

    func run() async throws {
        // 1. The year's set-up, each step an atomic append by the account whose right it is.
        // Names are sealed afresh each run (random nonces); a rerun resends the
        // entries the ledger already holds, as a client retrying an append does.
        let journal = self.journal
        let steps = try Self.setup { subject in
            if subject == "P-1001-phone" {
                return try journal.seal(PersonalData(phone: Self.people["P-1001"]!.phone), for: "P-1001")
            }
            return try journal.seal(Self.people[PersonID(subject)]!, for: PersonID(subject))
        }
        var next: UInt64 = 1
        var setup = [[JournalEntry]]()
        for step in steps {
            var entries = [JournalEntry]()
            for event in step.events {
                let id = Self.id(next)
                next += 1
                if let position = try ledger.position(of: id) {
                    entries.append(try journal.entries(from: position, through: position)[0].entry)
                } else {
                    entries.append(JournalEntry(id: id, event: event, actor: step.actor, occurredAt: Self.firstDay))
                }
            }
            setup.append(entries)
        }
        var first = [AppendResult]()
        for (n, entries) in setup.enumerated() {
            if n == 4 { try await issueMothersCredentials() }
            first.append(try await journal.record(entries))
        }
        let all = first.flatMap(\.positions)
        print(
            "\n1. Set-up: \(all.count) events in \(first.count) atomic appends, each by the account whose right it is "
                + "(\(steps.map(\.actor.rawValue).joined(separator: ", "))) -> positions \(all.min()!)...\(all.max()!)"
                + "\(first.allSatisfy(\.wasDuplicate) ? " (already there: a retry appends nothing)" : "")")

        // 2. Three teachers record marks at the same time: one group commit serves them.
        let marks: [(AccountID, LessonID, SubjectID, [StudentID])] = [
            ("teacher-math", "L-7A-MATH-1", "MATH", ["S-1001", "S-1002", "S-1003"]),
            ("teacher-russian", "L-7B-RUS-1", "RUS", ["S-2001", "S-2002", "S-2003"]),
            ("teacher-english", "L-7A-ENG-1", "ENG", ["S-1001", "S-1002"]),
        ]
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for (t, (teacher, lesson, subject, students)) in marks.enumerated() {
                let entries = students.enumerated().map { s, student in
                    let mark = MarkRecorded(
                        markID: MarkID("M-\(lesson)-\(student)"), studentID: student, lessonID: lesson, subjectID: subject,
                        value: .numeric(3 + (s + t) % 3), weight: Self.kinds[(s + t) % 3].weight,
                        workKind: Self.kinds[(s + t) % 3].kind)
                    return JournalEntry(
                        id: Self.id(100 + UInt64(t * 10 + s)), event: .markRecorded(mark), actor: teacher,
                        occurredAt: Self.firstDay.adding(microseconds: Int64(t + 4) * 3_600_000_000))
                }
                // The lesson's marks signed with one touch; each goes in its own append, checked alone.
                for signed in try entries.signedTogether(school: "school-17", with: Self.deviceKey(of: teacher)) {
                    group.addTask { try await journal.record([signed]) }
                }
            }
            var all = [AppendResult]()
            for try await r in group { all.append(r) }
            return all
        }
        let positions = results.flatMap(\.positions).sorted()
        print(
            "2. Marks: \(results.count) concurrent appends by \(marks.count) teachers -> positions \(positions.first!)...\(positions.last!), gapless: \(positions == Array(positions.first!...positions.last!))"
        )
        print(
            "   Each teacher signs the lesson's marks at once on the device (one Ed25519 signature over the batch's Merkle root, "
                + "clause 10); each mark carries its place in the batch, is checked alone at append and kept in the chain; "
                + "teacher-math's key is \(SignatureKeyRegistered.keyID(of: Array(Self.deviceKey(of: "teacher-math").publicKey.rawRepresentation)))"
        )

        // 3. A retry of the set-up: the same ids, the same bodies.
        let retry = try await journal.record(setup[0])
        print(
            "3. Retry of step 1's first append: wasDuplicate = \(retry.wasDuplicate), positions \(retry.positions.first!)...\(retry.positions.last!) (nothing appended)"
        )

        // 4. Refusals: nothing reaches the log.
        let head = try ledger.head()
        for (what, mark) in [
            (
                "a mark for a student of 7Б in a 7А lesson",
                MarkRecorded(
                    markID: "M-X1", studentID: "S-2001", lessonID: "L-7A-MATH-1", subjectID: "MATH",
                    value: .numeric(5), weight: 3, workKind: .classwork)
            ),
            (
                "a mark of 6",
                MarkRecorded(
                    markID: "M-X2", studentID: "S-1001", lessonID: "L-7A-MATH-1", subjectID: "MATH",
                    value: .numeric(6), weight: 3, workKind: .classwork)
            ),
        ] {
            do {
                try await journal.record(.markRecorded(mark), by: "teacher-math", occurredAt: Self.firstDay)
                print("4. unexpectedly accepted: \(what)")
            } catch let error as SchoolValidationError {
                print("4. Refused \(what): \(error.message)")
            }
        }
        do {
            let unsigned = MarkRecorded(
                markID: "M-X4", studentID: "S-1001", lessonID: "L-7A-MATH-1", subjectID: "MATH",
                value: .numeric(5), weight: 2, workKind: .classwork)
            try await journal.session(for: "teacher-math").record(.markRecorded(unsigned), occurredAt: Self.firstDay)
            print("4. unexpectedly accepted: an unsigned mark")
        } catch let refused as SignatureRefused {
            print("4. Refused an unsigned mark: \(refused)")
        }
        // Rights: the class teacher of 7А only views the Russian journal of her class; a parent sees only her own child.
        let russianMark = MarkRecorded(
            markID: "M-X3", studentID: "S-1001", lessonID: "L-7A-RUS-1", subjectID: "RUS",
            value: .numeric(5), weight: 3, workKind: .classwork)
        do {
            try await journal.session(for: "teacher-math").record(.markRecorded(russianMark), occurredAt: Self.firstDay)
            print("4. unexpectedly accepted: a Russian mark by the class teacher who teaches maths")
        } catch let denied as AccessDenied {
            print("4. Refused: \(denied)")
        }
        do {
            _ = try journal.session(for: "parent-1001").diary(of: "S-1002", from: Self.date("2026-09-01"), to: Self.date("2026-09-06"))
            print("4. unexpectedly shown: another family's diary")
        } catch let denied as AccessDenied {
            print("4. Refused: \(denied)")
        }
        print("   head unchanged: \(try ledger.head() == head)")

        // 5. Reading: one student's marks, and one teacher's operations in a window.
        let entries = try journal.entries()
        print("5. Marks of S-1001 (\(try journal.trustedSession(for: "it-demo").displayName(of: "S-1001")), name opened from the vault):")
        for recorded in entries {
            if case .markRecorded(let m) = recorded.entry.event, m.studentID == "S-1001" {
                print("   #\(recorded.position) \(m.subjectID) \(m.value) (weight \(m.weight)) by \(recorded.entry.actor)")
            }
        }
        let byMath = try ledger.events(byActor: "teacher-math", recordedIn: Instant.epoch..<Instant.latestValid)
        print("   teacher-math appended \(byMath.count) events, positions \(byMath.map(\.position))")

        try await breach()
    }

    /// The notice of the breach scenario; its presence means an earlier run recorded it.
    private static let noticeID = id(200)

    /// Clause 11: the English teacher's phone is stolen with her session
    /// open; the thief lowers a mark the mother was already told about and
    /// gives a new one. The teacher tells the head at once, but the head
    /// enters the notice only later: the invalidator voids the thief's
    /// operations in the notice's transaction, the mark comes back, the
    /// mother is owed a correction, the account is locked until support
    /// resets it, and the audit shows it all.
    private func breach() async throws {
        print("\n6. A breach (clause 11):")
        if try ledger.position(of: Self.noticeID) != nil {
            print("   (recorded by an earlier run; see: schoolledger audit compromise --ledger \(ledger.directory))")
            return
        }
        // The school's SMS gateway (an integration account with the support role) drains the outbox.
        let gateway = journal.session(for: "support")
        for message in try gateway.outbox() {
            try await gateway.reportDelivered(message, providerMessageID: "sms-\(message.aboutPosition)", occurredAt: Self.firstDay)
            print(
                "   SMS to \(message.parentID) about \(message.markID.map { "\($0)" } ?? "") (\(message.value.map { "\($0)" } ?? "")) delivered"
            )
        }
        // The thief, in the English teacher's session, gives two 2s for a "test".
        // The phone holds her signature key too: the thief's marks are signed with it.
        let thief = journal.session(for: "teacher-english")
        let stolen = { (id: UInt64, mark: MarkRecorded) in
            try Self.signed(JournalEntry(id: Self.id(id), event: .markRecorded(mark), actor: "teacher-english", occurredAt: Self.firstDay))
        }
        let lowered = try await journal.record([
            try stolen(
                201,
                MarkRecorded(
                    markID: "M-X-THIEF-1", studentID: "S-1001", lessonID: "L-7A-ENG-1",
                    subjectID: "ENG", value: .numeric(2), weight: 5, workKind: .test))
        ])
        try await journal.record([
            try stolen(
                202,
                MarkRecorded(
                    markID: "M-X-THIEF-2", studentID: "S-1002", lessonID: "L-7A-ENG-1", subjectID: "ENG",
                    value: .numeric(2), weight: 5, workKind: .test))
        ])
        for message in try gateway.outbox() {
            try await gateway.reportDelivered(message, providerMessageID: "sms-\(message.aboutPosition)", occurredAt: Self.firstDay)
        }
        print(
            "   With the stolen account: a 2 (weight 5) for S-1001 at #\(lowered.positions[0]) and one for S-1002; "
                + "the SMS about S-1001's 2 goes out to her mother")
        // The thief also looks around: the English group's journal page and list.
        let page = try thief.journalPage(
            subject: "ENG", target: .group("7A-ENG-1"), from: Self.date("2026-09-01"), to: Self.date("2026-09-30"))
        let members = try thief.groupList("7A-ENG-1", on: Self.date("2026-09-01"))
        print(
            "   The thief reads the journal page of the English group 7A-ENG-1 (\(page.rows.count) students) and its list "
                + "(\(members.count) students): both reads go to the read log")
        let stolenAt = lowered.recordedAt
        let notice = CompromiseReported(
            accountID: "teacher-english", discoveredAt: stolenAt.adding(microseconds: -2 * 3_600_000_000),
            receivedByHeadAt: stolenAt, reportedBy: "head", reporter: .head, compromised: [.password, .signatureKey],
            note: "телефон учителя украден, сессия была открыта")
        let reported = try await journal.session(for: "head").record(.compromiseReported(notice), occurredAt: stolenAt, id: Self.noticeID)
        print(
            "   The head enters the notice (received at the moment of the theft, discovered 2 hours before it) at #\(reported.positions[0]); "
                + "the invalidator appends OperationsVoided at #\(reported.derivedPositions.map { "\($0)" }.joined(separator: ", #")) in the same transaction"
        )
        let head = journal.session(for: "head")
        let marks = try head.marks(of: "S-1001", from: Self.date("2026-09-01"), to: Self.date("2026-09-30"))
        let english = marks.subjects.first { $0.subjectID == "ENG" }?.marks.map { "\($0.value)" }.joined(separator: " ") ?? "-"
        print(
            "   S-1001's English marks read \(english) again (the 2 is void); the outbox owes: "
                + (try gateway.outbox().map { "\($0.reason) to \($0.parentID)" }.joined(separator: ", ")))
        do {
            try await thief.record(.markCancelled(MarkCancelled(markID: "M-L-7A-ENG-1-S-1002", reason: "ошибка")), occurredAt: stolenAt)
            print("   unexpectedly accepted: an operation of the locked account")
        } catch let denied as AccessDenied {
            print("   Refused: \(denied)")
        }
        let reset = try await gateway.resetCredentials(
            account: "teacher-english", channel: .inPerson, reason: "компрометация",
            occurredAt: stolenAt, id: Self.id(203))
        print(
            "   Support resets the credentials at #\(reset.result.positions[0]) (new activation code \(reset.activationCode)): the window closes"
        )
        do {
            try await journal.record([
                try stolen(
                    204,
                    MarkRecorded(
                        markID: "M-X-THIEF-3", studentID: "S-1002", lessonID: "L-7A-ENG-1", subjectID: "ENG",
                        value: .numeric(2), weight: 5, workKind: .test))
            ])
            print("   unexpectedly accepted: a mark signed with the stolen key")
        } catch let refused as SignatureRefused {
            print("   The notice named the signature key, so it signs nothing more, even after the reset. Refused: \(refused)")
        }
        for exposure in try head.exposure(of: "teacher-english") {
            print(
                "   Exposure of notice #\(exposure.noticePosition) (for the Roskomnadzor notice): inside the window the stolen account read "
                    + "the data of \(exposure.exposedSubjects.map(\.description).joined(separator: ", "))")
            for read in exposure.windowReads {
                print(
                    "     read #\(read.sequence) at \(read.readAt): \(read.view) (\(read.detail)) showed \(read.subjects.map(\.description).joined(separator: " "))"
                )
            }
        }
        print("   The audit: schoolledger audit compromise --ledger \(ledger.directory)")
        print("   The exposure: schoolledger audit exposure --ledger \(ledger.directory) --account teacher-english")
    }
}
