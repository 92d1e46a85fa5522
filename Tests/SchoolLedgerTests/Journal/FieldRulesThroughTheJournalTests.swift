import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

/// Each kind of bad input of the domain's "Bad input" list, sent through the
/// journal: the refusal is the event's own field error and the ledger's head
/// does not move. (`SchoolValidationRuleTests` pins every rule on the values.)
@Suite("Bad input through the journal leaves the ledger unchanged")
struct FieldRulesThroughTheJournalTests {
    static var cases: [(String, SchoolEvent)] {
        let s = SampleEvents.self
        var markSeven = s.markRecorded
        markSeven.value = .numeric(7)
        var weightEleven = s.markRecorded
        weightEleven.weight = 11
        var longID = s.markRecorded
        longID.studentID = StudentID(String(repeating: "ж", count: 33))
        var controlCharacter = s.lessonScheduled
        controlCharacter.lessonID = "L\u{7}1"
        var lessonThirteen = s.lessonScheduled
        lessonThirteen.lessonNumber = 13
        var backwards = s.holidayPeriodDeclared
        backwards.dates = DateRange(start: CivilDate("2026-11-03")!, end: CivilDate("2026-10-26")!)
        var longText = s.homeworkAssigned
        longText.text = String(repeating: "д", count: 8001)
        var noReceipt = s.compromiseReported
        noReceipt.receivedByHeadAt = nil
        noReceipt.receivedBySupportAt = nil
        var farFuture = s.compromiseReported
        farFuture.receivedByHeadAt = Instant.latestValid.adding(microseconds: 1)
        return [
            ("value", .markRecorded(markSeven)), ("weight", .markRecorded(weightEleven)), ("student_id", .markRecorded(longID)),
            ("lesson_id", .lessonScheduled(controlCharacter)), ("lesson_number", .lessonScheduled(lessonThirteen)),
            ("dates", .holidayPeriodDeclared(backwards)), ("text", .homeworkAssigned(longText)),
            ("received_by_head_at", .compromiseReported(noReceipt)), ("received_by_head_at", .compromiseReported(farFuture)),
        ]
    }

    @Test(arguments: cases)
    func refusedWithTheFieldAndNothingAppended(field: String, event: SchoolEvent) async throws {
        let dir = TemporaryDirectory()
        let journal = try SchoolJournal.open(at: dir.path)
        let head = try journal.ledger.head()
        let error = await #expect(throws: SchoolValidationError.self) {
            try await journal.recordTrusted(event, by: "teacher-ivanova", occurredAt: Fixture.occurred)
        }
        #expect(error?.field.hasPrefix(field) == true, "\(error?.message ?? "no error")")
        #expect(error?.eventType == event.eventType)
        #expect(try journal.ledger.head() == head)
    }
}

@Suite("Schema version 2 of MarkRecorded on a ledger written with version 1")
struct MarkRecordedUpcastOnLedgerTests {
    @Test func aVersion1RecordReadsAsVersion2() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        // What a version-1 writer stored: free-text kind of work, schema version 1.
        var v1 = Schoolledger_V1_MarkRecorded()
        v1.markID = "M-1"
        v1.studentID = "S-1"
        v1.lessonID = "L-1"
        v1.subjectID = "MATH"
        v1.value.numeric = 4
        v1.weight = 5
        v1.kindOfWork = "Контрольная работа"
        var envelope = Schoolledger_V1_Envelope()
        envelope.payload = .markRecorded(v1)
        _ = try await ledger.append(
            NewEvent(
                stream: "mark/M-1", type: "MarkRecorded", schemaVersion: 1, actor: "teacher-ivanova",
                occurredAt: Fixture.occurred, payload: try envelope.serializedBytes()))
        let read = try #require(try SchoolJournal(ledger: ledger).entries().first)
        guard case .markRecorded(let mark) = read.entry.event else {
            Issue.record("expected a MarkRecorded, got \(read.entry.event.eventType)")
            return
        }
        #expect(mark.workKind == .test)
        #expect(mark.workKindNote == "Контрольная работа")
        #expect(mark.value == .numeric(4))
        #expect(read.entry.event.schemaVersion == 2)
    }
}
