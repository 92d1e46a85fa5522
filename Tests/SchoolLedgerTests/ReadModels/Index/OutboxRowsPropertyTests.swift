import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
@testable import SchoolLedger
import Testing

/// The outbox's rows against the outbox folded from the events at each call
/// (``SchoolJournal/outboxFold(limit:asOf:)``, how it was built before its
/// rows): on random histories of students enrolled, transferred and withdrawn, lessons
/// scheduled, moved and cancelled, marks recorded, corrected and cancelled,
/// parents linked and unlinked, consent given, withdrawn and refused,
/// channels switched on and off for either topic, deliveries and failures
/// reported for messages the outbox owed, and voids of earlier operations
/// and their lifting, appended in random batches: the rows give the fold's
/// messages, in its order and at any limit, after every batch; a rebuild
/// equals the live model; and both as of every earlier position equal the
/// fold as of it.
@Suite("Outbox rows properties")
struct OutboxRowsPropertyTests {
    static let operations = zip(Gen.int(in: 0...15), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 5...40)
    static let day0 = CivilDate("2026-09-01")!
    /// What every history begins with, so that marks and lesson changes owe
    /// messages: S-0 in 7A and S-1 in 7B, each with a parent (P-0, P-1)
    /// with consent and SMS on for both topics, and a lesson for each class.
    static let prelude = [
        (0, 0, 0), (0, 1, 0), (9, 0, 0), (9, 1, 1), (11, 0, 6), (11, 1, 10), (12, 0, 6), (12, 0, 7), (2, 0, 0), (2, 1, 1),
    ]

    static func event(kind: Int, k: Int, v: Int, appended: UInt64, journal: SchoolJournal, voided: [UInt64]) -> SchoolEvent {
        let student = StudentID("S-\(k)")
        let parent = ParentID("P-\(v % 3)")
        let lesson = LessonID("L-\(v % 4)")
        let mark = MarkID("M-\(v % 6)")
        switch kind {
        case 0:
            return .studentEnrolled(
                StudentEnrolled(
                    studentID: student, classID: k % 2 == 0 ? "7A" : "7B", enrollmentDate: day0,
                    personalData: SchoolScenario.sealed(student.rawValue)))
        case 1:
            // A withdrawal (naming either class, backdated or not), or a transfer either way.
            if v % 3 == 0 {
                return .studentWithdrawn(
                    StudentWithdrawn(
                        studentID: student, classID: v % 2 == 0 ? "7A" : "7B", effectiveDate: day0.adding(days: v % 20),
                        reason: .transferToOtherSchool))
            }
            return .studentTransferred(
                StudentTransferred(
                    studentID: student, fromClassID: k % 2 == 0 ? "7A" : "7B", toClassID: k % 2 == 0 ? "7B" : "7A",
                    effectiveDate: day0.adding(days: v % 20)))
        case 2:
            return .lessonScheduled(
                LessonScheduled(
                    lessonID: lesson, subjectID: "MATH", target: .class(k % 2 == 0 ? "7A" : "7B"), teacherID: "t",
                    date: day0.adding(days: v % 25), lessonNumber: 1 + k))
        case 3: return .lessonRescheduled(LessonRescheduled(lessonID: lesson, newDate: day0.adding(days: v % 25 + 1), newLessonNumber: 2))
        case 4: return .lessonCancelled(LessonCancelled(lessonID: lesson, reason: "карантин"))
        case 5, 6:
            return .markRecorded(
                MarkRecorded(
                    markID: mark, studentID: student, lessonID: lesson, subjectID: "MATH", value: .numeric(1 + v % 5), weight: 1,
                    workKind: .classwork))
        case 7: return .markCorrected(MarkCorrected(markID: mark, newValue: .numeric(1 + (v + 2) % 5), reason: "исправление"))
        case 8: return .markCancelled(MarkCancelled(markID: mark, reason: "ошибка"))
        case 9:
            return .parentLinked(ParentLinked(parentID: parent, studentID: student, relation: .mother, effectiveDate: day0))
        case 10: return .parentUnlinked(ParentUnlinked(parentID: parent, studentID: student, effectiveDate: day0))
        case 11:
            switch v % 4 {
            case 0: return .consentWithdrawn(ConsentWithdrawn(parentID: parent, studentID: student, submittedVia: .electronic))
            case 1: return .electronicFormRefused(ElectronicFormRefused(parentID: parent, studentID: student, submittedVia: .paperForm))
            default: return .consentGiven(ConsentGiven(parentID: parent, studentID: student, submittedVia: .electronic))
            }
        case 12:
            let enabled = v % 4 != 0
            let topics: [NotificationTopic] = [[.marks], [.scheduleChanges], [.marks, .scheduleChanges]][v / 3 % 3]
            return .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: parent, channel: k % 2 == 0 ? .sms : .email, enabled: enabled,
                    contact: enabled ? SchoolScenario.sealed(parent.rawValue) : nil, submittedVia: .paperForm,
                    topics: enabled ? topics : []))
        case 13:
            // A report on a message the outbox owes (or on one it never owed).
            let owed = (try? journal.outboxFold()) ?? []
            let message =
                owed.isEmpty
                ? OutboxMessage(
                    notificationID: NotificationID("\(max(1, appended))-\(parent)-sms"), parentID: parent, studentID: student,
                    channel: .sms, aboutPosition: max(1, appended), reason: .newMark, failedAttempts: 0)
                : owed[v % owed.count]
            if v % 3 == 0 {
                return .notificationDelivered(
                    NotificationDelivered(
                        notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
                        aboutPosition: message.aboutPosition))
            }
            return .notificationFailed(
                NotificationFailed(
                    notificationID: message.notificationID, parentID: message.parentID, channel: message.channel,
                    aboutPosition: message.aboutPosition, error: "timeout", permanent: v % 3 == 1))
        case 14:
            // The last few records, or any earlier one (a link, a consent, a channel the messages were worked out from).
            let recent = (0..<UInt64(1 + v % 3)).compactMap { d in appended > d ? appended - d : nil }
            return RandomHistory.void(v % 2 == 0 || appended == 0 ? recent : [UInt64(v) % appended + 1], appended: appended)
        default:
            // The lifting of a void the history holds, or of any earlier position.
            guard !voided.isEmpty, v % 4 != 0 else { return RandomHistory.lift(v, appended: appended) }
            let lifted = [voided[v % voided.count]]
            return .voidsLifted(
                VoidsLifted(
                    noticeEventID: .generate(), noticePosition: max(1, appended), withdrawalPosition: max(1, appended) + 1,
                    voidsPositions: lifted, liftedPositions: lifted))
        }
    }

    /// The rows' outbox at each limit the test asks for.
    static func fromRows(_ journal: SchoolJournal, asOf: AsOf) throws -> [[OutboxMessage]] {
        try [1000, 3].map { limit in try journal.withIndex(asOf) { try OutboxRows.owed(limit: limit, rows: $0) } }
    }

    /// The fold's outbox at the same limits.
    static func fromFold(_ journal: SchoolJournal, asOf: AsOf) throws -> [[OutboxMessage]] {
        try [1000, 3].map { try journal.outboxFold(limit: $0, asOf: asOf) }
    }

    @Test func outboxRowsEqualTheFoldAfterEveryBatchAndAsOfEveryEarlierPosition() async throws {
        await propertyCheck(count: Fixture.samples(quick: 30, stress: 60), input: Self.operations, Gen.int(in: 1...6)) { ops, batchSize in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                let journal = try RandomHistory.journal(in: TemporaryDirectory("outbox-rows-property"))
                var voided = [UInt64]()
                let appended = try await RandomHistory.append(
                    Self.prelude + ops, batchSize: batchSize, to: journal,
                    event: { operation, _, appended in
                        let event = Self.event(
                            kind: operation.0, k: operation.1, v: operation.2, appended: appended, journal: journal, voided: voided)
                        if case .operationsVoided(let e) = event { voided += e.voidedPositions }
                        return event
                    },
                    afterBatch: { () throws in #expect(try Self.fromRows(journal, asOf: .now) == Self.fromFold(journal, asOf: .now)) })
                guard appended > 0 else { return }
                #expect(try Self.fromRows(journal, asOf: .now) == Self.fromFold(journal, asOf: .now))
                #expect(try await journal.ledger.check(JournalIndexProjection().name).isEmpty)
                for position in 1...appended {
                    let rows = try journal.withIndex(.position(position)) { try OutboxRows.owed(limit: 1000, rows: $0) }
                    #expect(try rows == journal.outboxFold(asOf: .position(position)))
                }
            }
        }
    }
}
