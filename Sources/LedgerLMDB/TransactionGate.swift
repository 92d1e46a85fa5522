import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts the transactions this process has open on one environment, so that
/// the map can be resized only while none is open (an LMDB rule:
/// `mdb_env_set_mapsize` must not run while this process has a transaction).
///
/// A resize waits for open transactions to end and holds back new ones; a
/// thread that already holds a transaction is never held back (it would wait
/// for itself), and a resize asked for by such a thread is refused.
final class TransactionGate: @unchecked Sendable {
    // @unchecked Sendable: every mutable field is read and written only under `condition`.
    private let condition = NSCondition()
    private var active = 0
    private var resizing = false

    /// Per-thread count of transactions the calling thread holds on this
    /// environment (a thread may hold transactions of several environments).
    private let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    deinit { pthread_key_delete(depthKey) }

    private var threadDepth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    func enter() {
        let reentrant = threadDepth > 0
        condition.lock()
        while resizing && !reentrant { condition.wait() }
        active += 1
        condition.unlock()
        threadDepth += 1
    }

    /// ``enter()`` for a thread that must never wait on a resize (one that
    /// another thread holding a transaction waits for): `false`, entering
    /// nothing, while a resize is pending.
    func tryEnter() -> Bool {
        condition.lock()
        guard !resizing else {
            condition.unlock()
            return false
        }
        active += 1
        condition.unlock()
        threadDepth += 1
        return true
    }

    func leave() {
        threadDepth -= 1
        condition.lock()
        active -= 1
        if active == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Runs `body` with no transaction of this process open on the environment.
    func exclusive<R>(_ body: () throws(LMDBError) -> R) throws(LMDBError) -> R {
        guard threadDepth == 0 else {
            throw LMDBError(
                code: .mapFull, operation: "resize map",
                message: "The map must grow, but this thread holds a transaction: do not start a write inside a read or write closure.")
        }
        condition.lock()
        while resizing { condition.wait() }
        resizing = true
        while active > 0 { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            resizing = false
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
