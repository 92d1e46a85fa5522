import EventLedger
import Foundation
import JournalServiceCore
import SchoolLedger

/// The school `make load` runs against, made on a fresh ledger: 25 students
/// a class, a parent with an account for each, eight subjects, teachers who
/// each teach one subject in four classes, six lessons a school day from
/// the start of the year (at most 13 weeks back) to today, marks on five
/// students of every lesson and homework on every third.
///
/// It writes what the load scripts need beside the ledger: the parents'
/// tokens and students, the teachers' tokens with the lessons and students
/// they may mark (the last five school days), and the head's token and the
/// breach notice to enter mid-run.
struct LoadSchool {
    static let subjects: [(SubjectID, String)] = [
        ("MATH", "Математика"), ("RUS", "Русский язык"), ("LIT", "Литература"), ("ENG", "Английский язык"),
        ("HIST", "История"), ("BIO", "Биология"), ("PHYS", "Физика"), ("GEO", "География"),
    ]
    static let studentsPerClass = 25
    static let lessonsPerDay = 6

    let parents: Int
    let teachers: Int
    let today: CivilDate

    var classes: Int { (parents + Self.studentsPerClass - 1) / Self.studentsPerClass }

    static func student(_ i: Int) -> StudentID { StudentID(rawValue: String(format: "S-%04d", i + 1)) }
    static func parent(_ i: Int) -> ParentID { ParentID(rawValue: String(format: "P-%04d", i + 1)) }
    static func parentAccount(_ i: Int) -> AccountID { AccountID(rawValue: String(format: "parent-%04d", i + 1)) }
    static func teacher(_ i: Int) -> AccountID { AccountID(rawValue: String(format: "teacher-%02d", i + 1)) }
    static func schoolClass(_ c: Int) -> ClassID { ClassID(rawValue: String(format: "C%02d", c + 1)) }
    static func lesson(_ c: Int, _ day: CivilDate, _ n: Int) -> LessonID { LessonID(rawValue: "L-\(schoolClass(c))-\(day)-\(n)") }

    /// The teacher of subject `s` in class `c`: a teacher per subject for
    /// each block of classes, as many blocks as the teachers allow.
    func teacher(ofSubject s: Int, inClass c: Int) -> Int {
        let blocks = max(1, teachers / Self.subjects.count)
        let perBlock = (classes + blocks - 1) / blocks
        return (s + Self.subjects.count * (c / perBlock)) % teachers
    }

    /// The subject of lesson `n` on the `d`-th school day.
    static func subject(day d: Int, lesson n: Int) -> Int { (n + d) % subjects.count }

    /// The school days (Monday to Friday) from the start of the year, or 13 weeks back, to today.
    var schoolDays: [CivilDate] {
        let september = CivilDate(year: today.month >= 9 ? today.year : today.year - 1, month: 9, day: 1)!
        var day = max(september, today.adding(days: -91))
        var days = [CivilDate]()
        while day <= today {
            if day.weekday < 6 { days.append(day) }
            day = day.adding(days: 1)
        }
        return days
    }

    /// Writes the school to `journal` in batches; returns the events written.
    func write(to journal: SchoolJournal) async throws -> Int {
        let start = CivilDate(year: today.month >= 9 ? today.year : today.year - 1, month: 9, day: 1)!
        let year = AcademicYearID(rawValue: "\(start.year)-\(start.year + 1)")
        let setUp = Instant(iso8601: "\(start)T07:00:00Z")!
        var written = 0
        func record(_ events: [SchoolEvent], by actor: AccountID, at instant: Instant) async throws {
            for chunk in stride(from: 0, to: events.count, by: 2_000) {
                let part = events[chunk..<min(events.count, chunk + 2_000)]
                _ = try await journal.recordTrusted(part.map { JournalEntry(event: $0, actor: actor, occurredAt: instant) })
                written += part.count
            }
        }
        var admin: [SchoolEvent] = [
            .schoolRegistered(SchoolRegistered(schoolID: "school-load", fullName: "Школа нагрузки", timeZone: "UTC")),
            .staffRoleGranted(StaffRoleGranted(accountID: "admin", role: .admin, effectiveDate: start)),
            .staffRoleGranted(StaffRoleGranted(accountID: "head", role: .head, effectiveDate: start)),
            .academicYearOpened(
                AcademicYearOpened(
                    academicYearID: year, schoolID: "school-load", title: "\(start.year)/\(start.year + 1)",
                    dates: DateRange(start: start, end: CivilDate(year: start.year + 1, month: 5, day: 31)!))),
        ]
        admin += Self.subjects.map { .subjectDefined(SubjectDefined(subjectID: $0.0, name: $0.1)) }
        for t in 0..<teachers {
            admin += [
                .staffRoleGranted(StaffRoleGranted(accountID: Self.teacher(t), role: .teacher, effectiveDate: start)),
                .credentialsIssued(
                    CredentialsIssued(
                        accountID: Self.teacher(t), personID: PersonID(Self.teacher(t).rawValue), holder: .staff, channel: .paper)),
            ]
        }
        for c in 0..<classes {
            admin.append(.classFormed(ClassFormed(classID: Self.schoolClass(c), academicYearID: year, gradeLevel: 7, name: "7-\(c + 1)")))
            for s in Self.subjects.indices {
                admin.append(
                    .teacherAssigned(
                        TeacherAssigned(
                            teacherID: Self.teacher(teacher(ofSubject: s, inClass: c)), subjectID: Self.subjects[s].0,
                            target: .class(Self.schoolClass(c)), effectiveDate: start)))
            }
        }
        for i in 0..<parents {
            let student = Self.student(i)
            let parent = Self.parent(i)
            admin += [
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: student, classID: Self.schoolClass(i / Self.studentsPerClass), enrollmentDate: start,
                        personalData: try journal.seal(
                            PersonalData(familyName: "Ученикова", givenName: "Ученица \(i + 1)"), for: PersonID(student.rawValue)))),
                .parentLinked(ParentLinked(parentID: parent, studentID: student, relation: .mother, effectiveDate: start)),
                .credentialsIssued(
                    CredentialsIssued(
                        accountID: Self.parentAccount(i), personID: PersonID(parent.rawValue), holder: .parent, channel: .paper)),
                .consentGiven(ConsentGiven(parentID: parent, studentID: student, submittedVia: .electronic)),
            ]
        }
        try await record(admin, by: "admin", at: setUp)

        let days = schoolDays
        var lessons = [SchoolEvent]()
        for (d, day) in days.enumerated() {
            for c in 0..<classes {
                for n in 1...Self.lessonsPerDay {
                    let s = Self.subject(day: d, lesson: n)
                    lessons.append(
                        .lessonScheduled(
                            LessonScheduled(
                                lessonID: Self.lesson(c, day, n), subjectID: Self.subjects[s].0, target: .class(Self.schoolClass(c)),
                                teacherID: Self.teacher(teacher(ofSubject: s, inClass: c)), date: day, lessonNumber: n)))
                }
            }
        }
        try await record(lessons, by: "admin", at: setUp)

        // Each teacher marks five students of each lesson, on the lesson's day.
        for (d, day) in days.enumerated() where day < today {
            var byTeacher = [AccountID: [SchoolEvent]]()
            for c in 0..<classes {
                let size = min(Self.studentsPerClass, parents - c * Self.studentsPerClass)
                for n in 1...Self.lessonsPerDay {
                    let s = Self.subject(day: d, lesson: n)
                    let lesson = Self.lesson(c, day, n)
                    var events = [SchoolEvent]()
                    for k in 0..<min(5, size) {
                        let i = c * Self.studentsPerClass + (d * 5 + n + k * 5) % size
                        events.append(
                            .markRecorded(
                                MarkRecorded(
                                    markID: MarkID(rawValue: "M-\(lesson.rawValue.dropFirst(2))-\(k)"), studentID: Self.student(i),
                                    lessonID: lesson, subjectID: Self.subjects[s].0, value: .numeric(2 + (i + d + n) % 4), weight: 1,
                                    workKind: .classwork)))
                    }
                    if n % 3 == 0 {
                        events.append(
                            .homeworkAssigned(
                                HomeworkAssigned(
                                    homeworkID: HomeworkID(rawValue: "H-\(lesson.rawValue.dropFirst(2))"), lessonID: lesson,
                                    text: "Упражнения \(d + n)–\(d + n + 4)", dueDate: day.adding(days: 2))))
                    }
                    byTeacher[Self.teacher(teacher(ofSubject: s, inClass: c)), default: []] += events
                }
            }
            let at = Instant(iso8601: "\(day)T12:00:00Z")!
            for (teacher, events) in byTeacher.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await record(events, by: teacher, at: at)
            }
        }
        return written
    }

    /// The lines the mark-posting script picks from: a teacher's account,
    /// then a lesson of the last five school days it teaches, its subject
    /// and a student of the lesson's class.
    func markTargets() -> [(teacher: Int, lesson: LessonID, subject: SubjectID, student: StudentID)] {
        let days = schoolDays
        var targets = [(teacher: Int, lesson: LessonID, subject: SubjectID, student: StudentID)]()
        for d in max(0, days.count - 5)..<days.count {
            for c in 0..<classes {
                for n in 1...Self.lessonsPerDay {
                    let s = Self.subject(day: d, lesson: n)
                    let size = min(Self.studentsPerClass, parents - c * Self.studentsPerClass)
                    for k in 0..<size {
                        targets.append(
                            (
                                teacher(ofSubject: s, inClass: c), Self.lesson(c, days[d], n), Self.subjects[s].0,
                                Self.student(c * Self.studentsPerClass + k)
                            ))
                    }
                }
            }
        }
        return targets
    }
}
