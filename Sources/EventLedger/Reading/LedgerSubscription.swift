/// The events of the log from a position on: first those already stored,
/// then each new commit, by this process or by another process on the same
/// directory, for as long as the consuming task runs.
///
/// ```swift
/// for try await event in ledger.subscribe(from: checkpoint + 1) {
///     try apply(event)
/// }
/// ```
///
/// Commits of this process wake the subscription at once; commits of other
/// processes are seen within ``EventLedger/Options/pollInterval``. Cancel the
/// task to stop.
public struct LedgerSubscription: AsyncSequence, Sendable {
    /// The subscription yields owned records.
    public typealias Element = RecordedEvent

    let ledger: EventLedger
    let start: UInt64
    let batchSize: Int

    /// Makes an iterator that starts at the subscription's first position.
    public func makeAsyncIterator() -> Iterator {
        Iterator(ledger: ledger, next: Swift.max(1, start), batchSize: batchSize)
    }

    /// Reads records in batches, then waits for commits.
    public struct Iterator: AsyncIteratorProtocol {
        let ledger: EventLedger
        var next: UInt64
        let batchSize: Int
        var buffer: [RecordedEvent] = []
        var index = 0

        /// The next record, waiting for it when the subscription is caught up;
        /// `nil` once the task is cancelled.
        public mutating func next() async throws -> RecordedEvent? {
            while index >= buffer.count {
                if Task.isCancelled { return nil }
                let generation = ledger.notifier.generation
                buffer = try ledger.events(from: next, limit: batchSize)
                index = 0
                if buffer.isEmpty {
                    await ledger.notifier.wait(since: generation, timeout: ledger.options.pollInterval)
                }
            }
            let event = buffer[index]
            index += 1
            next = event.position + 1
            return event
        }
    }
}

extension EventLedger {
    /// Follows the log from `position` on (1: from the beginning).
    ///
    /// - Parameters:
    ///   - position: the first position to deliver.
    ///   - batchSize: how many stored records to read at a time while catching up.
    public func subscribe(from position: UInt64 = 1, batchSize: Int = 1024) -> LedgerSubscription {
        LedgerSubscription(ledger: self, start: position, batchSize: Swift.max(1, batchSize))
    }
}
