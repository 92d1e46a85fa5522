#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the ledger reads the time it stamps on appends (`recordedAt`).
///
/// Inject a clock to test time-dependent rules. The ledger never lets
/// `recordedAt` decrease: when a clock steps back, the ledger keeps the last
/// recorded instant instead (the clock is clamped).
public protocol LedgerClock: Sendable {
    /// The current instant in UTC.
    func now() -> Instant
}

/// The system's real-time clock (`CLOCK_REALTIME`), in microseconds.
public struct SystemClock: LedgerClock {
    /// Creates the system clock.
    public init() {}

    /// The current instant from `clock_gettime(CLOCK_REALTIME)`.
    public func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(microsecondsSinceEpoch: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)
    }
}
