import Foundation
import Logging
import Synchronization

/// The ledger's single writer: a dedicated thread that takes every append
/// waiting at that moment and writes them in one transaction (group commit).
///
/// Each caller's append is isolated in a nested transaction, so one refused
/// append (a version conflict, a changed body) does not undo the others.
/// Callers resume only after the commit returned: an acknowledged append is
/// durable. The transaction never crosses an `await`: the thread runs it
/// synchronously from begin to commit.
final class GroupCommitWriter<Storage: LogStorage>: @unchecked Sendable {
    // @unchecked Sendable: `queue` and `stopping` are touched only under
    // `condition`; `storage` and `clock` are Sendable; the thread owns `buffer`.
    private struct Pending {
        var request: AppendRequest
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    /// A source of imported events: called on the writer thread at the start
    /// of each attempt, it returns a reader that yields the events from the first.
    typealias ImportSource = @Sendable () throws -> () throws -> ImportedEvent?

    private struct PendingImport {
        var source: ImportSource
        var continuation: CheckedContinuation<ImportResult, any Error>
    }

    /// A write transaction of its own (projection catch-up, rebuild steps):
    /// runs alone, between group commits.
    private struct PendingJob {
        /// Runs in the transaction; returns what to do once it committed.
        var run: (Storage.Session) throws -> () -> Void
        var fail: (any Error) -> Void
    }

    private let storage: Storage
    private let clock: any LedgerClock
    private let maxEventsPerCommit: Int
    private let didCommit: @Sendable (UInt64) -> Void
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var imports: [PendingImport] = []
    private var jobs: [PendingJob] = []
    /// Called inside each append transaction with the positions it appended
    /// (inline projections); set once, before the first append.
    let afterAppend: Mutex<(@Sendable (Storage.Session, ClosedRange<UInt64>) throws -> Void)?> = Mutex(nil)
    /// The ledger's append rule (see ``EventLedger/setAppendRule(_:)-(AppendRule?)``):
    /// run inside each append's own transaction right after its events, over
    /// every record not judged yet, and inside each import.
    let appendRule: Mutex<InstalledRule<Storage.Session>?> = Mutex(nil)
    /// Where clock jumps are reported.
    private let logger: Logger
    /// How far ahead of the log's last record the clock may be before a
    /// commit reports it (see ``EventLedger/Options/clockJumpWarning``).
    private let clockJumpWarning: Int64
    private var stopping = false

    init(
        storage: Storage, clock: any LedgerClock, maxEventsPerCommit: Int, logger: Logger, clockJumpWarning: Int64,
        didCommit: @escaping @Sendable (UInt64) -> Void
    ) {
        self.storage = storage
        self.logger = logger
        self.clockJumpWarning = clockJumpWarning
        self.clock = clock
        self.maxEventsPerCommit = maxEventsPerCommit
        self.didCommit = didCommit
        let thread = Thread { [self] in run() }
        thread.name = "EventLedger writer"
        thread.start()
    }

    /// Queues `request` and returns its result once its commit is durable.
    func submit(_ request: AppendRequest) async throws -> AppendResult {
        try await enqueue { queue.append(Pending(request: request, continuation: $0)) }
    }

    /// Queues an import; it runs alone in one transaction.
    func submitImport(_ source: @escaping ImportSource) async throws -> ImportResult {
        try await enqueue { imports.append(PendingImport(source: source, continuation: $0)) }
    }

    /// Runs `body` in a write transaction of its own on the writer thread and
    /// returns its result once the commit is durable. `body` may run again
    /// from the start when the map had to grow.
    func submitJob<R: Sendable>(_ body: @escaping @Sendable (Storage.Session) throws -> R) async throws -> R {
        try await enqueue { (continuation: CheckedContinuation<R, any Error>) in
            jobs.append(
                PendingJob(
                    run: { session in
                        let result = try body(session)
                        return { continuation.resume(returning: result) }
                    },
                    fail: { continuation.resume(throwing: $0) }))
        }
    }

    /// ``submitJob(_:)`` for a caller that is not async: blocks the calling
    /// thread until the job's commit is durable (or it failed). Never call it
    /// on the writer thread (from an append rule or a projection's `apply`).
    func runJob<R: Sendable>(_ body: @escaping @Sendable (Storage.Session) throws -> R) throws -> R {
        let outcome = JobOutcome<R>()
        condition.lock()
        guard !stopping else {
            condition.unlock()
            throw LedgerError(.ledgerClosing, "The ledger is closing: open it again to write.")
        }
        jobs.append(
            PendingJob(
                run: { session in
                    let result = try body(session)
                    return { outcome.finish(.success(result)) }
                },
                fail: { outcome.finish(.failure($0)) }))
        condition.signal()
        condition.unlock()
        return try outcome.wait()
    }

    /// Adds a job under the lock and wakes the thread; refuses once stopping.
    private func enqueue<R>(_ add: (CheckedContinuation<R, any Error>) -> Void) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard !stopping else {
                continuation.resume(throwing: LedgerError(.ledgerClosing, "The ledger is closing: open it again to write."))
                return
            }
            add(continuation)
            condition.signal()
        }
    }

    /// Lets the thread finish what is queued, then end.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var buffer = [UInt8]()
        while true {
            condition.lock()
            while queue.isEmpty && imports.isEmpty && jobs.isEmpty && !stopping { condition.wait() }
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                runJob(job)
                continue
            }
            if !imports.isEmpty {
                let job = imports.removeFirst()
                condition.unlock()
                runImport(job, buffer: &buffer)
                continue
            }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            var events = 0
            var take = 0
            while take < queue.count && (take == 0 || events + queue[take].request.events.count <= maxEventsPerCommit) {
                events += queue[take].request.events.count
                take += 1
            }
            let batch = Array(queue.prefix(take))
            queue.removeFirst(take)
            condition.unlock()
            commit(batch, buffer: &buffer)
        }
    }

    private func runJob(_ job: PendingJob) {
        do {
            // The delivery is made only after the commit returned; when the
            // body ran again after the map grew, only the last one counts.
            let deliver = try storage.write { session in try job.run(session) }
            deliver()
        } catch {
            job.fail(error)
        }
    }

    private func runImport(_ job: PendingImport, buffer: inout [UInt8]) {
        let rule = appendRule.withLock { $0 }
        do {
            let result = try storage.write { session -> ImportResult in
                var tail = try storage.tail(session) ?? .empty
                let next = try job.source()
                // Projections catch up after the import, in batches of their own.
                return try AppendLogic.importAll(
                    next, storage: storage, session: session, tail: &tail, now: clock.now(), buffer: &buffer,
                    rule: rule.map { rule in { input in try rule.derive(session, input) } },
                    derivedTypes: rule?.derivedTypes ?? [], reservedActorPrefix: rule?.reservedActorPrefix)
            }
            job.continuation.resume(returning: result)
            if result.appended > 0 { didCommit(result.lastPosition) }
        } catch {
            job.continuation.resume(throwing: error)
        }
    }

    /// Applies `request`, then the append rule over every record not judged
    /// yet (this append's and any appended without the rule before it), in
    /// the same session: the rule's events or its refusal belong to this append.
    private func applyWithRule(
        _ request: AppendRequest, session: Storage.Session, tail: inout LogTail, now: Instant,
        buffer: inout [UInt8]
    ) throws -> AppendResult {
        let rule = appendRule.withLock { $0 }
        if let rule {
            for event in request.events {
                try AppendRule.refuseClaims(of: event, derivedTypes: rule.derivedTypes, reservedActorPrefix: rule.reservedActorPrefix)
            }
        }
        var result = try AppendLogic.apply(request, storage: storage, session: session, tail: &tail, now: now, buffer: &buffer)
        guard !result.wasDuplicate, let first = result.positions.first, let last = result.positions.last, let rule else { return result }
        let judgedThrough = try storage.ruleCheckpoint(session)
        let derived = try rule.derive(session, AppendRuleInput(unjudged: min(judgedThrough + 1, first)...last, appended: first...last))
        if !derived.isEmpty {
            let request = AppendRequest(events: derived, expectations: [:])
            try request.validate()
            let added = try AppendLogic.apply(request, storage: storage, session: session, tail: &tail, now: now, buffer: &buffer)
            result.derivedPositions = added.positions
            result.lastPosition = added.lastPosition
        }
        try storage.setRuleCheckpoint(session, tail.position)
        return result
    }

    /// Whether there is a rule and records it has not judged yet (a read).
    func hasUnjudged() throws -> Bool {
        guard appendRule.withLock({ $0 }) != nil else { return false }
        return try storage.read { session in try (storage.tail(session)?.position ?? 0) > storage.ruleCheckpoint(session) }
    }

    /// Judges, in `session`, every record the append rule has not judged yet
    /// (appended by another process or without the rule), appends what it
    /// derives and moves its checkpoint; returns the derived events' positions.
    func judgeUnjudged(_ session: Storage.Session) throws -> [UInt64] {
        guard let rule = appendRule.withLock({ $0 }) else { return [] }
        var tail = try storage.tail(session) ?? .empty
        let judgedThrough = try storage.ruleCheckpoint(session)
        guard tail.position > judgedThrough else { return [] }
        let start = tail.position
        let derived = try rule.derive(session, AppendRuleInput(unjudged: (judgedThrough + 1)...tail.position, appended: nil))
        var positions = [UInt64]()
        if !derived.isEmpty {
            var buffer = [UInt8]()
            let request = AppendRequest(events: derived, expectations: [:])
            try request.validate()
            positions = try AppendLogic.apply(request, storage: storage, session: session, tail: &tail, now: clock.now(), buffer: &buffer)
                .positions
            if let hook = afterAppend.withLock({ $0 }) { try hook(session, (start + 1)...tail.position) }
        }
        try storage.setRuleCheckpoint(session, tail.position)
        return positions
    }

    /// Reports, through the logger, a clock far ahead of the log's last record.
    private func reportClockJump(now: Instant, tail: LogTail) {
        guard tail.position > 0, now.microsecondsSinceEpoch - tail.recordedAt.microsecondsSinceEpoch > clockJumpWarning else { return }
        logger.warning(
            "the clock is far ahead of the log's last record: check the machine's time before trusting new records' recordedAt",
            metadata: ["now": "\(now)", "lastRecordedAt": "\(tail.recordedAt)", "lastPosition": "\(tail.position)"])
    }

    private func commit(_ batch: [Pending], buffer: inout [UInt8]) {
        var outcomes: [Result<AppendResult, LedgerError>] = []
        do {
            let last = try storage.write { session -> UInt64 in
                outcomes.removeAll(keepingCapacity: true)  // the closure may run again after the map grew
                var tail = try storage.tail(session) ?? .empty
                let now = clock.now()
                reportClockJump(now: now, tail: tail)
                let start = tail.position
                /// Inline projections see what this transaction appended, once it succeeded.
                func finish() throws -> UInt64 {
                    if tail.position > start, let hook = afterAppend.withLock({ $0 }) { try hook(session, (start + 1)...tail.position) }
                    return tail.position
                }
                if batch.count == 1 {
                    // Alone in the transaction: a refusal aborts the whole of it.
                    let result = try applyWithRule(batch[0].request, session: session, tail: &tail, now: now, buffer: &buffer)
                    outcomes.append(.success(result))
                    return try finish()
                }
                for pending in batch {
                    let before = tail
                    do {
                        let result = try storage.savepoint(session) { child in
                            try applyWithRule(pending.request, session: child, tail: &tail, now: now, buffer: &buffer)
                        }
                        outcomes.append(.success(result))
                    } catch let refusal as LedgerError {
                        // Only this append's nested transaction was rolled back.
                        tail = before
                        outcomes.append(.failure(refusal))
                    }
                }
                return try finish()
            }
            for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(with: outcome) }
            didCommit(last)
        } catch {
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
    }
}

/// The result of a job a blocked caller waits for (see `GroupCommitWriter.runJob`).
private final class JobOutcome<R: Sendable>: Sendable {
    private let result = Mutex<Result<R, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ outcome: Result<R, any Error>) {
        result.withLock { $0 = outcome }
        done.signal()
    }

    func wait() throws -> R {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
