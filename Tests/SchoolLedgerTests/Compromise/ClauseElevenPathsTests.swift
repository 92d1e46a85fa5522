import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Clause 11 on every path into the ledger: `journal.ledger`, a plain
/// `EventLedger` (another process or an older version), an import with and
/// without the derived events.
@Suite("Clause 11 on every path into the ledger")
struct ClauseElevenPathsTests {
    static func notice(_ account: AccountID, received: Instant) -> SchoolEvent {
        .compromiseReported(
            CompromiseReported(
                accountID: account, discoveredAt: received.adding(microseconds: -600_000_000),
                receivedByHeadAt: received, reportedBy: "head", reporter: .head))
    }

    /// A school with two marks by the teacher, then a notice about her whose window holds the second.
    static func school() async throws -> (SchoolScenario, honest: UInt64, stolen: UInt64) {
        let school = try await SchoolScenario(manualClock: true, relaxed: true)
        school.clock.set(SchoolScenario.at("2026-10-20"))
        let honest = try await school.record(SchoolScenario.mark("S-1", "L-1")).positions[0]
        school.clock.advance(seconds: 3600)
        let stolen = try await school.record(SchoolScenario.mark("S-2", "L-1")).positions[0]
        school.clock.advance(seconds: 600)
        try await school.journal.recordTrusted(
            Self.notice(SchoolScenario.teacher, received: school.clock.now().adding(microseconds: -900_000_000)),
            by: "head", occurredAt: school.clock.now())
        return (school, honest, stolen)
    }

    static func declared(_ journal: SchoolJournal) throws -> Set<UInt64> { ClauseElevenOracle.declared(try journal.entries()) }

    @Test func aForgedSystemEventOrAnUndecodableOneThroughJournalLedgerIsRefusedWithTheHeadUnchanged() async throws {
        let (school, honest, _) = try await Self.school()
        let head = try school.journal.ledger.head()
        let forged = OperationsVoided(
            noticeEventID: .generate(), noticePosition: 1, accountID: SchoolScenario.teacher,
            voidedPositions: [honest], window: CompromiseWindow(opensAt: .epoch))
        let event = try EventCoding.newEvent(
            JournalEntry(event: .operationsVoided(forged), actor: "system:invalidator", occurredAt: school.clock.now()))
        let refusal = await #expect(throws: LedgerError.self) { try await school.journal.ledger.append(event) }
        #expect(refusal?.field == "type")
        let poison = NewEvent(
            stream: "student/S-1", type: "StudentEnrolled", actor: "admin", occurredAt: school.clock.now(), payload: [1, 2, 3])
        let undecodable = await #expect(throws: LedgerError.self) { try await school.journal.ledger.append(poison) }
        #expect(undecodable?.code == .invalidEvent)
        #expect(undecodable?.field == "payload")
        #expect(try school.journal.ledger.head() == head)
    }

    @Test func voidsAPlainLedgerLeftOutOrForgedAreNamedByVerifyAndJudgedWhenAJournalOpens() async throws {
        let (school, honest, stolen) = try await Self.school()
        #expect(try Self.declared(school.journal) == [stolen])
        let options = Fixture.options(clock: school.clock, relaxed: true)
        // A copy of the ledger, written from now on by a plain ledger only (as another
        // process or an older version would).
        let copy = TemporaryDirectory("copy")
        try await Fixture.copyDataFile(of: school.journal.ledger, to: copy.path)
        let dir = copy.path
        var late: UInt64 = 0, forgedAt: UInt64 = 0
        do {
            let plain = try EventLedger.open(at: dir, options: options)
            school.clock.advance(seconds: 60)
            late = try await plain.append(
                try EventCoding.newEvent(
                    JournalEntry(
                        event: SchoolScenario.mark("S-1", "L-1"), actor: SchoolScenario.teacher,
                        occurredAt: school.clock.now()))
            ).positions[0]
            let forged = OperationsVoided(
                noticeEventID: .generate(), noticePosition: stolen + 1, accountID: SchoolScenario.teacher,
                voidedPositions: [honest], window: CompromiseWindow(opensAt: .epoch))
            forgedAt = try await plain.append(
                try EventCoding.newEvent(
                    JournalEntry(
                        event: .operationsVoided(forged), actor: "system:invalidator",
                        occurredAt: school.clock.now()))
            ).positions[0]
            _ = try await plain.append(
                NewEvent(stream: "student/S-1", type: "StudentEnrolled", actor: "admin", occurredAt: school.clock.now(), payload: []))
            let report = try SchoolJournal.verifyClauseEleven(plain)
            #expect(!report.holds)
            #expect(Set(report.disagreements.map(\.position)).isSuperset(of: [late, honest]))
            #expect(report.quarantined.count == 1)
            _ = forgedAt
        }
        // A journal opening the ledger judges what it finds: the voids equal the rule again.
        let journal = try SchoolJournal.open(at: dir, options: options)
        let log = try journal.entries()
        #expect(ClauseElevenOracle.declared(log) == ClauseElevenOracle.voided(log))
        #expect(ClauseElevenOracle.declared(log).contains(late) && !ClauseElevenOracle.declared(log).contains(honest))
        let report = try SchoolJournal.verifyClauseEleven(journal.ledger)
        #expect(report.holds)
        #expect(!report.corrected.isEmpty)
        // The quarantined record stops no read, rebuild or export.
        #expect(try journal.quarantinedRecords().count == 1)
        try await journal.ledger.catchUpProjections()
        #expect(
            try JournalIndexProjection.quarantinedRecords(in: journal.ledger).map(\.position)
                == (try journal.quarantinedRecords().map(\.position)))
        _ = try journal.trusted.marks(of: "S-1", from: CivilDate("2026-09-01")!, to: CivilDate("2026-12-31")!)
        try await journal.ledger.rebuild(JournalIndexProjection().name)
        let export = TemporaryDirectory("export")
        #expect(try InterchangeTests.export(journal.ledger, to: export.sub("log.jsonl")) == Int(try journal.ledger.head().position))
    }

    @Test func anImportWithoutTheDerivedEventsEndsWithTheSameVoidsAndOneWithAForgedLineIsRefused() async throws {
        let (school, _, stolen) = try await Self.school()
        let files = TemporaryDirectory("files")
        _ = try InterchangeTests.export(school.journal.ledger, to: files.sub("all.jsonl"))
        let lines = try String(contentsOfFile: files.sub("all.jsonl"), encoding: .utf8).split(separator: "\n")
        let stripped = lines.filter { !$0.contains("\"operationsVoided\"") && !$0.contains("\"voidsLifted\"") }
        #expect(stripped.count < lines.count)
        try (stripped.joined(separator: "\n") + "\n").write(toFile: files.sub("stripped.jsonl"), atomically: true, encoding: .utf8)
        let target = TemporaryDirectory("target")
        let journal = try SchoolJournal.open(at: target.path, options: Fixture.options(clock: school.clock, relaxed: true))
        _ = try await JournalImport.importFile(at: files.sub("stripped.jsonl"), into: journal.ledger)
        #expect(try Self.declared(journal) == [stolen])
        #expect(try SchoolJournal.verifyClauseEleven(journal.ledger).holds)
        // Importing the whole export afterwards appends nothing: its derived lines are held already.
        #expect(try await JournalImport.importFile(at: files.sub("all.jsonl"), into: journal.ledger).appended == 0)
        // Into an empty ledger, the whole export gives the same chain.
        let copy = TemporaryDirectory("copy")
        let whole = try SchoolJournal.open(at: copy.path, options: Fixture.options(clock: school.clock, relaxed: true))
        _ = try await JournalImport.importFile(at: files.sub("all.jsonl"), into: whole.ledger)
        #expect(try whole.ledger.head() == (try school.journal.ledger.head()))

        // A forged OperationsVoided line is refused by line, nothing appended.
        let forged = lines.map {
            $0.contains("\"operationsVoided\"")
                ? Substring($0.replacingOccurrences(of: "\"voidedPositions\":[\"\(stolen)\"]", with: "\"voidedPositions\":[\"1\"]")) : $0
        }
        #expect(forged != lines)
        try (forged.joined(separator: "\n") + "\n").write(toFile: files.sub("forged.jsonl"), atomically: true, encoding: .utf8)
        let other = TemporaryDirectory("other")
        let fresh = try SchoolJournal.open(at: other.path, options: Fixture.options(clock: school.clock, relaxed: true))
        let error = await #expect(throws: InterchangeError.self) {
            try await JournalImport.importFile(at: files.sub("forged.jsonl"), into: fresh.ledger)
        }
        #expect(error?.line == forged.firstIndex { $0.contains("\"operationsVoided\"") }.map { $0 + 1 })
        #expect(try fresh.ledger.head().position == 0)
    }

    @Test func aHistoryJudgedBeforeIsJudgedAgainFromItsStartWithoutASecondDerivedEvent() async throws {
        let (school, _, stolen) = try await Self.school()
        // The notice is withdrawn (a VoidsLifted), then a second notice opens a window with no operation in it.
        let notice = try #require(
            try school.journal.entries().last { if case .compromiseReported = $0.entry.event { true } else { false } })
        school.clock.advance(seconds: 60)
        let withdrawn = try await school.journal.recordTrusted(
            .compromiseNoticeWithdrawn(
                CompromiseNoticeWithdrawn(noticeEventID: notice.entry.id, noticePosition: notice.position, reason: "ошибка")),
            by: "head", occurredAt: school.clock.now())
        #expect(withdrawn.derivedPositions.count == 1)
        school.clock.advance(seconds: 60)
        let again = try await school.journal.recordTrusted(
            Self.notice(SchoolScenario.teacher, received: school.clock.now()), by: "head", occurredAt: school.clock.now())
        #expect(again.derivedPositions.count == 1)
        #expect(try Self.declared(school.journal).isEmpty)
        _ = stolen
        // The whole history, derived events included, in a ledger no rule has judged
        // (an older version's file, or an import by a plain ledger).
        let files = TemporaryDirectory("files")
        _ = try InterchangeTests.export(school.journal.ledger, to: files.sub("all.jsonl"))
        let target = TemporaryDirectory("target")
        let options = Fixture.options(clock: school.clock, relaxed: true)
        do {
            let plain = try EventLedger.open(at: target.path, options: options)
            _ = try await JournalImport.importFile(at: files.sub("all.jsonl"), into: plain)
            #expect(try plain.appendRuleCheckpoint() == 0)
            #expect(try plain.head() == (try school.journal.ledger.head()))
        }
        // A journal judges it all again from position 1: the log already answers every
        // notice and withdrawal, so nothing is derived and the head stays the original's.
        let journal = try SchoolJournal.open(at: target.path, options: options)
        #expect(try journal.ledger.head() == (try school.journal.ledger.head()))
        #expect(try journal.ledger.appendRuleCheckpoint() == (try journal.ledger.head().position))
        #expect(try SchoolJournal.verifyClauseEleven(journal.ledger).holds)
    }

    @Test func marksAPlainLedgerInAnotherProcessAppendsInsideAnOpenWindowAreVoidedByTheOpenJournal() async throws {
        let school = try await SchoolScenario()
        try await school.journal.recordTrusted(
            Self.notice(SchoolScenario.teacher, received: SystemClock().now().adding(microseconds: -60_000_000)),
            by: "head", occurredAt: SystemClock().now())
        // Another process appends the teacher's marks with a plain EventLedger while this journal is open.
        let child = try ChildProcess("LedgerTestChild", [school.dir.path, "plain-marks", "20", SchoolScenario.teacher.rawValue])
        var acknowledged = [UInt64]()
        for _ in 0..<400 where acknowledged.count < 20 {
            try await Task.sleep(for: .milliseconds(25))
            acknowledged = child.output.split(separator: "\n").compactMap {
                $0.split(separator: " ").count == 3 ? UInt64($0.split(separator: " ")[1]) : nil
            }
        }
        child.kill()
        #expect(acknowledged.count == 20)
        // The journal's follower judges the other process's commits: every mark is voided.
        var declared = Set<UInt64>()
        for _ in 0..<400 {
            declared = ClauseElevenRandomPathsTests.declared(try school.journal.ledger.events())
            if declared.isSuperset(of: acknowledged) { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(declared.isSuperset(of: acknowledged))
        #expect(declared == PlainClauseEleven.voided(try school.journal.ledger.events()))
        #expect(try SchoolJournal.verifyClauseEleven(school.journal.ledger).holds)
    }

    @Test func anImportedRecordedAtLaterThanTheClockIsRefusedNamingTheLine() async throws {
        let (school, _, _) = try await Self.school()
        let files = TemporaryDirectory("files")
        _ = try InterchangeTests.export(school.journal.ledger, to: files.sub("all.jsonl"))
        var lines = try String(contentsOfFile: files.sub("all.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        let last = lines.count - 1
        lines[last] = lines[last].replacingOccurrences(of: #""recordedAt":"2026"#, with: #""recordedAt":"2999"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: files.sub("future.jsonl"), atomically: true, encoding: .utf8)
        let target = TemporaryDirectory("target")
        let journal = try SchoolJournal.open(at: target.path, options: Fixture.options(clock: school.clock, relaxed: true))
        let error = await #expect(throws: InterchangeError.self) {
            try await JournalImport.importFile(at: files.sub("future.jsonl"), into: journal.ledger)
        }
        #expect(error?.line == lines.count)
        #expect(error?.field == "recordedAt")
        #expect(try journal.ledger.head().position == 0)
    }

    @Test func aThiefInTheHeadsAccountCanNeitherVoidATeachersWorkNorLiftHerVoids() async throws {
        let (school, honest, stolen) = try await Self.school()
        // The thief, in the head's account, files a notice about an innocent teacher's
        // earlier work and withdraws the real notice.
        school.clock.advance(seconds: 600)
        let thiefStart = school.clock.now()
        try await school.journal.recordTrusted(Self.notice("teacher-petrov", received: thiefStart), by: "head", occurredAt: thiefStart)
        let notices = try school.journal.entries().filter { $0.entry.event.eventType == "CompromiseReported" }
        try await school.journal.recordTrusted(
            .compromiseNoticeWithdrawn(
                CompromiseNoticeWithdrawn(
                    noticeEventID: notices[0].entry.id, noticePosition: notices[0].position, reason: "ошибка")), by: "head",
            occurredAt: school.clock.now())
        #expect(try Self.declared(school.journal) == [])
        // Support reports the head's breach, received when the thief started.
        school.clock.advance(seconds: 600)
        try await school.journal.recordTrusted(
            .compromiseReported(
                CompromiseReported(
                    accountID: "head", discoveredAt: thiefStart, receivedBySupportAt: thiefStart, reportedBy: "support", reporter: .support)
            ),
            by: "support", occurredAt: school.clock.now())
        let log = try school.journal.entries()
        let declared = ClauseElevenOracle.declared(log)
        #expect(declared.contains(stolen))
        #expect(!declared.contains(honest))
        // Both of the thief's acts are void themselves.
        let thiefActs = log.filter { $0.entry.actor == "head" && $0.recordedAt >= thiefStart }.map(\.position)
        #expect(thiefActs.count == 2 && declared.isSuperset(of: thiefActs))
        #expect(try SchoolJournal.verifyClauseEleven(school.journal.ledger).holds)
    }
}
