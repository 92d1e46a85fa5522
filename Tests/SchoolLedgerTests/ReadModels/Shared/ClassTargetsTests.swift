import EventLedger
import LedgerTestSupport
@testable import SchoolLedger
import Testing

/// What a class is taught as (itself, the groups and teaching streams formed
/// from it), read through the index's `groups-by-class` and
/// `streams-by-class` rows: those rows only grow, so a voided formation must
/// still leave the class's targets, and a lifted void bring it back.
@Suite("A class's targets from the index")
struct ClassTargetsTests {
    static let day = CivilDate("2026-09-01")!

    static func entry(_ event: SchoolEvent) throws -> NewEvent {
        try EventCoding.newEvent(JournalEntry(event: event, actor: "t", occurredAt: Fixture.occurred))
    }

    static func targets(_ journal: SchoolJournal, of classID: ClassID, asOf: AsOf = .now) throws -> [TeachingTarget] {
        try journal.withIndex(asOf) { index in
            var folds = JournalFacts()
            return try folds.targets(ofClass: classID, index: index)
        }
    }

    @Test(arguments: Backend.allCases)
    func voidedFormationsLeaveAndLiftedOnesComeBack(backend: Backend) async throws {
        let dir = TemporaryDirectory("class-targets")
        let journal = try RandomHistory.journal(in: dir, backend: backend)
        let formed = try await journal.ledger.append([
            try Self.entry(
                .studyGroupFormed(
                    StudyGroupFormed(
                        groupID: "G-A", classIDs: ["7A"], subjectID: "ENG", name: "Группа", studentIDs: ["S-1"], effectiveDate: Self.day))),
            try Self.entry(
                .studyGroupFormed(
                    StudyGroupFormed(
                        groupID: "G-B", classIDs: ["7B"], subjectID: "ENG", name: "Группа", studentIDs: ["S-2"], effectiveDate: Self.day))),
            try Self.entry(
                .streamFormed(
                    StreamFormed(
                        teachingStreamID: "X-1", academicYearID: "2026", subjectID: "MATH", classIDs: ["7A", "7B"], name: "Поток",
                        effectiveDate: Self.day))),
        ])
        let groupA = formed.positions[0]
        #expect(try Self.targets(journal, of: "7A") == [.class("7A"), .group("G-A"), .teachingStream("X-1")])
        #expect(try Self.targets(journal, of: "7B") == [.class("7B"), .group("G-B"), .teachingStream("X-1")])

        // A breach notice voids G-A's formation: the row stays, the target goes.
        let voided = try await journal.ledger.append([try Self.entry(RandomHistory.void([groupA], appended: formed.lastPosition))])
        #expect(try Self.targets(journal, of: "7A") == [.class("7A"), .teachingStream("X-1")])
        #expect(try Self.targets(journal, of: "7A", asOf: .position(formed.lastPosition)).contains(.group("G-A")))

        _ = try await journal.ledger.append([
            try Self.entry(
                .voidsLifted(
                    VoidsLifted(
                        noticeEventID: .generate(), noticePosition: voided.lastPosition, withdrawalPosition: voided.lastPosition + 1,
                        voidsPositions: [voided.lastPosition], liftedPositions: [groupA])))
        ])
        #expect(try Self.targets(journal, of: "7A") == [.class("7A"), .group("G-A"), .teachingStream("X-1")])
        #expect(try Self.targets(journal, of: "7A", asOf: .position(voided.lastPosition)) == [.class("7A"), .teachingStream("X-1")])
    }
}
