import Foundation

/// A proof that one record is in the log of a given size: what a parent or
/// an auditor checks against a signed head with nothing but this proof
/// (``verify()``, or `Schemas/examples/verify_proof.py` on its ``json``).
public struct MerkleInclusionProof: Sendable, Equatable, Codable {
    /// Always `inclusion` (the Python verifier reads it).
    public var kind = "inclusion"
    /// The number of records in the tree the proof speaks of.
    public var treeSize: UInt64
    /// The record's leaf: its position minus one.
    public var leafIndex: UInt64
    /// The record's chain hash (the leaf's input), hex.
    public var recordHash: String
    /// The sibling hashes from the leaf up, hex.
    public var path: [String]
    /// The tree's root, hex.
    public var root: String

    /// Whether the proof holds: the path leads from the record's hash to the root.
    public func verify() -> Bool {
        guard let input = Hex.decode(recordHash), let root = Hex.decode(root), let path = Hex.all(path) else { return false }
        return MerkleTree.verifyInclusion(
            leafHash: MerkleTree.leafHash(input), leaf: leafIndex, treeSize: treeSize, proof: path, root: root)
    }

    /// The proof as one JSON object, as `verify_proof.py` reads it.
    public var json: String { Hex.json(self) }
}

/// A proof that the log of one size is the start of the log of a larger
/// size: nothing before it was changed or removed.
public struct MerkleConsistencyProof: Sendable, Equatable, Codable {
    /// Always `consistency` (the Python verifier reads it).
    public var kind = "consistency"
    /// The smaller tree's size and root (hex).
    public var oldSize: UInt64
    /// The smaller tree's root, hex.
    public var oldRoot: String
    /// The larger tree's size.
    public var newSize: UInt64
    /// The larger tree's root, hex.
    public var newRoot: String
    /// The hashes that join the two roots, hex.
    public var path: [String]

    /// Whether the proof holds for its two roots.
    public func verify() -> Bool {
        guard let old = Hex.decode(oldRoot), let new = Hex.decode(newRoot), let path = Hex.all(path) else { return false }
        return MerkleTree.verifyConsistency(oldSize: oldSize, oldRoot: old, newSize: newSize, newRoot: new, proof: path)
    }

    /// The proof as one JSON object, as `verify_proof.py` reads it.
    public var json: String { Hex.json(self) }
}

extension EventLedger {
    /// The Merkle root (RFC 9162) of the first `size` records, the whole log
    /// by default; see ``MerkleTree``. Reads the ``MerkleTreeProjection``
    /// when it is registered, every record's hash otherwise.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/outOfRange``
    ///   when `size` is beyond the log's head.
    public func merkleRoot(size: UInt64? = nil) throws -> (size: UInt64, root: [UInt8]) {
        try withMerkleTree(size) { size, subtrees, _ in (size, try MerkleTree.root(count: size, subtrees)) }
    }

    /// The proof that the record at `position` is in the log of `treeSize`
    /// records (the whole log by default).
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/outOfRange``
    ///   when the position is not in a tree of that size, or the size is
    ///   beyond the log's head.
    public func inclusionProof(position: UInt64, treeSize: UInt64? = nil) throws -> MerkleInclusionProof {
        try withMerkleTree(treeSize) { size, subtrees, recordHash in
            guard position >= 1, position <= size else {
                throw LedgerError(
                    .outOfRange,
                    "Position \(position) is not in a tree of \(size) records: ask for a position from 1 to \(size), or for a larger tree.")
            }
            let path = try MerkleTree.inclusionProof(leaf: position - 1, treeSize: size, subtrees)
            return MerkleInclusionProof(
                treeSize: size, leafIndex: position - 1, recordHash: Hex.encode(try recordHash(position)), path: path.map(Hex.encode),
                root: Hex.encode(try MerkleTree.root(count: size, subtrees)))
        }
    }

    /// The proof that the log of `oldSize` records is the start of the log
    /// of `newSize` records (the whole log by default).
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/outOfRange``
    ///   when `oldSize` is 0 or larger than `newSize`, or a size is beyond the
    ///   log's head.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64? = nil) throws -> MerkleConsistencyProof {
        try withMerkleTree(newSize) { size, subtrees, _ in
            guard oldSize >= 1, oldSize <= size else {
                throw LedgerError(
                    .outOfRange,
                    "A consistency proof from \(oldSize) to \(size) records cannot be made: the older size must be from 1 to \(size).")
            }
            let path = try MerkleTree.consistencyProof(from: oldSize, to: size, subtrees)
            return MerkleConsistencyProof(
                oldSize: oldSize, oldRoot: Hex.encode(try MerkleTree.root(count: oldSize, subtrees)), newSize: size,
                newRoot: Hex.encode(try MerkleTree.root(count: size, subtrees)), path: path.map(Hex.encode))
        }
    }

    /// Calls `body` with the tree of the first `size` records (all when
    /// `nil`): its size, its complete subtrees and the records' hashes, from
    /// the ``MerkleTreeProjection`` (caught up first) when registered and
    /// current, else from every record's hash.
    private func withMerkleTree<R>(
        _ size: UInt64?, _ body: (UInt64, MerkleTree.Subtrees, (UInt64) throws -> [UInt8]) throws -> R
    ) throws -> R {
        func treeSize(head: UInt64) throws -> UInt64 {
            let last = size ?? head
            guard last <= head else {
                throw LedgerError(.outOfRange, "The log holds \(head) records, not \(last): ask for a tree of at most \(head).")
            }
            return last
        }
        if registeredProjections.contains(MerkleTreeProjection.name) {
            do {
                return try readCurrentProjection(MerkleTreeProjection.name) { reader in
                    try body(try treeSize(head: reader.checkpoint), { try MerkleTreeProjection.subtree($0, $1, in: reader) }) { position in
                        guard let view = try reader.record(at: position, includingExcluded: true) else {
                            throw LedgerError.corrupt(at: position, "the record a proof needs is missing")
                        }
                        return view.hash.bytes
                    }
                }
            } catch let error as LedgerError where error.code == .projectionStale {
                // A read-only open of a lagging model: read the records instead.
            }
        }
        let inputs = try read { reader in
            let last = try treeSize(head: try reader.head().position)
            var inputs = [[UInt8]]()
            inputs.reserveCapacity(Int(last))
            if last > 0 {
                try reader.forEach(from: 1, through: last) { view in
                    inputs.append(view.hash.bytes)
                    return true
                }
            }
            return inputs
        }
        let leaves = MerkleLeaves(inputs: inputs)
        return try body(UInt64(inputs.count), { leaves.subtree(level: $0, index: $1) }) { inputs[Int($0 - 1)] }
    }
}

extension Hex {
    /// Each of `texts` decoded, or `nil` if one is not hexadecimal.
    static func all(_ texts: [String]) -> [[UInt8]]? {
        var out = [[UInt8]]()
        for text in texts {
            guard let bytes = decode(text) else { return nil }
            out.append(bytes)
        }
        return out
    }

    /// `value` as one JSON object with sorted keys.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
