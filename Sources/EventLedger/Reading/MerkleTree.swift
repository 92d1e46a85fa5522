import Crypto

/// The log seen as a Merkle tree in the shape of RFC 9162 (§2.1): leaf `i`
/// is the record at position `i + 1`, and its input is the record's chain
/// hash, so a proof speaks of the same records the hash chain does.
///
/// - A leaf's hash is `SHA-256(0x00 ‖ record hash)`; an inner node's is
///   `SHA-256(0x01 ‖ left ‖ right)`; the tree of `n` leaves splits at the
///   largest power of two below `n` (RFC 9162, §2.1.1). The empty tree's
///   root is `SHA-256("")`.
/// - An *inclusion proof* shows one record in a tree of a given size with
///   O(log n) hashes; a *consistency proof* shows that a tree of one size is
///   a prefix of a larger one (the log only grew), also with O(log n).
///
/// The proofs are computed from the roots of *complete subtrees* (`2^level`
/// leaves starting at leaf `index · 2^level`), which a caller supplies: from
/// leaf hashes in memory (``MerkleLeaves``) or from stored nodes. The
/// verifiers need nothing but the proof, the sizes and the roots; a Python
/// one with the same rules is `Schemas/examples/verify_proof.py`.
public enum MerkleTree {
    /// The root of complete subtree `index` at `level` (`2^level` leaves).
    public typealias Subtrees = (_ level: Int, _ index: UInt64) throws -> [UInt8]

    /// The root of the empty tree: `SHA-256("")`.
    public static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// A leaf's hash: `SHA-256(0x00 ‖ input)`, the input being a record's chain hash.
    public static func leafHash(_ input: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: input)
        return Array(hasher.finalize())
    }

    /// An inner node's hash: `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root of the `count` leaves starting at leaf `start`.
    public static func root(start: UInt64 = 0, count: UInt64, _ subtrees: Subtrees) rethrows -> [UInt8] {
        guard count > 0 else { return emptyRoot }
        if count & (count - 1) == 0, start % count == 0 {
            return try subtrees(count.trailingZeroBitCount, start / count)
        }
        let k = split(count)
        return nodeHash(try root(start: start, count: k, subtrees), try root(start: start + k, count: count - k, subtrees))
    }

    /// The inclusion proof of leaf `leaf` in the tree of the first
    /// `treeSize` leaves (RFC 9162, §2.1.3.1), nearest sibling first.
    ///
    /// - Precondition: `leaf < treeSize`.
    public static func inclusionProof(leaf: UInt64, treeSize: UInt64, _ subtrees: Subtrees) rethrows -> [[UInt8]] {
        precondition(leaf < treeSize, "leaf \(leaf) is outside a tree of \(treeSize) leaves")
        return try path(leaf, start: 0, count: treeSize, subtrees)
    }

    private static func path(_ m: UInt64, start: UInt64, count: UInt64, _ subtrees: Subtrees) rethrows -> [[UInt8]] {
        guard count > 1 else { return [] }
        let k = split(count)
        if m < k {
            return try path(m, start: start, count: k, subtrees) + [root(start: start + k, count: count - k, subtrees)]
        }
        return try path(m - k, start: start + k, count: count - k, subtrees) + [root(start: start, count: k, subtrees)]
    }

    /// The consistency proof between the trees of the first `oldSize` and
    /// `newSize` leaves (RFC 9162, §2.1.4.1); empty when the sizes are equal.
    ///
    /// - Precondition: `0 < oldSize <= newSize`.
    public static func consistencyProof(from oldSize: UInt64, to newSize: UInt64, _ subtrees: Subtrees) rethrows -> [[UInt8]] {
        precondition(oldSize > 0 && oldSize <= newSize, "no consistency proof from \(oldSize) to \(newSize) leaves")
        return try subproof(oldSize, start: 0, count: newSize, complete: true, subtrees)
    }

    private static func subproof(_ m: UInt64, start: UInt64, count: UInt64, complete: Bool, _ subtrees: Subtrees) rethrows -> [[UInt8]] {
        if m == count { return complete ? [] : [try root(start: start, count: count, subtrees)] }
        let k = split(count)
        if m <= k {
            return try subproof(m, start: start, count: k, complete: complete, subtrees)
                + [root(start: start + k, count: count - k, subtrees)]
        }
        return try subproof(m - k, start: start + k, count: count - k, complete: false, subtrees) + [root(start: start, count: k, subtrees)]
    }

    /// Whether `proof` shows the leaf whose hash is `leafHash` at `leaf` in
    /// the tree of `treeSize` leaves whose root is `root` (RFC 9162, §2.1.3.2).
    public static func verifyInclusion(leafHash: [UInt8], leaf: UInt64, treeSize: UInt64, proof: [[UInt8]], root: [UInt8]) -> Bool {
        self.root(leafHash: leafHash, leaf: leaf, treeSize: treeSize, proof: proof) == root
    }

    /// The root that `proof` climbs to from the leaf whose hash is
    /// `leafHash` at `leaf` in a tree of `treeSize` leaves; `nil` when the
    /// proof does not fit that tree (too short, too long, or `leaf` outside it).
    public static func root(leafHash: [UInt8], leaf: UInt64, treeSize: UInt64, proof: [[UInt8]]) -> [UInt8]? {
        guard leaf < treeSize else { return nil }
        var r = leafHash
        let climbed = climb(proof[...], from: leaf, last: treeSize - 1) {
            r = nodeHash($0, r)
        } right: {
            r = nodeHash(r, $0)
        }
        return climbed ? r : nil
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with root
    /// `oldRoot` is the first `oldSize` leaves of the tree of `newSize`
    /// leaves with root `newRoot` (RFC 9162, §2.1.4.2).
    public static func verifyConsistency(oldSize: UInt64, oldRoot: [UInt8], newSize: UInt64, newRoot: [UInt8], proof: [[UInt8]]) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0], sr = path[0]
        let climbed = climb(path.dropFirst(), from: fn, last: sn) { c in
            fr = nodeHash(c, fr)
            sr = nodeHash(c, sr)
        } right: { c in
            sr = nodeHash(sr, c)
        }
        return climbed && fr == oldRoot && sr == newRoot
    }

    /// RFC 9162's walk up a path from node `fn` of a level whose last node is
    /// `sn`: `left` gets each hash that is a left sibling, `right` each right
    /// one. False when the path is longer than the tree is high, or ends
    /// below the root.
    private static func climb(
        _ path: ArraySlice<[UInt8]>, from fn: UInt64, last sn: UInt64, left: ([UInt8]) -> Void, right: ([UInt8]) -> Void
    ) -> Bool {
        var fn = fn, sn = sn
        for hash in path {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                left(hash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                right(hash)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0
    }

    /// The largest power of two below `count` (`count` > 1).
    private static func split(_ count: UInt64) -> UInt64 {
        UInt64(1) << (63 - (count - 1).leadingZeroBitCount)
    }
}

/// Leaf hashes in memory, answering ``MerkleTree`` for complete subtrees
/// from every complete subtree worked out once, level by level: for tests,
/// small logs and batches of signed operations, and the reference stored
/// nodes are checked against.
public struct MerkleLeaves: Sendable {
    /// The leaves' hashes (``MerkleTree/leafHash(_:)`` of each input).
    public var hashes: [[UInt8]] {
        didSet { levels = Self.levels(above: hashes) }
    }
    /// The complete subtrees' roots from level 1 up (level 0 is ``hashes``).
    private var levels: [[[UInt8]]]

    /// Leaves whose inputs are `inputs` (records' chain hashes, in log order).
    public init(inputs: [[UInt8]]) {
        hashes = inputs.map(MerkleTree.leafHash)
        levels = Self.levels(above: hashes)
    }

    private static func levels(above leaves: [[UInt8]]) -> [[[UInt8]]] {
        var levels = [[[UInt8]]]()
        var below = leaves
        while below.count > 1 {
            below = stride(from: 0, to: below.count - 1, by: 2).map { MerkleTree.nodeHash(below[$0], below[$0 + 1]) }
            levels.append(below)
        }
        return levels
    }

    /// The root of complete subtree `index` at `level`.
    public func subtree(level: Int, index: UInt64) -> [UInt8] {
        level == 0 ? hashes[Int(index)] : levels[level - 1][Int(index)]
    }

    /// The root of the first `size` leaves.
    public func root(size: UInt64) -> [UInt8] {
        MerkleTree.root(count: size) { level, index in subtree(level: level, index: index) }
    }
}
