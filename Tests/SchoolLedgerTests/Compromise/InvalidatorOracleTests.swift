import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
import SchoolLedger
import Testing

/// The rule of clause 11 written as plainly as possible, independently of the
/// library: a filter over the whole log.
enum ClauseElevenOracle {
    static let exempt: Set<String> = ["CompromiseReported", "CompromiseNoticeWithdrawn", "OperationsVoided", "VoidsLifted"]

    /// The positions that must be void in `log`.
    static func voided(_ log: [RecordedJournalEntry]) -> Set<UInt64> {
        var withdrawn = Set<UInt64>()
        for entry in log {
            if case .compromiseNoticeWithdrawn(let w) = entry.entry.event { withdrawn.insert(w.noticePosition) }
        }
        var void = Set<UInt64>()
        for notice in log {
            guard case .compromiseReported(let n) = notice.entry.event, !withdrawn.contains(notice.position) else { continue }
            // A receipt is attested by its filer: never after the recording, never before the
            // discovery; more than 24 hours back it needs another party's notice attesting it
            // (these histories never reach back that far). The account's own report is received when recorded.
            let receipts = [n.receivedByHeadAt, n.receivedBySupportAt].compactMap { $0 }
            guard var opens = receipts.min() else { continue }
            opens = notice.entry.actor == n.accountID ? notice.recordedAt : min(max(opens, n.discoveredAt ?? opens), notice.recordedAt)
            // The window closes at the first reset or issue of the account recorded at
            // or after it opens, by someone other than the account itself.
            var closedAt: UInt64?
            for entry in log where closedAt == nil && entry.recordedAt >= opens && entry.entry.actor != n.accountID {
                switch entry.entry.event {
                case .credentialsReset(let r) where r.accountID == n.accountID: closedAt = entry.position
                case .credentialsIssued(let i) where i.accountID == n.accountID: closedAt = entry.position
                default: break
                }
            }
            for entry in log
            where entry.entry.actor == n.accountID && entry.recordedAt >= opens
                && !exempt.contains(entry.entry.event.eventType) && entry.position < (closedAt ?? .max)
            {
                void.insert(entry.position)
            }
        }
        return void
    }

    /// The positions the library's own events say are void.
    static func declared(_ log: [RecordedJournalEntry]) -> Set<UInt64> {
        var void = Set<UInt64>()
        for entry in log {
            if case .operationsVoided(let v) = entry.entry.event { void.formUnion(v.voidedPositions) }
            if case .voidsLifted(let l) = entry.entry.event { void.subtract(l.liftedPositions) }
        }
        return void
    }

    /// Marks (id → value, unless cancelled) and each parent's consent and
    /// acknowledgement, folded from the log without the void positions.
    static func school(_ log: [RecordedJournalEntry], without void: Set<UInt64>) -> [String] {
        var marks = [MarkID: (student: StudentID, value: MarkValue, cancelled: Bool)]()
        var consent = [String: Bool](), acknowledged = [String: CivilDate]()
        for entry in log where !void.contains(entry.position) {
            switch entry.entry.event {
            case .markRecorded(let m): marks[m.markID] = (m.studentID, m.value, false)
            case .markCorrected(let c): if marks[c.markID] != nil { marks[c.markID]!.value = c.newValue }
            case .markCancelled(let c): if marks[c.markID] != nil { marks[c.markID]!.cancelled = true }
            case .consentGiven(let c): consent["\(c.parentID)/\(c.studentID)"] = true
            case .consentWithdrawn(let c): consent["\(c.parentID)/\(c.studentID)"] = false
            case .diaryAcknowledged(let a):
                acknowledged["\(a.parentID)/\(a.studentID)"] = max(acknowledged["\(a.parentID)/\(a.studentID)"] ?? a.upToDate!, a.upToDate!)
            default: break
            }
        }
        let kept = marks.filter { !$0.value.cancelled }
        var out = kept.map { "\($0.value.student) \($0.key)=\($0.value.value)" }.sorted()
        // The journal page of lesson L-1: each student's marks, in value order.
        for student in ["S-1", "S-2"] as [StudentID] {
            out.append(
                "page \(student): " + kept.values.filter { $0.student == student }.map { "\($0.value)" }.sorted().joined(separator: " "))
        }
        out += consent.filter(\.value).map { "consent \($0.key)=true" }.sorted()
        out += acknowledged.map { "ack \($0.key)=\($0.value)" }.sorted()
        return out
    }
}

@Suite("The invalidator against the oracle of clause 11")
struct InvalidatorOracleTests {
    /// Accounts that work: two teachers and two parents.
    static let accounts: [AccountID] = ["teacher-ivanova", "teacher-petrov", "parent-1", "parent-2"]
    static let steps = zip(Gen.int(in: 0...99), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 10...45)

    /// One random history, appended straight to the ledger (the invalidator
    /// runs on every append there, whatever the path): work by the four
    /// accounts, late and overlapping notices, withdrawals, resets and
    /// issues, new notices after resets, and batches that mix them.
    @discardableResult
    static func run(_ steps: [(Int, Int, Int)], backend: Backend = .lmdb) async throws -> SchoolJournal {
        let school = try await SchoolScenario(manualClock: true, relaxed: true, backend: backend)
        try await school.journal.recordTrusted(
            ["P-1", "P-2"].map { parent in
                JournalEntry(
                    event: .parentLinked(
                        ParentLinked(
                            parentID: ParentID(parent), studentID: StudentID("S-\(parent.dropFirst(2))"),
                            relation: .mother, effectiveDate: CivilDate("2026-09-01")!)),
                    actor: SchoolScenario.admin, occurredAt: school.clock.now())
            })
        let ledger = school.journal.ledger
        let clock = school.clock
        var batch = [NewEvent]()
        var notices = [(position: UInt64, id: EventID)]()
        var withdrawn = Set<UInt64>()
        var n = 0
        func add(_ event: SchoolEvent, by actor: AccountID) throws {
            batch.append(try EventCoding.newEvent(JournalEntry(event: event, actor: actor, occurredAt: clock.now())))
        }
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let result = try await ledger.append(batch)
            for (event, position) in zip(batch, result.positions) where event.type == "CompromiseReported" {
                notices.append((position, event.id))
            }
            batch = []
            // After every append the declared voids equal the oracle over the log so far.
            let log = try school.journal.entries()
            #expect(ClauseElevenOracle.declared(log) == ClauseElevenOracle.voided(log), "after position \(result.lastPosition)")
        }
        for (kind, who, value) in steps {
            n += 1
            let account = accounts[who]
            clock.advance(seconds: Int64(1 + value % 600))
            switch kind {
            case 0..<40:
                // Work of the account: marks by teachers, consent and acknowledgements by parents.
                if who < 2 {
                    let student: StudentID = value % 2 == 0 ? "S-1" : "S-2"
                    let mark = MarkID("M-\(student)-\(value % 6)")
                    switch value % 3 {
                    case 0:
                        try add(
                            .markRecorded(
                                MarkRecorded(
                                    markID: mark, studentID: student, lessonID: "L-1",
                                    subjectID: "MATH", value: .numeric(1 + value % 5), weight: 1, workKind: .classwork)), by: account)
                    case 1:
                        try add(
                            .markCorrected(MarkCorrected(markID: mark, newValue: .numeric(1 + (value / 3) % 5), reason: "исправление")),
                            by: account)
                    default: try add(.markCancelled(MarkCancelled(markID: mark, reason: "ошибка")), by: account)
                    }
                } else {
                    let parent = ParentID("P-\(who - 1)"), student = StudentID("S-\(who - 1)")
                    switch value % 3 {
                    case 0:
                        try add(.consentGiven(ConsentGiven(parentID: parent, studentID: student, submittedVia: .electronic)), by: account)
                    case 1:
                        try add(
                            .consentWithdrawn(ConsentWithdrawn(parentID: parent, studentID: student, submittedVia: .electronic)),
                            by: account)
                    default:
                        try add(
                            .diaryAcknowledged(
                                DiaryAcknowledged(
                                    parentID: parent, studentID: student,
                                    upToDate: CivilDate("2026-09-01")!.adding(days: value % 60))), by: account)
                    }
                }
            case 40..<55:
                // A notice, often late: received up to an hour and a half before it is entered.
                let received = clock.now().adding(microseconds: -Int64(value % 5400) * 1_000_000)
                let byHead = value % 2 == 0
                try add(
                    .compromiseReported(
                        CompromiseReported(
                            accountID: account, discoveredAt: received.adding(microseconds: -3_600_000_000),
                            receivedByHeadAt: byHead ? received : nil,
                            receivedBySupportAt: byHead ? nil : received.adding(microseconds: 60_000_000),
                            reportedBy: byHead ? "head" : "support", reporter: byHead ? .head : .support)),
                    by: byHead ? "head" : "support")
                if value % 4 == 0 { try await flush() }
            case 55..<63:
                // The head withdraws a notice entered in error.
                try await flush()
                if let notice = notices.filter({ !withdrawn.contains($0.position) }).dropFirst(value % max(1, notices.count)).first {
                    withdrawn.insert(notice.position)
                    try add(
                        .compromiseNoticeWithdrawn(
                            CompromiseNoticeWithdrawn(
                                noticeEventID: notice.id, noticePosition: notice.position,
                                reason: "введено ошибочно")), by: "head")
                }
            case 63..<78:
                // Support resets the credentials (or issues new ones), closing the windows.
                let reset: SchoolEvent =
                    value % 3 == 0
                    ? .credentialsIssued(
                        CredentialsIssued(accountID: account, personID: PersonID(account.rawValue), holder: .staff, channel: .inPerson))
                    : .credentialsReset(CredentialsReset(accountID: account, channel: .sms))
                try add(reset, by: value % 5 == 0 ? account : "support")
            default:
                try await flush()
            }
            if value % 3 == 0 { try await flush() }
        }
        try await flush()

        let log = try school.journal.entries()
        let void = ClauseElevenOracle.voided(log)
        #expect(ClauseElevenOracle.declared(log) == void)
        // Every notice and withdrawal is followed, in its own append, by the invalidator's event.
        for entry in log {
            if case .compromiseReported = entry.entry.event {
                #expect(
                    log.contains { if case .operationsVoided(let v) = $0.entry.event { v.noticePosition == entry.position } else { false } }
                )
            }
        }
        // The read models read as if the void operations never happened, and equal a rebuild.
        #expect(try Self.answers(school.journal) == ClauseElevenOracle.school(log, without: void))
        #expect(try await ledger.check(JournalIndexProjection().name).isEmpty)
        return school.journal
    }

    /// What the journal's read models say about the same things as the oracle.
    static func answers(_ journal: SchoolJournal) throws -> [String] {
        var out = [String]()
        for student in ["S-1", "S-2"] as [StudentID] {
            let marks = try journal.trusted.marks(of: student, from: CivilDate("2026-09-01")!, to: CivilDate("2026-12-31")!)
            out += marks.subjects.flatMap(\.marks).map { "\(student) \($0.markID)=\($0.value)" }
        }
        out.sort()
        let page = try journal.trusted.journalPage(
            subject: "MATH", target: .class("7A"), from: CivilDate("2026-09-01")!, to: CivilDate("2026-12-31")!)
        for student in ["S-1", "S-2"] as [StudentID] {
            let cells = page.rows.first { $0.studentID == student }?.cells.flatMap(\.marks) ?? []
            out.append("page \(student): " + cells.map { "\($0)" }.sorted().joined(separator: " "))
        }
        var consent = [String](), acknowledged = [String]()
        for status in try journal.trusted.parents(ofClass: "7A", on: CivilDate("2026-09-07")!) {
            for child in status.children {
                let key = "\(status.parentID)/\(child.studentID)"
                if child.hasConsent { consent.append("consent \(key)=true") }
                if let date = child.acknowledgedUpToDate { acknowledged.append("ack \(key)=\(date)") }
            }
        }
        return out + consent.sorted() + acknowledged.sorted()
    }

    // Four runs of 250 histories each (1,000 in all), so both cores share them.
    @Test(arguments: 0..<4)
    func libraryEqualsTheOracleOnRandomHistories(_ part: Int) async throws {
        let count = Fixture.samples(quick: 100, stress: 250)
        await propertyCheck(count: count, input: Self.steps) { steps in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                try await Self.run(steps)
            }
        }
        Fixture.reportStress("random histories against the oracle", count)
    }

    /// The same oracle with the log in memory and the read models beside it
    /// (the storage seam's path: inline models written after the log's
    /// commit): fewer histories (20 in make test, 40 under make stress).
    @Test func libraryEqualsTheOracleOnRandomHistoriesWithTheLogInMemory() async throws {
        await propertyCheck(count: Fixture.samples(quick: 20, stress: 40), input: Self.steps) { steps in
            await #expect(throws: Never.self) {
                try await Self.run(steps, backend: .memory)
            }
        }
    }
}
