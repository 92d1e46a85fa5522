#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
public import Crypto

/// A chain head signed with an Ed25519 key kept outside the ledger: what an
/// auditor saves, so that later anyone with the public key can prove the log
/// still begins with that history — even against someone who can rewrite
/// the ledger's files and recompute every hash, but not sign.
///
/// ```swift
/// let key = Curve25519.Signing.PrivateKey()
/// let signed = SignedChainHead.sign(try ledger.head(), with: key, at: clock.now())
/// let report = try ledger.verify(against: signed, publicKey: key.publicKey)
/// ```
public struct SignedChainHead: Sendable, Hashable, Codable {
    /// The head: position, hash, time of its record.
    public var head: ChainHead
    /// When it was signed.
    public var signedAt: Instant
    /// The signer's Ed25519 public key, 32 bytes in base64.
    public var publicKey: String
    /// The Ed25519 signature of ``signedBytes``, base64.
    public var signature: String
    /// Hashes of earlier records, at positions 1, 2, 4, 8, … below the head:
    /// when a history was rewritten, they narrow down where (the first
    /// checkpoint whose hash differs, and the last one that still matches).
    public var checkpoints: [Checkpoint]
    /// The log's Merkle tree at the head (RFC 9162; see ``MerkleTree``):
    /// its size (the head's position) and root. Inclusion and consistency
    /// proofs are checked against it. Heads signed before the tree existed
    /// have none, and their signature covers the `v1` form.
    public var tree: TreeHead?

    /// The size and root of the log's Merkle tree at a signed head.
    public struct TreeHead: Sendable, Hashable, Codable {
        /// The number of records (leaves).
        public var size: UInt64
        /// The root, 64 lower-case hexadecimal digits.
        public var root: String

        /// A tree head from its parts.
        public init(size: UInt64, root: String) {
            self.size = size
            self.root = root
        }
    }

    /// The hash of the record at one position.
    public struct Checkpoint: Sendable, Hashable, Codable {
        /// The position.
        public var position: UInt64
        /// Its record's hash.
        public var hash: ChainHash

        /// A checkpoint from its parts.
        public init(position: UInt64, hash: ChainHash) {
            self.position = position
            self.hash = hash
        }
    }

    /// Signs `head` (with `checkpoints`) with `key` at `instant`.
    public static func sign(
        _ head: ChainHead, checkpoints: [Checkpoint] = [], tree: TreeHead? = nil, with key: Curve25519.Signing.PrivateKey,
        at instant: Instant
    ) throws -> SignedChainHead {
        var signed = SignedChainHead(
            head: head, signedAt: instant, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
            signature: "", checkpoints: checkpoints, tree: tree)
        signed.signature = try key.signature(for: signed.signedBytes).base64EncodedString()
        return signed
    }

    /// What the signature covers: a fixed text form of the head, the signing
    /// time, the tree and the checkpoints, one per line: `schoolledger-head-v2`,
    /// position, hash, recordedAt (`-` for none), signedAt, `tree SIZE ROOT`,
    /// then `position hash` per checkpoint. A head without a tree is signed
    /// in the `v1` form, which has no tree line.
    public var signedBytes: [UInt8] {
        var text =
            "schoolledger-head-v\(tree == nil ? 1 : 2)\n\(head.position)\n\(head.hash.hex)\n\(head.recordedAt.map { "\($0)" } ?? "-")\n\(signedAt)\n"
        if let tree { text += "tree \(tree.size) \(tree.root)\n" }
        for checkpoint in checkpoints { text += "\(checkpoint.position) \(checkpoint.hash.hex)\n" }
        return Array(text.utf8)
    }

    /// Whether the signature is `publicKey`'s over this head.
    public func isSigned(by publicKey: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return publicKey.isValidSignature(signature, for: signedBytes)
    }
}

extension EventLedger {
    /// Signs the current head, with checkpoints at positions 1, 2, 4, 8, …
    /// and the root of the log's Merkle tree (read from every record: a
    /// second or two for a school year).
    public func signedHead(with key: Curve25519.Signing.PrivateKey, at instant: Instant) throws -> SignedChainHead {
        let (head, checkpoints) = try read { reader -> (ChainHead, [SignedChainHead.Checkpoint]) in
            let head = try reader.head()
            var checkpoints = [SignedChainHead.Checkpoint]()
            var position: UInt64 = 1
            while position < head.position {
                if let view = try reader.record(at: position) { checkpoints.append(.init(position: position, hash: view.hash)) }
                position *= 2
            }
            return (head, checkpoints)
        }
        let tree = try merkleRoot(size: head.position)
        return try SignedChainHead.sign(
            head, checkpoints: checkpoints, tree: .init(size: tree.size, root: Hex.encode(tree.root)), with: key, at: instant)
    }

    /// Proves, with the signer's public key, that the log still begins with
    /// the history a signed head summarised: the signature must be
    /// `publicKey`'s, then ``verify(against:)`` must hold.
    ///
    /// - Returns: the report; when the signature fails, a report whose
    ///   ``VerificationReport/problem`` says so and whose first bad position
    ///   is the signed head's (nothing after the signature can be trusted).
    public func verify(against signed: SignedChainHead, publicKey: Curve25519.Signing.PublicKey) throws -> VerificationReport {
        guard signed.isSigned(by: publicKey) else {
            return VerificationReport(
                checkedRecords: 0, head: ChainHead(position: 0, hash: .genesis, recordedAt: nil),
                firstBadPosition: max(1, signed.head.position),
                problem:
                    "the signed head's signature does not verify with the public key given: the head file was changed, or the key is not the signer's"
            )
        }
        var report = try verify(against: signed.head)
        guard !report.isIntact, report.firstBadPosition == signed.head.position, !signed.checkpoints.isEmpty else { return report }
        // Rewritten: the first checkpoint whose hash differs bounds where.
        try read { reader in
            var lastMatching: UInt64 = 0
            for checkpoint in signed.checkpoints.sorted(by: { $0.position < $1.position }) {
                guard let view = try reader.record(at: checkpoint.position) else { break }
                if view.hash == checkpoint.hash {
                    lastMatching = checkpoint.position
                } else {
                    report.firstBadPosition = lastMatching + 1
                    report.problem =
                        "history was rewritten: the records agree with the signed head through position \(lastMatching) "
                        + "and differ at checkpoint \(checkpoint.position); the first changed record lies in \(lastMatching + 1)...\(checkpoint.position)"
                    return
                }
            }
            report.firstBadPosition = lastMatching + 1
            report.problem =
                "history was rewritten after position \(lastMatching), the last checkpoint that agrees, up to the signed head at \(signed.head.position)"
        }
        return report
    }
}
