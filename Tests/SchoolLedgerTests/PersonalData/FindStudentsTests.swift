import EventLedger
import LedgerTestSupport
@testable import SchoolLedger
import Testing

@Suite("Finding a student by name through a session")
struct FindStudentsTests {
    /// The access school with two named students: S-5 in 7A, S-6 in 7B.
    static func school() async throws -> AccessSchool {
        let school = try await AccessSchool()
        let journal = school.journal
        let named: [(StudentID, ClassID, PersonalData)] = [
            ("S-5", "7A", PersonalData(familyName: "Иванова", givenName: "Анна", patronymic: "Сергеевна")),
            ("S-6", "7B", PersonalData(familyName: "Иванов", givenName: "Пётр")),
        ]
        for (student, classID, data) in named {
            try await school.session(.admin).record(
                .studentEnrolled(
                    StudentEnrolled(
                        studentID: student, classID: classID, enrollmentDate: CivilDate("2026-09-14")!,
                        personalData: try journal.seal(data, for: PersonID(student.rawValue)))),
                occurredAt: AccessSchool.today)
        }
        return school
    }

    @Test func theClassTeacherFindsOnlyTheStudentsWhoseDataSheMaySee() async throws {
        let school = try await Self.school()
        let found = try school.session(.classTeacher).findStudents(named: "  ИВАНОВ ")
        #expect(found == [FoundStudent(studentID: "S-5", fullName: "Иванова Анна Сергеевна")])
        #expect(try school.session(.otherTeacher).findStudents(named: "иванов").map(\.studentID) == ["S-6"])
    }

    @Test func theAdminFindsEveryMatchInNameOrderAndTheReadLogNamesThem() async throws {
        let school = try await Self.school()
        let log = try school.journal.readLog()
        let before = try log.count()
        let found = try school.session(.admin).findStudents(named: "иванов")
        #expect(found.map(\.fullName) == ["Иванов Пётр", "Иванова Анна Сергеевна"])
        let entries = try log.entries(from: before + 1)
        #expect(entries.count == 1)
        #expect(entries.first?.view == SchoolRead.Kind.studentSearch.rawValue)
        #expect(Set(entries.first?.subjects ?? []) == [.student("S-5"), .student("S-6")])
        #expect(entries.first?.account == Persona.admin.account)
        // A search that finds nobody shows nobody's data and logs nothing.
        #expect(try school.session(.admin).findStudents(named: "Сидоров").isEmpty)
        #expect(try school.session(.admin).findStudents(named: "   ").isEmpty)
        #expect(try log.count() == before + 1)
    }

    @Test(arguments: [Persona.parent, .student, .compromised, .stranger])
    func accountsWithoutAStaffRoleAreRefused(_ persona: Persona) async throws {
        let school = try await Self.school()
        let error = #expect(throws: AccessDenied.self) { try school.session(persona).findStudents(named: "иванов") }
        #expect(error?.action == .read(.studentSearch))
    }
}
