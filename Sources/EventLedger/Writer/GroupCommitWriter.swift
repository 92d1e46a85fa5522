import Foundation
import Logging
import Synchronization

/// The ledger's single writer: a dedicated thread that takes every append
/// waiting at that moment and writes them in one transaction (group commit).
///
/// The group's appends share one chain (each head they move is written once,
/// when the group ends). One refused append (a version conflict, a changed
/// body) does not undo the others: the group is then written again with each
/// append in a nested transaction of its own (see `commit`).
/// Callers resume only after the commit returned: an acknowledged append is
/// durable. The transaction never crosses an `await`: the thread runs it
/// synchronously from begin to commit.
final class GroupCommitWriter<Storage: LocalLogStorage>: LedgerWriter, @unchecked Sendable {
    // @unchecked Sendable: `queue` and `stopping` are touched only under
    // `condition`; `storage` and `clock` are Sendable; the thread owns `buffer`.
    // Continuations are unsafe ones (no misuse check, one allocation less per
    // append): each is resumed exactly once, by the commit that took it, by
    // the failure of that commit, or by `enqueue` when the ledger is closing;
    // the thread empties the queue before it ends. `GroupCommitTests` covers
    // the commit's outcomes, refusals included.
    private struct Pending {
        var request: AppendRequest
        var continuation: UnsafeContinuation<AppendResult, any Error>
    }

    /// A source of imported events: called on the writer thread at the start
    /// of each attempt, it returns a reader that yields the events from the first.
    typealias ImportSource = @Sendable () throws -> () throws -> ImportedEvent?

    private struct PendingImport {
        var source: ImportSource
        var continuation: UnsafeContinuation<ImportResult, any Error>
    }

    /// Work on the writer thread (projection catch-up, rebuild steps, the
    /// append rule's judging), in transactions of its own: runs alone,
    /// between group commits.
    private struct PendingJob {
        /// Runs the work; returns what to do once it committed.
        var run: () throws -> () -> Void
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
    /// Called with the positions each append transaction appended (inline
    /// projections): inside it when the read models share the log's
    /// transactions, else right after its commit; set once, before the first append.
    let afterAppend: Mutex<(@Sendable (LedgerSession, ClosedRange<UInt64>) throws -> Void)?> = Mutex(nil)
    /// The ledger's append rule (see ``EventLedger/setAppendRule(_:)-(AppendRule?)``):
    /// run inside each append's own transaction right after its events, over
    /// every record not judged yet, and inside each import.
    let appendRule: Mutex<InstalledRule?> = Mutex(nil)
    /// Where clock jumps are reported.
    private let logger: Logger
    /// How far ahead of the log's last record the clock may be before a
    /// commit reports it (see ``EventLedger/Options/clockJumpWarning``).
    private let clockJumpWarning: Int64
    private var stopping = false
    /// How long a commit may wait for the callers of the last one (see ``takeMore(taken:events:deadline:)``).
    private let gathering: TimeInterval
    /// How many appends the last group commit took.
    private var lastTake = 0
    /// How many callers the next group may expect: the appends the last
    /// commit took plus those already queued when it ended (see ``takeMore(taken:events:deadline:)``).
    private var expectedCallers = 0
    /// The queue length at which an append wakes the thread: 1, or more while it gathers.
    private var wakeAt = 1

    init(
        storage: Storage, clock: any LedgerClock, maxEventsPerCommit: Int, gathering: Duration = .zero, logger: Logger,
        clockJumpWarning: Int64, didCommit: @escaping @Sendable (UInt64) -> Void
    ) {
        let (seconds, attoseconds) = gathering.components
        self.gathering = max(0, Double(seconds) + Double(attoseconds) / 1e18)
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
        try await enqueue(isAppend: true) { queue.append(Pending(request: request, continuation: $0)) }
    }

    /// Queues an import; it runs alone in one transaction.
    func submitImport(_ source: @escaping ImportSource) async throws -> ImportResult {
        try await enqueue { imports.append(PendingImport(source: source, continuation: $0)) }
    }

    /// Runs `body` in a write transaction of its own on the writer thread and
    /// returns its result once the commit is durable. `body` may run again
    /// from the start when the map had to grow.
    func submitJob<R: Sendable>(_ body: @escaping @Sendable (LedgerSession) throws -> R) async throws -> R {
        let storage = storage
        return try await submitWork { try storage.writeReadModels(body) }
    }

    /// Runs `work` on the writer thread, between group commits, and returns
    /// its result; `work` opens the transactions it needs.
    func submitWork<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
        try await enqueue { (continuation: UnsafeContinuation<R, any Error>) in
            jobs.append(
                PendingJob(
                    run: {
                        let result = try work()
                        return { continuation.resume(returning: result) }
                    },
                    fail: { continuation.resume(throwing: $0) }))
        }
    }

    /// ``submitJob(_:)`` for a caller that is not async: blocks the calling
    /// thread until the job's commit is durable (or it failed). Never call it
    /// on the writer thread (from an append rule or a projection's `apply`).
    func runJob<R: Sendable>(_ body: @escaping @Sendable (LedgerSession) throws -> R) throws -> R {
        let outcome = JobOutcome<R>()
        condition.lock()
        guard !stopping else {
            condition.unlock()
            throw LedgerError(.ledgerClosing, "The ledger is closing: open it again to write.")
        }
        let storage = storage
        jobs.append(
            PendingJob(
                run: {
                    let result = try storage.writeReadModels(body)
                    return { outcome.finish(.success(result)) }
                },
                fail: { outcome.finish(.failure($0)) }))
        condition.signal()
        condition.unlock()
        return try outcome.wait()
    }

    /// Adds a job under the lock and wakes the thread; refuses once stopping.
    /// While a group gathers, an append wakes the thread only once the queue
    /// is as long as it waits for (see ``takeMore(taken:events:deadline:)``):
    /// a wake-up per few callers, not one per caller.
    private func enqueue<R>(isAppend: Bool = false, _ add: (UnsafeContinuation<R, any Error>) -> Void) async throws -> R {
        try await withUnsafeThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard !stopping else {
                continuation.resume(throwing: LedgerError(.ledgerClosing, "The ledger is closing: open it again to write."))
                return
            }
            add(continuation)
            if !isAppend || queue.count >= wakeAt { condition.signal() }
        }
    }

    /// How many appends wait for a commit (tests see a group form with it).
    var queuedAppends: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
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
            let batch = takeQueued(upTo: maxEventsPerCommit)
            condition.unlock()
            commit(batch, buffer: &buffer)
        }
    }

    /// With the lock held: removes from the queue the appends that fit in
    /// `room` events (at least one, whatever its size, when `room` is the
    /// whole of a commit).
    private func takeQueued(upTo room: Int) -> [Pending] {
        var events = 0
        var take = 0
        while take < queue.count && ((take == 0 && room == maxEventsPerCommit) || events + queue[take].request.events.count <= room) {
            events += queue[take].request.events.count
            take += 1
        }
        let taken = Array(queue.prefix(take))
        queue.removeFirst(take)
        return taken
    }

    /// Called inside a group's transaction once the appends taken so far are
    /// written (`taken` appends, `events` events): when the last group commit
    /// took several callers, waits (until `deadline`) for more appends, up to
    /// as many as were waiting when it ended plus the ones it took, which are
    /// likely to append again; returns those that arrived (empty: commit now).
    /// Callers that await each append otherwise split into two halves that
    /// alternate, one queueing while the other's commit is written, and every
    /// commit carries half of them. A lone caller (the last commit took one)
    /// never waits.
    ///
    /// The group's first appends are written while the rest arrive, so the
    /// wait overlaps work. The count is taken when the last commit ended,
    /// before its callers resumed: counted later, callers that already queued
    /// again would be counted twice, and the group would wait out the
    /// deadline for callers that do not exist.
    private func takeMore(taken: Int, events: Int, deadline: Date) -> [Pending] {
        condition.lock()
        defer { condition.unlock() }
        let target = min(expectedCallers, maxEventsPerCommit)
        guard gathering > 0, lastTake >= 2, taken < target, events < maxEventsPerCommit else { return [] }
        // Woken a few appends at a time, not once per caller.
        wakeAt = min(target - taken, 16)
        defer { wakeAt = 1 }
        while queue.count < wakeAt && jobs.isEmpty && imports.isEmpty && !stopping {
            if !condition.wait(until: deadline) { break }
        }
        return takeQueued(upTo: maxEventsPerCommit - events)
    }

    private func runJob(_ job: PendingJob) {
        do {
            // The delivery is made only after the commit returned; when the
            // body ran again after the map grew, only the last one counts.
            let deliver = try job.run()
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
                    rule: rule.map { rule in { input in try rule.derive(self.storage.ledgerSession(session), input) } },
                    derivedTypes: rule?.derivedTypes ?? [], reservedActorPrefix: rule?.reservedActorPrefix)
            }
            job.continuation.resume(returning: result)
            if result.appended > 0 { didCommit(result.lastPosition) }
        } catch {
            job.continuation.resume(throwing: error)
        }
    }

    /// Applies `request` after `chain`'s tail, then the append rule over
    /// every record not judged yet (this append's and any appended without the
    /// rule before it), in the chain's session: the rule's events or its
    /// refusal belong to this append.
    private func applyWithRule(
        _ request: AppendRequest, chain: inout ChainAppender<Storage>, now: Instant, buffer: inout [UInt8]
    ) throws -> AppendResult {
        let rule = appendRule.withLock { $0 }
        if let rule {
            for event in request.events {
                try AppendRule.refuseClaims(of: event, derivedTypes: rule.derivedTypes, reservedActorPrefix: rule.reservedActorPrefix)
            }
        }
        var result = try AppendLogic.apply(request, chain: &chain, now: now, buffer: &buffer)
        guard !result.wasDuplicate, let first = result.positions.first, let last = result.positions.last, let rule else { return result }
        // The rule reads streams and actors through their stored heads.
        try chain.storeHeads()
        let session = chain.session
        let judgedThrough = try storage.ruleCheckpoint(session)
        let derived = try rule.derive(
            storage.ledgerSession(session), AppendRuleInput(unjudged: min(judgedThrough + 1, first)...last, appended: first...last))
        if !derived.isEmpty {
            let request = AppendRequest(events: derived, expectations: [:])
            try request.validate()
            let added = try AppendLogic.apply(request, chain: &chain, now: now, buffer: &buffer)
            result.derivedPositions = added.positions
            result.lastPosition = added.lastPosition
        }
        try storage.setRuleCheckpoint(session, chain.tail.position)
        return result
    }

    /// Whether there is a rule and records it has not judged yet (a read).
    func hasUnjudged() throws -> Bool {
        guard appendRule.withLock({ $0 }) != nil else { return false }
        return try storage.read { session in try (storage.tail(session)?.position ?? 0) > storage.ruleCheckpoint(session) }
    }

    /// Judges, in a write transaction of its own, every record the append
    /// rule has not judged yet (appended by another process or without the
    /// rule), appends what it derives and moves its checkpoint; returns the
    /// derived events' positions. Runs on the caller's thread: call it on the
    /// writer thread (a job) or where no append can run at the same time.
    func judgeUnjudged() throws -> [UInt64] {
        guard let rule = appendRule.withLock({ $0 }) else { return [] }
        var appended: ClosedRange<UInt64>?
        let positions = try storage.write { session -> [UInt64] in
            appended = nil
            var tail = try storage.tail(session) ?? .empty
            let judgedThrough = try storage.ruleCheckpoint(session)
            guard tail.position > judgedThrough else { return [] }
            let start = tail.position
            let derived = try rule.derive(
                storage.ledgerSession(session), AppendRuleInput(unjudged: (judgedThrough + 1)...tail.position, appended: nil))
            var positions = [UInt64]()
            if !derived.isEmpty {
                var buffer = [UInt8]()
                let request = AppendRequest(events: derived, expectations: [:])
                try request.validate()
                positions = try AppendLogic.apply(
                    request, storage: storage, session: session, tail: &tail, now: clock.now(), buffer: &buffer
                ).positions
                appended = (start + 1)...tail.position
                if storage.sharesTransactions, let appended, let hook = afterAppend.withLock({ $0 }) {
                    try hook(storage.ledgerSession(session), appended)
                }
            }
            try storage.setRuleCheckpoint(session, tail.position)
            return positions
        }
        if let appended { applyAfterCommit(appended) }
        return positions
    }

    /// Applies `range`, committed just now, to the inline projections of a
    /// storage whose read models have transactions of their own. A failure
    /// leaves them behind, for the catch-up to retry: the append stands.
    private func applyAfterCommit(_ range: ClosedRange<UInt64>) {
        guard !storage.sharesTransactions, let hook = afterAppend.withLock({ $0 }) else { return }
        do {
            try storage.writeReadModels { session in try hook(session, range) }
        } catch {
            logger.error("read models fell behind the log", metadata: ["positions": "\(range)", "error": "\(error)"])
        }
    }

    /// Reports, through the logger, a clock far ahead of the log's last record.
    private func reportClockJump(now: Instant, tail: LogTail) {
        guard tail.position > 0, now.microsecondsSinceEpoch - tail.recordedAt.microsecondsSinceEpoch > clockJumpWarning else { return }
        logger.warning(
            "the clock is far ahead of the log's last record: check the machine's time before trusting new records' recordedAt",
            metadata: ["now": "\(now)", "lastRecordedAt": "\(tail.recordedAt)", "lastPosition": "\(tail.position)"])
    }

    /// A refusal inside a group written without savepoints: the transaction
    /// is abandoned and the group written again, each append in its own.
    private struct IsolateEachAppend: Error {}

    /// Writes `batch` in one transaction. Most groups hold no refusal, so the
    /// first attempt applies them one after another in the transaction
    /// itself; a nested transaction per append (LMDB copies its dirty-page
    /// list for each) is paid only when an append of the group is refused,
    /// by writing the group again with each append in a savepoint, so only
    /// the refused one is undone. Either way every append sees the ones
    /// before it, and callers learn their outcome only after the commit.
    private func commit(_ first: [Pending], buffer: inout [UInt8]) {
        var batch = first
        var outcomes: [Result<AppendResult, LedgerError>] = []
        do {
            let (before, last): (UInt64, UInt64)
            do {
                (before, last) = try write(&batch, isolated: false, outcomes: &outcomes, buffer: &buffer)
            } catch is IsolateEachAppend, is IDFoundInLog {
                // A refusal, or a retry whose ids the first attempt did not
                // look up: each append in a savepoint, its ids looked up.
                (before, last) = try write(&batch, isolated: true, outcomes: &outcomes, buffer: &buffer)
            }
            if last > before { applyAfterCommit((before + 1)...last) }
            countExpectedCallers(took: batch.count)
            for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(with: outcome) }
            didCommit(last)
        } catch {
            countExpectedCallers(took: batch.count)
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
    }

    /// Before a commit's callers resume: the callers the next group may
    /// expect are the ones it took and the ones queued meanwhile.
    private func countExpectedCallers(took: Int) {
        condition.lock()
        expectedCallers = queue.count + took
        lastTake = took
        condition.unlock()
    }

    /// One transaction for `batch`; each append in a savepoint of its own when
    /// `isolated`. The first attempt (not isolated) adds to `batch` the
    /// appends that arrive while it is written (see ``takeMore(taken:events:deadline:)``);
    /// a second attempt writes the same batch. Returns the tail's position
    /// before and after.
    private func write(
        _ batch: inout [Pending], isolated: Bool, outcomes: inout [Result<AppendResult, LedgerError>], buffer: inout [UInt8]
    ) throws -> (UInt64, UInt64) {
        let deadline = Date(timeIntervalSinceNow: gathering)
        return try storage.write { session -> (UInt64, UInt64) in
            outcomes.removeAll(keepingCapacity: true)  // the closure may run again after the map grew
            let start = try storage.tail(session) ?? .empty
            let now = clock.now()
            reportClockJump(now: now, tail: start)
            // Without savepoints the group's appends share one chain, so each
            // head they move is written once, when the group ends.
            // Room for the heads of the group's events from the start: grown
            // one event at a time, the dictionary rehashed every name again
            // at each doubling (3 % of figure 1's appends).
            // The first attempt leaves repeated ids to the storage; the
            // second, in savepoints, looks each append's ids up.
            var shared = ChainAppender(
                storage: storage, session: session, tail: start, expecting: batch.reduce(0) { $0 + $1.request.events.count },
                leavingIDsToStorage: !isolated)
            var index = 0
            var events = 0
            while true {
                while index < batch.count {
                    let pending = batch[index]
                    index += 1
                    events += pending.request.events.count
                    do {
                        let result: AppendResult
                        if isolated {
                            let before = shared.tail
                            result = try storage.savepoint(session) { child in
                                var own = ChainAppender(
                                    storage: storage, session: child, tail: before, expecting: pending.request.events.count)
                                let result = try applyWithRule(pending.request, chain: &own, now: now, buffer: &buffer)
                                // Isolated, the caller's last check runs before the read models see the append.
                                if let refusal = pending.request.beforeCommit?() { throw refusal }
                                shared = ChainAppender(storage: storage, session: session, tail: try own.finish())
                                return result
                            }
                        } else {
                            result = try applyWithRule(pending.request, chain: &shared, now: now, buffer: &buffer)
                        }
                        outcomes.append(.success(result))
                    } catch let refusal as LedgerError {
                        // Alone in the transaction, a refusal aborts the whole of it.
                        guard batch.count > 1 else { throw refusal }
                        guard isolated else { throw IsolateEachAppend() }
                        // Only this append's nested transaction was rolled back.
                        outcomes.append(.failure(refusal))
                    }
                }
                guard !isolated else { break }
                let more = takeMore(taken: batch.count, events: events, deadline: deadline)
                if more.isEmpty { break }
                batch += more
            }
            let tail = try shared.finish()
            // Inline projections see what this transaction appended, once it succeeded.
            if storage.sharesTransactions, tail.position > start.position, let hook = afterAppend.withLock({ $0 }) {
                try hook(storage.ledgerSession(session), (start.position + 1)...tail.position)
            }
            // The callers' last checks, while nothing is committed yet: a refusal of
            // one append undoes the group, written again with each in its own savepoint.
            if !isolated {
                for pending in batch {
                    guard let refusal = pending.request.beforeCommit?() else { continue }
                    guard batch.count > 1 else { throw refusal }
                    throw IsolateEachAppend()
                }
            }
            return (start.position, tail.position)
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

/// What ``EventLedger`` asks of its writer, whatever the storage under it.
protocol LedgerWriter: AnyObject, Sendable {
    var afterAppend: Mutex<(@Sendable (LedgerSession, ClosedRange<UInt64>) throws -> Void)?> { get }
    var appendRule: Mutex<InstalledRule?> { get }
    func submit(_ request: AppendRequest) async throws -> AppendResult
    func submitImport(_ source: @escaping @Sendable () throws -> () throws -> ImportedEvent?) async throws -> ImportResult
    func submitJob<R: Sendable>(_ body: @escaping @Sendable (LedgerSession) throws -> R) async throws -> R
    func submitWork<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R
    func runJob<R: Sendable>(_ body: @escaping @Sendable (LedgerSession) throws -> R) throws -> R
    func hasUnjudged() throws -> Bool
    func judgeUnjudged() throws -> [UInt64]
    var queuedAppends: Int { get }
    func stop()
}
