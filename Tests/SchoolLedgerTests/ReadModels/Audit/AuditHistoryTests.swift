import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The auditor's history of a student, an account and a lesson, on the access school (see ``AccessSchool``).
@Suite("Audit history")
struct AuditHistoryTests {
    static func at(_ text: String) -> Instant { Instant(iso8601: text)! }

    @Test func aStudentsHistoryHoldsMarksACorrectionWithBeforeAndAfterAndTheirAttendance() async throws {
        let school = try await AccessSchool()
        let teacher = school.session(.mathTeacher)
        school.clock.set(Self.at("2026-09-21T10:00:00Z"))
        let corrected = try await teacher.record(
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(4), reason: "ошибка ввода")),
            occurredAt: school.clock.now())
        let late = try await teacher.record(
            .attendanceCorrected(
                AttendanceCorrected(
                    studentID: "S-1", lessonID: "L-2", newStatus: .late,
                    newMinutesLate: 10, reason: "пришёл к середине урока")),
            occurredAt: school.clock.now())
        let other = try await teacher.record(
            .attendanceMarked(AttendanceMarked(studentID: "S-2", lessonID: "L-2", status: .absent)),
            occurredAt: school.clock.now())

        let history = try school.journal.trusted.auditHistory(of: .student("S-1"))
        #expect(history.map(\.position) == history.map(\.position).sorted())
        #expect(Set(history.map(\.position)).count == history.count)
        #expect(history.first?.eventType == "StudentEnrolled")
        let recorded = history.filter { $0.eventType == "MarkRecorded" }
        #expect(recorded.map(\.stream) == ["mark/M-OLD", "mark/M-NEW"])
        #expect(recorded.map(\.after) == [.mark(.numeric(4)), .mark(.numeric(5))])
        #expect(recorded.allSatisfy { $0.actor == "t-math" && $0.status == .valid && $0.before == nil })

        let correction = try #require(history.first { $0.position == corrected.positions[0] })
        #expect(correction.eventType == "MarkCorrected")
        #expect(correction.before == .mark(.numeric(5)))
        #expect(correction.after == .mark(.numeric(4)))
        #expect(correction.actor == "t-math")
        #expect(correction.recordedAt == Self.at("2026-09-21T10:00:00Z"))
        #expect(correction.status == .valid && correction.noticePosition == nil)
        #expect(correction.summary.contains("ошибка ввода"))

        let attendance = history.filter { $0.stream == "lesson/L-2" }
        #expect(attendance.map(\.eventType) == ["AttendanceMarked", "AttendanceCorrected"])
        #expect(attendance.last?.position == late.positions[0])
        #expect(attendance.last?.before == .attendance(.present))
        #expect(attendance.last?.after == .attendance(.late))
        // Another student's attendance in the same lesson, and the lesson's homework, are not S-1's history.
        #expect(!history.contains { $0.position == other.positions[0] })
        #expect(!history.contains { $0.eventType == "HomeworkAssigned" || $0.eventType == "LessonScheduled" })
        let final = try #require(history.first { $0.eventType == "FinalMarkSet" })
        #expect(final.after == .mark(.numeric(5)))
        // Another student's history does not hold S-1's marks.
        #expect(!(try school.journal.trusted.auditHistory(of: .student("S-2"))).contains { $0.stream.hasPrefix("mark/") })
    }

    @Test func theThiefsOperationsAreVoidUnderTheNoticeAndOneBeforeTheReceiptIsSuspect() async throws {
        let school = try await AccessSchool()
        let stolen = school.session(.mathTeacher)
        // Her own work in the afternoon, before the breach.
        school.clock.set(Self.at("2026-09-21T15:00:00Z"))
        let own = try await stolen.record(
            .lessonConducted(LessonConducted(lessonID: "L-2", topic: "Дроби")), occurredAt: school.clock.now())
        // 19:10: between her discovering the breach (19:00) and support receiving her call (19:30).
        school.clock.set(Self.at("2026-09-21T19:10:00Z"))
        let early = try await stolen.record(
            .attendanceCorrected(AttendanceCorrected(studentID: "S-1", lessonID: "L-2", newStatus: .absent)),
            occurredAt: school.clock.now())
        // 19:40 and the next day: inside the window.
        school.clock.set(Self.at("2026-09-21T19:40:00Z"))
        let lowered = try await stolen.record(
            .markCorrected(MarkCorrected(markID: "M-NEW", newValue: .numeric(2), reason: "пересмотр")),
            occurredAt: school.clock.now())
        school.clock.set(Self.at("2026-09-22T12:00:00Z"))
        let given = try await stolen.record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-THIEF", studentID: "S-1", lessonID: "L-2", subjectID: "MATH",
                    value: .numeric(2), weight: 5, workKind: .test)), occurredAt: school.clock.now())
        let beforeNotice = try school.head.position
        // Entered within 24 hours of the receipt, so no confirmation is needed.
        school.clock.set(Self.at("2026-09-22T13:00:00Z"))
        let notice = CompromiseReported(
            accountID: "t-math", discoveredAt: Self.at("2026-09-21T19:00:00Z"),
            receivedBySupportAt: Self.at("2026-09-21T19:30:00Z"), reportedBy: "head", reporter: .head,
            compromised: [.password])
        let reported = try await school.session(.head).record(.compromiseReported(notice), occurredAt: school.clock.now())
        let noticePosition = reported.positions[0]

        let history = try school.journal.trusted.auditHistory(of: .student("S-1"))
        let byPosition = Dictionary(uniqueKeysWithValues: history.map { ($0.position, $0) })
        // Shown, not hidden, and marked void with the notice that voided them.
        let lowering = try #require(byPosition[lowered.positions[0]])
        #expect(lowering.status == .void)
        #expect(lowering.noticePosition == noticePosition)
        #expect(lowering.before == .mark(.numeric(5)))
        #expect(lowering.after == .mark(.numeric(2)))
        let thiefMark = try #require(byPosition[given.positions[0]])
        #expect(thiefMark.status == .void && thiefMark.noticePosition == noticePosition)
        // Recorded between discovery and receipt: suspect, not void.
        let suspect = try #require(byPosition[early.positions[0]])
        #expect(suspect.status == .suspect)
        #expect(suspect.noticePosition == noticePosition)
        #expect(suspect.before == .attendance(.present) && suspect.after == .attendance(.absent))
        // Her earlier marks stay valid.
        #expect(history.filter { $0.eventType == "MarkRecorded" && $0.stream != "mark/M-THIEF" }.allSatisfy { $0.status == .valid })

        // The account's history: everything t-math recorded, with the same statuses.
        let account = try school.journal.trusted.auditHistory(of: .account("t-math"))
        #expect(account.allSatisfy { $0.actor == "t-math" })
        #expect(account.contains { $0.eventType == "HomeworkAssigned" })
        #expect(account.first { $0.position == own.positions[0] }?.status == .valid)
        #expect(account.first { $0.position == early.positions[0] }?.status == .suspect)
        #expect(account.first { $0.position == lowered.positions[0] }?.before == .mark(.numeric(5)))
        #expect(account.filter { $0.status == .void }.map(\.position) == [lowered.positions[0], given.positions[0]])
        let head = try school.journal.trusted.auditHistory(of: .account("head"))
        #expect(head.map(\.eventType).contains("CompromiseReported"))
        #expect(head.allSatisfy { $0.status == .valid })

        // As of the position before the notice, the ledger did not know: everything valid, nothing later shown.
        let then = try school.journal.trusted.auditHistory(of: .student("S-1"), asOf: .position(beforeNotice))
        #expect(then.allSatisfy { $0.status == .valid && $0.noticePosition == nil })
        #expect(then.map(\.position).contains(lowered.positions[0]))
        #expect(then.allSatisfy { $0.position <= beforeNotice })
        // After the thief's mark, before the notice.
        let thenByInstant = try school.journal.trusted.auditHistory(of: .account("t-math"), asOf: .instant(Self.at("2026-09-22T12:30:00Z")))
        #expect(thenByInstant.allSatisfy { $0.status == .valid })
        #expect(thenByInstant.last?.position == given.positions[0])
    }

    @Test func aLessonsHistoryHoldsItsStreamItsMarksAndItsHomework() async throws {
        let school = try await AccessSchool()
        let history = try school.journal.trusted.auditHistory(of: .lesson("L-2"))
        let types = history.map(\.eventType)
        #expect(types.first == "LessonScheduled")
        #expect(types.contains("SubstitutionAssigned"))
        #expect(types.contains("AttendanceMarked"))
        #expect(types.contains("HomeworkAssigned"))
        #expect(history.filter { $0.eventType == "MarkRecorded" }.map(\.stream) == ["mark/M-NEW"])
        #expect(history.map(\.position) == history.map(\.position).sorted())
    }

    @Test func anUnknownSubjectIsAnErrorNamingIt() async throws {
        let school = try await AccessSchool()
        let error = try #require(throws: SchoolValidationError.self) { try school.journal.trusted.auditHistory(of: .student("S-404")) }
        #expect(error.field == "student" && error.value == "S-404")
        #expect(throws: SchoolValidationError.self) { try school.journal.trusted.auditHistory(of: .account("nobody")) }
        #expect(throws: SchoolValidationError.self) { try school.journal.trusted.auditHistory(of: .lesson("L-404")) }
        // A known account that never recorded anything has an empty history.
        #expect(try school.journal.trusted.auditHistory(of: .account("acc-x")).isEmpty)
    }

    @Test func entriesRoundTripThroughJSON() async throws {
        let school = try await AccessSchool()
        school.clock.set(Self.at("2026-09-21T10:00:00Z"))
        try await school.session(.mathTeacher).record(
            .attendanceCorrected(AttendanceCorrected(studentID: "S-1", lessonID: "L-2", newStatus: .absentExcused)),
            occurredAt: school.clock.now())
        let history = try school.journal.trusted.auditHistory(of: .student("S-1"))
        let decoded = try JSONDecoder().decode([HistoryEntry].self, from: try JSONEncoder().encode(history))
        #expect(decoded == history)
        #expect(decoded.last?.before == .attendance(.present) && decoded.last?.after == .attendance(.absentExcused))
    }
}
