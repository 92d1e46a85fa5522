import Foundation
import SchoolLedger
import Testing

@Suite("Identifier: typed opaque ids")
struct IdentifierTests {
    @Test func isWrittenAsAStringLiteralAndPrintsItsText() {
        let student: StudentID = "S-1001"
        #expect(student.rawValue == "S-1001")
        #expect(student.description == "S-1001")
        #expect(StudentID("S-1001") == student)
    }

    @Test func convertsToAnotherKindWithTheSameText() {
        let student: StudentID = "S-1001"
        let person = PersonID(student)
        #expect(person.rawValue == student.rawValue)
    }

    @Test func ordersByUTF8Bytes() {
        let ids: [ClassID] = ["7Б", "10A", "7A", "7B"]
        #expect(ids.sorted().map(\.rawValue) == ["10A", "7A", "7B", "7Б"])
    }

    @Test func isCodableAsAPlainString() throws {
        let ids: [LessonID] = ["L-1", "урок-2"]
        let json = try JSONEncoder().encode(ids)
        #expect(String(decoding: json, as: UTF8.self) == #"["L-1","урок-2"]"#)
        #expect(try JSONDecoder().decode([LessonID].self, from: json) == ids)
    }
}
