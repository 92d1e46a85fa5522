#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension UnsafeRawBufferPointer {
    /// Whether these bytes begin with `prefix`, by one `memcmp`: the test a
    /// key-range read makes on every key it visits.
    @inline(__always)
    package func hasPrefix(_ prefix: UnsafeRawBufferPointer) -> Bool {
        guard count >= prefix.count else { return false }
        return prefix.isEmpty || memcmp(baseAddress!, prefix.baseAddress!, prefix.count) == 0
    }

    /// These bytes against `other` in LMDB's key order (bytes compared
    /// unsigned, a shorter run before a longer one it begins): negative,
    /// zero or positive.
    @inline(__always)
    package func compareBytes(_ other: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(count, other.count)
        if common > 0 {
            let order = memcmp(baseAddress!, other.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return count - other.count
    }
}
