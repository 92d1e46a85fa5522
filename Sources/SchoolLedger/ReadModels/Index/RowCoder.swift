/// A small binary encoding for read-model rows: fields written in order as
/// varints and length-prefixed UTF-8, read back in the same order. Rows are
/// rebuilt from the log, so the encoding may change with a projection's version.
struct RowWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        var z = UInt64(bitPattern: Int64(v) << 1 ^ Int64(v) >> 63)  // zig-zag
        while z >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: z) | 0x80); z >>= 7 }
        bytes.append(UInt8(z))
    }

    mutating func uint(_ v: UInt64) { int(Int(bitPattern: UInt(v))) }

    mutating func string(_ s: String) {
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    /// Bytes as they are, after their count (a key another row names).
    mutating func blob(_ b: [UInt8]) {
        int(b.count)
        bytes.append(contentsOf: b)
    }

    mutating func optional(_ s: String?) {
        int(s == nil ? 0 : 1)
        if let s { string(s) }
    }

    mutating func bool(_ b: Bool) { int(b ? 1 : 0) }
}

/// Reads what ``RowWriter`` wrote; a short or damaged row reads as zeros and
/// empty strings (rows are the projection's own, rebuilt from the log). It
/// reads a copy of a row or, inside a read's closure, the row in the map.
struct RowReader<Bytes: RandomAccessCollection<UInt8>> where Bytes.Index == Int {
    private let bytes: Bytes
    private var offset: Int

    init(_ bytes: Bytes) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    mutating func int() -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.endIndex, shift < 64 {
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        let v = Int64(bitPattern: result)
        return Int(v >> 1 ^ -(v & 1))
    }

    mutating func uint() -> UInt64 { UInt64(UInt(bitPattern: int())) }

    mutating func string() -> String { String(decoding: blob(), as: UTF8.self) }

    /// What ``RowWriter/blob(_:)`` wrote.
    mutating func blob() -> Bytes.SubSequence {
        let n = max(0, min(int(), bytes.endIndex - offset))
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func optional() -> String? { int() == 0 ? nil : string() }

    mutating func bool() -> Bool { int() != 0 }
}

/// Keys of read-model rows: parts joined by a 0 byte (ids hold no control
/// characters), so a prefix scan over the first parts finds the rest.
enum RowKey {
    static func make(_ parts: String...) -> [UInt8] { make(parts) }

    static func make(_ parts: [String]) -> [UInt8] {
        var key = [UInt8]()
        for (n, part) in parts.enumerated() {
            if n > 0 { key.append(0) }
            key.append(contentsOf: part.utf8)
        }
        return key
    }

    /// The prefix that matches every key whose first parts are `parts`.
    static func prefix(_ parts: String...) -> [UInt8] { make(parts) + [0] }

    static func parts(_ key: UnsafeRawBufferPointer) -> [String] {
        key.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The part at `index` (0 is the first), or `nil` when the key has fewer
    /// parts: one string made, not one per part (for the scans of a query's
    /// hot loop, which want one part of each key).
    static func part(_ index: Int, of key: UnsafeRawBufferPointer) -> String? {
        var start = 0
        var seen = 0
        for (offset, byte) in key.enumerated() where byte == 0 {
            if seen == index { return String(decoding: UnsafeRawBufferPointer(rebasing: key[start..<offset]), as: UTF8.self) }
            seen += 1
            start = offset + 1
        }
        return seen == index ? String(decoding: UnsafeRawBufferPointer(rebasing: key[start...]), as: UTF8.self) : nil
    }

    /// The last part.
    static func last(_ key: UnsafeRawBufferPointer) -> String {
        let start = key.lastIndex(of: 0).map { $0 + 1 } ?? 0
        return String(decoding: UnsafeRawBufferPointer(rebasing: key[start...]), as: UTF8.self)
    }
}
