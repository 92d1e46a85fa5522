import ArgumentParser
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
            let l = try EventLedger.open(at: path)
            print("Ledger: \(l.directory)")
            try await DemoScenario(ledger: l).run()
            let report = try l.verify()
            print("\nVerify: \(report.isIntact ? "chain intact" : "BROKEN at \(report.firstBadPosition!)"), \(report.checkedRecords) records")
            print("Head:   \(try l.head())")
            print("\nThe demo ledger is in \(l.directory)")
            print("Inspect it with: schoolledger stats --ledger \(l.directory)   or   mdb_stat -a \(l.directory)")
        }
    }
}

/// The demonstration: the start of a school year, recorded through the journal.
struct DemoScenario {
    let ledger: EventLedger
    let journal: SchoolJournal

    init(ledger: EventLedger) throws {
        self.ledger = ledger
        journal = try SchoolJournal(ledger: ledger)
    }

    private static let firstDay = Instant(iso8601: "2026-09-01T05:00:00Z")!
    private static func date(_ text: String) -> CivilDate { CivilDate(text)! }

    /// Deterministic ids, so a second run is an idempotent retry.
    private static func id(_ n: UInt64) -> EventID { EventID(high: 0x0192_F000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    /// Personal data is sealed per data subject before it is stored (the vault
    /// comes with the personal-data work); the demo stores a placeholder seal.
    private static func sealed(_ subject: String) -> SealedPersonalData {
        SealedPersonalData(subjectID: PersonID(subject), nonce: [UInt8](repeating: 0, count: 12),
                           ciphertext: Array("demo seal of \(subject)".utf8), tag: [UInt8](repeating: 0, count: 16))
    }

    static let students: [(StudentID, ClassID)] = [("S-1001", "7A"), ("S-1002", "7A"), ("S-1003", "7A"),
                                                    ("S-2001", "7B"), ("S-2002", "7B"), ("S-2003", "7B")]

    private static var structure: [SchoolEvent] {
        let year: AcademicYearID = "2026-2027"
        var events: [SchoolEvent] = [
            .academicYearOpened(AcademicYearOpened(academicYearID: year, schoolID: "school-17", title: "2026/2027 учебный год",
                                                   dates: DateRange(start: date("2026-09-01"), end: date("2027-05-31")))),
            .holidayPeriodDeclared(HolidayPeriodDeclared(holidayID: "autumn-2026", academicYearID: year, title: "Осенние каникулы",
                                                         dates: DateRange(start: date("2026-10-26"), end: date("2026-11-03")))),
            .subjectDefined(SubjectDefined(subjectID: "MATH", name: "Математика")),
            .subjectDefined(SubjectDefined(subjectID: "RUS", name: "Русский язык")),
            .subjectDefined(SubjectDefined(subjectID: "ENG", name: "Английский язык")),
            .classFormed(ClassFormed(classID: "7A", academicYearID: year, gradeLevel: 7, letter: "А", name: "7А")),
            .classFormed(ClassFormed(classID: "7B", academicYearID: year, gradeLevel: 7, letter: "Б", name: "7Б")),
        ]
        for (student, cls) in students {
            events.append(.studentEnrolled(StudentEnrolled(studentID: student, classID: cls, enrollmentDate: date("2026-09-01"),
                                                           personalData: sealed(student.rawValue))))
        }
        events.append(.studyGroupFormed(StudyGroupFormed(groupID: "7A-ENG-1", classIDs: ["7A"], subjectID: "ENG", name: "7А английский, группа 1",
                                                         studentIDs: ["S-1001", "S-1002"], effectiveDate: date("2026-09-01"))))
        let lessons: [(LessonID, SubjectID, TeachingTarget, AccountID)] = [
            ("L-7A-MATH-1", "MATH", .class("7A"), "teacher-math"), ("L-7B-MATH-1", "MATH", .class("7B"), "teacher-math"),
            ("L-7A-RUS-1", "RUS", .class("7A"), "teacher-russian"), ("L-7B-RUS-1", "RUS", .class("7B"), "teacher-russian"),
            ("L-7A-ENG-1", "ENG", .group("7A-ENG-1"), "teacher-english"),
        ]
        // Parents: one consents electronically and wants marks by SMS, one refuses the electronic form on paper.
        events.append(.parentLinked(ParentLinked(parentID: "P-1001", studentID: "S-1001", relation: .mother, effectiveDate: date("2026-09-01"))))
        events.append(.parentLinked(ParentLinked(parentID: "P-1002", studentID: "S-1002", relation: .father, effectiveDate: date("2026-09-01"))))
        events.append(.consentGiven(ConsentGiven(parentID: "P-1001", studentID: "S-1001", submittedVia: .electronic)))
        events.append(.notificationPreferenceSet(NotificationPreferenceSet(parentID: "P-1001", channel: .sms, enabled: true,
                                                                           contact: sealed("P-1001"), submittedVia: .electronic)))
        events.append(.electronicFormRefused(ElectronicFormRefused(parentID: "P-1002", studentID: "S-1002", submittedVia: .paperForm,
                                                                   paperFormReference: "заявление №7")))
        for (n, (lesson, subject, target, teacher)) in lessons.enumerated() {
            events.append(.lessonScheduled(LessonScheduled(lessonID: lesson, subjectID: subject, target: target, teacherID: teacher,
                                                           date: date("2026-09-02"), lessonNumber: n + 1)))
        }
        // The first week's changes: a moved lesson, a substitute, homework, a test date, an absence.
        events.append(.lessonRescheduled(LessonRescheduled(lessonID: "L-7A-RUS-1", newDate: date("2026-09-03"), newLessonNumber: 2,
                                                           reason: "учитель на курсах")))
        events.append(.substitutionAssigned(SubstitutionAssigned(lessonID: "L-7A-ENG-1", substituteTeacherID: "teacher-petrova",
                                                                 replacedTeacherID: "teacher-english", reason: "больничный")))
        events.append(.lessonConducted(LessonConducted(lessonID: "L-7A-MATH-1", topic: "Обыкновенные дроби")))
        events.append(.homeworkAssigned(HomeworkAssigned(homeworkID: "H-7A-MATH-1", lessonID: "L-7A-MATH-1", text: "№ 12–15, с. 8",
                                                         dueDate: date("2026-09-04"))))
        events.append(.testScheduled(TestScheduled(testID: "T-7A-MATH-1", subjectID: "MATH", target: .class("7A"), date: date("2026-09-10"),
                                                   workKind: .test, topic: "Входная контрольная работа")))
        events.append(.attendanceMarked(AttendanceMarked(studentID: "S-1003", lessonID: "L-7A-MATH-1", status: .absent)))
        return events
    }

    func run() async throws {
        // 1. The year's structure in one atomic, checked append.
        let setup = Self.structure.enumerated().map { n, event in
            JournalEntry(id: Self.id(UInt64(n + 1)), event: event, actor: "admin", occurredAt: Self.firstDay)
        }
        let first = try await journal.record(setup)
        print("\n1. Structure: \(setup.count) events (year, holiday, subjects, classes, students, a study group, parents, lessons, a move, a substitute, homework, a test) in one atomic append -> positions \(first.positions.first!)...\(first.positions.last!)\(first.wasDuplicate ? " (already there: a retry appends nothing)" : "")")

        // 2. Three teachers record marks at the same time: one group commit serves them.
        let marks: [(AccountID, LessonID, SubjectID, [StudentID])] = [
            ("teacher-math", "L-7A-MATH-1", "MATH", ["S-1001", "S-1002", "S-1003"]),
            ("teacher-russian", "L-7B-RUS-1", "RUS", ["S-2001", "S-2002", "S-2003"]),
            ("teacher-english", "L-7A-ENG-1", "ENG", ["S-1001", "S-1002"]),
        ]
        let journal = self.journal
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for (t, (teacher, lesson, subject, students)) in marks.enumerated() {
                for (s, student) in students.enumerated() {
                    let mark = MarkRecorded(markID: MarkID("M-\(lesson)-\(student)"), studentID: student, lessonID: lesson, subjectID: subject,
                                            value: .numeric(3 + (s + t) % 3), weight: 3, workKind: .classwork)
                    let entry = JournalEntry(id: Self.id(100 + UInt64(t * 10 + s)), event: .markRecorded(mark), actor: teacher,
                                             occurredAt: Self.firstDay.adding(microseconds: Int64(t + 4) * 3_600_000_000))
                    group.addTask { try await journal.record([entry]) }
                }
            }
            var all = [AppendResult]()
            for try await r in group { all.append(r) }
            return all
        }
        let positions = results.flatMap(\.positions).sorted()
        print("2. Marks: \(results.count) concurrent appends by \(marks.count) teachers -> positions \(positions.first!)...\(positions.last!), gapless: \(positions == Array(positions.first!...positions.last!))")

        // 3. A retry of the structure: the same ids, the same bodies.
        let retry = try await journal.record(setup)
        print("3. Retry of step 1: wasDuplicate = \(retry.wasDuplicate), positions \(retry.positions.first!)...\(retry.positions.last!) (nothing appended)")

        // 4. Refusals: nothing reaches the log.
        let head = try ledger.head()
        for (what, mark) in [
            ("a mark for a student of 7Б in a 7А lesson", MarkRecorded(markID: "M-X1", studentID: "S-2001", lessonID: "L-7A-MATH-1", subjectID: "MATH",
                                                                       value: .numeric(5), weight: 3, workKind: .classwork)),
            ("a mark of 6", MarkRecorded(markID: "M-X2", studentID: "S-1001", lessonID: "L-7A-MATH-1", subjectID: "MATH",
                                         value: .numeric(6), weight: 3, workKind: .classwork)),
        ] {
            do {
                try await journal.record(.markRecorded(mark), by: "teacher-math", occurredAt: Self.firstDay)
                print("4. unexpectedly accepted: \(what)")
            } catch let error as SchoolValidationError {
                print("4. Refused \(what): \(error.message)")
            }
        }
        print("   head unchanged: \(try ledger.head() == head)")

        // 5. Reading: one student's marks, and one teacher's operations in a window.
        let entries = try journal.entries()
        print("5. Marks of S-1001:")
        for recorded in entries {
            if case .markRecorded(let m) = recorded.entry.event, m.studentID == "S-1001" {
                print("   #\(recorded.position) \(m.subjectID) \(m.value) (weight \(m.weight)) by \(recorded.entry.actor)")
            }
        }
        let byMath = try ledger.events(byActor: "teacher-math", recordedIn: Instant.epoch..<Instant.latestValid)
        print("   teacher-math appended \(byMath.count) events, positions \(byMath.map(\.position))")
    }
}
