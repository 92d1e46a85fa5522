/// The few pieces of the protocol buffers wire format the stored record uses.
///
/// The record is encoded by hand rather than through generated code so that
/// its bytes are canonical (fields in number order, each once) and so that
/// reading a header never decodes the payload. `Schemas/eventledger/v1/record.proto`
/// describes the same bytes for any protobuf runtime.
enum ProtoWire {
    static let varint: UInt8 = 0
    static let fixed64: UInt8 = 1
    static let lengthDelimited: UInt8 = 2

    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    @inline(__always)
    static func appendTag(_ field: UInt32, _ wire: UInt8, to out: inout [UInt8]) {
        appendVarint(UInt64(field) << 3 | UInt64(wire), to: &out)
    }

    @inline(__always)
    static func appendVarintField(_ field: UInt32, _ value: UInt64, to out: inout [UInt8]) {
        appendTag(field, varint, to: &out)
        appendVarint(value, to: &out)
    }

    @inline(__always)
    static func appendFixed64Field(_ field: UInt32, _ value: Int64, to out: inout [UInt8]) {
        appendTag(field, fixed64, to: &out)
        // One append of the eight bytes, not eight appends (each checks the array's capacity and uniqueness).
        withUnsafeBytes(of: UInt64(bitPattern: value).littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func appendBytesField(_ field: UInt32, _ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendTag(field, lengthDelimited, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    @inline(__always)
    static func appendStringField(_ field: UInt32, _ string: String, to out: inout [UInt8]) {
        var s = string
        s.withUTF8 { appendBytesField(field, $0, to: &out) }
    }

    @inline(__always)
    static func appendIDField(_ field: UInt32, _ id: EventID, to out: inout [UInt8]) {
        appendTag(field, lengthDelimited, to: &out)
        out.append(16)
        withUnsafeBytes(of: (id.high.bigEndian, id.low.bigEndian)) { out.append(contentsOf: $0) }
    }

    /// A bounds-checked reader over a buffer; every read fails softly (returns nil).
    struct Reader {
        let base: UnsafeRawBufferPointer
        var offset: Int

        init(_ base: UnsafeRawBufferPointer) {
            self.base = base
            self.offset = 0
        }

        var isAtEnd: Bool { offset >= base.count }

        @inline(__always)
        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < base.count {
                let byte = base[offset]
                offset += 1
                if shift == 63 && byte > 1 { return nil }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }

        @inline(__always)
        mutating func fixed64() -> Int64? {
            guard base.count - offset >= 8 else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(base[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return Int64(bitPattern: v)
        }

        /// The range of a length-delimited field's bytes.
        @inline(__always)
        mutating func lengthDelimited() -> Range<Int>? {
            guard let n = varint(), n <= UInt64(base.count - offset) else { return nil }
            let start = offset
            offset += Int(n)
            return start..<offset
        }
    }
}
