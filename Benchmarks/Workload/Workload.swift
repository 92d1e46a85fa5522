import EventLedger
import Foundation
import SchoolLedger

/// A deterministic school year as ledger events, for the benchmarks.
///
/// At scale 1: 1,000 students in 40 classes of 25, 12 subjects, 170 school
/// days (Monday to Friday from 2026-09-01), 6 lessons a day per class. Every
/// lesson is scheduled and conducted; the teacher takes the roll (one
/// `AttendanceMarked` per student present or not), records marks (about a
/// third of the students), sets homework every other lesson; a test per
/// class and subject every 4 weeks; substitutions, diary acknowledgements,
/// consents and a few breach notices. English is taught in two study groups
/// per class. Every event is a real `SchoolEvent` that passes `validate()`,
/// turned into a `NewEvent` by `EventCoding.newEvent`; ids are UUIDv7-shaped
/// and derived from a counter, the rest from a seeded generator, so two
/// processes generate the same bytes. `scale` multiplies students and classes
/// (the year's length stays the same).
public struct SchoolYearWorkload: Sendable {
    public let scale: Double
    public let events: [NewEvent]
    public let students: [StudentID]
    public let classes: [ClassID]
    public let classOfStudent: [StudentID: ClassID]
    public let subjects: [SubjectID]
    public let firstDay: CivilDate
    public let schoolDays: [CivilDate]
    public static let year: AcademicYearID = "2026-2027"
    public static let term: ReportingPeriodID = "2026-Q1"

    nonisolated(unsafe) private static var cache = [Double: SchoolYearWorkload]()
    private static let lock = NSLock()

    /// The workload at `scale`, generated once per process.
    public static func shared(scale: Double) -> SchoolYearWorkload {
        lock.lock(); defer { lock.unlock() }
        if let w = cache[scale] { return w }
        let w = try! SchoolYearWorkload(scale: scale)
        cache[scale] = w
        return w
    }

    public init(scale: Double, days: Int = 170) throws {
        self.scale = scale
        var rng = SplitMix64(seed: 0x5C40_01ED_6E12)
        let classCount = max(1, Int((40 * scale).rounded()))
        let perClass = 25
        let subjects: [SubjectID] = ["MATH", "RUS", "LIT", "ENG", "HIST", "GEO", "BIO", "PHYS", "CHEM", "INF", "ART", "PE"]
        let classes = (0..<classCount).map { ClassID("C\(5 + $0 % 7)-\($0 / 7 + 1)") }
        var students = [StudentID]()
        var classOf = [StudentID: ClassID]()
        var byClass = [ClassID: [StudentID]]()
        for (c, cls) in classes.enumerated() {
            for s in 0..<perClass {
                let id = StudentID("S-\(c * perClass + s + 1)")
                students.append(id); classOf[id] = cls; byClass[cls, default: []].append(id)
            }
        }
        let start = CivilDate("2026-09-01")!  // a Tuesday
        var schoolDays = [CivilDate]()
        var d = 0
        while schoolDays.count < days {
            let date = start.adding(days: d)
            let weekday = (d + 1) % 7  // 0 = Monday
            if weekday < 5 { schoolDays.append(date) }
            d += 1
        }
        self.students = students; self.classes = classes; self.classOfStudent = classOf; self.subjects = subjects
        self.firstDay = start; self.schoolDays = schoolDays

        var out = [NewEvent]()
        out.reserveCapacity(Int(1_450_000 * scale) + 10_000)
        var counter: UInt64 = 0
        let baseMillis: UInt64 = 1_788_000_000_000
        func emit(_ event: SchoolEvent, _ actor: AccountID, _ at: Instant) throws {
            counter += 1
            let id = EventID(high: ((baseMillis + counter) << 16) | 0x7000 | (counter & 0xFFF), low: 0x8000_0000_0000_0000 | counter)
            out.append(try EventCoding.newEvent(JournalEntry(id: id, event: event, actor: actor, occurredAt: at)))
        }
        func instant(_ date: CivilDate, hour: Int, minute: Int = 0) -> Instant {
            Instant(iso8601: "\(date)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00Z")!
        }
        func sealed(_ person: String) -> SealedPersonalData {
            SealedPersonalData(subjectID: PersonID(person), nonce: (0..<12).map { _ in UInt8.random(in: 0...255, using: &rng) },
                               ciphertext: (0..<48).map { _ in UInt8.random(in: 0...255, using: &rng) },
                               tag: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        func teacher(_ subject: SubjectID, _ classIndex: Int) -> AccountID { AccountID("teacher-\(subject.rawValue.lowercased())-\(classIndex / 5)") }

        // Set-up.
        let t0 = instant(start.adding(days: -7), hour: 6)
        try emit(.schoolRegistered(SchoolRegistered(schoolID: "school-17", fullName: "Средняя общеобразовательная школа № 17",
                                                    shortName: "СОШ № 17", timeZone: "Europe/Moscow")), "admin", t0)
        try emit(.staffRoleGranted(StaffRoleGranted(accountID: "admin", role: .admin, effectiveDate: start)), "admin", t0)
        try emit(.staffRoleGranted(StaffRoleGranted(accountID: "head", role: .head, effectiveDate: start)), "admin", t0)
        try emit(.staffRoleGranted(StaffRoleGranted(accountID: "deputy-head", role: .deputyHead, effectiveDate: start)), "admin", t0)
        var teachers = Set<AccountID>()
        for s in subjects { for c in 0..<(2 * classCount) { teachers.insert(teacher(s, c)) } }
        for n in 0..<4 { teachers.insert(AccountID("teacher-substitute-\(n)")) }
        for t in teachers.sorted(by: { $0.rawValue < $1.rawValue }) {
            try emit(.staffRoleGranted(StaffRoleGranted(accountID: t, role: .teacher, effectiveDate: start)), "admin", t0)
        }
        try emit(.academicYearOpened(AcademicYearOpened(academicYearID: Self.year, schoolID: "school-17", title: "2026/2027 учебный год",
                                                        dates: DateRange(start: start, end: CivilDate("2027-05-31")!))), "admin", t0)
        let quarters = [("2026-Q1", "2026-09-01", "2026-10-25"), ("2026-Q2", "2026-11-05", "2026-12-28"),
                        ("2027-Q3", "2027-01-09", "2027-03-22"), ("2027-Q4", "2027-03-31", "2027-05-31")]
        for (n, q) in quarters.enumerated() {
            try emit(.reportingPeriodDefined(ReportingPeriodDefined(periodID: ReportingPeriodID(q.0), academicYearID: Self.year, kind: .quarter,
                                                                    ordinal: n + 1, title: "\(n + 1) четверть",
                                                                    dates: DateRange(start: CivilDate(q.1)!, end: CivilDate(q.2)!))), "admin", t0)
        }
        for s in subjects { try emit(.subjectDefined(SubjectDefined(subjectID: s, name: "Предмет \(s.rawValue)")), "admin", t0) }
        for (c, cls) in classes.enumerated() {
            try emit(.classFormed(ClassFormed(classID: cls, academicYearID: Self.year, gradeLevel: 5 + c % 7, letter: "А", name: cls.rawValue)), "admin", t0)
            try emit(.classTeacherAssigned(ClassTeacherAssigned(classID: cls, teacherID: teacher("MATH", c), effectiveDate: start)), "admin", t0)
            for s in subjects where s != "ENG" {
                try emit(.teacherAssigned(TeacherAssigned(teacherID: teacher(s, c), subjectID: s, target: .class(cls), effectiveDate: start)), "admin", t0)
            }
            for st in byClass[cls]! {
                try emit(.studentEnrolled(StudentEnrolled(studentID: st, classID: cls, enrollmentDate: start, personalData: sealed(st.rawValue))),
                         teacher("MATH", c), t0)
                let parent = ParentID("P-\(st.rawValue.dropFirst(2))")
                try emit(.parentLinked(ParentLinked(parentID: parent, studentID: st, relation: .mother, personalData: sealed(parent.rawValue),
                                                    effectiveDate: start)), teacher("MATH", c), t0)
                // The parent's account, so that the parent's own acts pass the rights check.
                try emit(.credentialsIssued(CredentialsIssued(accountID: AccountID("parent-\(st.rawValue.dropFirst(2))"), personID: PersonID(parent.rawValue),
                                                              holder: .parent, channel: .paper)), teacher("MATH", c),
                         instant(start, hour: 4))
            }
            let members = byClass[cls]!
            for g in 0..<2 {
                let group = StudyGroupID("\(cls.rawValue)-ENG-\(g + 1)")
                try emit(.studyGroupFormed(StudyGroupFormed(groupID: group, classIDs: [cls], subjectID: "ENG", name: "\(cls.rawValue) английский \(g + 1)",
                                                            studentIDs: Array(members[(g == 0 ? 0 : perClass / 2)..<(g == 0 ? perClass / 2 : perClass)]),
                                                            effectiveDate: start)), teacher("MATH", c), t0)
                try emit(.teacherAssigned(TeacherAssigned(teacherID: teacher("ENG", c * 2 + g), subjectID: "ENG", target: .group(group),
                                                          effectiveDate: start)), "admin", t0)
            }
        }
        // Parents' consents (most electronic).
        for (n, st) in students.enumerated() {
            let parent = ParentID("P-\(st.rawValue.dropFirst(2))")
            try emit(.consentGiven(ConsentGiven(parentID: parent, studentID: st, submittedVia: .electronic)), AccountID("parent-\(n + 1)"),
                     instant(start, hour: 5, minute: n % 60))
        }

        // The year.
        let kinds: [(WorkKind, Int)] = [(.classwork, 2), (.homework, 1), (.oralAnswer, 1), (.independentWork, 3)]
        var lessonNo = 0
        for (dayIndex, date) in schoolDays.enumerated() {
            for (c, cls) in classes.enumerated() {
                let members = byClass[cls]!
                for period in 1...6 {
                    let subject = subjects[(dayIndex * 6 + period + c) % subjects.count]
                    let parts: [(TeachingTarget, [StudentID], AccountID)] = subject == "ENG"
                        ? (0..<2).map { g in (.group(StudyGroupID("\(cls.rawValue)-ENG-\(g + 1)")),
                                               Array(members[(g == 0 ? 0 : perClass / 2)..<(g == 0 ? perClass / 2 : perClass)]), teacher("ENG", c * 2 + g)) }
                        : [(.class(cls), members, teacher(subject, c))]
                    for (target, roll, t) in parts {
                        lessonNo += 1
                        let lesson = LessonID("L-\(lessonNo)")
                        let at = instant(date, hour: 5 + period, minute: 10)
                        try emit(.lessonScheduled(LessonScheduled(lessonID: lesson, subjectID: subject, target: target, teacherID: t,
                                                                  date: date, lessonNumber: period)), "deputy-head", instant(date.adding(days: -3), hour: 12))
                        var actor = t
                        if rng.next() % 100 < 3 {
                            actor = AccountID("teacher-substitute-\(rng.next() % 4)")
                            try emit(.substitutionAssigned(SubstitutionAssigned(lessonID: lesson, substituteTeacherID: actor, replacedTeacherID: t,
                                                                                reason: "больничный")), "deputy-head", instant(date, hour: 4))
                        }
                        try emit(.lessonConducted(LessonConducted(lessonID: lesson, topic: "Тема урока \(lessonNo % 97)")), actor, at)
                        for st in roll {
                            let r = rng.next() % 100
                            let status: AttendanceStatus = r < 90 ? .present : r < 95 ? .absent : r < 98 ? .absentExcused : .late
                            try emit(.attendanceMarked(AttendanceMarked(studentID: st, lessonID: lesson, status: status,
                                                                        minutesLate: status == .late ? 5 : nil)), actor, at)
                        }
                        for (s, st) in roll.enumerated() where rng.next() % 100 < 30 {
                            let k = kinds[Int(rng.next() % UInt64(kinds.count))]
                            try emit(.markRecorded(MarkRecorded(markID: MarkID("M-\(lessonNo)-\(s)"), studentID: st, lessonID: lesson, subjectID: subject,
                                                                value: .numeric(2 + Int(rng.next() % 4)), weight: k.1, workKind: k.0)),
                                     actor, at.adding(microseconds: 1_800_000_000))
                        }
                        if lessonNo % 2 == 0 {
                            try emit(.homeworkAssigned(HomeworkAssigned(homeworkID: HomeworkID("H-\(lessonNo)"), lessonID: lesson,
                                                                        text: "Упражнения \(lessonNo % 50)–\(lessonNo % 50 + 3)",
                                                                        dueDate: date.adding(days: 2))), actor, at.adding(microseconds: 2_400_000_000))
                        }
                    }
                    if dayIndex % 20 == (c + period) % 20, period == 1 {
                        // English is taught in groups: its test is the first group's, set by that group's teacher.
                        let (target, setter): (TeachingTarget, AccountID) = subject == "ENG"
                            ? (.group(StudyGroupID("\(cls.rawValue)-ENG-1")), teacher("ENG", c * 2)) : (.class(cls), teacher(subject, c))
                        try emit(.testScheduled(TestScheduled(testID: TestID("T-\(dayIndex)-\(c)"), subjectID: subject, target: target,
                                                              date: date.adding(days: 7), workKind: .test, topic: "Контрольная работа")),
                                 setter, instant(date, hour: 14))
                    }
                }
            }
            // Parents acknowledge the diary on Fridays (every fourth parent).
            if dayIndex % 5 == 4 {
                for (n, st) in students.enumerated() where n % 4 == dayIndex % 4 {
                    try emit(.diaryAcknowledged(DiaryAcknowledged(parentID: ParentID("P-\(st.rawValue.dropFirst(2))"), studentID: st, upToDate: date)),
                             AccountID("parent-\(n + 1)"), instant(date, hour: 17))
                }
            }
            // A few breach notices over the year.
            if dayIndex % 60 == 59 {
                let account = teacher(subjects[dayIndex % 12], 0)
                try emit(.compromiseReported(CompromiseReported(accountID: account, receivedByHeadAt: instant(date, hour: 15),
                                                                reportedBy: "head", reporter: .head)), "head", instant(date, hour: 15))
                // The account gets new credentials the same afternoon, which closes its window.
                try emit(.credentialsReset(CredentialsReset(accountID: account, channel: .inPerson, reason: "сообщение о компрометации")), "admin",
                         instant(date, hour: 16))
            }
        }
        self.events = out
    }
}

/// SplitMix64: a small seeded generator, the same sequence on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
