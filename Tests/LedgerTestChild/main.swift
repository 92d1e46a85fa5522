// A child process for the crash and multi-process tests.
//
//   LedgerTestChild <ledger-dir> batches      appends batches of 1...40 events forever
//   LedgerTestChild <ledger-dir> concurrent   16 tasks append single events forever
//   LedgerTestChild <ledger-dir> count N      appends N single events, then exits
//   LedgerTestChild <ledger-dir> fill N       appends N events in batches of 1,000 (relaxed), then exits
//   LedgerTestChild <ledger-dir> rebuild-loop rebuilds event-type-counts forever, printing REBUILT
//   LedgerTestChild <ledger-dir> read-projection SECONDS
//                                             reads event-type-counts read-only for SECONDS; prints
//                                             BAD for a model whose counts do not add up to its
//                                             checkpoint, then READS n BAD m
//   LedgerTestChild <ledger-dir> rebuild-peak rebuilds event-type-counts, printing PEAK <kB> of
//                                             anonymous memory sampled during the rebuild
//   LedgerTestChild <ledger-dir> import-peak FILE
//                                             imports the JSON Lines FILE (relaxed durability), printing
//                                             IMPORTED <n>, PEAK <kB> of anonymous memory during it and
//                                             USED <kB> of the data file
//   LedgerTestChild <ledger-dir> breaches     through a SchoolJournal (the invalidator runs in every
//                                             append): marks by three teachers, breach notices (often
//                                             late), withdrawals and credentials resets, forever
//   LedgerTestChild <ledger-dir> plain-batches INBOX
//                                             through a plain EventLedger (no invalidator): appends the
//                                             batch in INBOX/batch-<n> for n = 1, 2, … as each appears
//                                             (first line: the clock's instant in microseconds; then one
//                                             event a line, fields separated by tabs: id, stream, type,
//                                             schema version, actor, occurredAt µs, payload base64),
//                                             printing ACK lines and DONE <n>; exits when INBOX/stop appears
//   LedgerTestChild <ledger-dir> plain-marks N ACCOUNT
//                                             through a plain EventLedger (no invalidator): appends N
//                                             marks by ACCOUNT one by one, then exits
//   LedgerTestChild <dir> node N TARGET     appends N single events with EventTypeCounts registered,
//                                             waits until the log holds TARGET records (other nodes'
//                                             too), then prints MODEL <position> <type>=<count>,…
//
// With LEDGER_CHILD_POSTGRES_LEDGER=NAME in its environment the child is a
// node of the ledger NAME on the tests' PostgreSQL server
// (SCHOOLLEDGER_TEST_POSTGRES), its read models in <dir>.
//
// After each append returns it prints `ACK <position> <event-id>` for every
// event of the append and flushes, so the parent knows exactly what was
// acknowledged when it kills this process with SIGKILL.
import EventLedger
import Foundation
import LedgerPostgres
import LedgerTestSupport
import SchoolLedger

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: LedgerTestChild <ledger-dir> batches|concurrent|count N\n".utf8))
    exit(2)
}
let directory = arguments[1]
let mode = arguments[2]
/// The clock of `plain-batches`: each batch sets it (the parent's ledger time).
let batchClock = ManualClock()
let childOptions =
    mode == "read-projection"
    ? .readOnly
    : mode == "fill" || mode == "import-peak"
        ? {
            var o = EventLedger.Options()
            o.durability = .relaxed
            return o
        }()
        : mode == "plain-batches"
            ? {
                var o = EventLedger.Options()
                o.durability = .relaxed
                o.clock = batchClock
                return o
            }() : EventLedger.Options()
let ledger =
    try ProcessInfo.processInfo.environment["LEDGER_CHILD_POSTGRES_LEDGER"].map { name in
        try EventLedger.open(
            storage: PostgresLogStorage(TestPostgres.location(ledger: name)), readModels: directory, options: childOptions)
    } ?? EventLedger.open(at: directory, options: childOptions)
let occurred = Instant(iso8601: "2026-09-01T08:00:00Z")!

/// The payload the parent checks: derived from the id, so a damaged record shows.
func payload(for id: EventID) -> [UInt8] { Array("payload of \(id)".utf8) }

func event(_ n: Int) -> NewEvent {
    let id = EventID.generate()
    return NewEvent(
        id: id, stream: "stream-\(n % 7)", type: "Tick", actor: "child-\(getpid() % 3)",
        occurredAt: occurred, payload: payload(for: id))
}

func acknowledge(_ events: [NewEvent], _ result: AppendResult) {
    var lines = ""
    for (e, p) in zip(events, result.positions) { lines += "ACK \(p) \(e.id)\n" }
    say(lines)
}

/// Writes `lines` with unbuffered write(2): nothing waits in a buffer when SIGKILL comes.
func say(_ lines: String) {
    var bytes = Array(lines.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if n <= 0 { exit(3) }
        bytes = bytes.dropFirst(n)
    }
}

switch mode {
case "batches":
    var n = 0
    while true {
        let events = (0..<Int.random(in: 1...40)).map { _ in
            n += 1; return event(n)
        }
        acknowledge(events, try await ledger.append(events))
    }
case "concurrent":
    try await withThrowingTaskGroup(of: Void.self) { group in
        for t in 0..<16 {
            group.addTask {
                var n = t
                while true {
                    n += 16
                    let e = event(n)
                    acknowledge([e], try await ledger.append(e))
                }
            }
        }
        try await group.waitForAll()
    }
case "count":
    let count = Int(arguments.count > 3 ? arguments[3] : "100") ?? 100
    for n in 0..<count {
        let e = event(n)
        acknowledge([e], try await ledger.append(e))
    }
case "node":
    let count = Int(arguments[3])!
    let target = UInt64(arguments[4])!
    try ledger.register(EventTypeCounts())
    for n in 0..<count {
        let e = event(n)
        acknowledge([e], try await ledger.append(e))
    }
    while try ledger.head().position < target { try await Task.sleep(for: .milliseconds(20)) }
    try await ledger.catchUpProjections()
    let (position, counts) = try ledger.readProjection("event-type-counts") { reader in
        (reader.checkpoint, try EventTypeCounts.countsByType(reader))
    }
    say("MODEL \(position) " + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "\n")
case "fill":
    let count = Int(arguments.count > 3 ? arguments[3] : "1000") ?? 1000
    var n = 0
    while n < count {
        let events = (0..<min(1000, count - n)).map { _ in
            n += 1; return event(n)
        }
        _ = try await ledger.append(events)
    }
    try ledger.sync()
case "rebuild-loop":
    try ledger.register(EventTypeCounts())
    while true {
        try await ledger.rebuild("event-type-counts")
        print("REBUILT")
        fflush(nil)
    }
case "read-projection":
    let seconds = Double(arguments.count > 3 ? arguments[3] : "2") ?? 2
    try ledger.register(EventTypeCounts())
    let deadline = Date().addingTimeInterval(seconds)
    var reads = 0
    var bad = 0
    while Date() < deadline {
        let (total, checkpoint) = try ledger.readProjection("event-type-counts") { reader in
            (try EventTypeCounts.countsByType(reader).values.reduce(0, +), reader.checkpoint)
        }
        reads += 1
        if total != checkpoint {
            bad += 1
            print("BAD counts add up to \(total) at checkpoint \(checkpoint)")
        }
    }
    print("READS \(reads) BAD \(bad)")
case "rebuild-peak":
    try ledger.register(EventTypeCounts())
    let sampler = PeakSampler()
    sampler.start()
    try await ledger.rebuild("event-type-counts")
    print("PEAK \(sampler.stop())")
case "import-peak":
    let sampler = PeakSampler()
    sampler.start()
    let result = try await JournalImport.importFile(at: arguments[3], into: ledger)
    let peak = sampler.stop()
    print("IMPORTED \(result.appended)")
    print("PEAK \(peak)")
    print("USED \(try ledger.statistics().usedBytes / 1024)")
case "breaches":
    // The journal sets the invalidator as the ledger's append rule and registers its index.
    _ = try SchoolJournal(ledger: ledger)
    let teachers: [AccountID] = ["teacher-a", "teacher-b", "teacher-c"]
    var notices = [(position: UInt64, id: EventID)]()
    var n = 0
    func entry(_ event: SchoolEvent, by actor: AccountID) throws -> NewEvent {
        try EventCoding.newEvent(JournalEntry(event: event, actor: actor, occurredAt: occurred))
    }
    while true {
        n += 1
        let who = teachers[Int.random(in: 0..<teachers.count)]
        var batch = [NewEvent]()
        switch Int.random(in: 0..<100) {
        case 0..<70:
            for _ in 0..<Int.random(in: 1...5) {
                n += 1
                batch.append(
                    try entry(
                        .markRecorded(
                            MarkRecorded(
                                markID: MarkID("M-\(getpid())-\(n)"), studentID: "S-1", lessonID: "L-1",
                                subjectID: "MATH", value: .numeric(1 + n % 5), weight: 1, workKind: .classwork)), by: who))
            }
        case 70..<85:
            let received = SystemClock().now().adding(microseconds: -Int64.random(in: 0...2_000_000))
            batch.append(
                try entry(
                    .compromiseReported(
                        CompromiseReported(
                            accountID: who, receivedByHeadAt: received, reportedBy: "head",
                            reporter: .head)), by: "head"))
        case 85..<95:
            batch.append(try entry(.credentialsReset(CredentialsReset(accountID: who, channel: .sms)), by: "support"))
        default:
            guard let notice = notices.randomElement() else { continue }
            notices.removeAll { $0.position == notice.position }
            batch.append(
                try entry(
                    .compromiseNoticeWithdrawn(
                        CompromiseNoticeWithdrawn(
                            noticeEventID: notice.id, noticePosition: notice.position,
                            reason: "ошибка")), by: "head"))
        }
        let result = try await ledger.append(batch)
        for (event, position) in zip(batch, result.positions) where event.type == "CompromiseReported" {
            notices.append((position, event.id))
        }
        acknowledge(batch, result)
    }
case "plain-batches":
    let inbox = arguments[3]
    var n = 1
    while true {
        let path = "\(inbox)/batch-\(n)"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            if FileManager.default.fileExists(atPath: "\(inbox)/stop") { exit(0) }
            usleep(1_000)
            continue
        }
        var lines = text.split(separator: "\n")
        batchClock.set(Instant(microsecondsSinceEpoch: Int64(lines.removeFirst())!))
        let events = lines.map { line -> NewEvent in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return NewEvent(
                id: EventID(f[0])!, stream: f[1], type: f[2], schemaVersion: UInt32(f[3])!, actor: f[4],
                occurredAt: Instant(microsecondsSinceEpoch: Int64(f[5])!), payload: Array(Data(base64Encoded: f[6])!))
        }
        acknowledge(events, try await ledger.append(events))
        say("DONE \(n)\n")
        n += 1
    }
case "plain-marks":
    // What another process or an older version does: appends school events without the rule.
    let count = Int(arguments[3])!
    let account = AccountID(arguments[4])
    for n in 0..<count {
        let mark = MarkRecorded(
            markID: MarkID("M-PLAIN-\(getpid())-\(n)"), studentID: "S-1", lessonID: "L-1", subjectID: "MATH",
            value: .numeric(2), weight: 1, workKind: .classwork)
        let events = [try EventCoding.newEvent(JournalEntry(event: .markRecorded(mark), actor: account, occurredAt: occurred))]
        acknowledge(events, try await ledger.append(events))
    }
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
