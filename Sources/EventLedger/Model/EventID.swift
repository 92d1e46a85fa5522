import Synchronization

/// The identity of an event: a 128-bit UUID, given by the caller or generated.
///
/// An append that is retried with the same ids is a no-op that returns the
/// original positions, so a caller that may retry should create each
/// ``NewEvent`` once and resend the same value. Ids generated here
/// (``generate(clock:)``) are UUIDv7: time-ordered, so that the ledger's id index
/// grows at its end instead of touching pages all over the file.
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The first 8 bytes of the UUID, big-endian.
    public let high: UInt64
    /// The last 8 bytes of the UUID, big-endian.
    public let low: UInt64

    /// An id from its two big-endian halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An id from 16 bytes; `nil` for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    init(unchecked bytes: [UInt8]) { self.init(bytes: bytes)! }

    /// The 16 bytes of the UUID, in network order.
    public var bytes: [UInt8] { (0..<16).map(byte(at:)) }

    /// Byte `i` (0-15) of the UUID, in network order.
    private func byte(at i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (56 - 8 * UInt64(i % 8)))
    }

    /// Parses the usual text form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any case).
    public init?(_ text: some StringProtocol) {
        let t = Array(text.utf8)
        guard t.count == 36, t[8] == 45, t[13] == 45, t[18] == 45, t[23] == 45,
            let bytes = Hex.decode(String(decoding: t.filter { $0 != 45 }, as: UTF8.self)), bytes.count == 16
        else { return nil }
        self.init(unchecked: bytes)
    }

    /// Lower-case text form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public var description: String {
        // Written as bytes into the string's own storage: appended a
        // character at a time (and through `bytes`, an array), an id's text
        // was an eighth of what judging a signed operation cost.
        String(unsafeUninitializedCapacity: 36) { text in
            var at = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let byte = byte(at: i)
                text[at] = Hex.digit(byte >> 4)
                text[at + 1] = Hex.digit(byte & 0xF)
                at += 2
            }
            return at
        }
    }

    /// Orders ids by their bytes (for UUIDv7, by creation time).
    public static func < (a: EventID, b: EventID) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// The UUID version (7 for ids made by ``generate(clock:)``, 4 for random ones).
    public var version: Int { Int(high >> 12 & 0xF) }

    /// A new time-ordered UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a
    /// 12-bit counter that keeps ids from this process strictly increasing,
    /// and 62 random bits.
    public static func generate(clock: any LedgerClock = SystemClock()) -> EventID {
        let millis = UInt64(max(0, clock.now().microsecondsSinceEpoch / 1000))
        let (ms, counter) = V7State.shared.withLock { state -> (UInt64, UInt16) in
            if millis > state.millis {
                state.millis = millis
                state.counter = UInt16.random(in: 0..<0x400)  // leaves room to count up
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                state.millis += 1  // counter exhausted: borrow the next millisecond
                state.counter = 0
            }
            return (state.millis, state.counter)
        }
        var rng = SystemRandomNumberGenerator()
        let random: UInt64 = rng.next()
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * UInt64(i))) }
        b[6] = 0x70 | UInt8(counter >> 8)
        b[7] = UInt8(truncatingIfNeeded: counter)
        b[8] = 0x80 | UInt8(truncatingIfNeeded: random >> 56) & 0x3F
        for i in 9..<16 { b[i] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(15 - i))) }
        return EventID(unchecked: b)
    }

    /// A new random UUIDv4.
    public static func random() -> EventID {
        var rng = SystemRandomNumberGenerator()
        var b = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        b[6] = 0x40 | (b[6] & 0x0F)
        b[8] = 0x80 | (b[8] & 0x3F)
        return EventID(unchecked: b)
    }
}

extension EventID: TextCodable {
    static let textExample = "a UUID such as 0192f0c1-2a3b-7c4d-8e5f-0123456789ab"
    init?(text: String) { self.init(text) }
}

private struct V7State {
    var millis: UInt64 = 0
    var counter: UInt16 = 0
    static let shared = Mutex(V7State())
}

/// A value that is stored in JSON as its text form (`description`).
protocol TextCodable: Codable, CustomStringConvertible {
    /// What the text should look like, for the error on bad input.
    static var textExample: String { get }
    init?(text: String)
}

extension TextCodable {
    /// Encodes as the text form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes from the text form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let value = Self(text: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not \(Self.textExample)")
        }
        self = value
    }
}

/// Lower-case hexadecimal text of bytes, and back (shared by the package).
package enum Hex {
    /// The ASCII lower-case digit of `v` (0-15).
    @inline(__always) static func digit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }

    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.withContiguousStorageIfAvailable(encode(buffer:)) ?? Array(bytes).withUnsafeBufferPointer(encode(buffer:))
    }

    /// Writes the digits into the string's own storage: appended a
    /// character at a time, the payload's digest in a signed operation's
    /// text was a third of what judging the operation cost.
    private static func encode(buffer bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard !bytes.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (i, byte) in bytes.enumerated() {
                text[2 * i] = digit(byte >> 4)
                text[2 * i + 1] = digit(byte & 0xF)
            }
            return bytes.count * 2
        }
    }

    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var out = [UInt8]()
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 65...70: v = c - 55
            case 97...102: v = c - 87
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return high == nil ? out : nil
    }
}
