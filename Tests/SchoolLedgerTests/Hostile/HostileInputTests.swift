import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Input an attacker or a broken client might send, through the public API
/// and the importer: each gets a typed error and leaves the ledger as it was.
@Suite("Hostile input")
struct HostileInputTests {
    let at = AccessSchool.today

    static func mark(_ id: String, student: String = "S-1", lesson: String = "L-2") -> SchoolEvent {
        .markRecorded(
            MarkRecorded(
                markID: MarkID(id), studentID: StudentID(student), lessonID: LessonID(lesson), subjectID: "MATH",
                value: .numeric(4), weight: 1, workKind: .classwork))
    }

    @Test func forgedAndUnknownActorsAreRefused() async throws {
        let school = try await AccessSchool()
        let head = try school.head
        // Accounts nobody made, the invalidator's own name, an id over the limit.
        for actor in ["nobody", "system:invalidator", String(repeating: "x", count: 65)] as [String] {
            await #expect(throws: (any Error).self, "\(actor)") {
                try await school.journal.record(Self.mark("M-\(actor.count)"), by: AccountID(actor), occurredAt: at)
            }
        }
        // The invalidator's events cannot be sent, not even past the rights check.
        let voids = SchoolEvent.operationsVoided(
            OperationsVoided(
                noticeEventID: school.noticeID, noticePosition: school.noticePosition,
                accountID: "t-math", voidedPositions: [1],
                window: CompromiseWindow(opensAt: at)))
        await #expect(throws: AccessDenied.self) { try await school.journal.record(voids, by: "admin", occurredAt: at) }
        await #expect(throws: SchoolValidationError.self) { try await school.journal.recordTrusted(voids, by: "admin", occurredAt: at) }
        #expect(try school.head == head)
        Fixture.reportStress("hostile inputs", 3 + 2)
    }

    @Test func textsIdsAndTimesBeyondTheirLimitsAreRefused() async throws {
        let school = try await AccessSchool()
        let teacher = school.session(.mathTeacher)
        let head = try school.head
        let hostile: [SchoolEvent] = [
            Self.mark(String(repeating: "М", count: 33)),  // 66 bytes of UTF-8
            Self.mark("M-\u{0007}bell"),
            Self.mark("M-\u{202E}rtl\n"),
            .lessonConducted(LessonConducted(lessonID: "L-2", topic: String(repeating: "я", count: 10_000))),
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-X", lessonID: "L-2", text: "", dueDate: CivilDate("2026-09-22")!)),
        ]
        for event in hostile {
            await #expect(throws: SchoolValidationError.self) { try await teacher.record(event, occurredAt: at) }
        }
        // Instants before 1970 and after 9999 do not exist for the ledger.
        for instant in [
            Instant(microsecondsSinceEpoch: -1), Instant(microsecondsSinceEpoch: Instant.latestValid.microsecondsSinceEpoch + 1),
        ] {
            await #expect(throws: (any Error).self) {
                try await teacher.record(Self.mark("M-T\(instant.microsecondsSinceEpoch % 7)"), occurredAt: instant)
            }
        }
        // A receipt in the future cannot open a window.
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.head).record(
                .compromiseReported(
                    CompromiseReported(
                        accountID: "t-math", receivedByHeadAt: at.adding(microseconds: 86_400_000_000), reportedBy: "head", reporter: .head)
                ),
                occurredAt: at)
        }
        #expect(try school.head == head)
        Fixture.reportStress("hostile inputs", hostile.count + 2 + 1)
    }

    @Test func duplicateAndConflictingIdsAreRefusedOrAnsweredWithTheOriginal() async throws {
        let school = try await AccessSchool()
        let teacher = school.session(.mathTeacher)
        let id = EventID.generate()
        let first = try await teacher.record(Self.mark("M-DUP"), occurredAt: at, id: id)
        let again = try await teacher.record(Self.mark("M-DUP"), occurredAt: at, id: id)
        #expect(again.wasDuplicate && again.positions == first.positions)
        let head = try school.head
        await #expect(throws: LedgerError.self) { try await teacher.record(Self.mark("M-OTHER"), occurredAt: at, id: id) }
        // A retry mixed with new events: refused (the mark is taken), nothing appended.
        await #expect(throws: SchoolValidationError.self) {
            try await school.journal.record([
                JournalEntry(id: EventID.generate(), event: Self.mark("M-A"), actor: "t-math", occurredAt: at),
                JournalEntry(id: id, event: Self.mark("M-DUP"), actor: "t-math", occurredAt: at),
            ])
        }
        #expect(try school.head == head)
        Fixture.reportStress("hostile inputs", 3)
    }

    @Test func aBrokenImportFileAppendsNothing() async throws {
        let school = try await AccessSchool()
        let head = try school.head
        let dir = TemporaryDirectory("hostile-import")
        // A good line, then one with bytes that are not UTF-8; then a file of JSON that is not an envelope.
        let export = dir.sub("good.jsonl")
        #expect(FileManager.default.createFile(atPath: export, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: export))
        _ = try school.journal.trusted.export(from: 1, through: 1, to: handle)
        try handle.close()
        let good = try Data(contentsOf: URL(fileURLWithPath: export))
        for (name, bytes) in [
            ("utf8.jsonl", good + Data([0xFF, 0xFE, 0x7B, 0x0A])), ("json.jsonl", Data("{\"hello\": 1}\n".utf8)),
            ("binary.jsonl", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) })),
        ] as [(String, Data)] {
            #expect(FileManager.default.createFile(atPath: dir.sub(name), contents: bytes))
            let target = try EventLedger.open(at: dir.sub("target-\(name)"))
            await #expect(throws: InterchangeError.self, "\(name)") { try await JournalImport.importFile(at: dir.sub(name), into: target) }
            #expect(try target.head().position == 0, "\(name) appended something")
            Fixture.reportStress("hostile inputs", 1)
        }
        #expect(try school.head == head)
    }
}
