import Benchmark
import EventLedger
import Foundation
import LedgerLMDB
import SchoolLedger
import Workload

// Issue 9's figures as ordo-one benchmarks, on the quick workload (1/20 of
// the school, ~72 k events). Each library benchmark has its baseline next to
// it in this suite, so one `swift package benchmark --target Ledger` run
// gives both; BenchTable (BenchTable/main.swift) prints the ratios.

let quickScale = 0.05

func freshDirectory(_ tag: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("schoolledger-bench-\(tag)-\(UUID().uuidString)").path
}

/// The raw baseline's record: id, occurredAt, schema version, stream, type, actor, payload.
func rawRecord(_ e: NewEvent, into out: inout [UInt8]) {
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

/// A rebuilt journal over the quick workload, for the rebuild and query benchmarks.
final class JournalFixture: @unchecked Sendable {
    let directory = freshDirectory("journal")
    let journal: SchoolJournal
    let rawDirectory = freshDirectory("raw")
    let env: Environment
    let log: Database
    let count: Int

    init() async throws {
        let events = SchoolYearWorkload.shared(scale: quickScale).events
        count = events.count
        var options = EventLedger.Options()
        options.durability = .relaxed
        journal = try SchoolJournal.open(at: directory, options: options)
        var i = 0
        while i < events.count {
            _ = try await journal.ledger.append(Array(events[i..<min(i + 10_000, events.count)]))
            i += 10_000
        }
        try await journal.ledger.catchUpProjections()
        var envOptions = Environment.Options()
        envOptions.durability = .noSync
        env = try Environment.open(directory: rawDirectory, options: envOptions)
        log = try env.openDatabase("log", create: true)
        var record = [UInt8]()
        var position: UInt64 = 0
        try env.write { txn in
            for e in events {
                position += 1
                rawRecord(e, into: &record)
                try txn.put(log, key: withUnsafeBytes(of: position.bigEndian, Array.init), value: record, flags: .append)
            }
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: rawDirectory)
    }
}

nonisolated(unsafe) var journalFixture: JournalFixture?

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
                                           maxDuration: .seconds(10), maxIterations: 20)

    // Figure 1: 10,000 events in batches of 1,000, durable commits, fresh files
    // each iteration; one iteration is the 10,000 events (throughput: x 10 k events/s).
    let appendCount = 10_000
    Benchmark("Append 10 k events, batch 1,000: library (EventLedger.append)",
              configuration: .init(setup: { _ = SchoolYearWorkload.shared(scale: quickScale) })) { benchmark in
        let events = Array(SchoolYearWorkload.shared(scale: quickScale).events.prefix(appendCount))
        for _ in benchmark.scaledIterations {
            let dir = freshDirectory("append")
            let ledger = try EventLedger.open(at: dir)
            benchmark.startMeasurement()
            for start in stride(from: 0, to: events.count, by: 1_000) {
                _ = try await ledger.append(Array(events[start..<min(start + 1_000, events.count)]))
            }
            benchmark.stopMeasurement()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }
    Benchmark("Append 10 k events, batch 1,000: baseline raw LMDB puts",
              configuration: .init(setup: { _ = SchoolYearWorkload.shared(scale: quickScale) })) { benchmark in
        let events = Array(SchoolYearWorkload.shared(scale: quickScale).events.prefix(appendCount))
        for _ in benchmark.scaledIterations {
            let dir = freshDirectory("raw-append")
            let env = try Environment.open(directory: dir)
            let db = try env.openDatabase("log", create: true)
            var record = [UInt8]()
            var position: UInt64 = 0
            benchmark.startMeasurement()
            for start in stride(from: 0, to: events.count, by: 1_000) {
                try env.write { txn in
                    for e in events[start..<min(start + 1_000, events.count)] {
                        position += 1
                        rawRecord(e, into: &record)
                        try txn.put(db, key: withUnsafeBytes(of: position.bigEndian, Array.init), value: record, flags: .append)
                    }
                }
            }
            benchmark.stopMeasurement()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // Figures 4/5 and 7 share one journal, built once.
    let shared = Benchmark.Configuration(setup: { if journalFixture == nil { journalFixture = try await JournalFixture() } },
                                          teardown: { journalFixture = nil })
    Benchmark("Rebuild journal-index (quick workload)", configuration: shared) { benchmark in
        let fixture = journalFixture!
        for _ in benchmark.scaledIterations {
            try await fixture.journal.ledger.rebuild("journal-index")
        }
    }
    Benchmark("Rebuild baseline: raw cursor scan of the same log", configuration: shared) { benchmark in
        let fixture = journalFixture!
        for _ in benchmark.scaledIterations {
            var n = 0
            try fixture.env.read { txn in
                try txn.withCursor(fixture.log) { cursor in
                    var entry = try cursor.first()
                    while entry != nil { n += 1; entry = try cursor.next() }
                }
            }
            precondition(n == fixture.count)
            blackHole(n)
        }
    }
    let queries = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 1_000,
                                          setup: { if journalFixture == nil { journalFixture = try await JournalFixture() } },
                                          teardown: { journalFixture = nil })
    Benchmark("Query: diary, a student's week", configuration: queries) { benchmark in
        let fixture = journalFixture!
        let students = SchoolYearWorkload.shared(scale: quickScale).students
        let monday = CivilDate("2026-09-07")!
        for i in benchmark.scaledIterations {
            blackHole(try fixture.journal.trustedSession(for: "it-bench").diary(of: students[(i * 37) % students.count], from: monday, to: monday.adding(days: 6)))
        }
    }
    Benchmark("Query: journalPage, class × subject, a term", configuration: queries) { benchmark in
        let fixture = journalFixture!
        let w = SchoolYearWorkload.shared(scale: quickScale)
        for i in benchmark.scaledIterations {
            blackHole(try fixture.journal.trustedSession(for: "it-bench").journalPage(subject: w.subjects[i % w.subjects.count], target: .class(w.classes[i % w.classes.count]),
                                                      period: SchoolYearWorkload.term))
        }
    }
}
