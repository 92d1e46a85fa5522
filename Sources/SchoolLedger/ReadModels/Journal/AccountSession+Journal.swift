import EventLedger

extension AccountSession {
    /// The marks of `student` by subject, with weighted and plain averages,
    /// in a reporting period or between dates.
    public func marks(
        of student: StudentID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> StudentMarks {
        try read(.marks(student), detail: "\(student)", subjects: { _ in [.student(student)] }) {
            try journal.marks(of: student, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The journal page of a subject for a class, group, stream or student:
    /// a row per student, a column per lesson.
    public func journalPage(
        subject: SubjectID, target: TeachingTarget, period: ReportingPeriodID? = nil,
        from: CivilDate? = nil, to: CivilDate? = nil, asOf: AsOf = .now
    ) throws -> JournalPage {
        try read(.journalPage(subject, target), detail: "\(subject) \(target)", subjects: { $0.rows.map { .student($0.studentID) } }) {
            try journal.journalPage(subject: subject, target: target, period: period, from: from, to: to, asOf: asOf)
        }
    }

    /// The students of a class on a date.
    public func classList(_ classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try read(.classList(classID), detail: "\(classID) \(date)", subjects: { $0.map(DataSubject.student) }) {
            try journal.classList(classID, on: date, asOf: asOf)
        }
    }

    /// The students of a study group on a date.
    public func groupList(_ groupID: StudyGroupID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try read(.groupList(groupID), detail: "\(groupID) \(date)", subjects: { $0.map(DataSubject.student) }) {
            try journal.groupList(groupID, on: date, asOf: asOf)
        }
    }
}
