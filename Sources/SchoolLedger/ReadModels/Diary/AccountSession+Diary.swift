import EventLedger

extension AccountSession {
    /// The diary of `student`: lessons, marks, attendance, homework, tests and
    /// recommendations for the school dates `from` through `to`.
    public func diary(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> StudentDiary {
        try read(.diary(student), detail: "\(student) \(from)...\(to)", subjects: { _ in [.student(student)] }) {
            try journal.diary(of: student, from: from, to: to, asOf: asOf)
        }
    }
}
