import Foundation

/// A projection's two halves, with the prepared value's type erased so that
/// the folder (which holds `any Projection`) can carry it between threads.
struct Preparer: Sendable {
    /// ``PreparingProjection/prepare(_:)``.
    let prepare: @Sendable (RecordView) throws -> any Sendable
    /// ``PreparingProjection/apply(_:prepared:to:)``.
    let apply: @Sendable (RecordView, any Sendable, borrowing ProjectionStore) throws -> Void

    /// The halves of `projection`, when it prepares; `nil` otherwise.
    static func of(_ projection: any Projection) -> Preparer? {
        guard let preparing = projection as? any PreparingProjection else { return nil }
        return halves(of: preparing)
    }

    private static func halves<P: PreparingProjection>(of projection: P) -> Preparer {
        Preparer(
            prepare: { try projection.prepare($0) },
            apply: { record, prepared, store in
                // The value came from this projection's own prepare.
                try projection.apply(record, prepared: prepared as! P.Prepared, to: store)
            })
    }
}

/// Prepares the records of one range on a thread of its own, in a read
/// snapshot of its own, a bounded queue ahead of the folding thread, which
/// takes each record's value in log order (``take(_:)``).
///
/// At most ``capacity`` chunks of ``chunkSize`` values wait, whatever the
/// range's length. A record whose preparation threw is left out: the folding
/// thread prepares it again itself, so the error surfaces in order.
final class PrepareAhead: @unchecked Sendable {
    // @unchecked Sendable: `ready`, `finished` and `stopped` are read and written
    // only under `condition`; `current` and `index` only by the folding thread.
    static let chunkSize = 256
    static let capacity = 8

    private let condition = NSCondition()
    private var ready = [[(UInt64, any Sendable)]]()
    private var finished = false
    private var stopped = false
    private var current = [(UInt64, any Sendable)]()
    private var index = 0
    private let exited = DispatchSemaphore(value: 0)

    /// Starts preparing `first...last`: the records `handles` accepts, through `preparer`.
    init(
        first: UInt64, last: UInt64, storage: any LocalLogStorage, preparer: Preparer,
        handles: @escaping @Sendable (RecordView) -> Bool
    ) {
        let thread = Thread { [self] in
            defer {
                condition.lock()
                finished = true
                condition.broadcast()
                condition.unlock()
                exited.signal()
            }
            var chunk = [(UInt64, any Sendable)]()
            chunk.reserveCapacity(Self.chunkSize)
            // Any failure here only means the folding thread prepares the rest
            // itself. The folding thread holds a transaction and waits for this
            // one: beginning the snapshot must never wait for a map resize
            // (which would wait for the folding thread's transaction) nor
            // start one (another process grew the map); the thread then
            // prepares nothing.
            _ = try? storage.readAhead { log in
                try log.scan(from: first, through: last, reverse: false) { key, bytes in
                    guard let view = try? RecordView(parsing: bytes, key: key) else { return false }
                    if handles(view), let value = try? preparer.prepare(view) { chunk.append((key, value)) }
                    guard chunk.count == Self.chunkSize else { return true }
                    defer { chunk.removeAll(keepingCapacity: true) }
                    return push(chunk)
                }
            }
            if !chunk.isEmpty { _ = push(chunk) }
        }
        thread.name = "eventledger.prepare-ahead"
        thread.start()
    }

    /// Queues a chunk, waiting while the queue is full; `false` once stopped.
    private func push(_ chunk: [(UInt64, any Sendable)]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        ready.append(chunk)
        condition.broadcast()
        return true
    }

    /// The value prepared for the record at `position`, taken in ascending
    /// order of positions; `nil` when it was not prepared ahead.
    func take(_ position: UInt64) -> (any Sendable)? {
        while true {
            while index < current.count {
                let (key, value) = current[index]
                if key > position { return nil }
                index += 1
                if key == position { return value }
            }
            condition.lock()
            while ready.isEmpty && !finished { condition.wait() }
            guard !ready.isEmpty else {
                condition.unlock()
                return nil
            }
            current = ready.removeFirst()
            index = 0
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Stops the thread and waits until it has closed its snapshot.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }
}
