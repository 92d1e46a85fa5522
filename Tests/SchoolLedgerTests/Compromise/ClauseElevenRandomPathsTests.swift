import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
import SchoolLedger
import Testing

/// Clause 11 as the domain page states it, written plainly over the raw log
/// (independently of the library): attested receipts with the 24-hour rule,
/// notices and withdrawals that void each other (grounded, earliest first in
/// a cycle), nobody lifting a notice about their own account.
enum PlainClauseEleven {
    struct Notice {
        var position: UInt64
        var filer: String
        var account: AccountID
        var opens: Instant
        var closesBefore: UInt64
    }

    static func voided(_ log: [RecordedEvent]) -> Set<UInt64> {
        func decoded(_ e: RecordedEvent) -> SchoolEvent? { try? EventCoding.event(payload: e.payload, schemaVersion: e.schemaVersion) }
        var reports = [(RecordedEvent, CompromiseReported)]()
        var withdrawals = [(RecordedEvent, CompromiseNoticeWithdrawn)]()
        var resets = [(RecordedEvent, AccountID)]()
        for e in log {
            switch e.type == "CompromiseReported" || e.type == "CompromiseNoticeWithdrawn" || e.type.hasPrefix("Credentials")
                ? decoded(e) : nil
            {
            case .compromiseReported(let n) where e.type == "CompromiseReported": reports.append((e, n))
            case .compromiseNoticeWithdrawn(let w) where e.type == "CompromiseNoticeWithdrawn": withdrawals.append((e, w))
            case .credentialsReset(let r) where e.type == "CredentialsReset": resets.append((e, r.accountID))
            case .credentialsIssued(let i) where e.type == "CredentialsIssued": resets.append((e, i.accountID))
            default: break
            }
        }
        let day: Int64 = 86_400_000_000
        var notices = [Notice]()
        for (e, n) in reports {
            var opens = e.recordedAt
            if e.actor != n.accountID.rawValue, var receipt = [n.receivedByHeadAt, n.receivedBySupportAt].compactMap({ $0 }).min() {
                if let d = n.discoveredAt, receipt < d { receipt = d }
                if receipt > e.recordedAt { receipt = e.recordedAt }
                let attested = reports.contains { other, o in
                    o.accountID == n.accountID && other.actor != e.actor && other.actor != n.accountID.rawValue
                        && [o.receivedByHeadAt, o.receivedBySupportAt].contains { $0.map { $0 <= receipt } ?? false }
                }
                opens =
                    e.recordedAt.microsecondsSinceEpoch - receipt.microsecondsSinceEpoch > day && !attested
                    ? e.recordedAt.adding(microseconds: -day) : receipt
            }
            let closing = resets.first { r, account in account == n.accountID && r.recordedAt >= opens && r.actor != n.accountID.rawValue }
            notices.append(
                Notice(position: e.position, filer: e.actor, account: n.accountID, opens: opens, closesBefore: closing?.0.position ?? .max))
        }
        func holds(_ n: Notice, _ e: RecordedEvent) -> Bool { e.recordedAt >= n.opens && e.position < n.closesBefore }
        // The acts and who speaks against whom.
        var acts = reports.map(\.0) + withdrawals.map(\.0)
        acts.sort { $0.position < $1.position }
        let ownReports = Set(reports.filter { $0.0.actor == $0.1.accountID.rawValue }.map(\.0.position))
        var against = [UInt64: [UInt64]]()
        for a in acts where !ownReports.contains(a.position) {
            for n in notices where n.account.rawValue == a.actor && n.position != a.position && holds(n, a) {
                against[a.position, default: []].append(n.position)
            }
        }
        for (w, e) in withdrawals {
            if let n = notices.first(where: { $0.position == e.noticePosition }), w.position > n.position, w.actor != n.account.rawValue {
                against[n.position, default: []].append(w.position)
            }
        }
        var stands = [UInt64: Bool]()
        while stands.count < acts.count {
            var moved = false
            for a in acts where stands[a.position] == nil {
                let others = against[a.position] ?? []
                if others.allSatisfy({ stands[$0] == false }) {
                    stands[a.position] = true; moved = true
                } else if others.contains(where: { stands[$0] == true }) {
                    stands[a.position] = false; moved = true
                }
            }
            if !moved, let first = acts.first(where: { stands[$0.position] == nil }) {
                stands[first.position] = true
                for b in against[first.position] ?? [] where stands[b] == nil { stands[b] = false }
            }
        }
        var void = Set<UInt64>()
        for n in notices where stands[n.position] == true {
            for e in log
            where e.actor == n.account.rawValue && holds(n, e) && e.type != "OperationsVoided" && e.type != "VoidsLifted"
                && !ownReports.contains(e.position)
            {
                void.insert(e.position)
            }
        }
        return void
    }
}

/// Random histories that reach the ledger by every path — the journal's
/// ledger, `recordTrusted`, a plain ledger writing while no journal is open
/// (another process, an older version), forged system events, undecodable
/// payloads, a future `recordedAt`, and imports split at random points with
/// and without the derived events — checked against ``PlainClauseEleven``
/// after every step.
@Suite("Clause 11 on random histories by every path")
struct ClauseElevenRandomPathsTests {
    static let workers: [AccountID] = ["teacher-ivanova", "teacher-petrov", "parent-1", "head", "support"]
    static let steps = zip(Gen.int(in: 0...99), Gen.int(in: 0...4), Gen.int(in: 0...100_000)).array(of: 8...30)

    /// A ledger directory holding the school of ``SchoolScenario`` and two parent links.
    static func school(clock: ManualClock) async throws -> TemporaryDirectory {
        let school = try await SchoolScenario(manualClock: true, relaxed: true)
        try await school.journal.recordTrusted(
            ["P-1", "P-2"].map { parent in
                JournalEntry(
                    event: .parentLinked(
                        ParentLinked(
                            parentID: ParentID(parent), studentID: StudentID("S-\(parent.dropFirst(2))"),
                            relation: .mother, effectiveDate: CivilDate("2026-09-01")!)),
                    actor: SchoolScenario.admin, occurredAt: school.clock.now())
            })
        clock.set(school.clock.now())
        let dir = TemporaryDirectory("random-paths")
        try await Fixture.copyDataFile(of: school.journal.ledger, to: dir.path)
        return dir
    }

    /// The positions the log's OperationsVoided and VoidsLifted declare void.
    static func declared(_ log: [RecordedEvent]) -> Set<UInt64> {
        var void = Set<UInt64>()
        for e in log where e.type == "OperationsVoided" || e.type == "VoidsLifted" {
            switch try? EventCoding.event(payload: e.payload, schemaVersion: e.schemaVersion) {
            case .operationsVoided(let v): void.formUnion(v.voidedPositions)
            case .voidsLifted(let l): void.subtract(l.liftedPositions)
            default: break
            }
        }
        return void
    }

    static func check(_ ledger: EventLedger, _ context: String) throws {
        let log = try ledger.events()
        #expect(declared(log) == PlainClauseEleven.voided(log), "\(context)")
    }

    static func run(_ steps: [(Int, Int, Int)]) async throws {
        let clock = ManualClock()
        let dir = try await school(clock: clock)
        var options = Fixture.options(clock: clock, relaxed: true)
        options.pollInterval = .milliseconds(2)
        var journal: SchoolJournal? = try SchoolJournal.open(at: dir.path, options: options)
        let inbox = TemporaryDirectory("random-paths-inbox")
        var child: ChildProcess?
        var sent = 0
        defer {
            _ = FileManager.default.createFile(atPath: inbox.sub("stop"), contents: nil)
            if let child {
                for _ in 0..<2_000 where !child.hasExited { usleep(1_000) }
                child.kill()
            }
        }
        var batch = [NewEvent]()
        var notices = [(position: UInt64, id: EventID, account: AccountID)]()
        var filed = [(account: AccountID, received: Instant, filer: AccountID)]()

        let exportPath = dir.sub("export.jsonl")
        func event(_ e: SchoolEvent, by actor: AccountID) throws -> NewEvent {
            try EventCoding.newEvent(JournalEntry(event: e, actor: actor, occurredAt: clock.now()))
        }
        func remember(_ appended: [NewEvent], _ positions: [UInt64]) {
            for (e, p) in zip(appended, positions) where e.type == "CompromiseReported" {
                if case .compromiseReported(let n) = try? EventCoding.event(payload: e.payload, schemaVersion: e.schemaVersion) {
                    notices.append((p, e.id, n.accountID))
                }
            }
        }
        /// Appends the batch by the path `value` picks.
        func flush(_ value: Int) async throws {
            guard !batch.isEmpty else { return }
            let events = batch
            batch = []
            switch value % 6 {
            case 0, 1:
                let result = try await journal!.ledger.append(events)
                remember(events, result.positions)
            case 2:
                // Through recordTrusted: the reference rules may refuse a batch; that is fine.
                let entries = try events.map {
                    JournalEntry(
                        id: $0.id, event: try EventCoding.event(payload: $0.payload, schemaVersion: $0.schemaVersion),
                        actor: AccountID($0.actor), occurredAt: $0.occurredAt)
                }
                if let result = try? await journal!.recordTrusted(entries) {
                    remember(events, result.positions)
                }
            default:
                // A plain ledger writes: in another process while this journal is open
                // (its follower judges the commits), or here while no journal is open
                // (as an older version would; the next journal judges at open).
                var plainEvents = events
                let last = try journal!.ledger.head().position + UInt64(events.count)
                if value % 7 == 0 {
                    // A forged void of a random earlier position, or a forged lift.
                    let target = UInt64(1 + value % Int(last))
                    let notice = notices.last
                    let fake: SchoolEvent =
                        value % 2 == 0
                        ? .operationsVoided(
                            OperationsVoided(
                                noticeEventID: notice?.id ?? .generate(), noticePosition: notice?.position ?? 1,
                                accountID: notice?.account ?? "teacher-ivanova", voidedPositions: [target],
                                window: CompromiseWindow(opensAt: .epoch)))
                        : .voidsLifted(
                            VoidsLifted(
                                noticeEventID: notice?.id ?? .generate(), noticePosition: notice?.position ?? 1,
                                withdrawalPosition: 0, voidsPositions: [], liftedPositions: [target]))
                    plainEvents.append(try event(fake, by: "system:invalidator"))
                }
                if value % 11 == 0 {
                    plainEvents.append(
                        NewEvent(
                            stream: "student/S-1", type: "MarkRecorded", actor: "teacher-ivanova",
                            occurredAt: clock.now(), payload: [0xFF, 0x01]))
                }
                if value % 6 != 5 {
                    if child == nil { child = try ChildProcess("LedgerTestChild", [dir.path, "plain-batches", inbox.path]) }
                    sent += 1
                    let lines =
                        ["\(clock.now().microsecondsSinceEpoch)"]
                        + plainEvents.map { e in
                            [
                                e.id.description, e.stream, e.type, "\(e.schemaVersion)", e.actor, "\(e.occurredAt.microsecondsSinceEpoch)",
                                Data(e.payload).base64EncodedString(),
                            ].joined(separator: "\t")
                        }
                    try lines.joined(separator: "\n").write(toFile: inbox.sub("next"), atomically: true, encoding: .utf8)
                    try FileManager.default.moveItem(atPath: inbox.sub("next"), toPath: inbox.sub("batch-\(sent)"))
                    var acknowledged = [UInt64]()
                    for _ in 0..<20_000 {
                        let output = child!.output
                        if output.contains("DONE \(sent)\n") {
                            acknowledged = output.split(separator: "\n").compactMap { line in
                                let parts = line.split(separator: " ")
                                return parts.count == 3 && parts[0] == "ACK" ? UInt64(parts[1]) : nil
                            }
                            break
                        }
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    let head = try #require(acknowledged.last, "the child appended batch \(sent)")
                    remember(events, Array(acknowledged.suffix(plainEvents.count).prefix(events.count)))
                    // The open journal's follower judges the other process's commits.
                    var waited = 0
                    while try journal!.ledger.appendRuleCheckpoint() < head, waited < 20_000 {
                        try await Task.sleep(for: .milliseconds(1))
                        waited += 1
                    }
                } else {
                    journal = nil
                    do {
                        let plain = try EventLedger.open(at: dir.path, options: options)
                        let result = try await plain.append(plainEvents)
                        remember(events, result.positions)
                    }
                    journal = try SchoolJournal.open(at: dir.path, options: options)
                }
            }
            try check(journal!.ledger, "after a flush by path \(value % 6)")
            // Reads answer as the plain fold without the declared voids; the index equals a rebuild; export answers.
            let log = try journal!.entries()
            #expect(
                try InvalidatorOracleTests.answers(journal!) == ClauseElevenOracle.school(log, without: ClauseElevenOracle.declared(log)))
            #expect(try await journal!.ledger.check(JournalIndexProjection().name).isEmpty)
            #expect(try InterchangeTests.export(journal!.ledger, to: exportPath) == Int(try journal!.ledger.head().position))
        }

        for (kind, who, value) in steps {
            let account = workers[who]
            // Minutes between most steps, hours now and then, so receipts up to two days back reach earlier work.
            clock.advance(seconds: Int64(value % 5 == 0 ? 3600 * (1 + value % 20) : 1 + value % 900))
            switch kind {
            case 0..<35:
                switch who {
                case 0, 1:
                    let student: StudentID = value % 2 == 0 ? "S-1" : "S-2"
                    batch.append(
                        try event(
                            .markRecorded(
                                MarkRecorded(
                                    markID: MarkID("M-\(value)"), studentID: student, lessonID: "L-1", subjectID: "MATH",
                                    value: .numeric(1 + value % 5), weight: 1, workKind: .classwork)), by: account))
                case 2:
                    batch.append(
                        try event(
                            value % 2 == 0
                                ? .consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .electronic))
                                : .consentWithdrawn(ConsentWithdrawn(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)),
                            by: account))
                default:
                    // The head's and support's own work: informing a parent.
                    batch.append(
                        try event(
                            .parentsInformedOfServices(
                                ParentsInformedOfServices(parentID: "P-1", studentID: "S-1", services: [.personalCabinet])),
                            by: account))
                }
            case 35..<55:
                // A notice about any account (the head and support too), filed by the head, support or the account itself,
                // with a receipt up to two days back: some need the other party's confirmation.
                var filer: AccountID = [account, "head", "support"][value % 3]
                var received = clock.now().adding(microseconds: -Int64(value % 172_800) * 1_000_000)
                var account = account
                // Now and then the other party confirms an earlier notice's receipt with a notice of its own.
                if value % 3 == 1, let earlier = filed.last,
                    let other = (["head", "support"] as [AccountID]).first(where: { $0 != earlier.filer && $0 != earlier.account })
                {
                    (account, received, filer) = (earlier.account, earlier.received, other)
                }
                filed.append((account, received, filer))
                let byHead = value % 4 < 2
                batch.append(
                    try event(
                        .compromiseReported(
                            CompromiseReported(
                                accountID: account, discoveredAt: received.adding(microseconds: -1_800_000_000),
                                receivedByHeadAt: byHead ? received : nil, receivedBySupportAt: byHead ? nil : received,
                                reportedBy: filer, reporter: filer == account ? .participant : filer == "head" ? .head : .support)),
                        by: filer))
                try await flush(value)
            case 55..<65:
                // A withdrawal of some notice, by the head, support or the notice's own account.
                try await flush(value)
                if !notices.isEmpty {
                    let notice = notices[value % notices.count]
                    let by: AccountID = [notice.account, "head", "support"][value % 3]
                    batch.append(
                        try event(
                            .compromiseNoticeWithdrawn(
                                CompromiseNoticeWithdrawn(
                                    noticeEventID: notice.id, noticePosition: notice.position,
                                    reason: "введено ошибочно")), by: by))
                }
            case 65..<78:
                let reset: SchoolEvent =
                    value % 3 == 0
                    ? .credentialsIssued(
                        CredentialsIssued(accountID: account, personID: PersonID(account.rawValue), holder: .staff, channel: .inPerson))
                    : .credentialsReset(CredentialsReset(accountID: account, channel: .sms))
                batch.append(try event(reset, by: [account, "support", "head"][value % 3]))
            case 78..<82:
                // An import from the future is refused, naming the line; nothing is appended.
                try await flush(value)
                let head = try journal!.ledger.head()
                let future = ImportedEvent(
                    event: try event(
                        .consentGiven(ConsentGiven(parentID: "P-1", studentID: "S-1", submittedVia: .electronic)), by: "parent-1"),
                    recordedAt: clock.now().adding(microseconds: 86_400_000_000))
                await #expect(throws: LedgerError.self) {
                    try await journal!.ledger.importEvents {
                        var i = [future].makeIterator(); return { i.next() }
                    }
                }
                #expect(try journal!.ledger.head() == head)
            default:
                try await flush(value)
            }
            if value % 4 == 0 { try await flush(value / 4) }
        }
        try await flush(0)
        let source = journal!
        let log = try source.entries()
        // Reads answer and equal the plain fold without the voids; the index equals a rebuild.
        #expect(try InvalidatorOracleTests.answers(source) == ClauseElevenOracle.school(log, without: ClauseElevenOracle.declared(log)))
        #expect(try await source.ledger.check(JournalIndexProjection().name).isEmpty)
        #expect(try SchoolJournal.verifyClauseEleven(source.ledger).holds)

        // The export, split at random points, imported with and without the derived events.
        let files = TemporaryDirectory("random-imports")
        _ = try InterchangeTests.export(source.ledger, to: files.sub("all.jsonl"))
        let lines = try String(contentsOfFile: files.sub("all.jsonl"), encoding: .utf8).split(separator: "\n").filter {
            !$0.contains("\"quarantined\":{")
        }
        let (a, b) = (steps.first?.2 ?? 1, steps.last?.2 ?? 2)
        for withDerived in [false, true] {
            let chosen = withDerived ? lines : lines.filter { !$0.contains("\"operationsVoided\"") && !$0.contains("\"voidsLifted\"") }
            let cuts = Set([a % max(1, chosen.count), b % max(1, chosen.count)]).sorted()
            let target = TemporaryDirectory("random-target")
            let imported = try SchoolJournal.open(at: target.path, options: options)
            var start = 0
            for (n, end) in (cuts + [chosen.count]).enumerated() where end > start {
                let part = files.sub("part-\(withDerived)-\(n).jsonl")
                try (chosen[start..<end].joined(separator: "\n") + "\n").write(toFile: part, atomically: true, encoding: .utf8)
                start = end
                do {
                    _ = try await JournalImport.importFile(at: part, into: imported.ledger)
                } catch let error as InterchangeError where withDerived {
                    // A derived line that is not what the rule derives there (a forgery, or a void
                    // judged late after a plain ledger's appends) refuses the part, naming its line.
                    #expect(error.field == "type", "\(error)")
                    break
                }
                try check(imported.ledger, "after importing part \(n) (derived events: \(withDerived))")
            }
            _ = try imported.entries()
        }
    }

    // Four runs, so both cores share them: 50 histories each in `make test`
    // (200 in all; each waits on a second process, so this suite sets the
    // test run's length), 250 each under `make stress` (1,000).
    @Test(arguments: 0..<4)
    func theDeclaredVoidsEqualThePlainRuleOnEveryPath(_ part: Int) async throws {
        let count = Fixture.samples(quick: 50, stress: 250)
        await propertyCheck(count: count, input: Self.steps) { steps in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                do {
                    try await Self.run(steps)
                } catch {
                    // Shrinking hides the first failure's message: print it with its input.
                    print("random path failed: \(error) on \(steps)")
                    throw error
                }
            }
        }
        Fixture.reportStress("random histories by every path against the plain rule", count)
    }
}
