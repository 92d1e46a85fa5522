import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
import SchoolLedger
import Testing

/// On random school histories (lessons scheduled and moved, students enrolled
/// and transferred, marks recorded, corrected and cancelled, and voids of
/// earlier operations and their lifting), appended in random batches: the
/// read model kept up incrementally equals a full rebuild, and every query as
/// of position P equals the same query on a ledger holding only the first P
/// records.
@Suite("Read-model properties")
struct ReadModelPropertyTests {
    static let operations = zip(Gen.int(in: 0...9), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 5...40)
    static let day0 = CivilDate("2026-09-01")!

    static func date(_ offset: Int) -> CivilDate {
        let i = Instant(iso8601: "2026-09-01T00:00:00Z")!.adding(microseconds: Int64(offset % 60) * 86_400_000_000)
        return CivilDate(String(i.iso8601.prefix(10)))!
    }

    /// One random operation as a school event (not checked against references:
    /// the read model must cope with whatever the log holds).
    static func event(kind: Int, k: Int, v: Int, appended: UInt64, n: Int) -> SchoolEvent {
        let student = StudentID("S-\(k)")
        let lesson = LessonID("L-\(v % 6)")
        let mark = MarkID("M-\(v % 8)")
        switch kind {
        case 0:
            return .studentEnrolled(
                StudentEnrolled(
                    studentID: student, classID: "7A", enrollmentDate: day0,
                    personalData: SchoolScenario.sealed(student.rawValue)))
        case 1:
            return .studentTransferred(StudentTransferred(studentID: student, fromClassID: "7A", toClassID: "7B", effectiveDate: date(v)))
        case 2:
            return .lessonScheduled(
                LessonScheduled(
                    lessonID: lesson, subjectID: "MATH", target: .class(k % 2 == 0 ? "7A" : "7B"),
                    teacherID: "t", date: date(v), lessonNumber: 1 + k))
        case 3: return .lessonRescheduled(LessonRescheduled(lessonID: lesson, newDate: date(v + 3), newLessonNumber: 2 + k))
        case 4, 5:
            return .markRecorded(
                MarkRecorded(
                    markID: mark, studentID: student, lessonID: lesson, subjectID: "MATH",
                    value: .numeric(1 + v % 5), weight: 1 + k, workKind: .classwork))
        case 6: return .markCorrected(MarkCorrected(markID: mark, newValue: .numeric(1 + (v + 2) % 5), reason: "исправление"))
        case 7: return .markCancelled(MarkCancelled(markID: mark, reason: "ошибка"))
        case 8:
            let voided = appended > 0 ? [UInt64(v) % appended + 1] : []
            return .operationsVoided(
                OperationsVoided(
                    noticeEventID: .generate(), noticePosition: max(1, appended), accountID: "t",
                    voidedPositions: voided,
                    window: CompromiseWindow(opensAt: Instant(iso8601: "2026-09-01T00:00:00Z")!)))
        default:
            let lifted = appended > 0 ? [UInt64(v) % appended + 1] : []
            return .voidsLifted(
                VoidsLifted(
                    noticeEventID: .generate(), noticePosition: max(1, appended), withdrawalPosition: max(1, appended),
                    voidsPositions: lifted, liftedPositions: lifted))
        }
    }

    /// Every query over the small school, as comparable values.
    static func answers(_ journal: SchoolJournal, asOf: AsOf) throws -> [String] {
        let from = day0, to = date(59)
        var out = [String]()
        for k in 0...3 {
            out.append("\(try journal.trusted.marks(of: StudentID("S-\(k)"), from: from, to: to, asOf: asOf).subjects)")
        }
        for target in [TeachingTarget.class("7A"), .class("7B")] {
            var page = try journal.trusted.journalPage(subject: "MATH", target: target, from: from, to: to, asOf: asOf)
            page.asOfPosition = 0
            out.append("\(page)")
        }
        out.append("\(try journal.trusted.classList("7A", on: date(30), asOf: asOf))")
        for k in 0...3 {
            var diary = try journal.trusted.diary(of: StudentID("S-\(k)"), from: from, to: to, asOf: asOf)
            diary.asOfPosition = 0
            out.append("\(diary)")
        }
        var timetable = try journal.trusted.timetable(of: "7A", from: from, to: to, asOf: asOf)
        timetable.asOfPosition = 0
        out.append("\(timetable)")
        out.append("\(try journal.trusted.outbox(asOf: asOf))")
        return out
    }

    @Test func incrementalEqualsRebuildAndAsOfEqualsTheCutLog() async throws {
        await propertyCheck(count: 40, input: Self.operations, Gen.int(in: 1...5), Gen.int(in: 0...1000)) { ops, batchSize, cut in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                let journal = try RandomHistory.journal(in: TemporaryDirectory("read-model-property"))
                let ledger = journal.ledger
                let appended = try await RandomHistory.append(
                    ops, batchSize: batchSize, to: journal, event: { Self.event(kind: $0.0, k: $0.1, v: $0.2, appended: $2, n: $1) })
                guard appended > 0 else { return }

                #expect(try await ledger.check(JournalIndexProjection().name).isEmpty)

                let position = UInt64(cut) % appended + 1
                let cutDir = TemporaryDirectory("read-model-cut")
                let cutJournal = try RandomHistory.journal(in: cutDir)
                let prefix = try ledger.events(through: position).map {
                    ImportedEvent(
                        event: NewEvent(
                            id: $0.id, stream: $0.stream, type: $0.type, schemaVersion: $0.schemaVersion, actor: $0.actor,
                            occurredAt: $0.occurredAt, payload: $0.payload), recordedAt: $0.recordedAt)
                }
                _ = try await cutJournal.ledger.importEvents {
                    var i = prefix.makeIterator(); return { i.next() }
                }
                try await cutJournal.ledger.catchUpProjections()
                #expect(try Self.answers(journal, asOf: .position(position)) == Self.answers(cutJournal, asOf: .now))
            }
        }
    }
}
