import EventLedger

extension AccountSession {
    /// The analytical report of a class (clause 5), for its class teacher and the school's heads.
    public func analyticalReport(ofClass classID: ClassID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> ClassReport {
        try read(.classReport(classID), detail: "\(classID) \(period)", subjects: { $0.studentIDs.map(DataSubject.student) }) {
            try journal.analyticalReport(ofClass: classID, period: period, asOf: asOf)
        }
    }

    /// The analytical report of a student (clause 5), for the student's class teacher and the school's heads.
    public func analyticalReport(ofStudent student: StudentID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> StudentReport {
        try read(.studentReport(student), detail: "\(student) \(period)", subjects: { _ in [.student(student)] }) {
            try journal.analyticalReport(ofStudent: student, period: period, asOf: asOf)
        }
    }
}
