// The PostgreSQL backend's figures (issue 19), each against its baseline in
// the same run, on the server SCHOOLLEDGER_TEST_POSTGRES names (`make bench`
// starts a durable throwaway cluster for it):
//
//   P1  appends in batches of 100 and 1,000 through EventLedger on
//       PostgresLogStorage, against plain INSERTs of the same rows into the
//       same tables (one transaction per batch, one INSERT per table),
//       alternated, best of three each; goal: ≥ 0.5x.
//   P2  a region: 100 school ledgers in one database, two processes each
//       appending single events to random schools at 250/s (500/s in all),
//       open loop; throughput and the p50/p99 of an append from its
//       scheduled start (goal: p99 ≤ 20 ms), on a server settled first
//       (VACUUM ANALYZE, CHECKPOINT). Its floor, in the same run and
//       at the same rate: one plain INSERT of a record of the same size per
//       append, committed on its own (one round trip and one WAL flush, the
//       least any durable append to a shared server costs).
//
//   swift run -c release PostgresBench [--quick] [--only-region] [--region-rate PER-PROCESS]
//   swift run -c release PostgresBench --region-child URL FIRST COUNT RATE SECONDS library|insert   (one process of P2)
import EventLedger
import Foundation
import LedgerPostgres
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")

func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// The server's URL (without a ledger).
let serverURL: String = {
    guard let url = ProcessInfo.processInfo.environment["SCHOOLLEDGER_TEST_POSTGRES"] else {
        say("PostgresBench: set SCHOOLLEDGER_TEST_POSTGRES (make bench starts a server: scripts/test-postgres.sh)")
        exit(2)
    }
    return url
}()

func location(_ ledger: String) throws -> PostgresLocation {
    var location = try PostgresLocation(url: serverURL)
    location.ledger = ledger
    return location
}

/// A school's event: a mark for one of 600 students by one of 40 teachers.
func event(_ n: Int) -> NewEvent {
    NewEvent(
        stream: "student/S-\(n % 600)", type: "MarkRecorded", actor: "teacher-\(n % 40)",
        occurredAt: Instant(microsecondsSinceEpoch: 1_788_000_000_000_000 + Int64(n) * 1_000_000),
        payload: Array("{\"lesson\":\"L-\(n % 5000)\",\"value\":\(n % 5 + 1),\"weight\":1,\"kind\":\"classwork\"}".utf8))
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

// MARK: P2's child: one process of the region

if let at = arguments.firstIndex(of: "--region-child") {
    let first = Int(arguments[at + 2])!, count = Int(arguments[at + 3])!
    let rate = Double(arguments[at + 4])!, duration = Double(arguments[at + 5])!
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgbench-node-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let floor = arguments[at + 6] == "insert"
    let ledgers =
        floor
        ? []
        : try (first..<(first + count)).map { school in
            try EventLedger.open(storage: PostgresLogStorage(location("region-school-\(school)")), readModels: scratch + "/\(school)")
        }
    // The floor's connections, taken in turn (each queues its statements).
    let floorConnections = floor ? try (0..<4).map { _ in try connect() } : []
    let record = ByteBuffer(bytes: [UInt8](repeating: 7, count: 200))
    var nextPosition = [Int64](repeating: 0, count: count)
    let interval = 1.0 / rate
    let total = Int(rate * duration)
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
        for n in 0..<total {
            let scheduled = start + .seconds(Double(n) * interval)
            try await Task.sleep(until: scheduled, clock: .continuous)
            let school = Int.random(in: 0..<count)
            if floor {
                nextPosition[school] += 1
                let position = nextPosition[school], ledger = Int64(first + school)
                let connection = floorConnections[n % floorConnections.count]
                group.addTask {
                    _ = try await connection.query(
                        "INSERT INTO eventledger_floor.log (ledger, position, record) VALUES (\(ledger), \(position), \(record))",
                        logger: Logger(label: "bench"))
                    let d = ContinuousClock.now - scheduled
                    return (n, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
                }
                continue
            }
            let ledger = ledgers[school]
            group.addTask {
                _ = try await ledger.append(event(n))
                let d = ContinuousClock.now - scheduled
                return (n, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
        }
        // In the order they were scheduled, so a stall shows where it happened.
        var all = [Double](repeating: 0, count: total)
        for try await (n, latency) in group { all[n] = latency }
        return all
    }
    let elapsed = ContinuousClock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    say("DONE \(latencies.count) \(wall) " + latencies.map { String($0) }.joined(separator: ","))
    exit(0)
}

// MARK: P1: batched appends against plain INSERTs of the same rows

/// The rows the library stored for `ledger`, as the baseline inserts them.
struct Rows {
    var positions: [Int64] = [], records: [ByteBuffer] = [], ids: [ByteBuffer] = []
    var streams: [ByteBuffer] = [], versions: [Int64] = [], actors: [ByteBuffer] = [], counts: [Int64] = [], recordedAt: [Int64] = []
}

func rows(of ledger: EventLedger) throws -> Rows {
    var rows = Rows()
    var versions = [String: Int64](), counts = [String: Int64]()
    try ledger.read { reader in
        try reader.forEach { view in
            rows.positions.append(Int64(view.position))
            rows.records.append(ByteBuffer(bytes: view.bytes))
            rows.ids.append(ByteBuffer(bytes: view.id.bytes))
            rows.streams.append(ByteBuffer(string: view.stream))
            rows.versions.append(Int64(view.streamVersion))
            versions[view.stream] = Int64(view.streamVersion)
            let count = (counts[view.actor] ?? 0) + 1
            counts[view.actor] = count
            rows.actors.append(ByteBuffer(string: view.actor))
            rows.counts.append(count)
            rows.recordedAt.append(view.recordedAt.microsecondsSinceEpoch)
            return true
        }
    }
    return rows
}

func connect() throws -> PostgresConnection {
    let location = try location("unused")
    return try PostgresConnection.connect(
        on: MultiThreadedEventLoopGroup.singleton.next(),
        configuration: .init(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable),
        id: 1, logger: Logger(label: "bench")
    ).wait()
}

/// Inserts `rows` as ledger `key`'s, `batch` rows per transaction, one plain INSERT per table.
func plainInserts(_ rows: Rows, key: Int64, batch: Int, on connection: PostgresConnection) throws {
    let logger = Logger(label: "bench")
    var start = 0
    while start < rows.positions.count {
        let r = start..<min(start + batch, rows.positions.count)
        let positions = Array(rows.positions[r]), streams = Array(rows.streams[r]), actors = Array(rows.actors[r])
        _ = try connection.query("BEGIN", logger: logger).wait()
        _ = try connection.query(
            "INSERT INTO eventledger.log (ledger, position, record) SELECT \(key), * FROM unnest(\(positions)::bigint[], \(Array(rows.records[r]))::bytea[])",
            logger: logger
        ).wait()
        _ = try connection.query(
            "INSERT INTO eventledger.event_ids (ledger, id, position) SELECT \(key), * FROM unnest(\(Array(rows.ids[r]))::bytea[], \(positions)::bigint[])",
            logger: logger
        ).wait()
        _ = try connection.query(
            """
            INSERT INTO eventledger.stream_positions (ledger, stream, version, position)
            SELECT \(key), * FROM unnest(\(streams)::bytea[], \(Array(rows.versions[r]))::bigint[], \(positions)::bigint[])
            """, logger: logger
        ).wait()
        _ = try connection.query(
            """
            INSERT INTO eventledger.actor_positions (ledger, actor, count, recorded_at, position)
            SELECT \(key), * FROM unnest(\(actors)::bytea[], \(Array(rows.counts[r]))::bigint[], \(Array(rows.recordedAt[r]))::bigint[], \(positions)::bigint[])
            """, logger: logger
        ).wait()
        // The heads: the last version of each stream and count of each actor in the batch.
        var streamHeads = [ByteBuffer: (Int64, Int64)](), actorHeads = [ByteBuffer: (Int64, Int64)]()
        for i in r {
            streamHeads[rows.streams[i]] = (rows.versions[i], rows.positions[i])
            actorHeads[rows.actors[i]] = (rows.counts[i], rows.positions[i])
        }
        _ = try connection.query(
            """
            INSERT INTO eventledger.streams (ledger, stream, version, last_position)
            SELECT \(key), * FROM unnest(\(Array(streamHeads.keys))::bytea[], \(streamHeads.values.map(\.0))::bigint[], \(streamHeads.values.map(\.1))::bigint[])
            ON CONFLICT (ledger, stream) DO UPDATE SET version = EXCLUDED.version, last_position = EXCLUDED.last_position
            """, logger: logger
        ).wait()
        _ = try connection.query(
            """
            INSERT INTO eventledger.actors (ledger, actor, count, last_position)
            SELECT \(key), * FROM unnest(\(Array(actorHeads.keys))::bytea[], \(actorHeads.values.map(\.0))::bigint[], \(actorHeads.values.map(\.1))::bigint[])
            ON CONFLICT (ledger, actor) DO UPDATE SET count = EXCLUDED.count, last_position = EXCLUDED.last_position
            """, logger: logger
        ).wait()
        _ = try connection.query("COMMIT", logger: logger).wait()
        start = r.upperBound
    }
}

func ledgerKey(_ name: String, on connection: PostgresConnection) throws -> Int64 {
    let rows = try connection.query("SELECT id FROM eventledger.ledgers WHERE name = \(name)", logger: Logger(label: "bench")).wait()
    for row in rows { return try row.decode(Int64.self) }
    fatalError("no ledger \(name)")
}

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgbench-\(getpid())").path
defer { try? FileManager.default.removeItem(atPath: scratch) }
let connection = try connect()
var table = [String]()

for batch in arguments.contains("--only-region") ? [] : [100, 1_000] {
    let total = quick ? 5_000 : 20_000
    var libraryBest = Double.infinity, baselineBest = Double.infinity
    for round in 0..<3 {
        let name = "p1-\(batch)-\(round)-\(UUID().uuidString.prefix(8))"
        let ledger = try EventLedger.open(storage: PostgresLogStorage(location(name)), readModels: scratch + "/" + name)
        let events = (0..<total).map(event)
        let library = try await seconds {
            var start = 0
            while start < total {
                _ = try await ledger.append(Array(events[start..<min(start + batch, total)]))
                start += batch
            }
        }
        libraryBest = min(libraryBest, library)
        // The same rows, under a ledger of their own, by plain INSERTs.
        let same = try rows(of: ledger)
        let baselineName = name + "-plain"
        _ = try PostgresLogStorage(location(baselineName))
        let key = try ledgerKey(baselineName, on: connection)
        let baseline = try await seconds { try plainInserts(same, key: key, batch: batch, on: connection) }
        baselineBest = min(baselineBest, baseline)
        say(
            "P1 batch \(batch) round \(round + 1): library \(Int(Double(total) / library)) ev/s, plain INSERTs \(Int(Double(total) / baseline)) rows/s"
        )
    }
    let ratio = baselineBest / libraryBest
    table.append(
        String(
            format: "| P1 appends, batches of %d (%d events) | %.0f events/s | %.0f rows/s | %.2f | ≥ 0.5 | %@ |", batch, total,
            Double(total) / libraryBest, Double(total) / baselineBest, ratio, ratio >= 0.5 ? "met" : "not met"))
}

// MARK: P2: a region, 100 schools, two processes

/// Runs P2's two processes in `mode` (`library` or `insert`); the appends
/// made, the longest process's wall time and every append's latency, sorted.
func region(_ mode: String, schools: Int, rate: Double, duration: Double) throws -> (appended: Int, wall: Double, latencies: [Double]) {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    let children = try (0..<2).map { n -> (Process, Pipe) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: me)
        process.arguments = ["--region-child", serverURL, "\(n * schools / 2)", "\(schools / 2)", "\(rate)", "\(duration)", mode]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        return (process, pipe)
    }
    var latencies = [Double](), appended = 0, wall = 0.0
    for (process, pipe) in children {
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DONE ") }) else {
            say("P2: a region process failed: \(output)")
            exit(1)
        }
        let parts = line.split(separator: " ")
        appended += Int(parts[1])!
        wall = max(wall, Double(parts[2])!)
        latencies += parts[3].split(separator: ",").compactMap { Double($0) }
    }
    return (appended, wall, latencies.sorted())
}

do {
    let schools = 100, duration = quick ? 5.0 : 15.0
    let rate = arguments.firstIndex(of: "--region-rate").map { Double(arguments[$0 + 1])! } ?? 250.0
    // Create the ledgers and the floor's table first, so that the timed part appends only.
    for school in 0..<schools { _ = try PostgresLogStorage(location("region-school-\(school)")) }
    for statement in [
        "CREATE SCHEMA IF NOT EXISTS eventledger_floor",
        "DROP TABLE IF EXISTS eventledger_floor.log",
        "CREATE TABLE eventledger_floor.log (ledger bigint NOT NULL, position bigint NOT NULL, record bytea NOT NULL, PRIMARY KEY (ledger, position))",
    ] {
        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "bench")).get()
    }
    // The same settled server for the floor and the library: without this,
    // autovacuum's pass over P1's rows (and the plans its ANALYZE
    // invalidates) fell on whichever of the two ran a minute after P1.
    for statement in ["VACUUM ANALYZE", "CHECKPOINT"] {
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "bench")).get()
        } catch {
            say("P2: \(statement) was refused (\(String(reflecting: error))); measuring without it")
        }
    }
    func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
    let floor = try region("insert", schools: schools, rate: rate, duration: duration)
    let library = try region("library", schools: schools, rate: rate, duration: duration)
    for (name, run) in [("floor, one INSERT per append", floor), ("library", library)] {
        say(
            "P2 region, \(name): \(run.appended) appends in \(String(format: "%.1f", run.wall)) s by 2 processes, p50 \(String(format: "%.1f", percentile(run.latencies, 0.5))) ms, p99 \(String(format: "%.1f", percentile(run.latencies, 0.99))) ms"
        )
    }
    let p99 = percentile(library.latencies, 0.99), floorP99 = percentile(floor.latencies, 0.99)
    table.append(
        String(
            format:
                "| P2 a region: 100 schools, 2 processes, single appends at %.0f/s | %.0f appends/s, p50 %.1f ms, p99 %.1f ms | floor (one INSERT per append): p50 %.1f ms, p99 %.1f ms | | p99 ≤ 20 ms | %@ |",
            2 * rate, Double(library.appended) / library.wall, percentile(library.latencies, 0.5), p99,
            percentile(floor.latencies, 0.5), floorP99, p99 <= 20 ? "met" : (floorP99 > 20 ? "not met: the floor misses it too" : "not met")))
}

say("")
say("| figure | library | baseline | ratio | goal | |")
say("|---|---|---|---|---|---|")
for row in table { say(row) }
let closing: EventLoopFuture<Void> = connection.close()
try? closing.wait()
