public import EventLedger

extension AccountSession {
    /// A person's personal data opened from the vault (see
    /// `SchoolJournal.personalData(of:asOf:)`): for the person themself,
    /// their class teacher (a parent's: a child's class teacher) and the
    /// roles admin, head, deputy head.
    public func personalData(of person: PersonID, asOf: AsOf = .now) throws -> PersonalDataReading {
        try read(.personalData(person), detail: "\(person)", subjects: { _ in try journal.dataSubjects(person) }) {
            try journal.personalData(of: person, asOf: asOf)
        }
    }

    /// The students whose full name contains `text`, ignoring case and
    /// spacing (`иванова` finds `Иванова Анна Сергеевна`), in name order:
    /// how a teacher or the school's office finds a student's id.
    ///
    /// Open to staff (an account with a staff role). Only students whose personal data this
    /// account may see (``personalData(of:asOf:)``) are compared and shown;
    /// the read log names each student found.
    ///
    /// - Throws: ``AccessDenied`` for an account without a staff role, or
    ///   whose credentials are under a breach notice.
    public func findStudents(named text: String) throws -> [FoundStudent] {
        let wanted = text.normalizedName
        return try read(.studentSearch, detail: "named \(text)", subjects: { $0.map { .student($0.studentID) } }) {
            guard !wanted.isEmpty else { return [] }
            var students = [StudentID]()
            for case .student(let student) in try journal.allDataSubjects() { students.append(student) }
            if checksRights {
                let allowed = try journal.permitted(students.map { .personalData(PersonID($0.rawValue)) }, by: account)
                students = zip(students, allowed).filter(\.1).map(\.0)
            }
            var found = [FoundStudent]()
            for student in students {
                guard let name = try journal.personalData(of: PersonID(student.rawValue)).data?.fullName,
                    name.normalizedName.contains(wanted)
                else { continue }
                found.append(FoundStudent(studentID: student, fullName: name))
            }
            return found.sorted { ($0.fullName, $0.studentID.rawValue) < ($1.fullName, $1.studentID.rawValue) }
        }
    }

    /// How to show a person (their full name, the erased marker, or the id),
    /// under the same right as ``personalData(of:asOf:)``.
    public func displayName(of person: PersonID) throws -> String {
        switch try personalData(of: person) {
        case .known(let data): data.fullName ?? person.rawValue
        case .erased: SchoolJournal.erasedName
        case .unavailable: person.rawValue
        }
    }
}

/// A student found by name (``AccountSession/findStudents(named:)``).
public struct FoundStudent: Sendable, Hashable, Codable {
    /// The student's id, for the journal's other views.
    public var studentID: StudentID
    /// The full name from the personal-data vault.
    public var fullName: String
}

extension AccountSession {
    /// Erases a person's personal data (152-FZ: consent withdrawn and the
    /// retention period over): records ``PersonalDataErased`` (admin's right),
    /// then destroys the person's key in the vault. Events stay and the chain
    /// still verifies; every view shows the person as erased; marks and
    /// attendance stay as the school's record.
    @discardableResult
    public func erasePersonalData(of subject: PersonID, occurredAt: Instant) async throws -> AppendResult {
        let result = try await record(.personalDataErased(PersonalDataErased(subjectID: subject)), occurredAt: occurredAt)
        try journal.vault?.erase(subject)
        return result
    }
}
