/// A view of the journal asked for on behalf of an account, with what it is
/// about: the access policy decides from this whether the account may see it.
public enum SchoolRead: Sendable, Hashable {
    /// A student's diary.
    case diary(StudentID)
    /// A student's marks and averages.
    case marks(StudentID)
    /// The journal page of a subject for a class, group, stream or individual student.
    case journalPage(SubjectID, TeachingTarget)
    /// A class list.
    case classList(ClassID)
    /// A study group's list.
    case groupList(StudyGroupID)
    /// A class's timetable.
    case classTimetable(ClassID)
    /// A teacher's timetable.
    case teacherTimetable(AccountID)
    /// A class's test schedule.
    case testSchedule(ClassID)
    /// The holidays of an academic year.
    case holidays
    /// The teachers working with a class, group, stream or student.
    case teachers(TeachingTarget)
    /// The parents of a class with consent, preferences, credentials, paper extracts.
    case parents(ClassID)
    /// The class teacher's control list of unacknowledged marks.
    case acknowledgements(ClassID)
    /// The notification outbox.
    case outbox
    /// The analytical report of a class (clause 5).
    case classReport(ClassID)
    /// The analytical report of a student (clause 5).
    case studentReport(StudentID)
    /// A paper extract of a student's diary (clause 2).
    case paperExtract(StudentID)
    /// A person's personal data opened from the vault.
    case personalData(PersonID)
    /// A search for students by name (``AccountSession/findStudents(named:)``);
    /// each student found is also checked as ``personalData(_:)``.
    case studentSearch
    /// The auditor's views: the compromise audit, a subject's history, the
    /// read log and the exposure of breach notices.
    case audit

    /// The views, without what they are about.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// ``SchoolRead/diary(_:)``.
        case diary
        /// ``SchoolRead/marks(_:)``.
        case marks
        /// ``SchoolRead/journalPage(_:_:)``.
        case journalPage = "journal-page"
        /// ``SchoolRead/classList(_:)``.
        case classList = "class-list"
        /// ``SchoolRead/groupList(_:)``.
        case groupList = "group-list"
        /// ``SchoolRead/classTimetable(_:)``.
        case classTimetable = "class-timetable"
        /// ``SchoolRead/teacherTimetable(_:)``.
        case teacherTimetable = "teacher-timetable"
        /// ``SchoolRead/testSchedule(_:)``.
        case testSchedule = "test-schedule"
        /// ``SchoolRead/holidays``.
        case holidays
        /// ``SchoolRead/teachers(_:)``.
        case teachers
        /// ``SchoolRead/parents(_:)``.
        case parents
        /// ``SchoolRead/acknowledgements(_:)``.
        case acknowledgements
        /// ``SchoolRead/outbox``.
        case outbox
        /// ``SchoolRead/classReport(_:)``.
        case classReport = "class-report"
        /// ``SchoolRead/studentReport(_:)``.
        case studentReport = "student-report"
        /// ``SchoolRead/paperExtract(_:)``.
        case paperExtract = "paper-extract"
        /// ``SchoolRead/personalData(_:)``.
        case personalData = "personal-data"
        /// ``SchoolRead/studentSearch``.
        case studentSearch = "student-search"
        /// ``SchoolRead/audit``.
        case audit
    }

    /// Which view this is.
    public var kind: Kind {
        switch self {
        case .diary: .diary
        case .marks: .marks
        case .journalPage: .journalPage
        case .classList: .classList
        case .groupList: .groupList
        case .classTimetable: .classTimetable
        case .teacherTimetable: .teacherTimetable
        case .testSchedule: .testSchedule
        case .holidays: .holidays
        case .teachers: .teachers
        case .parents: .parents
        case .acknowledgements: .acknowledgements
        case .outbox: .outbox
        case .classReport: .classReport
        case .studentReport: .studentReport
        case .paperExtract: .paperExtract
        case .personalData: .personalData
        case .studentSearch: .studentSearch
        case .audit: .audit
        }
    }
}
