/// The log's Merkle tree (``MerkleTree``) kept as a read model, so that a
/// proof for any record of any size of log reads O(log n) rows and records
/// instead of every record's hash.
///
/// It stores the root of every complete subtree of 8 leaves or more (a
/// 9-byte key, the level and the subtree's index; a 32-byte value): about a
/// quarter of a node per record. Smaller subtrees are hashed again from the
/// records' own hashes when a proof needs them (at most 8 records).
/// Register it to have ``EventLedger/inclusionProof(position:treeSize:)``,
/// ``EventLedger/consistencyProof(from:to:)``,
/// ``EventLedger/merkleRoot(size:)`` and signed heads read it; without it
/// they read every record's hash.
///
/// ```swift
/// try ledger.register(MerkleTreeProjection())
/// ```
///
/// Voids do not touch it: the tree is of the records as appended, void or not.
public struct MerkleTreeProjection: Projection {
    /// `merkle-tree`.
    public var name: String { Self.name }
    /// 1.
    public var version: Int { 1 }
    /// `nodes`.
    public var databases: [String] { ["nodes"] }

    static let name = "merkle-tree"
    /// The lowest level stored: subtrees of 2^3 = 8 leaves.
    static let storedLevel = 3

    /// A model of the log's tree.
    public init() {}

    /// Stores each complete subtree the record completes, from 8 leaves up.
    public func apply(_ record: RecordView, to store: borrowing ProjectionStore) throws {
        let leaves = record.position  // leaf `position - 1` completes a tree of `position` leaves
        let width = UInt64(1) << Self.storedLevel
        guard leaves % width == 0 else { return }
        var index = leaves / width - 1
        var inputs = [[UInt8]]()
        for position in (index * width + 1)..<leaves {
            guard let view = try store.record(at: position, includingExcluded: true) else {
                throw LedgerError.corrupt(at: position, "the record the Merkle tree needs is missing")
            }
            inputs.append(view.hash.bytes)
        }
        inputs.append(record.hash.bytes)
        var level = Self.storedLevel
        var node = MerkleLeaves(inputs: inputs).subtree(level: level, index: 0)
        try store.put("nodes", key: Self.key(level, index), value: node)
        // Each right child completes its parent.
        while index & 1 == 1 {
            guard let left = try store.get("nodes", key: Self.key(level, index - 1)) else {
                throw LedgerError(
                    .projectionMisconfigured, "The Merkle tree lacks node \(index - 1) of level \(level): rebuild \(Self.name).")
            }
            node = MerkleTree.nodeHash(left, node)
            level += 1
            index >>= 1
            try store.put("nodes", key: Self.key(level, index), value: node)
        }
    }

    static func key(_ level: Int, _ index: UInt64) -> [UInt8] { [UInt8(level)] + index.bigEndianBytes }

    /// The root of complete subtree `index` at `level`, from the stored
    /// nodes and, below them, the records' hashes.
    static func subtree(_ level: Int, _ index: UInt64, in reader: borrowing ProjectionReader) throws -> [UInt8] {
        if level >= storedLevel {
            guard let node = try reader.get("nodes", key: key(level, index)) else {
                throw LedgerError(
                    .projectionMisconfigured,
                    "The Merkle tree has no node \(index) at level \(level) though it reached position \(reader.checkpoint): rebuild \(name)."
                )
            }
            return node
        }
        let width = UInt64(1) << level
        var inputs = [[UInt8]]()
        for position in (index * width + 1)...(index * width + width) {
            guard let view = try reader.record(at: position, includingExcluded: true) else {
                throw LedgerError.corrupt(at: position, "the record the Merkle tree needs is missing")
            }
            inputs.append(view.hash.bytes)
        }
        return MerkleLeaves(inputs: inputs).subtree(level: level, index: 0)
    }
}
