import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import SwiftProtobuf
import Testing

/// The paths around the rights table that the rights matrix does not walk:
/// actors a caller names itself (unknown, reserved, or chosen by a client),
/// and rights that must end (a revoked role, an ended assignment, a
/// substitute or teacher who is not staff).
@Suite("Forged actors are refused; revoked and ended rights end")
struct ForgedActorsAndEndedRightsTests {
    static let mark = MarkRecorded(
        markID: "M-FORGED", studentID: "S-1", lessonID: "L-2", subjectID: "MATH", value: .numeric(5), weight: 1,
        workKind: .classwork)

    /// Runs `body`, expects it to throw `E`, and the ledger's head to stay put.
    func refused<E: Error>(_ type: E.Type, _ school: AccessSchool, _ body: () async throws -> Void) async throws -> E? {
        let head = try school.head
        let error = await #expect(throws: E.self) { try await body() }
        #expect(try school.head == head, "a refusal changed the ledger")
        return error
    }

    @Test func aTrustedAppendNeedsAnActorTheLedgerKnows() async throws {
        let school = try await AccessSchool()
        let error = try await refused(SchoolValidationError.self, school) {
            try await school.journal.recordTrusted(.markRecorded(Self.mark), by: "nobody-at-all", occurredAt: AccessSchool.today)
        }
        #expect(error?.field == "actor")
        // A known account passes (the trusted path skips rights, not the rules).
        try await school.journal.recordTrusted(.markRecorded(Self.mark), by: "t-math", occurredAt: AccessSchool.today)
    }

    @Test func aParticipantReportingAnotherAccountsBreachIsRefusedForTheRightNotTheFields() async throws {
        let school = try await AccessSchool()
        let report = CompromiseReported(
            accountID: "t-math", discoveredAt: AccessSchool.today, receivedBySupportAt: AccessSchool.today,
            reportedBy: Persona.parent.account, reporter: .participant)
        let error = try await refused(AccessDenied.self, school) {
            try await school.session(.parent).record(.compromiseReported(report), occurredAt: AccessSchool.today)
        }
        #expect(error?.account == Persona.parent.account)
        #expect(error?.missingRight.contains("t-math") == true)
        // The same event is still inconsistent on the trusted path, which has no rights to check.
        let invalid = try await refused(SchoolValidationError.self, school) {
            try await school.journal.recordTrusted(.compromiseReported(report), by: Persona.parent.account, occurredAt: AccessSchool.today)
        }
        #expect(invalid?.field == "reported_by")
        // A refusal for a field still comes first for an account that holds the right.
        var bad = Self.mark
        bad.weight = 11
        let field = try await refused(SchoolValidationError.self, school) {
            try await school.session(.mathTeacher).record(.markRecorded(bad), occurredAt: AccessSchool.today)
        }
        #expect(field?.field == "weight")
    }

    @Test func theLibrarysOwnNamesAreNobodysToUse() async throws {
        let school = try await AccessSchool()
        for actor: AccountID in ["system:invalidator", "system:anything"] {
            let trusted = try await refused(SchoolValidationError.self, school) {
                try await school.journal.recordTrusted(.markRecorded(Self.mark), by: actor, occurredAt: AccessSchool.today)
            }
            #expect(trusted?.field == "actor")
            let checked = try await refused(SchoolValidationError.self, school) {
                try await school.journal.session(for: actor).record(.markRecorded(Self.mark), occurredAt: AccessSchool.today)
            }
            #expect(checked?.field == "actor")
        }
        // No credentials and no role for such a name, even from support and admin.
        let credentials = try await refused(SchoolValidationError.self, school) {
            _ = try await school.session(.support).issueCredentials(
                account: "system:invalidator", person: "P-1", holder: .parent,
                channel: .paper, occurredAt: AccessSchool.today)
        }
        #expect(credentials?.field == "account_id")
        let role = try await refused(SchoolValidationError.self, school) {
            try await school.session(.admin).record(
                .staffRoleGranted(
                    StaffRoleGranted(
                        accountID: "system:invalidator", role: .head,
                        effectiveDate: AccessSchool.september)),
                occurredAt: AccessSchool.today)
        }
        #expect(role?.field == "account_id")
        // Nor through the ledger underneath, nor by an import.
        let event = try EventCoding.newEvent(
            JournalEntry(event: .markRecorded(Self.mark), actor: "system:invalidator", occurredAt: AccessSchool.today))
        let raw = try await refused(LedgerError.self, school) { _ = try await school.journal.ledger.append([event]) }
        #expect(raw?.field == "actor")
        // An import whose line names a system: actor for an ordinary event is refused at that line.
        let file = school.dir.sub("forged.jsonl")
        #expect(FileManager.default.createFile(atPath: file, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        _ = try school.journal.trusted.export(to: handle)
        try handle.close()
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let forged = try #require(lines.firstIndex { $0.contains("M-OLD") })
        var edited = lines
        edited[forged] = edited[forged].replacingOccurrences(of: "\"actor\":\"t-math\"", with: "\"actor\":\"system:teacher\"")
        #expect(edited[forged] != lines[forged])
        try (edited.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let other = TemporaryDirectory("forged-import")
        let target = try SchoolJournal.open(at: other.path)
        let imported = await #expect(throws: InterchangeError.self) { try await JournalImport.importFile(at: file, into: target.ledger) }
        #expect(imported?.field == "actor")
        #expect(imported?.line == forged + 1)
        #expect(try target.ledger.head().position == 0)
    }

    @Test func aClientNeverChoosesWhoItIs() async throws {
        let school = try await AccessSchool()
        // A parent's client sends a mark "by t-math": the session's account is the actor, and the claim is refused.
        let entry = JournalEntry(event: .markRecorded(Self.mark), actor: "t-math", occurredAt: AccessSchool.today)
        var envelope = Schoolledger_V1_Envelope()
        envelope.eventID = entry.id.description
        envelope.actor = entry.actor.rawValue
        envelope.occurredAt = Google_Protobuf_Timestamp(seconds: entry.occurredAt.microsecondsSinceEpoch / 1_000_000)
        envelope.payload = entry.event.payload
        let json = try envelope.jsonString()
        let claimed = try await refused(InterchangeError.self, school) { try await school.session(.parent).record(commandJSON: json) }
        #expect(claimed?.field == "actor")
        // Without an actor field, the command is the parent's own, and the rights refuse it.
        envelope.actor = ""
        let own = try envelope.jsonString()
        let denied = try await refused(AccessDenied.self, school) { try await school.session(.parent).record(commandJSON: own) }
        #expect(denied?.account == Persona.parent.account)
        // The teacher's own session records the same command.
        try await school.session(.mathTeacher).record(commandJSON: own)
    }

    @Test func aRevokedTeacherNeitherRecordsNorReads() async throws {
        let school = try await AccessSchool()
        try await school.session(.mathTeacher).record(.markRecorded(Self.mark), occurredAt: AccessSchool.today)
        _ = try school.session(.mathTeacher).journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1")
        try await school.session(.admin).record(
            .staffRoleRevoked(
                StaffRoleRevoked(
                    accountID: "t-math", role: .teacher,
                    effectiveDate: AccessSchool.date("2026-09-19"))),
            occurredAt: AccessSchool.today)
        var again = Self.mark
        again.markID = "M-AFTER-REVOCATION"
        _ = try await refused(AccessDenied.self, school) {
            try await school.session(.mathTeacher).record(.markRecorded(again), occurredAt: AccessSchool.today)
        }
        for read: (AccountSession) throws -> Void in [
            { _ = try $0.journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1") },
            { _ = try $0.classList("7A", on: AccessSchool.date("2026-09-20")) },
        ] {
            #expect(throws: AccessDenied.self) { try read(school.session(.mathTeacher)) }
        }
        // The class teacher whose role is revoked loses the class too.
        try await school.session(.admin).record(
            .staffRoleRevoked(
                StaffRoleRevoked(
                    accountID: "t-class", role: .teacher,
                    effectiveDate: AccessSchool.date("2026-09-19"))),
            occurredAt: AccessSchool.today)
        #expect(throws: AccessDenied.self) {
            _ = try school.session(.classTeacher).diary(of: "S-1", from: AccessSchool.september, to: AccessSchool.september)
        }
    }

    @Test func anAssignmentEndsByALaterAssignmentWithAnEndDate() async throws {
        let school = try await AccessSchool()
        // A maths lesson of 7A that another teacher gives: t-math works in it only as the assigned maths teacher.
        try await school.session(.deputy).record(
            .lessonScheduled(
                LessonScheduled(
                    lessonID: "L-5", subjectID: "MATH", target: .class("7A"),
                    teacherID: "t-other", date: AccessSchool.date("2026-09-17"),
                    lessonNumber: 4)),
            occurredAt: AccessSchool.today)
        var first = Self.mark
        first.markID = "M-ASSIGNED"
        first.lessonID = "L-5"
        try await school.session(.mathTeacher).record(.markRecorded(first), occurredAt: AccessSchool.today)
        // The last word: the same assignment, ended on Sep 10.
        try await school.session(.admin).record(
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "t-math", subjectID: "MATH", target: .class("7A"),
                    effectiveDate: AccessSchool.september,
                    endDate: AccessSchool.date("2026-09-10"))),
            occurredAt: AccessSchool.today)
        var late = first
        late.markID = "M-AFTER-THE-END"
        _ = try await refused(AccessDenied.self, school) {
            try await school.session(.mathTeacher).record(.markRecorded(late), occurredAt: AccessSchool.today)
        }
        #expect(throws: AccessDenied.self) { _ = try school.session(.mathTeacher).classList("7A", on: AccessSchool.date("2026-09-20")) }
        #expect(throws: AccessDenied.self) {
            _ = try school.session(.mathTeacher).journalPage(subject: "MATH", target: .class("7A"), period: "2026-Q1")
        }
    }

    @Test func aSubstituteOrLessonTeacherWhoIsNotStaffIsRefused() async throws {
        let school = try await AccessSchool()
        // A deputy's slip: a student's account as the substitute of a lesson.
        let substitute = try await refused(SchoolValidationError.self, school) {
            try await school.session(.deputy).record(
                .substitutionAssigned(
                    SubstitutionAssigned(
                        lessonID: "L-3", substituteTeacherID: "acc-s1",
                        replacedTeacherID: "t-class")),
                occurredAt: AccessSchool.today)
        }
        #expect(substitute?.field == "substitute_teacher_id")
        let parentTeacher = try await refused(SchoolValidationError.self, school) {
            try await school.session(.deputy).record(
                .lessonScheduled(
                    LessonScheduled(
                        lessonID: "L-9", subjectID: "MATH", target: .class("7A"),
                        teacherID: "acc-p1", date: AccessSchool.date("2026-09-21"),
                        lessonNumber: 3)),
                occurredAt: AccessSchool.today)
        }
        #expect(parentTeacher?.field == "teacher_id")
        let classTeacher = try await refused(SchoolValidationError.self, school) {
            try await school.session(.admin).record(
                .classTeacherAssigned(
                    ClassTeacherAssigned(
                        classID: "7B", teacherID: "support",
                        effectiveDate: AccessSchool.date("2026-09-21"))),
                occurredAt: AccessSchool.today)
        }
        #expect(classTeacher?.field == "teacher_id")
    }
}
