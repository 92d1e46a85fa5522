import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
import SchoolLedger
import SwiftProtobuf
import Testing

/// Random valid values of the events a journal holds most of survive the
/// stored form (through a real ledger), the protobuf bytes and the JSON mapping.
@Suite("Round trips of random valid events")
struct RandomRoundTripTests {
    static let idCharacters = Gen.character(in: "А"..."я")
    static let id = Gen.oneOf(idCharacters.string(of: 1...32), Gen.character(in: "0"..."9").string(of: 1...64))
    /// Up to 25 Cyrillic letters: 50 bytes, within every text field's limit.
    static let text = Gen.character(in: "а"..."я").string(of: 1...25)
    static let day = Gen.int(in: 0...3000)
    static let small = Gen.int(in: 1...10)

    static func date(_ offset: Int) -> CivilDate {
        let base = CivilDate("2020-01-01")!
        let micros = Instant(iso8601: "\(base)T00:00:00Z")!.adding(microseconds: Int64(offset) * 86_400_000_000)
        return CivilDate(String(micros.iso8601.prefix(10)))!
    }

    static func events(id: String, text: String, day: Int, n: Int) -> [SchoolEvent] {
        let mark: MarkValue = n <= 5 ? .numeric(n) : [.pass, .fail, .exempt][n % 3]
        let targets: [TeachingTarget] = [
            .class(ClassID(id)), .group(StudyGroupID(id)), .teachingStream(TeachingStreamID(id)), .student(StudentID(id)),
        ]
        return [
            .markRecorded(
                MarkRecorded(
                    markID: MarkID(id), studentID: StudentID(id), lessonID: LessonID(id), subjectID: SubjectID(id),
                    value: mark, weight: n, workKind: WorkKind.allCases[n % WorkKind.allCases.count],
                    workKindNote: n % 2 == 0 ? text : nil, comment: n % 3 == 0 ? text : nil)),
            .attendanceMarked(
                AttendanceMarked(
                    studentID: StudentID(id), lessonID: LessonID(id),
                    status: AttendanceStatus.allCases[n % AttendanceStatus.allCases.count],
                    minutesLate: AttendanceStatus.allCases[n % AttendanceStatus.allCases.count] == .late ? n : nil)),
            .lessonScheduled(
                LessonScheduled(
                    lessonID: LessonID(id), subjectID: SubjectID(id), target: targets[n % 4],
                    teacherID: AccountID(id), date: date(day), lessonNumber: n, room: n % 2 == 0 ? nil : String(text.prefix(25)))),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: HolidayID(id), academicYearID: AcademicYearID(id), title: String(text.prefix(50)),
                    dates: DateRange(start: date(day), end: date(day + n)),
                    gradeLevels: Array(1...n))),
            .subjectDefined(
                SubjectDefined(
                    subjectID: SubjectID(id), name: String(text.prefix(50)), shortName: n % 2 == 0 ? String(text.prefix(10)) : nil)),
        ]
    }

    @Test func randomEventsRoundTripThroughBytesJSONAndTheLedger() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true))
        await propertyCheck(count: 150, input: Self.id, Self.text, Self.day, Self.small) { id, text, day, n in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                for event in Self.events(id: id, text: text, day: day, n: n) {
                    try event.validate()
                    var envelope = Schoolledger_V1_Envelope()
                    envelope.payload = event.payload
                    let bytes: [UInt8] = try envelope.serializedBytes()
                    let fromBytes = try Schoolledger_V1_Envelope(serializedBytes: bytes)
                    #expect(try SchoolEvent(payload: #require(fromBytes.payload), schemaVersion: event.schemaVersion) == event)
                    let fromJSON = try Schoolledger_V1_Envelope(jsonString: envelope.jsonString())
                    #expect(try SchoolEvent(payload: #require(fromJSON.payload), schemaVersion: event.schemaVersion) == event)

                    let entry = JournalEntry(event: event, actor: AccountID(id), occurredAt: Fixture.occurred)
                    let position = try await ledger.append(EventCoding.newEvent(entry)).positions[0]
                    let stored = try ledger.read { reader in try EventCoding.entry(from: #require(try reader.record(at: position))) }
                    #expect(stored.entry == entry)
                }
            }
        }
    }
}
