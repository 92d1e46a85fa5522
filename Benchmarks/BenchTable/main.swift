import Crypto
@_spi(Benchmarks) import EventLedger
import Foundation
import Synchronization
import LedgerLMDB
@_spi(Benchmarks) import SchoolLedger
import Workload

// Prints "figure | library | baseline | ratio | goal": each side measured in
// this process, one after the other, on the same workload (ContinuousClock).
//   swift run -c release BenchTable            full size (~1.4 M events)
//   swift run -c release BenchTable --quick    1/20 of the school
//   add --only-9 for figure 9's readers alone, three longer rounds (for a profiler);
//   add --only-3, --only-10 or --only-12 to run figure 3 (group commit), 10 (the year through SchoolJournal)
//   or 12 (the same with signatures) alone,
//   (--only-10 --models, --rows or --journal: that side of figure 10 alone, three times, for a profiler;
//   --only-10 --census: what the read models write, by database),
//   --only-report for the class report alone on the quick ledger (for a profiler),
//   --only-page for the logged journal page alone (for a profiler),
//   --only-1 for the library's appends alone (batch 10,000, three times: for a profiler; --batch N for
//   another batch, --floor for the stream floor's appends instead),
//   --only-4 for two rebuilds of the journal's read model (--only-4 --rows: a rebuild writing its rows alone)

let quick = CommandLine.arguments.contains("--quick")
let scale = quick ? 0.05 : 1.0
let clock = ContinuousClock()
let root = FileManager.default.temporaryDirectory.appendingPathComponent("schoolledger-benchtable-\(getpid())").path
try? FileManager.default.removeItem(atPath: root)
try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: root) }
/// Ends a run of one figure alone: `exit` skips the `defer` above, so the
/// ledgers under `root` are removed here (they filled /tmp before).
func finish() -> Never {
    try? FileManager.default.removeItem(atPath: root)
    exit(0)
}

struct Row { var figure: String; var library: String; var baseline: String; var ratio: String; var goal: String }
nonisolated(unsafe) var rows = [Row]()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func rate(_ n: Int, _ d: Duration) -> Double { Double(n) / seconds(d) }
func fmt(_ r: Double) -> String {
    r >= 1e6 ? String(format: "%.2f M/s", r / 1e6) : r >= 1e3 ? String(format: "%.1f k/s", r / 1e3) : String(format: "%.0f /s", r)
}
func say(_ s: String) { print(s); fflush(nil) }

let t0 = clock.now
let workload = SchoolYearWorkload.shared(scale: scale)
let all = workload.events
say("workload: scale \(scale), \(all.count) events, \(workload.students.count) students, \(workload.classes.count) classes, generated in \(clock.now - t0)")
if CommandLine.arguments.contains("--only-1") {
    let batch = CommandLine.arguments.firstIndex(of: "--batch").flatMap { Int(CommandLine.arguments[$0 + 1]) } ?? 10_000
    let floor = CommandLine.arguments.contains("--floor")
    for round in 0..<3 {
        let dir = root + "/only-1-\(round)"
        let took = floor ? try streamFloorAppend(all, batch: batch, dir: dir) : try await libraryAppend(all, batch: batch, dir: dir)
        say("\(floor ? "stream floor" : "library") append, batch \(batch): \(fmt(rate(all.count, took)))")
    }
    finish()
}
if CommandLine.arguments.contains("--only-4") {
    let dir = root + "/only-4"
    _ = try await libraryAppend(all, batch: 10_000, dir: dir)
    if CommandLine.arguments.contains("--rows") {
        let (took, raw, writes, events) = try await rebuildRowsAlone(dir)
        say("rebuild writing the index's \(writes) rows alone: \(fmt(rate(events, took))); raw LMDB writing them: \(fmt(rate(events, raw)))")
        finish()
    }
    let ledger = try EventLedger.open(at: dir)
    _ = try SchoolJournal(ledger: ledger)
    try await ledger.catchUpProjections()
    for _ in 0..<2 {
        let r0 = clock.now
        try await ledger.rebuild("journal-index")
        say("rebuild of journal-index: \(fmt(rate(all.count, clock.now - r0)))")
    }
    finish()
}
/// One query alone, three rounds of `n` calls through an IT session on the
/// whole workload, its index caught up: the profiling modes below.
func queryAlone(_ what: String, n: Int, unit: Double, _ call: (AccountSession, Int) throws -> Void) async throws -> Never {
    let dir = root + "/only-query"
    _ = try await libraryAppend(all, batch: 10_000, dir: dir)
    let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir))
    try await journal.ledger.catchUpProjections()
    let it = journal.trustedSession(for: "it-bench")
    for round in 0..<3 {
        let r0 = clock.now
        for i in 0..<n { try call(it, i) }
        say("\(what), round \(round): \(seconds(clock.now - r0) / Double(n) * unit) \(unit == 1e3 ? "ms" : "µs") each")
    }
    finish()
}
if CommandLine.arguments.contains("--only-page") {
    try await queryAlone("journal page (read-log entry included)", n: 1_000, unit: 1e6) { it, i in
        let target = TeachingTarget.class(workload.classes[i % workload.classes.count])
        _ = try it.journalPage(subject: workload.subjects[i % workload.subjects.count], target: target, period: SchoolYearWorkload.term)
    }
}
if CommandLine.arguments.contains("--only-report") {
    try await queryAlone("class report", n: 300, unit: 1e3) { it, i in
        _ = try it.analyticalReport(ofClass: workload.classes[i % workload.classes.count], period: SchoolYearWorkload.term)
    }
}
if CommandLine.arguments.contains("--only-3") || CommandLine.arguments.contains("--only-10")
    || CommandLine.arguments.contains("--only-12")
{  // one figure alone, while working on it
    if CommandLine.arguments.contains("--only-12") {
        await figure12()
    } else if CommandLine.arguments.contains("--only-3") {
        try await figure3()
    } else {
        await figure10(profiling: CommandLine.arguments.contains("--models") ? "models" : CommandLine.arguments.contains("--rows") ? "rows" : CommandLine.arguments.contains("--census") ? "census" : CommandLine.arguments.contains("--journal") ? "journal" : nil)
    }
    for r in rows { print("\(r.figure) | \(r.library) | \(r.baseline) | \(r.ratio) | \(r.goal)") }
    finish()
}

// MARK: Figure 9's readers

/// Runs `count` readers at once, each calling `body` `each` times (with
/// `reader * each + n`); the time from the start signal to the last end.
/// Each reader is a thread of its own: `DispatchQueue.concurrentPerform`
/// runs as many at once as there are cores (two here), so "16 readers"
/// were two, and a reader blocked on its entry's commit held one of them.
func readers(_ count: Int, each: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws -> Duration {
    let failure = Mutex<(any Error)?>(nil)
    let done = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    for reader in 0..<count {
        Thread {
            go.wait()
            do {
                for n in 0..<each { try body(reader * each + n) }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }.start()
    }
    let start = clock.now
    for _ in 0..<count { go.signal() }
    for _ in 0..<count { done.wait() }
    if let error = failure.withLock({ $0 }) { throw error }
    return clock.now - start
}

if CommandLine.arguments.contains("--only-9") {  // figure 9 alone, longer, for a profiler
    let dir = root + "/only-9"
    _ = try await libraryAppend(all, batch: 10_000, dir: dir)
    let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir))
    try await journal.ledger.catchUpProjections()
    let session = journal.trustedSession(for: "it-bench-readers")
    let students = workload.students, monday = CivilDate("2026-09-07")!
    // Figure 9's rotation of students and weeks.
    let diaryOf: @Sendable (Int) -> (StudentID, CivilDate) = { i in (students[(i * 37) % students.count], monday.adding(days: 7 * (i % 7))) }
    for round in 0..<3 {
        let each = 2_000
        let logged0 = try journal.readLog().count()
        let unlogged = try readers(16, each: each) { i in
            let (student, week) = diaryOf(i)
            _ = try journal.diary(of: student, from: week, to: week.adding(days: 6))
        }
        let logged = try readers(16, each: each) { i in
            let (student, week) = diaryOf(i)
            _ = try session.diary(of: student, from: week, to: week.adding(days: 6))
        }
        let entries = try journal.readLog().count() - logged0
        say("fig9 round \(round): 16 readers × \(each): unlogged \(fmt(rate(16 * each, unlogged))), logged \(fmt(rate(16 * each, logged))), \(entries) entries, ratio \(String(format: "%.3f", seconds(unlogged) / seconds(logged)))")
        figure9Limits(root: dir, each: each / 4, unloggedRate: rate(16 * each, unlogged))
    }
    for r in rows { print("\(r.figure) | \(r.library) | \(r.baseline) | \(r.ratio) | \(r.goal)") }
    finish()
}

// MARK: Figure 1 (and 8): batched append, library vs raw LMDB

/// The raw record: 16-byte id, 8-byte occurredAt, 4-byte schema version, then
/// stream, type, actor (each a 2-byte length and UTF-8), then the payload.
@inline(__always) func rawRecord(_ e: NewEvent, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    withUnsafeBytes(of: e.id.high.bigEndian) { out.append(contentsOf: $0) }
    withUnsafeBytes(of: e.id.low.bigEndian) { out.append(contentsOf: $0) }
    withUnsafeBytes(of: e.occurredAt.microsecondsSinceEpoch.bigEndian) { out.append(contentsOf: $0) }
    withUnsafeBytes(of: e.schemaVersion.bigEndian) { out.append(contentsOf: $0) }
    for s in [e.stream, e.type, e.actor] {
        let u = Array(s.utf8)
        withUnsafeBytes(of: UInt16(u.count).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: u)
    }
    out.append(contentsOf: e.payload)
}

/// The library appending `events`, `batch` to an append (a durable commit
/// each). Each batch is handed over as the array `append` takes, made before
/// the clock starts, as raw LMDB and the floors read theirs from `events` in
/// place: copying each batch into an array inside the timing was 4-8 % of
/// the library's samples in two profiles, a cost of this harness, not of the
/// ledger.
func libraryAppend(_ events: [NewEvent], batch: Int, dir: String) async throws -> Duration {
    let ledger = try EventLedger.open(at: dir)
    let batches = stride(from: 0, to: events.count, by: batch).map { Array(events[$0..<min($0 + batch, events.count)]) }
    let start = clock.now
    for events in batches { _ = try await ledger.append(events) }
    return clock.now - start
}

func rawEnvironment(_ dir: String) throws -> (Environment, Database) {
    var options = Environment.Options()
    options.mapSize = 64 << 20
    options.durability = .full
    let env = try Environment.open(directory: dir, options: options)
    let db = try env.openDatabase("log", create: true)
    return (env, db)
}

/// Writes `events` into a raw LMDB log at `dir`, `batch` to a durable
/// commit: `put` writes one event (its position given) in the transaction.
func rawBatches(_ events: [NewEvent], batch: Int, dir: String, extra: [String] = [],
                endBatch: (borrowing Transaction, [Database]) throws -> Void = { _, _ in },
                _ put: (borrowing Transaction, [Database], NewEvent, UInt64) throws -> Void) throws -> Duration {
    let (env, db) = try rawEnvironment(dir)
    let databases = try [db] + extra.map { try env.openDatabase($0, create: true) }
    let start = clock.now
    var i = 0
    var position: UInt64 = 0
    while i < events.count {
        let end = min(i + batch, events.count)
        try env.write { txn in
            for e in events[i..<end] {
                position += 1
                try put(txn, databases, e, position)
            }
            try endBatch(txn, databases)
        }
        i = end
    }
    return clock.now - start
}

/// Raw LMDB: each event's raw record under its position, in append mode.
func rawAppend(_ events: [NewEvent], batch: Int, dir: String) throws -> Duration {
    var record = [UInt8]()
    record.reserveCapacity(4096)
    return try rawBatches(events, batch: batch, dir: dir) { txn, db, e, position in
        rawRecord(e, into: &record)
        var key = position.bigEndian
        try withUnsafeBytes(of: &key) { k in
            try record.withUnsafeBytes { v in try txn.put(db[0], key: k, value: v, flags: .append) }
        }
    }
}

/// The floor under any hash-chained ledger with an id index: the raw record
/// with the previous record's SHA-256 appended, hashed (swift-crypto, as the
/// ledger does), put by position in append mode, and its id put in an id
/// index. What the library does beyond this (stream and actor heads, stream
/// versions, back-pointers, checkpoints) is its own cost; this is the limit
/// of figure 1's ratio for any design that keeps the chain and the id index.
func chainFloorAppend(_ events: [NewEvent], batch: Int, dir: String) throws -> Duration {
    var record = [UInt8]()
    record.reserveCapacity(4096)
    var previous = [UInt8](repeating: 0, count: 32)
    return try rawBatches(events, batch: batch, dir: dir, extra: ["ids"]) { txn, db, e, position in
        rawRecord(e, into: &record)
        try chainAndPut(txn, db, &record, previous: &previous, id: e.id, position: position)
    }
}

/// Appends the previous hash to `record`, hashes it (the new `previous`),
/// puts it by position in append mode (`db[0]`) and its id in the id index (`db[1]`).
@inline(__always) func chainAndPut(_ txn: borrowing Transaction, _ db: [Database], _ record: inout [UInt8], previous: inout [UInt8],
                                   id: EventID, position: UInt64) throws {
    record.append(contentsOf: previous)
    previous = SHA256.hash(data: record).withUnsafeBytes { Array($0) }
    var key = position.bigEndian
    try withUnsafeBytes(of: &key) { k in
        try record.withUnsafeBytes { v in try txn.put(db[0], key: k, value: v, flags: .append) }
        var idBytes = (id.high.bigEndian, id.low.bigEndian)
        try withUnsafeBytes(of: &idBytes) { idKey in try txn.put(db[1], key: idKey, value: k, flags: .noOverwrite) }
    }
}

/// The floor under a hash-chained ledger with an id index and stream
/// versions (what expected versions and a stream's back-pointers need): the
/// chain floor above, plus each event's stream version read from the
/// stream's head (kept in a dictionary through the batch, read from LMDB
/// the first time) and each actor's count, and the heads touched put once
/// at the end of each batch. This is the least the library's contract
/// writes, and the limit of figure 1's ratio for it.
func streamFloorAppend(_ events: [NewEvent], batch: Int, dir: String) throws -> Duration {
    var record = [UInt8]()
    record.reserveCapacity(4096)
    var previous = [UInt8](repeating: 0, count: 32)
    var streams = [String: (UInt64, UInt64)]()
    var actors = [String: (UInt64, UInt64)]()
    func head(_ txn: borrowing Transaction, _ db: Database, _ name: String, _ cache: inout [String: (UInt64, UInt64)]) throws -> (UInt64, UInt64) {
        if let cached = cache[name] { return cached }
        guard let stored = try Array(name.utf8).withUnsafeBytes({ try txn.get(db, key: $0) }) else { return (0, 0) }
        let number = { (at: Int) in stored[at..<(at + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        return (number(0), number(8))
    }
    func store(_ txn: borrowing Transaction, _ db: Database, _ cache: inout [String: (UInt64, UInt64)]) throws {
        for (name, value) in cache {
            var pair = (value.0.bigEndian, value.1.bigEndian)
            try Array(name.utf8).withUnsafeBytes { k in try withUnsafeBytes(of: &pair) { v in try txn.put(db, key: k, value: v) } }
        }
        cache.removeAll(keepingCapacity: true)
    }
    return try rawBatches(events, batch: batch, dir: dir, extra: ["ids", "streams", "actors"], endBatch: { txn, db in
        try store(txn, db[2], &streams)
        try store(txn, db[3], &actors)
    }) { txn, db, e, position in
        let stream = try head(txn, db[2], e.stream, &streams)
        let actor = try head(txn, db[3], e.actor, &actors)
        streams[e.stream] = (stream.0 + 1, position)
        actors[e.actor] = (actor.0 + 1, position)
        rawRecord(e, into: &record)
        withUnsafeBytes(of: (stream.0 + 1).bigEndian) { record.append(contentsOf: $0) }
        withUnsafeBytes(of: stream.1.bigEndian) { record.append(contentsOf: $0) }
        withUnsafeBytes(of: actor.1.bigEndian) { record.append(contentsOf: $0) }
        try chainAndPut(txn, db, &record, previous: &previous, id: e.id, position: position)
    }
}

/// The faster of two runs of `body` in fresh directories under `name`.
/// `inspect` sees each directory before it is removed.
func bestOf2(_ name: String, inspect: (String) -> Void = { _ in }, _ body: (String) throws -> Duration) throws -> Duration {
    var runs = [Duration]()
    for round in 0..<2 {
        let dir = root + "/\(name)-\(round)"
        runs.append(try body(dir))
        inspect(dir)
        try? FileManager.default.removeItem(atPath: dir)
    }
    return runs.min()!
}

func diskBytes(_ dir: String) -> (size: Int, allocated: Int) {
    var st = stat()
    guard stat(dir + "/data.mdb", &st) == 0 else { return (0, 0) }
    return (Int(st.st_size), Int(st.st_blocks) * 512)
}

/// Each of `variants` run `rounds` times, the order turning each round (A B C,
/// B C A, C A B), so a slow spell of a shared machine falls on each in turn;
/// the fastest run of each. `inspect` sees each run's directory before it is
/// removed; a variant's directory in `keep` is where its last round runs, and
/// it stays.
func bestOfRounds(_ name: String, rounds: Int = 3, keep: [Int: String] = [:], inspect: (Int, String) -> Void = { _, _ in },
                  _ variants: [(label: String, run: (String) async throws -> Duration)]) async throws -> [Duration]
{
    var times = Array(repeating: [Duration](), count: variants.count)
    for round in 0..<rounds {
        for k in 0..<variants.count {
            let v = (round + k) % variants.count
            let kept = round == rounds - 1 ? keep[v] : nil
            let dir = kept ?? root + "/\(name)-\(v)-\(round)"
            times[v].append(try await variants[v].run(dir))
            inspect(v, dir)
            if kept == nil { try? FileManager.default.removeItem(atPath: dir) }
        }
    }
    for (v, variant) in variants.enumerated() {
        say("  \(name) \(variant.label): runs \(times[v].map { String(format: "%.3f s", seconds($0)) })")
    }
    return times.map { $0.min()! }
}

let fullLogDir = root + "/lib-full"
let rawFullDir = root + "/raw-full"
var fullLogCount = 0
for batch in [100, 1_000, 10_000] {
    let count = quick ? all.count : min(all.count, batch == 100 ? 50_000 : batch == 1_000 ? 300_000 : all.count)
    let events = Array(all.prefix(count))
    // Raw LMDB, the library and the two floors in turn, twice, so that each
    // limit is read against the baseline of the same spells of the machine.
    var bytes = [Int](repeating: 0, count: 4)
    let best = try await bestOfRounds("append-\(batch)", rounds: 2, keep: batch == 10_000 ? [0: rawFullDir, 1: fullLogDir] : [:],
                                      inspect: { bytes[$0] = diskBytes($1).size }, [
        ("raw LMDB", { try rawAppend(events, batch: batch, dir: $0) }),
        ("library", { try await libraryAppend(events, batch: batch, dir: $0) }),
        ("chain floor", { try chainFloorAppend(events, batch: batch, dir: $0) }),
        ("stream floor", { try streamFloorAppend(events, batch: batch, dir: $0) }),
    ])
    let (r, l, floor, streamFloor) = (rate(count, best[0]), rate(count, best[1]), rate(count, best[2]), rate(count, best[3]))
    let (floorBytes, streamFloorBytes) = (bytes[2], bytes[3])
    say("fig1 batch \(batch): \(count) events, library \(fmt(l)), raw \(fmt(r))")
    rows.append(Row(figure: "1 append, batch \(batch) (\(count) ev)", library: fmt(l), baseline: "raw LMDB \(fmt(r))",
                    ratio: String(format: "%.3f", l / r), goal: "≥ 0.5"))
    // The limit of that ratio: raw LMDB doing what any hash chain with an id index must.
    say("fig1 limit batch \(batch): chain floor \(fmt(floor)), raw \(fmt(r)), library \(fmt(l))")
    rows.append(Row(figure: "1 limit: raw LMDB + SHA-256 chain + id index, batch \(batch)", library: "floor \(fmt(floor)) (library \(fmt(l)))",
                    baseline: "raw LMDB \(fmt(r))", ratio: String(format: "%.3f (library/floor %.2f)", floor / r, l / floor),
                    goal: "the ceiling of the ratio above"))
    say("fig1 limit with stream versions batch \(batch): \(fmt(streamFloor)), raw \(fmt(r)), library \(fmt(l))")
    rows.append(Row(figure: "1 limit: the chain floor + stream versions and heads, batch \(batch)",
                    library: "floor \(fmt(streamFloor)) (library \(fmt(l)))", baseline: "raw LMDB \(fmt(r))",
                    ratio: String(format: "%.3f (library/floor %.2f)", streamFloor / r, l / streamFloor),
                    goal: "the ceiling for a ledger with stream versions"))
    if batch == 10_000 {
        fullLogCount = count
        let (ls, la) = diskBytes(fullLogDir), (rs, ra) = diskBytes(rawFullDir)
        rows.append(Row(figure: "8 bytes on disk / event (\(count) ev)", library: "\(ls / count) B (alloc \(la / count))",
                        baseline: "raw LMDB \(rs / count) B (alloc \(ra / count))", ratio: String(format: "%.2f", Double(ls) / Double(rs)), goal: "≤ 1.6"))
        // The limit of that ratio: what any hash-chained log with an id index stores (the chain floor above).
        rows.append(Row(figure: "8 limit: raw LMDB + SHA-256 chain + id index, bytes / event", library: "floor \(floorBytes / count) B (library \(ls / count) B)",
                        baseline: "raw LMDB \(rs / count) B", ratio: String(format: "%.2f (library/floor %.2f)", Double(floorBytes) / Double(rs), Double(ls) / Double(floorBytes)),
                        goal: "the floor of the ratio above"))
        rows.append(Row(figure: "8 limit: the chain floor + stream versions and heads, bytes / event", library: "floor \(streamFloorBytes / count) B (library \(ls / count) B)",
                        baseline: "raw LMDB \(rs / count) B", ratio: String(format: "%.2f (library/floor %.2f)", Double(streamFloorBytes) / Double(rs), Double(ls) / Double(streamFloorBytes)),
                        goal: "the floor for a ledger with stream versions"))
        let payload = events.reduce(0) { $0 + $1.payload.count }
        say("fig8: library \(ls) B, raw \(rs) B, payload bytes \(payload) (\(payload / count) B/event)")
    }
}
// Caller-supplied random UUIDv4 ids.
for batch in [1_000, 10_000] {
    let count = quick ? all.count : min(all.count, batch == 1_000 ? 300_000 : 600_000)
    var events = Array(all.prefix(count))
    for i in events.indices { events[i].id = EventID.random() }
    let best = try await bestOfRounds("uuid-\(batch)", rounds: 2, [
        ("raw LMDB", { try rawAppend(events, batch: batch, dir: $0) }),
        ("library", { try await libraryAppend(events, batch: batch, dir: $0) }),
        ("chain floor", { try chainFloorAppend(events, batch: batch, dir: $0) }),
    ])
    let (r, l, floor) = (rate(count, best[0]), rate(count, best[1]), rate(count, best[2]))
    say("fig1 UUIDv4 batch \(batch): library \(fmt(l)), raw \(fmt(r))")
    rows.append(Row(figure: "1 append UUIDv4 ids, batch \(batch) (\(count) ev)", library: fmt(l), baseline: "raw LMDB \(fmt(r))",
                    ratio: String(format: "%.3f", l / r), goal: "≥ 0.25"))
    say("fig1 limit UUIDv4 batch \(batch): chain floor \(fmt(floor)), raw \(fmt(r)), library \(fmt(l))")
    rows.append(Row(figure: "1 limit: UUIDv4, raw LMDB + SHA-256 chain + id index, batch \(batch)",
                    library: "floor \(fmt(floor)) (library \(fmt(l)))", baseline: "raw LMDB \(fmt(r))",
                    ratio: String(format: "%.3f (library/floor %.2f)", floor / r, l / floor), goal: "the ceiling of the ratio above"))
}

// MARK: Figure 2: library vs SQLite through GRDB

for batch in [100, 1_000, 10_000] {
    let count = min(all.count, quick ? 20_000 : (batch == 100 ? 20_000 : batch == 1_000 ? 50_000 : 100_000))
    let events = Array(all.prefix(count))
    // GRDB, the library and (at 1,000 and 10,000) the two floors in turn, twice.
    var variants: [(label: String, run: (String) async throws -> Duration)] = [
        ("GRDB", { try grdbAppend(events, batch: batch, dir: $0) }),
        ("library", { try await libraryAppend(events, batch: batch, dir: $0) }),
    ]
    if batch >= 1_000 {
        variants += [
            ("chain floor", { try chainFloorAppend(events, batch: batch, dir: $0) }),
            ("stream floor", { try streamFloorAppend(events, batch: batch, dir: $0) }),
        ]
    }
    let best = try await bestOfRounds("grdb-\(batch)", rounds: 2, variants)
    let (r, l) = (rate(count, best[0]), rate(count, best[1]))
    say("fig2 batch \(batch): \(count) events, library \(fmt(l)), GRDB \(fmt(r))")
    rows.append(Row(figure: "2 append vs SQLite, batch \(batch) (\(count) ev)", library: fmt(l), baseline: "GRDB \(fmt(r))",
                    ratio: String(format: "%.1f", l / r), goal: batch >= 1_000 ? "≥ 4" : "-"))
    if batch >= 1_000 {
        // The limit of that ratio: the chain floor (raw LMDB + SHA-256 chain + id index) on the same events.
        let (floor, streamFloor) = (rate(count, best[2]), rate(count, best[3]))
        say("fig2 limit batch \(batch): chain floor \(fmt(floor)), GRDB \(fmt(r)), library \(fmt(l))")
        rows.append(Row(figure: "2 limit: raw LMDB + SHA-256 chain + id index vs SQLite, batch \(batch)",
                        library: "floor \(fmt(floor)) (library \(fmt(l)))", baseline: "GRDB \(fmt(r))",
                        ratio: String(format: "%.1f (library/floor %.2f)", floor / r, l / floor), goal: "the ceiling of the ratio above"))
        say("fig2 limit with stream versions batch \(batch): \(fmt(streamFloor)), GRDB \(fmt(r)), library \(fmt(l))")
        rows.append(Row(figure: "2 limit: the chain floor + stream versions and heads vs SQLite, batch \(batch)",
                        library: "floor \(fmt(streamFloor)) (library \(fmt(l)))", baseline: "GRDB \(fmt(r))",
                        ratio: String(format: "%.1f (library/floor %.2f)", streamFloor / r, l / streamFloor),
                        goal: "the ceiling for a ledger with stream versions"))
    }
}

// MARK: Figure 3: group commit

func figure3() async throws {
    let perTask = quick ? 30 : 200
    let tasks = 64
    let sequentialCount = quick ? 300 : 1_500
    let events = Array(all.prefix(tasks * perTask + sequentialCount))
    /// 64 tasks, each awaiting its appends one at a time; `mine(t)` gives task t's events.
    func concurrent(_ dir: String, _ mine: @escaping @Sendable (Int) -> [NewEvent]) async throws -> Duration {
        let ledger = try EventLedger.open(at: dir)
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks { group.addTask { for e in mine(t) { _ = try await ledger.append(e) } } }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        // A commit's appends share its instant: the commits are the distinct
        // instants. The ceiling assumes every commit full (64 events).
        let commits = Set(try ledger.events().map(\.recordedAt)).count
        say("fig3: \(dir.split(separator: "/").last!): \(commits) commits, \(String(format: "%.1f", Double(tasks * perTask) / Double(commits))) events each")
        return elapsed
    }
    // Each figure is the best of four rounds (a round takes about a second
    // at full size); the rounds alternate, so the disk's slow moments fall
    // on all of them alike. With two, one slow spell of the disk decided the
    // ratio: 24.8 to 31.8 on the same build.
    var seq = [Duration](), conc = [Duration](), scatter = [Duration](), full = [Duration]()
    for round in 0..<4 {
        let seqLedger = try EventLedger.open(at: root + "/gc-seq-\(round)")
        let s0 = clock.now
        for e in events.suffix(sequentialCount) { _ = try await seqLedger.append(e) }
        seq.append(clock.now - s0)
        // Task t appends events t, t + 64, t + 128, ...: the tasks are
        // clients appending the school's events as they happen, so a
        // commit's 64 events are neighbours in time (and their time-ordered
        // ids neighbours in the id index), as the ceiling's batches are.
        conc.append(
            try await concurrent(root + "/gc-conc-\(round)") { t in stride(from: t, to: tasks * perTask, by: tasks).map { events[$0] } })
        // The same tasks, each on a part of the year of its own: a commit's
        // 64 ids lie far apart in the id index, so each dirties a page of its
        // own. No client writes that way; the row shows what the scatter costs.
        scatter.append(try await concurrent(root + "/gc-scattered-\(round)") { t in Array(events[(t * perTask)..<((t + 1) * perTask)]) })
        // The limit of the ratio: every commit full, as if the 64 tasks'
        // appends always met in one commit (batches of 64 appended one after
        // another, no task waiting or waking).
        full.append(try await libraryAppend(Array(events.prefix(tasks * perTask)), batch: tasks, dir: root + "/gc-full-\(round)"))
    }
    let s = rate(sequentialCount, seq.min()!)
    let (c, scattered) = (rate(tasks * perTask, conc.min()!), rate(tasks * perTask, scatter.min()!))
    let ceiling = rate(tasks * perTask, full.min()!)
    say("fig3: 64 tasks \(fmt(c)), scattered \(fmt(scattered)), sequential \(fmt(s)), batches of \(tasks) \(fmt(ceiling))")
    rows.append(Row(figure: "3 group commit, 64 tasks × \(perTask) single appends", library: fmt(c),
                    baseline: "1 event/commit \(fmt(s))", ratio: String(format: "%.1f", c / s), goal: "≥ 25"))
    rows.append(Row(figure: "3 (the same, each task on its own part of the year: ids scattered)", library: fmt(scattered),
                    baseline: "1 event/commit \(fmt(s))", ratio: String(format: "%.1f", scattered / s), goal: "—"))
    rows.append(Row(figure: "3 limit: every commit full (batches of \(tasks), one after another)", library: "ceiling \(fmt(ceiling)) (64 tasks \(fmt(c)))",
                    baseline: "1 event/commit \(fmt(s))", ratio: String(format: "%.1f (64 tasks/ceiling %.2f)", ceiling / s, c / ceiling),
                    goal: "the ceiling of the ratio above"))
}
try await figure3()

// MARK: Figure 4/5: rebuild of journal-index vs raw cursor scan

/// Resident anonymous memory in MiB (`RssAnon`): the heap, not the file
/// pages of the LMDB map, which the kernel can drop at will.
func anonymousMiB() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }) else { return -1 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

/// Samples `anonymousMiB()` every 2 ms on a thread of its own while `body`
/// runs; returns the body's result and the peak.
func peakAnonymousMiB<R>(during body: () async throws -> R) async rethrows -> (R, Int) {
    let peak = Mutex(anonymousMiB())
    let done = Mutex(false)
    let sampler = Thread {
        while !done.withLock({ $0 }) {
            let now = anonymousMiB()
            peak.withLock { $0 = max($0, now) }
            usleep(2_000)
        }
    }
    sampler.start()
    let result = try await body()
    done.withLock { $0 = true }
    let now = anonymousMiB()
    return (result, peak.withLock { max($0, now) })
}

/// Where figure 4's rows end in the table, and its rebuild and scan rates:
/// its limit with the journal index's own rows is measured after figure 9
/// (`rebuildRowsAlone`), on the same ledger, and put there.
var figure4: (row: Int, rebuild: Double, scan: Double)?
do {
    // Room for the journal index four times over (the copy without history
    // below, and the recorded copy and its replay after figure 9).
    var wide = EventLedger.Options()
    wide.maxDatabases = 512
    let ledger = try EventLedger.open(at: fullLogDir, options: wide)
    let journal = try SchoolJournal(ledger: ledger)
    let b0 = clock.now
    try await ledger.catchUpProjections()
    say("initial catch-up of the journal's projections: \(clock.now - b0)")
    let before = anonymousMiB()
    let (rebuild, peak) = try await peakAnonymousMiB {
        let r0 = clock.now
        try await ledger.rebuild("journal-index")
        return clock.now - r0
    }
    let (env, db) = try rawEnvironment(rawFullDir)
    var scanned = 0, bytes = 0
    let s0 = clock.now
    try env.read { txn in
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let e = entry { scanned += 1; bytes &+= e.value.count; entry = try cursor.next() }
        }
    }
    let scan = clock.now - s0
    precondition(scanned == fullLogCount)
    let (l, r) = (rate(fullLogCount, rebuild), rate(scanned, scan))
    say("fig4: rebuild \(fmt(l)) (\(rebuild)), scan \(fmt(r)); anonymous memory before \(before) MiB, peak during rebuild \(peak) MiB")
    rows.append(Row(figure: "4 rebuild of every read model (journal-index, the one the journal registers; \(fullLogCount) ev)", library: fmt(l), baseline: "raw cursor scan \(fmt(r))",
                    ratio: String(format: "%.4f", l / r), goal: "≥ 0.1"))
    rows.append(Row(figure: "5 memory during rebuild", library: "peak anon \(peak) MiB", baseline: "anon before \(before) MiB",
                    ratio: "+\(peak - before) MiB", goal: "flat"))
    // What keeping the rows' history costs on disk: the journal index with
    // its history against the same model without it, built beside it.
    do {
        try ledger.register(SchoolJournal.index(named: "journal-index-plain", keepsHistory: false))
        try await ledger.catchUpProjections()
        let databases = try ledger.statistics().databases
        func bytes(_ model: String) -> Int { databases.filter { $0.key.hasPrefix("proj.\(model).") }.values.reduce(0) { $0 + $1.bytes } }
        let (kept, plain) = (bytes("journal-index"), bytes("journal-index-plain"))
        let history = databases["proj.journal-index.~history"]
        say("history: journal-index \(kept) B (history \(history?.bytes ?? 0) B, \(history?.entries ?? 0) versions), without history \(plain) B")
        rows.append(Row(figure: "2 rows with history, bytes (journal-index)", library: "\(kept / 1_048_576) MiB",
                        baseline: "without history \(plain / 1_048_576) MiB", ratio: String(format: "%.2f", Double(kept) / Double(max(plain, 1))),
                        goal: "≤ 1.5"))
    }

    // The limit of that ratio for any model that keeps a diary row per
    // student and lesson: each roll-call fact and each mark rewrites its
    // student's row (key student, date, number, lesson; a 64-byte value), put
    // with raw LMDB in the log's order, 20,000 events per durable commit (as
    // the rebuild commits). The
    // keys are worked out before the clock starts: this is the writes alone.
    do {
        var lessonAt = [LessonID: (CivilDate, Int)]()
        var keys = [(event: Int, key: [UInt8])]()
        for (n, e) in all.prefix(fullLogCount).enumerated() where e.type == "LessonScheduled" || e.type == "AttendanceMarked" || e.type == "MarkRecorded" {
            func key(_ student: StudentID, _ lesson: LessonID) -> [UInt8] {
                let (date, number) = lessonAt[lesson]!
                return Array("\(student.rawValue)\0\(date)\0\(number)\0\(lesson.rawValue)".utf8)
            }
            switch try EventCoding.event(payload: e.payload, schemaVersion: e.schemaVersion) {
            case .lessonScheduled(let s): lessonAt[s.lessonID] = (s.date, s.lessonNumber)
            case .attendanceMarked(let a): keys.append((n, key(a.studentID, a.lessonID)))
            case .markRecorded(let m): keys.append((n, key(m.studentID, m.lessonID)))
            default: break
            }
        }
        let value = [UInt8](repeating: 0xA5, count: 64)
        let floor = try bestOf2("rows-floor") { dir in
            var options = Environment.Options()
            options.mapSize = 4 << 30
            let env = try Environment.open(directory: dir, options: options)
            let db = try env.openDatabase("diary-rows", create: true)
            let start = clock.now
            var k = 0
            for chunk in stride(from: 0, to: fullLogCount, by: 20_000) {
                try env.write { txn in
                    while k < keys.count, keys[k].event < chunk + 20_000 {
                        try keys[k].key.withUnsafeBytes { key in try value.withUnsafeBytes { v in try txn.put(db, key: key, value: v) } }
                        k += 1
                    }
                }
            }
            return clock.now - start
        }
        let limit = rate(fullLogCount, floor)
        say("fig4 limit: \(keys.count) diary-row writes for \(fullLogCount) events in \(floor): \(fmt(limit)), scan \(fmt(r))")
        rows.append(Row(figure: "4 limit: raw LMDB writing one diary row per roll-call fact and mark (\(keys.count) puts)",
                        library: "floor \(fmt(limit)) (rebuild \(fmt(l)))", baseline: "raw cursor scan \(fmt(r))",
                        ratio: String(format: "%.4f (rebuild/floor %.2f)", limit / r, l / limit), goal: "the ceiling of the ratio above"))
    }
    figure4 = (row: rows.count, rebuild: l, scan: r)

    // MARK: Figure 7: query latency on the rebuilt read model
    func us(_ x: Double) -> String { x < 1e-3 ? String(format: "%.0f µs", x * 1e6) : String(format: "%.2f ms", x * 1e3) }
    /// p50, p99 and the count of up to `iterations` timed calls (3 s / 10 s budget), after a warm-up.
    func percentiles(iterations: Int, _ body: (Int) throws -> Void) throws -> (p50: Double, p99: Double, n: Int) {
        try interleaved(iterations: iterations, body, nil).library
    }
    /// The same, timing `other` (a baseline) right after each call of
    /// `body` on the same input, so that the machine's drift during the
    /// measurement weighs on both alike (twice the time budget).
    func interleaved(iterations: Int, _ body: (Int) throws -> Void, _ other: ((Int) throws -> Void)?) throws
        -> (library: (p50: Double, p99: Double, n: Int), baseline: (p50: Double, p99: Double, n: Int)?)
    {
        try body(0)
        try other?(0)
        var samples = [Double](), others = [Double]()
        let budget = clock.now + .seconds((quick ? 3 : 10) * (other == nil ? 1 : 2))
        for i in 0..<iterations where clock.now < budget {
            let q0 = clock.now
            try body(i)
            let q1 = clock.now
            samples.append(seconds(q1 - q0))
            if let other {
                try other(i)
                others.append(seconds(clock.now - q1))
            }
        }
        func stats(_ x: [Double]) -> (p50: Double, p99: Double, n: Int) {
            let sorted = x.sorted()
            return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)], sorted.count)
        }
        return (stats(samples), other == nil ? nil : stats(others))
    }
    /// A query against its goal, or against a baseline measured now: the
    /// ratio is goal / p50 (or baseline p50 / p50): 1 or more meets it.
    @discardableResult
    func latency(_ name: String, goal: String, goalSeconds: Double?, baseline: (name: String, body: (Int) throws -> Void)? = nil,
                 iterations: Int, _ body: (Int) throws -> Void) -> Double? {
        do {
            let (q, base) = try interleaved(iterations: iterations, body, baseline?.body)
            say("fig7 \(name): n \(q.n), p50 \(us(q.p50)), p99 \(us(q.p99))" + (base.map { ", baseline p50 \(us($0.p50))" } ?? ""))
            let reference = goalSeconds ?? base?.p50
            let shown = [goalSeconds.map { "goal \(us($0))" }, base.map { "\(baseline!.name) p50 \(us($0.p50))" }].compactMap { $0 }
            rows.append(Row(figure: "7 \(name) (n \(q.n))", library: "p50 \(us(q.p50)), p99 \(us(q.p99))",
                            baseline: shown.isEmpty ? "-" : shown.joined(separator: "; "),
                            ratio: reference.map { String(format: "%.3f", $0 / q.p50) } ?? "-", goal: goal))
            return q.p50
        } catch {
            say("fig7 \(name): \(error)")
            rows.append(Row(figure: "7 \(name)", library: "error: \(error)", baseline: "-", ratio: "-", goal: goal))
            return nil
        }
    }
    let students = workload.students, classes = workload.classes
    let monday = CivilDate("2026-09-07")!
    // Every view below goes through a session and writes its read-log entry.
    let it = journal.trustedSession(for: "it-bench")
    latency("diary, a student's week (read log included)", goal: "< 100 µs", goalSeconds: 100e-6, iterations: 2_000) { i in
        let week = monday.adding(days: 7 * (i % 7))
        _ = try it.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6))
    }
    // The limit of that row: a read that returns only once its read-log
    // entry is durable costs at least one durable LMDB commit (an fsync on
    // this disk). Measured here: one 200-byte value (about an entry's size)
    // a commit, in an environment of its own with full durability.
    do {
        let (env, db) = try rawEnvironment(root + "/fig7-durable-floor")
        let value = [UInt8](repeating: 0x5A, count: 200)
        var position: UInt64 = 0
        let floor = try percentiles(iterations: 2_000) { _ in
            position += 1
            let key = withUnsafeBytes(of: position.bigEndian) { Array($0) }
            try env.write { txn in try txn.put(db, key: key, value: value, flags: .append) }
        }
        say("fig7 limit: one durable commit of one entry: n \(floor.n), p50 \(us(floor.p50)), p99 \(us(floor.p99))")
        rows.append(Row(figure: "7 limit: one durable LMDB commit of a 200-byte entry, the floor of a logged read (n \(floor.n))",
                        library: "p50 \(us(floor.p50)), p99 \(us(floor.p99))", baseline: "goal 100 µs",
                        ratio: String(format: "%.3f", 100e-6 / floor.p50), goal: "< 100 µs (for the logged diary)"))
    } catch {
        rows.append(Row(figure: "7 limit: one durable commit", library: "error: \(error)", baseline: "-", ratio: "-", goal: "-"))
    }
    // The query alone (no read-log entry), against its goal and against the
    // same diaries read from a GRDB read model filled with the same rows.
    latency("diary, a student's week, the query alone", goal: "< 100 µs", goalSeconds: 100e-6, iterations: 2_000) { i in
        let week = monday.adding(days: 7 * (i % 7))
        _ = try journal.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6))
    }
    do {
        let grdb = try GRDBDiary(dir: root + "/grdb-diary")
        var asked = [StudentDiary]()
        for student in students {
            for w in 0..<7 {
                let week = monday.adding(days: 7 * w)
                asked.append(try journal.diary(of: student, from: week, to: week.adding(days: 6)))
            }
        }
        try grdb.fill(asked)
        for diary in asked {
            let theirs = try grdb.diary(of: diary.studentID, from: diary.from, to: diary.to)
            guard theirs == GRDBDiary.form(diary) else {
                fatalError("the GRDB read model answers \(diary.studentID) \(diary.from) otherwise: \(theirs) against \(GRDBDiary.form(diary))")
            }
        }
        say("fig7 GRDB diary baseline: \(asked.count) diaries stored and checked equal")
        latency("diary, a student's week, vs GRDB", goal: "≥ 1 (faster than GRDB)", goalSeconds: nil,
                baseline: ("GRDB read model", { i in
                    let week = monday.adding(days: 7 * (i % 7))
                    _ = try grdb.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6))
                }), iterations: 2_000) { i in
            let week = monday.adding(days: 7 * (i % 7))
            _ = try journal.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6))
        }
    } catch {
        say("fig7 GRDB diary baseline: \(error)")
    }
    let pageOf: (Int) -> (SubjectID, TeachingTarget) = { i in
        (workload.subjects[i % workload.subjects.count], .class(classes[i % classes.count]))
    }
    let pageNow = latency("journalPage, class × subject, a term", goal: "< 1 ms", goalSeconds: 1e-3, iterations: 500) { i in
        let (subject, target) = pageOf(i)
        _ = try it.journalPage(subject: subject, target: target, period: SchoolYearWorkload.term)
    }
    do {
        let grdb = try GRDBJournalPage(dir: root + "/grdb-page")
        // Each mark's weight (the page shows values only), from the marks view.
        var weights = [GRDBJournalPage.MarkKey: Int]()
        for student in students {
            for subjectMarks in try it.marks(of: student, period: SchoolYearWorkload.term).subjects {
                for mark in subjectMarks.marks where !mark.isCancelled {
                    let key = GRDBJournalPage.MarkKey(lesson: mark.lessonID.rawValue, student: student.rawValue, value: mark.value.text)
                    precondition(weights.updateValue(mark.weight, forKey: key) == nil, "two marks of one value in one cell: \(key)")
                }
            }
        }
        var asked = [JournalPage]()
        for i in 0..<(classes.count * workload.subjects.count) {
            let (subject, target) = pageOf(i)
            let page = try journal.journalPage(subject: subject, target: target, period: SchoolYearWorkload.term)
            try grdb.fill(page, weights: weights)
            asked.append(page)
        }
        for page in asked {
            let theirs = try grdb.page(subject: page.subjectID, target: page.target, from: page.from, to: page.to)
            guard theirs == GRDBJournalPage.form(page) else {
                fatalError("the GRDB read model answers the page \(page.target) \(page.subjectID) otherwise: \(theirs) against \(GRDBJournalPage.form(page))")
            }
        }
        say("fig7 GRDB page baseline: \(asked.count) pages stored and checked equal")
        let term = asked.first.map { ($0.from, $0.to) }!
        latency("journalPage, a term, vs GRDB", goal: "≥ 1 (faster than GRDB)", goalSeconds: nil,
                baseline: ("GRDB read model", { i in
                    let (subject, target) = pageOf(i)
                    _ = try grdb.page(subject: subject, target: target.description, from: term.0, to: term.1)
                }), iterations: 500) { i in
            let (subject, target) = pageOf(i)
            _ = try journal.journalPage(subject: subject, target: target, from: term.0, to: term.1)
        }
    } catch {
        say("fig7 GRDB page baseline: \(error)")
    }
    // The report summarises a class's term in every subject: its goal is
    // 5 ms; reading those journal pages, one per subject, is shown beside it.
    let reportNow = latency("analyticalReport, a class, a term", goal: "≤ 5 ms", goalSeconds: 5e-3,
            baseline: ("the class's \(workload.subjects.count) journal pages", { i in
                for subject in workload.subjects {
                    _ = try it.journalPage(subject: subject, target: .class(classes[i % classes.count]), period: SchoolYearWorkload.term)
                }
            }), iterations: 100) { i in
        _ = try it.analyticalReport(ofClass: classes[i % classes.count], period: SchoolYearWorkload.term)
    }
    // The same three as of a random past position, against their figure now:
    // the ratio is 2 × now / as-of, so 1 or more meets "within 2x".
    do {
        let tail = try ledger.read { try $0.lastPosition() }
        var generator = SplitMix64(seed: 0xA5_0F)
        // Past the first 5 % of the year, where every class is formed (earlier, a
        // report for a class not yet formed is rightly refused).
        let past = (0..<500).map { _ in tail / 20 + 1 + generator.next() % (tail - tail / 20) }
        let diaryNow = latency("diary as of now, the query alone (for the as-of figure)", goal: "-", goalSeconds: nil, iterations: 2_000) { i in
            let week = monday.adding(days: 7 * (i % 7))
            _ = try journal.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6))
        }
        for (name, now, body) in [
            ("diary, a student's week", diaryNow, { (i: Int) throws in
                let week = monday.adding(days: 7 * (i % 7))
                _ = try journal.diary(of: students[(i * 37) % students.count], from: week, to: week.adding(days: 6), asOf: .position(past[i % past.count]))
            }),
            ("journalPage, a term", pageNow, { (i: Int) throws in
                let (subject, target) = pageOf(i)
                _ = try it.journalPage(subject: subject, target: target, period: SchoolYearWorkload.term, asOf: .position(past[i % past.count]))
            }),
            ("analyticalReport, a class, a term", reportNow, { (i: Int) throws in
                _ = try it.analyticalReport(ofClass: classes[i % classes.count], period: SchoolYearWorkload.term, asOf: .position(past[i % past.count]))
            }),
        ] as [(String, Double?, (Int) throws -> Void)] {
            guard let now else { continue }
            latency("\(name) as of a random past position", goal: "≤ 2× now (\(us(now)))", goalSeconds: 2 * now, iterations: 500, body)
        }
    }

    // MARK: Figure 9: the read log's cost. Readers at once, each reading
    // diaries: through sessions (each read appends its entry; concurrent
    // entries share one durable commit) against the same diaries unlogged.
    let diaryOf: @Sendable (Int) -> (StudentID, CivilDate) = { i in (students[(i * 37) % students.count], monday.adding(days: 7 * (i % 7))) }
    var unlogged16: Double?
    for count in [1, 16] {
        do {
            let each = quick ? 150 : 500
            let session = journal.trustedSession(for: "it-bench-readers")
            let logged0 = try journal.readLog().count()
            let unlogged = try readers(count, each: each) { i in
                let (student, week) = diaryOf(i)
                _ = try journal.diary(of: student, from: week, to: week.adding(days: 6))
            }
            let logged = try readers(count, each: each) { i in
                let (student, week) = diaryOf(i)
                _ = try session.diary(of: student, from: week, to: week.adding(days: 6))
            }
            let entries = try journal.readLog().count() - logged0
            let total = count * each
            if count == 16 { unlogged16 = rate(total, unlogged) }
            say("fig9 \(count) readers: \(total) diaries unlogged \(unlogged), logged \(logged), \(entries) entries")
            rows.append(Row(figure: "9 diary + read-log entry, \(count) reader\(count == 1 ? "" : "s") (\(entries) entries)",
                            library: fmt(rate(total, logged)), baseline: "diary alone \(fmt(rate(total, unlogged)))",
                            ratio: String(format: "%.3f", seconds(unlogged) / seconds(logged)), goal: count == 1 ? "-" : "≥ 0.833 (≤ 1.2×)"))
        } catch {
            rows.append(Row(figure: "9 read log, \(count) readers", library: "error: \(error)", baseline: "-", ratio: "-", goal: "≥ 0.833"))
        }
    }
    figure9Limits(root: root, each: quick ? 150 : 500, unloggedRate: unlogged16)
}

// Figure 4's limit with the index's own rows: a rebuild that writes them
// and decides nothing.
if let figure4 {
    do {
        let (took, raw, writes, events) = try await rebuildRowsAlone(fullLogDir)
        let (limit, rawLimit) = (rate(events, took), rate(events, raw))
        let perEvent = String(format: "%.2f", Double(writes) / Double(events))
        say("fig4 limit: the index's \(writes) writes alone through a rebuild of \(events) events in \(took): \(fmt(limit)); raw LMDB \(fmt(rawLimit)); scan \(fmt(figure4.scan)), rebuild \(fmt(figure4.rebuild))")
        rows.insert(contentsOf: [
            Row(figure: "4 limit: a rebuild writing the journal index's own rows and deciding nothing (\(writes) puts and deletes, \(perEvent) an event, history filed as the index files it)",
                library: "rows alone \(fmt(limit)) (rebuild \(fmt(figure4.rebuild)))", baseline: "raw cursor scan \(fmt(figure4.scan))",
                ratio: String(format: "%.4f (rebuild/rows %.2f)", limit / figure4.scan, figure4.rebuild / limit),
                goal: "the ceiling of the ratio for a rebuild that writes these rows"),
            Row(figure: "4 limit: raw LMDB writing the same rows in order, 20,000 events' worth a commit (no log read, no history)",
                library: "raw rows \(fmt(rawLimit)) (rebuild \(fmt(figure4.rebuild)))", baseline: "raw cursor scan \(fmt(figure4.scan))",
                ratio: String(format: "%.4f (rebuild/raw rows %.2f)", rawLimit / figure4.scan, figure4.rebuild / rawLimit),
                goal: "the ceiling for any LMDB store of these rows"),
        ], at: figure4.row)
    } catch {
        say("fig4 limit, the rows alone: \(error)")
    }
}

/// Figure 9's limits, measured beside it: how many entries 16 threads get
/// durable a second with no query at all, through the read log itself and
/// through the least any durable log does (one write and one `fdatasync` a
/// group of entries, in a file written once ahead). Logged diaries at 16
/// readers cannot outrun their entries, so each rate over the diary alone
/// bounds the ratio that design can reach.
func figure9Limits(root: String, each: Int, unloggedRate: Double?) {
    let threads = 16, count = 16 * each * 4
    // Each measure in a fresh file: the rounds of `--only-9` call this again.
    for name in ["fig9-log-alone", "fig9-lmdb-group", "fig9-one-flush"] { try? FileManager.default.removeItem(atPath: root + "/" + name) }
    func row(_ name: String, _ body: () throws -> Duration) {
        do {
            let took = try body()
            let entries = rate(count, took)
            say("fig9 limit \(name): \(count) entries in \(took)")
            rows.append(Row(figure: "9 limit: \(name), 16 threads, no query", library: fmt(entries),
                            baseline: unloggedRate.map { "diary alone \(fmt($0))" } ?? "-",
                            ratio: unloggedRate.map { String(format: "%.3f", entries / $0) } ?? "-",
                            goal: "the ratio's ceiling for that design (goal ≥ 0.833)"))
        } catch {
            rows.append(Row(figure: "9 limit: \(name)", library: "error: \(error)", baseline: "-", ratio: "-", goal: "-"))
        }
    }
    row("the read log's entries alone") {
        let log = try ReadLog.open(at: root + "/fig9-log-alone")
        let subjects = [DataSubject.student(StudentID("S-1001"))]
        return try readers(threads, each: count / threads) { i in
            try log.record(account: "it-bench-readers", view: "diary", subjects: subjects, rightsChecked: false,
                           context: RequestContext(), detail: "2026-09-07...2026-09-13 #\(i)")
        }
    }
    let entry = [UInt8](repeating: 0x5A, count: 200)
    row("one durable LMDB commit a group (raw LMDB)") {
        let log = try GroupFlushLog.rawLMDB(directory: root + "/fig9-lmdb-group")
        defer { log.close() }
        return try readers(threads, each: count / threads) { _ in log.append(entry) }
    }
    row("one write and one fdatasync a group (raw file)") {
        let log = try GroupFlushLog.rawFile(path: root + "/fig9-one-flush", capacity: count * 256 + (1 << 20))
        defer { log.close() }
        return try readers(threads, each: count / threads) { _ in log.append(entry) }
    }
}

/// The least a durable log of reads does: entries queue; a thread of its
/// own hands every entry queued to `flush` at once (one durable write for
/// the group), then wakes the threads whose entries it carried. No hash,
/// no record format: only the durable write.
final class GroupFlushLog: Sendable {
    private struct Waiting {
        var entry: [UInt8]
        var wake: DispatchSemaphore
    }
    private let queue = Mutex<(waiting: [Waiting], closed: Bool)>(([], false))
    private let work = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let flush: @Sendable ([[UInt8]]) throws -> Void

    init(flush: @escaping @Sendable ([[UInt8]]) throws -> Void) {
        self.flush = flush
        Thread { self.write() }.start()
    }

    /// The writing thread: each group queued, flushed once.
    private func write() {
        while true {
            work.wait()
            let (batch, closed) = queue.withLock { q in
                defer { q.waiting.removeAll() }
                return (q.waiting, q.closed)
            }
            if batch.isEmpty {
                if closed { break } else { continue }
            }
            do { try flush(batch.map(\.entry)) } catch { fatalError("the group-flush floor could not write: \(error)") }
            for waiting in batch { waiting.wake.signal() }
        }
        stopped.signal()
    }

    /// Stops the writing thread.
    func close() {
        queue.withLock { $0.closed = true }
        work.signal()
        stopped.wait()
    }

    /// Returns once `entry` is durable.
    func append(_ entry: [UInt8]) {
        let wake = DispatchSemaphore(value: 0)
        queue.withLock { $0.waiting.append(Waiting(entry: entry, wake: wake)) }
        work.signal()
        wake.wait()
    }

    /// One `pwrite` and one `fdatasync` a group, into a file at `path`
    /// written to `capacity` bytes ahead and synced, so that no write
    /// changes the file's metadata.
    static func rawFile(path: String, capacity: Int) throws -> GroupFlushLog {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var written = 0
        while written < capacity {
            let n = zeros.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, min($0.count, capacity - written)) }
            guard n > 0 else { throw POSIXError(.EIO) }
            written += n
        }
        guard fsync(fd) == 0 else { throw POSIXError(.EIO) }
        let offset = Mutex<off_t>(0)  // only the writing thread moves it
        return GroupFlushLog { batch in
            let bytes = batch.flatMap { $0 }
            let at = offset.withLock { o in defer { o += off_t(bytes.count) }; return o }
            let wrote = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, at) }
            guard wrote == bytes.count, fdatasync(fd) == 0 else { throw POSIXError(.EIO) }
        }
    }

    /// One durable LMDB commit a group (LMDB syncs its data, then its meta page).
    static func rawLMDB(directory: String) throws -> GroupFlushLog {
        let (env, db) = try rawEnvironment(directory)
        let position = Mutex<UInt64>(0)
        return GroupFlushLog { batch in
            try env.write { txn in
                for entry in batch {
                    let key = position.withLock { p in p += 1; return withUnsafeBytes(of: p.bigEndian) { Array($0) } }
                    try txn.put(db, key: key, value: entry, flags: .append)
                }
            }
        }
    }
}

// MARK: Figure 5: growth, scale 1 and 4 (rebuild time and memory)

/// Appends `events` to a new relaxed ledger at `dir` in batches of 10,000 (untimed set-up).
func load(_ events: [NewEvent], into dir: String) async throws {
    var options = EventLedger.Options()
    options.durability = .relaxed
    let ledger = try EventLedger.open(at: dir, options: options)
    var i = 0
    while i < events.count {
        let end = min(i + 10_000, events.count)
        _ = try await ledger.append(Array(events[i..<end]))
        i = end
    }
    try ledger.sync()
}

/// Rebuilds journal-index of the ledger at `dir`: (time, anonymous memory
/// before and at its peak during the rebuild, in MiB).
func timedRebuild(_ dir: String) async throws -> (Duration, Int, Int) {
    let ledger = try EventLedger.open(at: dir)
    _ = try SchoolJournal(ledger: ledger)
    try await ledger.catchUpProjections()
    let before = anonymousMiB()
    let (elapsed, peak) = try await peakAnonymousMiB {
        let r0 = clock.now
        try await ledger.rebuild("journal-index")
        return clock.now - r0
    }
    return (elapsed, before, peak)
}

let grownDir = root + "/lib-grown"
do {
    let big = SchoolYearWorkload.shared(scale: scale * 4)
    say("workload ×4: \(big.events.count) events")
    try await load(big.events, into: grownDir)
    let (small, smallBefore, smallPeak) = try await timedRebuild(fullLogDir)
    let (large, largeBefore, largePeak) = try await timedRebuild(grownDir)
    let ratio = seconds(large) / seconds(small)
    say("fig5: rebuild \(fullLogCount) ev \(small) (+\(smallPeak - smallBefore) MiB), \(big.events.count) ev \(large) (+\(largePeak - largeBefore) MiB)")
    rows.append(Row(figure: "5 growth: rebuild time, ×\(String(format: "%.2f", Double(big.events.count) / Double(fullLogCount))) events",
                    library: String(format: "%.2f s (%@)", seconds(large), fmt(rate(big.events.count, large))),
                    baseline: String(format: "%.2f s (%@)", seconds(small), fmt(rate(fullLogCount, small))),
                    ratio: String(format: "%.2f", ratio), goal: "≈ ×4 (linear)"))
    rows.append(Row(figure: "5 growth: memory during rebuild, scale ×4",
                    library: "+\(largePeak - largeBefore) MiB", baseline: "+\(smallPeak - smallBefore) MiB at scale ×1",
                    ratio: "\(largePeak - largeBefore - (smallPeak - smallBefore)) MiB more", goal: "flat"))
}

// MARK: Figure 6: voiding a 1,000-operation window, scale 1 and 4

/// Appends 1,000 marks by a teacher after the log at `dir`, then files a
/// breach notice whose window holds exactly them; returns the time of the
/// notice's append (the invalidator voids in its transaction) and how many
/// operations it voided. Each `round` is another teacher's account.
func voidWindow(_ dir: String, round: Int) async throws -> (Duration, Int) {
    let ledger = try EventLedger.open(at: dir)
    _ = try SchoolJournal(ledger: ledger)  // installs the invalidator as the append rule
    let thief = AccountID(rawValue: "teacher-compromised-\(round)")
    let lesson = workload.events.first { $0.type == "LessonScheduled" }!
    let lessonID = LessonID(String(lesson.stream.split(separator: "/").last!))
    let receipt = SystemClock().now()
    var marks = [NewEvent]()
    for n in 0..<1_000 {
        let mark = MarkRecorded(markID: MarkID("M-THIEF-\(round)-\(n)"), studentID: workload.students[n % workload.students.count], lessonID: lessonID,
                                subjectID: workload.subjects[0], value: .numeric(2), weight: 1, workKind: .classwork)
        marks.append(try EventCoding.newEvent(JournalEntry(event: .markRecorded(mark), actor: thief, occurredAt: receipt)))
    }
    for chunk in stride(from: 0, to: marks.count, by: 100) { _ = try await ledger.append(Array(marks[chunk..<chunk + 100])) }
    let notice = try EventCoding.newEvent(JournalEntry(
        event: .compromiseReported(CompromiseReported(accountID: thief, receivedByHeadAt: receipt, reportedBy: "head", reporter: .head)),
        actor: "head", occurredAt: SystemClock().now()))
    let v0 = clock.now
    let result = try await ledger.append([notice])
    let elapsed = clock.now - v0
    var voided = 0
    try ledger.read { reader in
        for position in result.derivedPositions {
            guard let view = try reader.record(at: position) else { continue }
            if case .operationsVoided(let e) = try EventCoding.entry(from: view).entry.event { voided += e.voidedPositions.count }
        }
    }
    return (elapsed, voided)
}
do {
    // Three windows a scale, the scales in turn, each figure the median:
    // one window timed once swung with the machine (0.42-1.36 over four runs).
    var smalls = [Duration](), larges = [Duration]()
    var (smallVoided, largeVoided) = (0, 0)
    for round in 0..<3 {
        let (s, sv) = try await voidWindow(fullLogDir, round: round)
        let (l, lv) = try await voidWindow(grownDir, round: round)
        smalls.append(s)
        larges.append(l)
        (smallVoided, largeVoided) = (sv, lv)
    }
    let (small, large) = (smalls.sorted()[1], larges.sorted()[1])
    func ms(_ d: Duration) -> String { String(format: "%.1f ms", seconds(d) * 1e3) }
    say("fig6: windows at scale ×1 \(smalls.map(ms)), at scale ×4 \(larges.map(ms))")
    say("fig6: voided \(smallVoided) in \(ms(small)) at scale ×1, \(largeVoided) in \(ms(large)) at scale ×4 (medians of three)")
    rows.append(Row(figure: "6 voiding a 1,000-operation window (\(largeVoided) voided; median of three windows), log ×4",
                    library: ms(large), baseline: "\(ms(small)) in the log ×1 (\(smallVoided) voided)",
                    ratio: String(format: "%.2f", seconds(large) / seconds(small)), goal: "flat (≈ 1)"))
}

// MARK: Figure 10: the school year through SchoolJournal (rights, field and
// reference rules, the invalidator, the inline read model) against plain
// EventLedger appends of the same events, batch 1,000, on a clock that
// follows the school year: before each batch it is set to the batch's last
// occurrence, as if the school recorded each batch as it happened.

/// A clock the benchmark sets.
final class FollowingClock: LedgerClock {
    let current = Mutex(Instant(microsecondsSinceEpoch: 0))
    func now() -> Instant { current.withLock { $0 } }
    func set(to events: ArraySlice<NewEvent>) { current.withLock { $0 = events.map(\.occurredAt).max()! } }
}
/// The events figures 10 and 12 append through the journal and the journal
/// entries they hold: the whole school year, or (`wholeYear` false, figure
/// 12) its first 300,000 events at full size.
func yearThroughTheJournal(wholeYear: Bool = false) throws -> (count: Int, events: [NewEvent], entries: [JournalEntry]) {
    let count = quick || wholeYear ? all.count : min(all.count, 300_000)
    let events = Array(all.prefix(count))
    let entries = try events.map { e in
        JournalEntry(id: e.id, event: try EventCoding.event(payload: e.payload, schemaVersion: e.schemaVersion),
                     actor: AccountID(rawValue: e.actor), occurredAt: e.occurredAt)
    }
    return (count, events, entries)
}

/// Records `entries` (made from `events`, the same order) from index `first`
/// through `journal`, 1,000 to a call, the clock following the events; how long it took.
func recordInThousands(_ entries: [JournalEntry], of events: [NewEvent], from first: Int, into journal: SchoolJournal,
                       following: FollowingClock) async throws -> Duration {
    let start = clock.now
    for chunk in stride(from: first, to: entries.count, by: 1_000) {
        let end = min(chunk + 1_000, entries.count)
        following.set(to: events[chunk..<end])
        try await journal.record(Array(entries[chunk..<end]))
    }
    return clock.now - start
}

/// The rows a read model wrote, grouped by the record whose fold wrote each
/// (a void's re-fold writes under the void's position): `group` records to a
/// group, 1,000 for figure 10's batches, 1 for figure 4's rebuild.
final class RecordedRows: Sendable {
    let batches: [[ProjectionWriteRecorder.Write]]
    let group: Int
    let count: Int
    init(_ writes: [ProjectionWriteRecorder.Write], events: Int, group: Int = 1_000) {
        var batches = Array(repeating: [ProjectionWriteRecorder.Write](), count: (events + group - 1) / group)
        for write in writes { batches[Int(write.position - 1) / group].append(write) }
        self.batches = batches
        self.group = group
        count = writes.count
    }
}

/// The bytes this process has handed the kernel to write so far (`wchar`
/// in `/proc/self/io`: every thread's `write`, `writev` and `pwrite`), or 0
/// where the file is not there.
func bytesWritten() -> UInt64 {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
        return UInt64(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
    }
    return 0
}

/// What the read models write, by database: puts, deletes, puts of the
/// value the row already held, rows written more than once in one batch,
/// the bytes, and the leaf pages a batch dirties (`--only-10 --census`).
func census(_ rows: RecordedRows) {
    struct Tally { var puts = 0, deletes = 0, unchanged = 0, again = 0, keyBytes = 0, valueBytes = 0 }
    var tallies = [String: Tally]()
    var held = [String: [[UInt8]: [UInt8]]]()
    for batch in rows.batches {
        var seen = Set<[UInt8]>()
        for write in batch {
            var tally = tallies[write.database, default: Tally()]
            let before = held[write.database, default: [:]][write.key]
            if let value = write.value {
                tally.puts += 1
                tally.valueBytes += value.count
                if before == value { tally.unchanged += 1 }
                held[write.database, default: [:]][write.key] = value
            } else {
                tally.deletes += 1
                held[write.database, default: [:]][write.key] = nil
            }
            tally.keyBytes += write.key.count
            if !seen.insert(Array(write.database.utf8) + [0] + write.key).inserted { tally.again += 1 }
            tallies[write.database] = tally
        }
    }
    // Leaf pages a batch dirties, estimated: every key the database ever
    // held, in key order, packed into 4 KiB leaves by its size at the end.
    var pageOf = [String: [[UInt8]: Int]]()
    for (name, keys) in Dictionary(grouping: rows.batches.joined(), by: \.database).mapValues({ Set($0.map(\.key)) }) {
        var page = 0, used = 0
        for key in keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let size = 8 + 2 + key.count + 8 + (held[name]?[key]?.count ?? 0)
            if used + size > 4080 { page += 1; used = 0 }
            used += size
            pageOf[name, default: [:]][key] = page
        }
    }
    var pagesTouched = [String: Int]()
    for batch in rows.batches {
        for (name, writes) in Dictionary(grouping: batch, by: \.database) {
            pagesTouched[name, default: 0] += Set(writes.map { pageOf[name]![$0.key]! }).count
        }
    }
    say("database | puts | deletes | puts of the value held | written again in the batch | key bytes | value bytes | leaf pages a batch touches (estimate, mean)")
    for (name, t) in tallies.sorted(by: { $0.value.puts + $0.value.deletes > $1.value.puts + $1.value.deletes }) {
        say("\(name) | \(t.puts) | \(t.deletes) | \(t.unchanged) | \(t.again) | \(t.keyBytes) | \(t.valueBytes) | \(pagesTouched[name, default: 0] / max(rows.batches.count, 1))")
    }
}

/// A model's rows alone: a projection with the model's databases and history
/// that decides nothing. At the first record of each group it writes the
/// rows the model wrote for that group, as it wrote them (put or delete,
/// through the same store, so each replaced value is filed in the history
/// as the model files it). Figure 10 replays by batch of 1,000; figure 4
/// replays each record's rows at that record, taking the model's event
/// types, so the rebuild reads and skips what the model's does.
struct RowsReplay: Projection {
    let name = "rows-floor"
    let version = 1
    let databases: [String]
    let eventTypes: Set<String>?
    let keepsHistory: Bool
    let historyKeepsOnlyKeys: Set<String>
    let rows: RecordedRows

    init(like model: any Projection, rows: RecordedRows) {
        databases = model.databases
        // A group of more than one record is written at its first record, whatever its type.
        eventTypes = rows.group == 1 ? model.eventTypes : nil
        keepsHistory = model.keepsHistory
        historyKeepsOnlyKeys = model.historyKeepsOnlyKeys
        self.rows = rows
    }

    func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        guard Int(record.position - 1) % rows.group == 0 else { return }
        for write in rows.batches[Int(record.position - 1) / rows.group] {
            if let value = write.value {
                try store.put(write.database, key: write.key, value: value)
            } else {
                try store.delete(write.database, key: write.key)
            }
        }
    }
}

/// Figure 4's rows alone, in the ledger at `dir`: every put and delete a
/// rebuild of the journal index makes, recorded from an untimed build of a
/// copy of the index, then written again two ways, each deciding nothing:
/// by a rebuild of ``RowsReplay`` (the runtime reads the log and writes each
/// record's rows at that record, the history filed as the index files it),
/// and by raw LMDB (one database per model database, the writes in order,
/// 20,000 events' worth to a commit as the rebuild commits, no log read and
/// no history). The two times, the writes, and the events.
func rebuildRowsAlone(_ dir: String) async throws -> (rebuild: Duration, raw: Duration, writes: Int, events: Int) {
    var options = EventLedger.Options()
    options.maxDatabases = 512
    let ledger = try EventLedger.open(at: dir, options: options)
    let copy = SchoolJournal.index(named: "journal-index-recorded", keepsHistory: true)
    let recorder = ProjectionWriteRecorder()
    try ledger.register(RecordingProjection(copy, into: recorder))
    try await ledger.catchUpProjections()
    let events = Int(try ledger.read { try $0.lastPosition() })
    let recorded = RecordedRows(recorder.recorded, events: events, group: 1)
    try ledger.register(RowsReplay(like: copy, rows: recorded))
    try await ledger.catchUpProjections()
    let start = clock.now
    try await ledger.rebuild("rows-floor")
    let rebuild = clock.now - start
    let raw = try bestOf2("fig4-raw-rows") { dir in
        var options = Environment.Options()
        options.mapSize = 1 << 30
        options.maxDatabases = copy.databases.count
        let env = try Environment.open(directory: dir, options: options)
        var databases = [String: Database]()
        for name in copy.databases { databases[name] = try env.openDatabase(name, create: true) }
        let start = clock.now
        for chunk in stride(from: 0, to: recorded.batches.count, by: 20_000) {
            try env.write { txn in
                for batch in recorded.batches[chunk..<min(chunk + 20_000, recorded.batches.count)] {
                    for write in batch {
                        if let value = write.value {
                            try txn.put(databases[write.database]!, key: write.key, value: value)
                        } else {
                            _ = try txn.delete(databases[write.database]!, key: write.key)
                        }
                    }
                }
            }
        }
        return clock.now - start
    }
    return (rebuild, raw, recorded.count, events)
}

/// Figure 10; `profiling` ("journal", "models" or "rows") runs only that side, three times, for a profiler.
func figure10(profiling: String? = nil) async {
  do {
    // The whole year (1.45 M events at full size): the goal names the
    // school-year workload, and the rows' cost grows with their trees (0.22
    // of plain appends over the first 300,000 events, 0.14 over the year).
    let (count, events, entries) = try yearThroughTheJournal(wholeYear: true)
    let following = FollowingClock()
    var options = EventLedger.Options()
    options.clock = following
    func journalAppend(_ dir: String) async throws -> Duration {
        let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir, options: options))
        return try await recordInThousands(entries, of: events, from: 0, into: journal, following: following)
    }
    /// Plain `EventLedger` appends of the year, 1,000 a call, with
    /// `projection` (when given) folded inline; how long they took.
    func appendYear(_ dir: String, with projection: (any Projection)?) async throws -> Duration {
        let ledger = try EventLedger.open(at: dir, options: options)
        if let projection { try ledger.register(projection) }
        let start = clock.now
        for chunk in stride(from: 0, to: events.count, by: 1_000) {
            let end = min(chunk + 1_000, events.count)
            following.set(to: events[chunk..<end])
            _ = try await ledger.append(Array(events[chunk..<end]))
        }
        return clock.now - start
    }
    func plainAppend(_ dir: String) async throws -> Duration { try await appendYear(dir, with: nil) }
    /// The same appends with only the journal's read models folded inline
    /// (each event taken as encoded, not decoded again, as the journal
    /// does): no rights, no reference rules, no invalidator.
    func readModelsAppend(_ dir: String) async throws -> Duration {
        try await appendYear(dir, with: SchoolJournal.readModelsAlone(knowing: events, encodedFrom: entries))
    }
    /// The rows the read models write, recorded from one untimed run of `readModelsAppend`'s appends.
    func recordRows() async throws -> RecordedRows {
        let dir = root + "/fig10-recording"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorder = ProjectionWriteRecorder()
        _ = try await appendYear(dir, with: RecordingProjection(SchoolJournal.readModelsAlone(knowing: events, encodedFrom: entries), into: recorder))
        return RecordedRows(recorder.recorded, events: events.count)
    }
    /// The same appends with those rows written by `RowsReplay` inline: the
    /// cost of the rows alone, the ceiling of figure 10 for these rows.
    func rowsAppend(_ rows: RecordedRows) -> (String) async throws -> Duration {
        { dir in try await appendYear(dir, with: RowsReplay(like: SchoolJournal.readModelsAlone(knowing: [], encodedFrom: []), rows: rows)) }
    }
    if profiling == "census" {
        census(try await recordRows())
        return
    }
    if let profiling {
        let side = profiling == "models" ? readModelsAppend : profiling == "rows" ? rowsAppend(try await recordRows()) : journalAppend
        for round in 0..<3 {
            let took = try await side(root + "/profile-\(round)")
            say("fig10 \(profiling) alone: \(fmt(rate(count, took)))")
        }
        return
    }
    // The four sides in turn, three rounds, the order turning each round, so
    // that one plain rate (the fastest of its three runs) is the baseline of
    // every ratio: with a baseline of its own, each side's ratio moved with
    // the disk's state during its own pair of runs.
    let recorded = try await recordRows()
    // What each side hands the kernel to write (the log's and the index's
    // pages, every commit), from the process's own count, per run.
    var written = [String: [UInt64]]()
    func counted(_ label: String, _ run: @escaping (String) async throws -> Duration) -> (String, (String) async throws -> Duration) {
        (label, { dir in
            let before = bytesWritten()
            let took = try await run(dir)
            written[label, default: []].append(bytesWritten() - before)
            return took
        })
    }
    let best = try await bestOfRounds("fig10", [
        counted("plain EventLedger", plainAppend), counted("through SchoolJournal", journalAppend),
        counted("the read models alone", readModelsAppend), counted("their rows alone", rowsAppend(recorded)),
    ])
    for (label, runs) in written.sorted(by: { $0.key < $1.key }) {
        say("  fig10 \(label): bytes written an event \(runs.map { String(format: "%.0f", Double($0) / Double(count)) })")
    }
    let (r, l, m, f) = (rate(count, best[0]), rate(count, best[1]), rate(count, best[2]), rate(count, best[3]))
    let perEvent = Double(recorded.count) / Double(count)
    say("fig10: \(count) events through SchoolJournal \(fmt(l)), the read models alone \(fmt(m)), their \(recorded.count) writes (\(String(format: "%.2f", perEvent)) an event) alone \(fmt(f)), plain EventLedger \(fmt(r))")
    rows.append(Row(figure: "10 the school year through SchoolJournal.record, batch 1,000 (\(count) ev)", library: fmt(l),
                    baseline: "plain EventLedger \(fmt(r))", ratio: String(format: "%.3f", l / r), goal: "≥ 0.25"))
    // The limit of that ratio: the read models every journal keeps inline, alone.
    rows.append(Row(figure: "10 limit: plain EventLedger appends with the journal's read models inline, nothing else",
                    library: "ceiling \(fmt(m)) (SchoolJournal \(fmt(l)))", baseline: "plain EventLedger \(fmt(r))",
                    ratio: String(format: "%.3f (SchoolJournal/ceiling %.2f)", m / r, l / m), goal: "the ceiling of the ratio above"))
    // Below both: the rows those read models write, written alone (the
    // cost no journal that keeps these rows can go under).
    rows.append(Row(figure: "10 limit: plain EventLedger appends with the read models' rows written inline and nothing decided (\(recorded.count) puts and deletes, \(String(format: "%.2f", perEvent)) an event, history filed as the index files it)",
                    library: "rows alone \(fmt(f)) (read models \(fmt(m)), SchoolJournal \(fmt(l)))", baseline: "plain EventLedger \(fmt(r))",
                    ratio: String(format: "%.3f (read models/rows %.2f, SchoolJournal/rows %.2f)", f / r, m / f, l / f),
                    goal: "the ceiling of the ratio for any journal that keeps these rows"))
} catch {
    say("fig10: \(error)")
    rows.append(Row(figure: "10 the school year through SchoolJournal.record", library: "error: \(error)", baseline: "-", ratio: "-", goal: "≥ 0.25"))
  }
}
await figure10()

// MARK: Figure 11: Merkle proofs (issue 20)

/// An inclusion proof for a random position of the whole log (figure 1's
/// ledger), from the stored tree (`MerkleTreeProjection`), against the same
/// proof worked out from every record's hash, as a ledger without the model
/// does.
func figure11() async {
    do {
        let ledger = try EventLedger.open(at: fullLogDir)
        let size = try ledger.head().position
        var whole = [Double]()
        for _ in 0..<3 {
            let start = clock.now
            let inputs = try ledger.read { reader in
                var hashes = [[UInt8]]()
                hashes.reserveCapacity(Int(size))
                try reader.forEach(from: 1, through: size) { view in
                    hashes.append(view.hash.bytes)
                    return true
                }
                return hashes
            }
            let leaves = MerkleLeaves(inputs: inputs)
            _ = MerkleTree.inclusionProof(leaf: UInt64.random(in: 0..<size), treeSize: size) { leaves.subtree(level: $0, index: $1) }
            whole.append(seconds(clock.now - start))
        }
        // A journal may have opened this ledger already (it keeps the tree): time a rebuild of it.
        try ledger.register(MerkleTreeProjection())
        try await ledger.catchUpProjections()
        let building = clock.now
        try await ledger.rebuild(MerkleTreeProjection().name)
        let built = clock.now - building
        var times = [Double]()
        var longest = 0
        for _ in 0..<2_000 {
            let position = UInt64.random(in: 1...size)
            let start = clock.now
            let proof = try ledger.inclusionProof(position: position)
            times.append(seconds(clock.now - start))
            longest = max(longest, proof.path.count)
            guard proof.verify() else { throw LedgerError(.corruptRecord, "a proof for position \(position) did not verify") }
        }
        times.sort()
        whole.sort()
        let p50 = times[times.count / 2], p99 = times[times.count * 99 / 100]
        say("fig11: inclusion proof p50 \(p50 * 1e6) µs, p99 \(p99 * 1e6) µs, at most \(longest) hashes; from every hash \(whole[1]) s; the tree built at \(fmt(rate(Int(size), built)))")
        rows.append(Row(figure: "11 inclusion proof, a random position of \(size) records, stored tree (n 2000)",
                        library: String(format: "p50 %.0f µs, p99 %.0f µs (at most %d hashes)", p50 * 1e6, p99 * 1e6, longest),
                        baseline: String(format: "from every record's hash: %.2f s", whole[1]), ratio: String(format: "%.3f", 1e-3 / p50),
                        goal: "< 1 ms (ratio = 1 ms / p50)"))
        rows.append(Row(figure: "11 building the stored tree (MerkleTreeProjection) from the whole log", library: fmt(rate(Int(size), built)),
                        baseline: "-", ratio: "-", goal: "-"))
    } catch {
        say("fig11: \(error)")
        rows.append(Row(figure: "11 inclusion proof", library: "error: \(error)", baseline: "-", ratio: "-", goal: "< 1 ms"))
    }
}
await figure11()

// MARK: Figure 12: signed operations (issue 20, clause 10)

/// The figure-10 appends through SchoolJournal three ways, on the same
/// events: with the school asking for signatures (every mark, correction,
/// cancellation, final mark and attendance correction signed with its
/// teacher's device key, signed beforehand as a device does), once one
/// signature an operation and once one signature for a teacher's operations
/// on a lesson; and with signatures off. Every ledger holds the same first
/// 1,000 events and the same key registrations before the clock starts.
/// Three rounds, the order turning, the fastest of each.
func figure12() async {
  do {
    let (count, events, entries) = try yearThroughTheJournal()
    let toSign = Set(JournalSettingsChanged.defaultSignedOperations)
    let signers = Set(entries.dropFirst(1_000).filter { toSign.contains($0.event.eventType) }.map(\.actor))
    var keys = [AccountID: Curve25519.Signing.PrivateKey]()
    for signer in signers { keys[signer] = Curve25519.Signing.PrivateKey() }
    var signed = entries
    var signedCount = 0
    for i in signed.indices.dropFirst(1_000) where toSign.contains(signed[i].event.eventType) {
        let key = keys[signed[i].actor]!
        let keyID = SignatureKeyRegistered.keyID(of: Array(key.publicKey.rawRepresentation))
        let bytes = try signed[i].bytesToSign(school: "school-17", keyID: keyID)
        signed[i].signature = OperationSignature(keyID: keyID, signature: Array(try key.signature(for: bytes)))
        signedCount += 1
    }
    // The same operations signed as a teacher's device signs a lesson's at
    // once: one signature for the actor's operations on one lesson in each
    // call of 1,000 (an operation on no lesson is a batch of its own).
    var batched = entries
    var batches = 0
    for chunk in stride(from: 1_000, to: batched.count, by: 1_000) {
        var groups = [String: [Int]]()
        var order = [String]()
        for i in chunk..<min(chunk + 1_000, batched.count) where toSign.contains(batched[i].event.eventType) {
            let lesson: String? = switch batched[i].event {
            case .markRecorded(let e): e.lessonID.rawValue
            case .attendanceCorrected(let e): e.lessonID.rawValue
            default: nil
            }
            let group = "\(batched[i].actor) \(lesson ?? "\(batched[i].id)")"
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(i)
        }
        for group in order {
            let members = groups[group]!
            let key = keys[batched[members[0]].actor]!
            let keyID = SignatureKeyRegistered.keyID(of: Array(key.publicKey.rawRepresentation))
            let lessonOps = members.map { batched[$0] }
            let signature = Array(try key.signature(for: try lessonOps.bytesToSign(school: "school-17", keyID: keyID)))
            let together = try lessonOps.signedTogether(school: "school-17", keyID: keyID, signature: signature)
            for (i, entry) in zip(members, together) { batched[i] = entry }
            batches += 1
        }
    }
    let following = FollowingClock()
    var options = EventLedger.Options()
    options.clock = following
    func journalAppend(_ batch: [JournalEntry], signing: Bool, dir: String) async throws -> Duration {
        let journal = try SchoolJournal(ledger: try EventLedger.open(at: dir, options: options))
        following.set(to: events[0..<1_000])
        try await journal.record(Array(batch[0..<1_000]))
        let settings = JournalSettingsChanged(
            schoolID: "school-17", kindsOfWork: [WorkKindWeight(workKind: .classwork, name: "Работа на уроке", defaultWeight: 2)],
            signaturesRequired: signing)
        let registrations = keys.sorted { $0.key < $1.key }.map { account, key in
            SchoolEvent.signatureKeyRegistered(
                SignatureKeyRegistered(accountID: account, publicKey: Array(key.publicKey.rawRepresentation), validFrom: events[0].occurredAt))
        }
        try await journal.recordTrusted(([.journalSettingsChanged(settings)] + registrations).map {
            JournalEntry(event: $0, actor: "admin", occurredAt: events[999].occurredAt)
        })
        return try await recordInThousands(batch, of: events, from: 1_000, into: journal, following: following)
    }
    // The floor of the cost: one Ed25519 verification, alone, on one core.
    let sample = Array(signed.dropFirst(1_000).lazy.filter { $0.signature != nil }.prefix(2_000))
    let publicKeys = keys.mapValues { $0.publicKey }
    let texts = try sample.map { try $0.bytesToSign(school: "school-17", keyID: $0.signature!.keyID) }
    let v0 = clock.now
    for (entry, text) in zip(sample, texts) where !publicKeys[entry.actor]!.isValidSignature(entry.signature!.signature, for: text) {
        throw LedgerError(.corruptRecord, "a signature made here did not verify")
    }
    let verifyEach = seconds(clock.now - v0) / Double(sample.count)
    let timed = count - 1_000
    let best = try await bestOfRounds("signed-append", [
        ("signatures off", { try await journalAppend(entries, signing: false, dir: $0) }),
        ("each operation signed", { try await journalAppend(signed, signing: true, dir: $0) }),
        ("a lesson's operations signed together", { try await journalAppend(batched, signing: true, dir: $0) }),
    ])
    let (unsigned, checked, together) = (best[0], best[1], best[2])
    let (l, r, b) = (rate(timed, checked), rate(timed, unsigned), rate(timed, together))
    say("fig12: \(timed) events (\(signedCount) signed, in \(batches) batches) through SchoolJournal: each signed \(fmt(l)), batches \(fmt(b)), without \(fmt(r)); one Ed25519 verification alone \(verifyEach * 1e6) µs")
    rows.append(Row(figure: "12 floor: one Ed25519 verification (swift-crypto), alone on one core, n \(sample.count)",
                    library: String(format: "%.0f µs each", verifyEach * 1e6),
                    baseline: String(format: "an unsigned operation through SchoolJournal: %.0f µs", 1e6 / r), ratio: "-", goal: "-"))
    rows.append(Row(figure: "12 the school year through SchoolJournal, batch 1,000, signatures required, each operation signed (\(signedCount) of \(timed))",
                    library: fmt(l), baseline: "the same, signatures off \(fmt(r))",
                    ratio: String(format: "%.2fx the time", seconds(checked) / seconds(unsigned)), goal: "≤ 1.3x the time"))
    rows.append(Row(figure: "12 the same, each lesson's operations signed together (\(signedCount) in \(batches) batches, one signature each)",
                    library: fmt(b), baseline: "the same, signatures off \(fmt(r))",
                    ratio: String(format: "%.2fx the time", seconds(together) / seconds(unsigned)), goal: "≤ 1.3x the time"))
  } catch {
    say("fig12: \(error)")
    rows.append(Row(figure: "12 signed operations", library: "error: \(error)", baseline: "-", ratio: "-", goal: "≤ 1.3x"))
  }
}
await figure12()

print("\nfigure | library | baseline | ratio | goal")
print("---|---|---|---|---")
for r in rows { print("\(r.figure) | \(r.library) | \(r.baseline) | \(r.ratio) | \(r.goal)") }
