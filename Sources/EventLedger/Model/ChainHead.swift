/// A SHA-256 digest of a record in the hash chain.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The 32 bytes of the digest.
    public let bytes: [UInt8]

    /// The hash before the first record: 32 zero bytes.
    public static let genesis = ChainHash(unchecked: [UInt8](repeating: 0, count: 32))

    /// A hash from 32 bytes; `nil` for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.bytes = Array(bytes)
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// A hash from 64 hexadecimal digits.
    public init?(hex: some StringProtocol) {
        guard let b = Hex.decode(hex), b.count == 32 else { return nil }
        bytes = b
    }

    /// 64 lower-case hexadecimal digits.
    public var hex: String { Hex.encode(bytes) }
    /// 64 lower-case hexadecimal digits.
    public var description: String { hex }
}

extension ChainHash: TextCodable {
    static let textExample = "64 hexadecimal digits"
    init?(text: String) { self.init(hex: text) }
}

/// The end of the hash chain at some moment: the last position and its hash.
///
/// Export it (``EventLedger/head()``) and keep it outside the ledger; later,
/// ``EventLedger/verify(against:)`` proves that today's log still begins with
/// exactly the history that head summarised.
public struct ChainHead: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The last position (0 for an empty ledger).
    public var position: UInt64
    /// The hash of the record at ``position`` (``ChainHash/genesis`` for an empty ledger).
    public var hash: ChainHash
    /// When that record was appended (`nil` for an empty ledger).
    public var recordedAt: Instant?

    /// A head from its parts.
    public init(position: UInt64, hash: ChainHash, recordedAt: Instant?) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }

    /// `position <n> hash <hex> recordedAt <instant>`.
    public var description: String {
        "position \(position) hash \(hash.hex) recordedAt \(recordedAt?.iso8601 ?? "-")"
    }
}
