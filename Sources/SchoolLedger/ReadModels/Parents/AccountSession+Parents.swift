public import EventLedger

extension AccountSession {
    /// The parents of a class with consent, preferences, credentials and
    /// paper extracts, for the class teacher and the school's heads.
    public func parents(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [ParentStatus] {
        try read(
            .parents(classID), detail: "\(classID) \(date)",
            subjects: { $0.flatMap { [.parent($0.parentID)] + $0.children.map { .student($0.studentID) } } }
        ) {
            try journal.parents(ofClass: classID, on: date, asOf: asOf)
        }
    }

    /// The parents of a class who get paper extracts, for the class teacher and the school's heads.
    public func paperExtractsDue(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [PaperExtractDue] {
        try read(
            .parents(classID), detail: "\(classID) \(date)", subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }
        ) {
            try journal.paperExtractsDue(ofClass: classID, on: date, asOf: asOf)
        }
    }

    /// The class teacher's access control list (clauses 1 and 9): who of the
    /// class's students and parents has no credentials yet, and whose
    /// account's holder was not told the rules of access since the last
    /// handover. For the class teacher and the school's heads.
    public func accessControlList(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [AccessControlLine] {
        try read(.parents(classID), detail: "\(classID) \(date) access", subjects: { $0.map(\.person) }) {
            try journal.accessControlList(ofClass: classID, on: date, asOf: asOf)
        }
    }

    /// The class teacher's control list: marks parents have not acknowledged
    /// for more than `days` school days (dates in the school's time zone).
    public func unacknowledgedMarks(ofClass classID: ClassID, olderThan days: Int, now: Instant, asOf: AsOf = .now) throws
        -> [UnacknowledgedMarks]
    {
        try read(
            .acknowledgements(classID), detail: "\(classID) older than \(days) days",
            subjects: { $0.flatMap { [.parent($0.parentID), .student($0.studentID)] } }
        ) {
            try journal.unacknowledgedMarks(ofClass: classID, olderThan: days, now: now, asOf: asOf)
        }
    }
}
