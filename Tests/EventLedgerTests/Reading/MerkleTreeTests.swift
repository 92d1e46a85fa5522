import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("The log as a Merkle tree (RFC 9162): roots, inclusion and consistency proofs")
struct MerkleTreeTests {
    /// RFC 6962's test leaves (Certificate Transparency's reference data) and the roots of their first 1 to 8.
    static let leaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], Array(0x50...0x57), Array(0x60...0x6f),
    ]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// `count` distinct leaf inputs, 32 bytes each, like records' hashes.
    static func inputs(_ count: Int) -> [[UInt8]] { (0..<count).map { Array(SHA256.hash(data: Array("leaf \($0)".utf8))) } }

    @Test func theRootsAreRFC6962sReferenceRoots() {
        let tree = MerkleLeaves(inputs: Self.leaves)
        for size in 1...8 { #expect(Self.hex(tree.root(size: UInt64(size))) == Self.roots[size - 1], "size \(size)") }
        #expect(Self.hex(MerkleTree.emptyRoot) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func everyInclusionProofVerifiesAndATamperedOneDoesNot() {
        let tree = MerkleLeaves(inputs: Self.inputs(40)), grown = MerkleLeaves(inputs: Self.inputs(41))
        for size in UInt64(1)...40 {
            let root = tree.root(size: size)
            for leaf in 0..<size {
                let proof = MerkleTree.inclusionProof(leaf: leaf, treeSize: size) { tree.subtree(level: $0, index: $1) }
                #expect(proof.count <= 64 - (size - 1).leadingZeroBitCount, "O(log n) hashes")
                let hash = tree.hashes[Int(leaf)]
                #expect(MerkleTree.verifyInclusion(leafHash: hash, leaf: leaf, treeSize: size, proof: proof, root: root))
                // The root the path climbs to; none for a path one hash too long or too short, or a leaf outside.
                #expect(MerkleTree.root(leafHash: hash, leaf: leaf, treeSize: size, proof: proof) == root)
                #expect(MerkleTree.root(leafHash: hash, leaf: leaf, treeSize: size, proof: proof + [hash]) == nil)
                if !proof.isEmpty { #expect(MerkleTree.root(leafHash: hash, leaf: leaf, treeSize: size, proof: proof.dropLast()) == nil) }
                #expect(MerkleTree.root(leafHash: hash, leaf: size, treeSize: size, proof: proof) == nil)
                // Another leaf, another position, another size, a changed hash: each fails.
                #expect(
                    !MerkleTree.verifyInclusion(
                        leafHash: tree.hashes[Int((leaf + 1) % 40)], leaf: leaf, treeSize: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!MerkleTree.verifyInclusion(leafHash: hash, leaf: (leaf + 1) % size, treeSize: size, proof: proof, root: root))
                    var changed = proof
                    changed[0][0] ^= 1
                    #expect(!MerkleTree.verifyInclusion(leafHash: hash, leaf: leaf, treeSize: size, proof: changed, root: root))
                }
                // (The size is not bound by the path alone: for a leaf of a left
                // subtree, sizes n and n + 1 give the same path. The signed head
                // signs the size with the root.)
                #expect(
                    !MerkleTree.verifyInclusion(leafHash: hash, leaf: leaf, treeSize: size, proof: proof, root: grown.root(size: size + 1)))
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndARewrittenHistoryDoesNot() {
        let inputs = Self.inputs(40)
        let tree = MerkleLeaves(inputs: inputs)
        for newSize in UInt64(1)...40 {
            let newRoot = tree.root(size: newSize)
            for oldSize in 1...newSize {
                let proof = MerkleTree.consistencyProof(from: oldSize, to: newSize) { tree.subtree(level: $0, index: $1) }
                let oldRoot = tree.root(size: oldSize)
                #expect(
                    MerkleTree.verifyConsistency(oldSize: oldSize, oldRoot: oldRoot, newSize: newSize, newRoot: newRoot, proof: proof),
                    "\(oldSize) → \(newSize)")
                // The old tree with one leaf rewritten is not the start of the new one.
                var rewritten = inputs
                rewritten[Int(oldSize - 1)][0] ^= 1
                let forged = MerkleLeaves(inputs: rewritten).root(size: oldSize)
                #expect(!MerkleTree.verifyConsistency(oldSize: oldSize, oldRoot: forged, newSize: newSize, newRoot: newRoot, proof: proof))
                if oldSize < newSize {
                    #expect(
                        !MerkleTree.verifyConsistency(
                            oldSize: oldSize + 1, oldRoot: oldRoot, newSize: newSize, newRoot: newRoot, proof: proof))
                }
            }
        }
    }

    /// Runs the standard-library Python verifier on `json` (and the signed
    /// `heads`, oldest first); its exit status and output.
    static func python(
        _ json: String, heads: [SignedChainHead] = [], publicKey: String? = nil, withoutCryptography: Bool = false
    ) throws -> (Int32, String) {
        let dir = TemporaryDirectory("proof")
        // A `cryptography` package that cannot be imported, first on the path: Python as a machine without it.
        try FileManager.default.createDirectory(atPath: dir.sub("blocked/cryptography"), withIntermediateDirectories: true)
        try "raise ImportError('blocked by the test')\n".write(
            toFile: dir.sub("blocked/cryptography/__init__.py"), atomically: true, encoding: .utf8)
        try json.write(toFile: dir.sub("proof.json"), atomically: true, encoding: .utf8)
        var arguments = [Fixture.repositoryRoot.appendingPathComponent("Schemas/examples/verify_proof.py").path, dir.sub("proof.json")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (n, head) in heads.enumerated() {
            try encoder.encode(head).write(to: URL(fileURLWithPath: dir.sub("head\(n).json")))
            arguments += ["--head", dir.sub("head\(n).json")]
        }
        if let publicKey { arguments += ["--public-key", publicKey] }
        let child = try Spawned(
            "/usr/bin/env", ["python3"] + arguments, environment: withoutCryptography ? ["PYTHONPATH": dir.sub("blocked")] : [:])
        return (child.wait().status, child.output + child.errorOutput)
    }

    /// Whether the Python verifier can check Ed25519 signatures here (the `cryptography` package).
    static let pythonChecksSignatures: Bool = {
        guard let child = try? Spawned("/usr/bin/env", ["python3", "-c", "import cryptography"]) else { return false }
        return child.wait().status == 0
    }()

    @Test func proofsCheckAgainstSignedHeadsInPythonAndAForgedHeadOrAnotherHistoryFails() async throws {
        let signature =
            Self.pythonChecksSignatures
            ? "signature valid\n" : "signature not checked: Python's cryptography package is missing (Debian: python3-cryptography)\n"
        let dir = TemporaryDirectory()
        let ledger = try Backend.lmdb.open(at: dir.path)
        let key = Curve25519.Signing.PrivateKey(), publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        _ = try await ledger.append((0..<20).map { Fixture.event("s\($0 % 3)", payload: "\($0)") })
        let older = try ledger.signedHead(with: key, at: Instant(microsecondsSinceEpoch: 1_790_000_000_000_000))
        _ = try await ledger.append((20..<50).map { Fixture.event("s\($0 % 3)", payload: "\($0)") })
        let newer = try ledger.signedHead(with: key, at: Instant(microsecondsSinceEpoch: 1_790_000_100_000_000))
        #expect(newer.tree == .init(size: 50, root: Self.hex(try ledger.merkleRoot().root)))
        #expect(newer.isSigned(by: key.publicKey))
        #expect(try ledger.verify(against: newer, publicKey: key.publicKey).isIntact)

        let inclusion = try ledger.inclusionProof(position: 7)
        let (status, output) = try Self.python(inclusion.json, heads: [newer], publicKey: publicKey)
        #expect(status == 0 && output == signature + "valid\n", "\(output)")
        // Without `cryptography`, the script says the signature went unchecked and still checks the tree.
        #expect(
            try Self.python(inclusion.json, heads: [newer], withoutCryptography: true)
                == (0, "signature not checked: Python's cryptography package is missing (Debian: python3-cryptography)\nvalid\n"))
        // The older head is of another tree: the proof is not about it.
        #expect(try Self.python(inclusion.json, heads: [older], publicKey: publicKey).0 == 1)
        // A head whose tree was changed after signing, or another signer's key, fails.
        var forged = newer
        forged.tree?.root = Self.hex(try ledger.merkleRoot(size: 49).root)
        #expect(try Self.python(inclusion.json, heads: [forged], publicKey: publicKey).0 == 1)
        if Self.pythonChecksSignatures {
            #expect(try Self.python(inclusion.json, heads: [forged], publicKey: publicKey).1.hasPrefix("invalid: the head's signature"))
            let stranger = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
            #expect(try Self.python(inclusion.json, heads: [newer], publicKey: stranger).0 == 1)
        }

        // The two signed heads are of one history that only grew.
        let consistency = try ledger.consistencyProof(from: 20)
        #expect(try Self.python(consistency.json, heads: [older, newer], publicKey: publicKey) == (0, signature + signature + "valid\n"))
        // A history rewritten below the older head proves nothing against it.
        let otherDir = TemporaryDirectory("rewritten")
        let rewritten = try Backend.lmdb.open(at: otherDir.path)
        _ = try await rewritten.append((0..<50).map { Fixture.event("s\($0 % 3)", payload: $0 == 3 ? "changed" : "\($0)") })
        #expect(try Self.python(try rewritten.consistencyProof(from: 20).json, heads: [older, newer], publicKey: publicKey).0 == 1)
        #expect(try Self.python(try rewritten.inclusionProof(position: 7).json, heads: [newer], publicKey: publicKey).0 == 1)
    }

    @Test(arguments: Backend.allCases) func aLedgersProofsVerifyHereAndInPythonAndFailWhenChanged(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        _ = try await ledger.append((0..<50).map { Fixture.event("s\($0 % 7)", payload: "\($0)") })
        let (size, root) = try ledger.merkleRoot()
        #expect(size == 50)
        let inclusion = try ledger.inclusionProof(position: 17)
        #expect(inclusion.treeSize == 50 && inclusion.leafIndex == 16 && inclusion.root == Self.hex(root))
        #expect(inclusion.recordHash == (try ledger.events(from: 17, through: 17)[0].hash.hex))
        #expect(inclusion.verify())
        #expect(try Self.python(inclusion.json) == (0, "valid\n"))
        var changed = inclusion
        changed.recordHash = try ledger.events(from: 18, through: 18)[0].hash.hex
        #expect(!changed.verify())
        let (status, output) = try Self.python(changed.json)
        #expect(status == 1 && output.hasPrefix("invalid"))

        // The log of 20 records is the start of the log of 50; a proof for it
        // fails against another ledger's root of 20.
        let consistency = try ledger.consistencyProof(from: 20)
        #expect(consistency.oldRoot == Self.hex(try ledger.merkleRoot(size: 20).root) && consistency.newSize == 50)
        #expect(consistency.verify())
        #expect(try Self.python(consistency.json) == (0, "valid\n"))
        let otherDir = TemporaryDirectory("other")
        let other = try backend.open(at: otherDir.path)
        _ = try await other.append((0..<20).map { Fixture.event("s\($0 % 7)", payload: "other \($0)") })
        var rewritten = consistency
        rewritten.oldRoot = Self.hex(try other.merkleRoot().root)
        #expect(!rewritten.verify())
        #expect(try Self.python(rewritten.json).0 == 1)
    }

    @Test(arguments: Backend.allCases) func theStoredTreeAnswersAsEveryRecordsHashDoes(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        // Some records before the model exists: it is built from the whole log.
        _ = try await ledger.append((0..<13).map { Fixture.event("s\($0 % 4)", payload: "\($0)") })
        try ledger.register(MerkleTreeProjection())
        var generator = SystemRandomNumberGenerator()
        var appended = 13
        for round in 0..<12 {
            let count = Int.random(in: 1...40, using: &generator)
            _ = try await ledger.append((0..<count).map { Fixture.event("s\($0 % 4)", payload: "\(round) \($0)") })
            appended += count
            let leaves = MerkleLeaves(inputs: try ledger.events().map(\.hash.bytes))
            let size = UInt64(appended)
            #expect(try ledger.merkleRoot().root == leaves.root(size: size))
            for _ in 0..<6 {
                let treeSize = UInt64.random(in: 1...size, using: &generator)
                let position = UInt64.random(in: 1...treeSize, using: &generator)
                let proof = try ledger.inclusionProof(position: position, treeSize: treeSize)
                #expect(proof.root == Self.hex(leaves.root(size: treeSize)))
                #expect(
                    proof.path
                        == MerkleTree.inclusionProof(leaf: position - 1, treeSize: treeSize) { leaves.subtree(level: $0, index: $1) }.map(
                            Self.hex))
                #expect(proof.verify())
                let older = UInt64.random(in: 1...treeSize, using: &generator)
                let consistency = try ledger.consistencyProof(from: older, to: treeSize)
                #expect(
                    consistency.path
                        == MerkleTree.consistencyProof(from: older, to: treeSize) { leaves.subtree(level: $0, index: $1) }.map(Self.hex))
                #expect(consistency.verify())
            }
        }
        // A rebuild writes the same nodes.
        let before = try ledger.readProjection(MerkleTreeProjection().name) { reader in
            var rows = [[UInt8]]()
            try reader.forEach("nodes") { key, value in
                rows.append(Array(key) + Array(value))
                return true
            }
            return rows
        }
        #expect(before.count >= appended / 8)
        try await ledger.rebuild(MerkleTreeProjection().name)
        let after = try ledger.readProjection(MerkleTreeProjection().name) { reader in
            var rows = [[UInt8]]()
            try reader.forEach("nodes") { key, value in
                rows.append(Array(key) + Array(value))
                return true
            }
            return rows
        }
        #expect(after == before)
    }

    /// A read-only open (an auditor's) of a ledger whose stored tree lags:
    /// another process that does not keep the tree appended since. Proofs
    /// and roots come from the records' hashes and equal the full log's.
    /// The ledger is a copy that no instance of this process ever opened
    /// writable, whose follower would otherwise catch the tree up.
    @Test func aReadOnlyOpenWhoseStoredTreeLagsAnswersFromTheRecords() async throws {
        let dir = TemporaryDirectory(), copy = TemporaryDirectory("lagging-tree")
        let ledger = try EventLedger.open(at: dir.path)
        try ledger.register(MerkleTreeProjection())
        _ = try await ledger.append((0..<20).map { Fixture.event("s\($0 % 3)", payload: "\($0)") })
        try await Fixture.copyDataFile(of: ledger, to: copy.path)
        // Another process appends 17 without the tree.
        let child = try ChildProcess("LedgerTestChild", [copy.path, "count", "17"])
        while !child.hasExited { try await Task.sleep(for: .milliseconds(10)) }
        let auditor = try EventLedger.open(at: copy.path, options: .readOnly)
        try auditor.register(MerkleTreeProjection())
        let stale = #expect(throws: LedgerError.self) { try auditor.readCurrentProjection(MerkleTreeProjection().name) { $0.checkpoint } }
        #expect(stale?.code == .projectionStale, "\(child.errorOutput)")
        let leaves = MerkleLeaves(inputs: try auditor.events().map(\.hash.bytes))
        #expect(try auditor.merkleRoot().size == 37)
        #expect(try auditor.merkleRoot().root == leaves.root(size: 37))
        for position in [1, 20, 21, 37] as [UInt64] {
            let proof = try auditor.inclusionProof(position: position)
            #expect(proof.verify() && proof.root == Self.hex(leaves.root(size: 37)))
        }
        let consistency = try auditor.consistencyProof(from: 20)
        #expect(consistency.verify() && consistency.oldRoot == Self.hex(leaves.root(size: 20)))
    }

    @Test func positionsAndSizesBeyondTheLogAreTypedRefusals() async throws {
        let dir = TemporaryDirectory()
        let ledger = try Backend.memory.open(at: dir.path)
        _ = try await ledger.append((0..<5).map { Fixture.event("s", payload: "\($0)") })
        for attempt in [
            { _ = try ledger.inclusionProof(position: 6) }, { _ = try ledger.inclusionProof(position: 0) },
            { _ = try ledger.inclusionProof(position: 2, treeSize: 9) }, { _ = try ledger.consistencyProof(from: 0) },
            { _ = try ledger.consistencyProof(from: 6) }, { _ = try ledger.merkleRoot(size: 6) },
        ] as [() throws -> Void] {
            #expect(throws: LedgerError.self) { try attempt() }
            #expect((try? attempt()) == nil)
            do { try attempt() } catch let error as LedgerError { #expect(error.code == .outOfRange) } catch { Issue.record("\(error)") }
        }
        #expect(try ledger.merkleRoot(size: 0).root == MerkleTree.emptyRoot)
    }
}
