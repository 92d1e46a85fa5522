import SchoolLedger
import Testing

/// `MarkRecorded` schema version 1 (free-text kind of work) reads as version 2.
@Suite("MarkRecorded: v1 -> v2 upcast")
struct MarkRecordedTests {
    /// A version-1 stored mark: `kind_of_work` set, `work_kind` and its note unset.
    static func version1(kindOfWork: String) -> Schoolledger_V1_MarkRecorded {
        var stored = Schoolledger_V1_MarkRecorded()
        stored.markID = "M-legacy-1"
        stored.studentID = "S-1001"
        stored.lessonID = "L-2025-03-12-6B-2"
        stored.subjectID = "math"
        stored.value.numeric = 4
        stored.weight = 5
        stored.kindOfWork = kindOfWork
        return stored
    }

    @Test func aVersion1TestReadsAsTestWithTheTextAsItsNote() throws {
        let mark = try MarkRecorded(stored: Self.version1(kindOfWork: "контрольная работа"), schemaVersion: 1)
        #expect(mark.workKind == .test)
        #expect(mark.workKindNote == "контрольная работа")
        #expect(mark.value == .numeric(4))
        #expect(mark.weight == 5)
        #expect(validationError(mark) == nil)
    }

    @Test(
        "common Russian and English names map to their kind",
        arguments: [
            ("Контрольная работа по теме «Дроби»", WorkKind.test), ("к/р", .test), ("КОНТРОЛЬНАЯ", .test),
            ("самостоятельная  работа", .independentWork), ("Работа на уроке", .classwork), ("Д/З", .homework),
            ("домашнее задание", .homework), ("Диктант", .dictation), ("Словарный диктант", .dictation),
            ("устный ответ", .oralAnswer), ("Лабораторная работа № 3", .laboratoryWork), ("проект", .project),
            ("homework", .homework), ("Test", .test), ("lab work", .laboratoryWork),
        ])
    func commonNamesMapToTheirKind(text: String, kind: WorkKind) throws {
        let mark = try MarkRecorded(stored: Self.version1(kindOfWork: text), schemaVersion: 1)
        #expect(mark.workKind == kind)
        #expect(mark.workKindNote == text)
    }

    @Test func anUnknownNameReadsAsOtherWithTheTextAsItsNote() throws {
        for text in ["Экскурсия в музей", "кружок", "testing"] {
            let mark = try MarkRecorded(stored: Self.version1(kindOfWork: text), schemaVersion: 1)
            #expect(mark.workKind == .other, "\(text)")
            #expect(mark.workKindNote == text)
        }
    }

    @Test func anUpcastMarkIsWrittenBackAsVersion2() throws {
        let mark = try MarkRecorded(stored: Self.version1(kindOfWork: "контрольная работа"), schemaVersion: 1)
        let stored = mark.stored
        #expect(stored.kindOfWork.isEmpty)
        #expect(stored.workKind == .test)
        #expect(stored.workKindNote == "контрольная работа")
        #expect(try MarkRecorded(stored: stored, schemaVersion: MarkRecorded.schemaVersion) == mark)
    }

    @Test func aVersion1MarkReadsThroughSchoolEvent() throws {
        let event = try SchoolEvent(payload: .markRecorded(Self.version1(kindOfWork: "Самостоятельная работа")), schemaVersion: 1)
        guard case .markRecorded(let mark) = event else {
            Issue.record("read as \(event.eventType)")
            return
        }
        #expect(mark.workKind == .independentWork)
        #expect(event.schemaVersion == 2)
    }

    @Test func version2NeedsAStructuredKindOfWork() {
        var stored = SampleEvents.markRecorded.stored
        stored.workKind = .unspecified
        expectUnreadable(MarkRecorded.self, stored, version: 2, field: "work_kind", problem: .unspecifiedEnumValue)
    }
}
