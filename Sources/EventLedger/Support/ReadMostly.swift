#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value read on every query and changed rarely, behind a readers-writer
/// lock: readers share it without waiting on one another.
///
/// A `Mutex` serialises readers too. Under sixteen reading threads on two
/// cores, a reader preempted while holding it made the others spin in its
/// slow path: 5 % of figure 9's CPU went to the projection registry's
/// lookup alone.
final class ReadMostly<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is read only under the read lock and written only
    // under the write lock; the lock lives at a fixed address of its own.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        precondition(pthread_rwlock_init(lock, nil) == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Runs `body` on the value while no writer can change it; other readers run alongside.
    func read<T>(_ body: (borrowing Value) throws -> T) rethrows -> T {
        precondition(pthread_rwlock_rdlock(lock) == 0, "pthread_rwlock_rdlock failed")
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    /// Runs `body` on the value alone: readers and other writers wait.
    func write<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        precondition(pthread_rwlock_wrlock(lock) == 0, "pthread_rwlock_wrlock failed")
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}
