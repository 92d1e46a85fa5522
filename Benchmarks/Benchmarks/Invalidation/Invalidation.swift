import Benchmark
import EventLedger
import Foundation
import SchoolLedger

// Clause 11: a breach notice voids every operation of the account in its
// window, found through the actor index. Voiding 1,000 operations must cost
// the same in a log of 10,000 events as in one of 100,000: the baseline is the
// smaller log, measured in the same run.

/// A ledger whose log holds `total` events, 1,000 of them by the account
/// `stolen`, all after `windowOpens`; the rest by 50 other accounts.
final class VoidingFixture: @unchecked Sendable {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schoolledger-bench-\(UUID().uuidString)").path
    let journal: SchoolJournal
    let windowOpens: Instant
    static let stolen: AccountID = "teacher-stolen"

    init(total: Int) async throws {
        var options = EventLedger.Options()
        options.durability = .relaxed
        let journal = try SchoolJournal.open(at: directory, options: options)
        self.journal = journal
        let others = total - 1000
        var batch = [NewEvent]()
        func flush() async throws {
            if !batch.isEmpty { _ = try await journal.ledger.append(batch) }
            batch = []
        }
        func work(_ n: Int, by actor: AccountID) throws -> NewEvent {
            let mark = MarkRecorded(markID: MarkID("M-\(n)"), studentID: StudentID("S-\(n % 500)"), lessonID: LessonID("L-\(n % 2000)"),
                                    subjectID: "MATH", value: .numeric(1 + n % 5), weight: 1 + n % 3, workKind: .classwork)
            return try EventCoding.newEvent(JournalEntry(event: .markRecorded(mark), actor: actor, occurredAt: Instant(iso8601: "2026-10-01T09:00:00Z")!))
        }
        for n in 0..<others / 2 {
            batch.append(try work(n, by: AccountID("teacher-\(n % 50)")))
            if batch.count == 1000 { try await flush() }
        }
        try await flush()
        let windowOpens = try journal.ledger.head().recordedAt!
        self.windowOpens = windowOpens
        // The stolen account's 1,000 operations, interleaved with the others' second half.
        var stolen = 0
        for n in others / 2..<others {
            batch.append(try work(n, by: AccountID("teacher-\(n % 50)")))
            if n % max(1, others / 2000) == 0, stolen < 1000 {
                batch.append(try work(total + stolen, by: Self.stolen))
                stolen += 1
            }
            if batch.count >= 1000 { try await flush() }
        }
        while stolen < 1000 {
            batch.append(try work(total + stolen, by: Self.stolen))
            stolen += 1
        }
        try await flush()
    }

    /// Reports the breach (the invalidator voids the 1,000 operations in the
    /// same transaction); returns the notice so the caller can withdraw it.
    func report() async throws -> AppendResult {
        let notice = CompromiseReported(accountID: Self.stolen, receivedByHeadAt: windowOpens, reportedBy: "head", reporter: .head)
        let result = try await journal.recordTrusted(.compromiseReported(notice), by: "head", occurredAt: windowOpens)
        precondition(result.derivedPositions.count == 1)
        return result
    }

    /// Withdraws the notice, lifting its voids, so the next iteration voids again.
    func withdraw(_ reported: AppendResult) async throws {
        let entry = try journal.entries(from: reported.positions[0], through: reported.positions[0])[0]
        let withdrawal = CompromiseNoticeWithdrawn(noticeEventID: entry.entry.id, noticePosition: entry.position, reason: "benchmark")
        try await journal.recordTrusted(.compromiseNoticeWithdrawn(withdrawal), by: "head", occurredAt: windowOpens)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

nonisolated(unsafe) var fixtures = [Int: VoidingFixture]()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 200)

    for total in [10_000, 100_000] {
        Benchmark("Void 1,000 operations in a log of \(total) events",
                  configuration: .init(setup: { fixtures[total] = try await VoidingFixture(total: total) },
                                       teardown: { fixtures[total] = nil })) { benchmark in
            let fixture = fixtures[total]!
            for _ in benchmark.scaledIterations {
                benchmark.startMeasurement()
                let reported = try await fixture.report()
                benchmark.stopMeasurement()
                try await fixture.withdraw(reported)
            }
        }
    }
}
