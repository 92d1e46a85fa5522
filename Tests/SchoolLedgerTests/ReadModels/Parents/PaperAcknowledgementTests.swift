import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 3 on paper: a parent without the electronic diary acknowledges by
/// signing an issued extract; the class teacher registers it and the parent
/// leaves the control list.
@Suite("Paper acknowledgements (clause 3)")
struct PaperAcknowledgementTests {
    static let september = DateRange(start: CivilDate("2026-09-01")!, end: CivilDate("2026-09-30")!)

    @Test func aPaperParentWhoSignsAnIssuedExtractLeavesTheControlListAndOnlyTheClassTeacherRecordsIt() async throws {
        let school = try await AccessSchool()
        // A mark of S-2, whose father P-2 gave no consent: he gets paper.
        try await school.journal.recordTrusted(
            .markRecorded(
                MarkRecorded(
                    markID: "M-S2", studentID: "S-2", lessonID: "L-1", subjectID: "MATH", value: .numeric(3), weight: 2,
                    workKind: .classwork)), by: "t-math", occurredAt: AccessSchool.today)
        let later = AccessSchool.today.adding(microseconds: 10 * 86_400_000_000)
        let teacher = school.session(.classTeacher)
        func controlList() throws -> [UnacknowledgedMarks] {
            try teacher.unacknowledgedMarks(ofClass: "7A", olderThan: 3, now: later).filter { $0.parentID == "P-2" }
        }
        #expect(try controlList().map(\.studentID) == ["S-2"])
        let extractID = PaperExtract.extractID(student: "S-2", parent: "P-2", covers: .dates(Self.september))
        try await teacher.record(
            .paperExtractIssued(
                PaperExtractIssued(
                    extractID: extractID, studentID: "S-2", parentID: "P-2", covers: .dates(Self.september), reason: .noConsent)),
            occurredAt: AccessSchool.today)
        let signed = DiaryAcknowledged(
            parentID: "P-2", studentID: "S-2", upToDate: Self.september.end, paperExtractID: extractID)

        // Nobody but the class teacher records it, and only for an extract handed to that parent, within its dates.
        for persona in [Persona.parentNoConsent, .mathTeacher, .parent] {
            let head = try school.head
            await #expect(throws: AccessDenied.self, "\(persona)") {
                try await school.session(persona).record(.diaryAcknowledged(signed), occurredAt: AccessSchool.today)
            }
            #expect(try school.head == head)
        }
        var unknown = signed
        unknown.paperExtractID = "S-2/P-2/nothing"
        var tooLate = signed
        tooLate.upToDate = CivilDate("2026-10-05")!
        var otherParent = signed
        otherParent.parentID = "P-1"
        var byPosition = signed
        byPosition.upToPosition = 3
        for (event, field) in [
            (unknown, "paper_extract_id"), (tooLate, "up_to_date"), (otherParent, "paper_extract_id"), (byPosition, "up_to_position"),
        ] {
            let head = try school.head
            let error = await #expect(throws: SchoolValidationError.self) {
                try await teacher.record(.diaryAcknowledged(event), occurredAt: AccessSchool.today)
            }
            #expect(error?.field == field, "\(String(describing: error))")
            #expect(try school.head == head)
        }
        #expect(try controlList().count == 1)

        try await teacher.record(.diaryAcknowledged(signed), occurredAt: AccessSchool.today)
        #expect(try controlList().isEmpty)
        let status = try teacher.parents(ofClass: "7A", on: CivilDate("2026-09-20")!).first { $0.parentID == "P-2" }
        #expect(status?.children.first { $0.studentID == "S-2" }?.acknowledgedUpToDate == Self.september.end)
    }
}
