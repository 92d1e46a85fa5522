import EventLedger

extension SchoolJournal {
    /// The parents of a class's students on `date`, with consent, refusal,
    /// notification preferences, credential state, acknowledgements and
    /// paper extracts.
    func parents(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [ParentStatus] {
        try withIndex(asOf) { index in
            let folds = JournalFacts()
            var children = [ParentID: [StudentID]]()
            for student in try folds.students(of: .class(classID), on: [date], index: index).sorted() {
                for parent in try folds.parents(of: student, on: date, index: index) { children[parent, default: []].append(student) }
            }
            return try children.keys.sorted().map { try folds.status(of: $0, children: children[$0]!, index: index) }
        }
    }

    /// The parents of a class's students who have not acknowledged marks
    /// recorded more than `days` days before `now` (the class teacher's
    /// control list, clause 3).
    func unacknowledgedMarks(ofClass classID: ClassID, olderThan days: Int, now: Instant, asOf: AsOf = .now) throws -> [UnacknowledgedMarks]
    {
        let limit = now.adding(microseconds: -Int64(days) * 86_400_000_000)
        let today = try schoolDate(at: now)
        return try withIndex(asOf) { index in
            var folds = JournalFacts()
            var lines = [UnacknowledgedMarks]()
            for student in try folds.students(of: .class(classID), on: [today], index: index).sorted() {
                let marks = try folds.ids("marks-by-student", under: student.rawValue, index: index, parts: 3).compactMap {
                    try folds.mark(MarkID($0), index: index)
                }.filter { !$0.isCancelled && ($0.history.first?.recordedAt ?? now) <= limit }
                for parent in try folds.parents(of: student, on: today, index: index) {
                    let status = try folds.status(of: parent, children: [student], index: index).children[0]
                    let open = marks.filter { mark in
                        let position = mark.history.first?.position ?? 0
                        return
                            !((status.acknowledgedUpToPosition.map { $0 >= position } ?? false)
                            || (status.acknowledgedUpToDate.map { $0 >= mark.date } ?? false))
                    }
                    if let oldest = open.map(\.date).min() {
                        lines.append(UnacknowledgedMarks(parentID: parent, studentID: student, count: open.count, oldest: oldest))
                    }
                }
            }
            return lines
        }
    }
}

extension SchoolJournal {
    /// The students of a class on `date` and their parents who have no
    /// credentials (clause 1), and the accounts among theirs whose holders
    /// were not told the rules of access since the last handover (clause 9):
    /// students first, each followed by their parents.
    func accessControlList(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [AccessControlLine] {
        try withIndex(asOf) { index in
            let folds = JournalFacts()
            var people = [(person: DataSubject, id: String)]()
            for student in try folds.students(of: .class(classID), on: [date], index: index).sorted() {
                people.append((.student(student), student.rawValue))
                for parent in try folds.parents(of: student, on: date, index: index) { people.append((.parent(parent), parent.rawValue)) }
            }
            var lines = [AccessControlLine]()
            var seen = Set<DataSubject>()
            for (person, id) in people where seen.insert(person).inserted {
                let accounts = try folds.ids("accounts-by-person", under: id, index: index).map { AccountID($0) }
                let states = try accounts.compactMap { try ParentRows.credentials($0, rows: index) }
                if states.isEmpty { lines.append(AccessControlLine(person: person, accountID: nil)) }
                for state in states where !state.toldSinceLastHandover {
                    lines.append(AccessControlLine(person: person, accountID: state.accountID))
                }
            }
            return lines
        }
    }

    /// The parents of a class who must get paper extracts (clause 4): those
    /// who refused the electronic form, gave no consent, or have no access
    /// to the electronic diary; with the extracts already issued.
    func paperExtractsDue(ofClass classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [PaperExtractDue] {
        try parents(ofClass: classID, on: date, asOf: asOf).flatMap { parent in
            parent.children.compactMap { child in
                child.paperExtractReason.map {
                    PaperExtractDue(parentID: parent.parentID, studentID: child.studentID, reason: $0, extractsIssued: child.extractsIssued)
                }
            }
        }
    }
}
