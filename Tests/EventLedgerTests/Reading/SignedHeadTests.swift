import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Signed chain heads")
struct SignedHeadTests {
    @Test(arguments: Backend.allCases) func aSignedHeadVerifiesWithItsKeyAndNotWithAnother(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path, options: Fixture.options(relaxed: true))
        for _ in 0..<5 { _ = try await ledger.append(Fixture.event()) }
        let key = Curve25519.Signing.PrivateKey()
        let signed = try ledger.signedHead(with: key, at: Fixture.occurred)
        #expect(signed.checkpoints.map(\.position) == [1, 2, 4])
        _ = try await ledger.append(Fixture.event())  // the log goes on; it still begins with that history
        #expect(try ledger.verify(against: signed, publicKey: key.publicKey).isIntact)
        let wrong = try ledger.verify(against: signed, publicKey: Curve25519.Signing.PrivateKey().publicKey)
        #expect(!wrong.isIntact)
        #expect(wrong.problem?.contains("signature") == true)
        // A head whose position was edited after signing fails too.
        var edited = signed
        edited.head.position = 3
        #expect(!(try ledger.verify(against: edited, publicKey: key.publicKey).isIntact))
        // It survives JSON, as the CLI writes it.
        let decoded = try JSONDecoder().decode(SignedChainHead.self, from: JSONEncoder().encode(signed))
        #expect(decoded.isSigned(by: key.publicKey))
    }

    /// A head signed before heads carried the Merkle tree (its file has no
    /// `tree`): its `v1` form still verifies, and a tree added to it later
    /// breaks its signature rather than passing for signed.
    @Test func aHeadSignedBeforeTheTreeStillVerifiesAndATreeAddedLaterDoesNot() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path, options: Fixture.options(relaxed: true))
        for _ in 0..<9 { _ = try await ledger.append(Fixture.event()) }
        let key = Curve25519.Signing.PrivateKey()
        let current = try ledger.signedHead(with: key, at: Fixture.occurred)
        let old = try SignedChainHead.sign(current.head, checkpoints: current.checkpoints, with: key, at: Fixture.occurred)
        #expect(String(decoding: old.signedBytes, as: UTF8.self).hasPrefix("schoolledger-head-v1\n"))
        #expect(String(decoding: current.signedBytes, as: UTF8.self).hasPrefix("schoolledger-head-v2\n"))
        let file = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
        #expect(!file.contains("tree"))
        let read = try JSONDecoder().decode(SignedChainHead.self, from: Data(file.utf8))
        #expect(read.tree == nil && read.isSigned(by: key.publicKey))
        _ = try await ledger.append(Fixture.event())
        #expect(try ledger.verify(against: read, publicKey: key.publicKey).isIntact)
        var grafted = read
        grafted.tree = current.tree
        #expect(!grafted.isSigned(by: key.publicKey))
        #expect(!(try ledger.verify(against: grafted, publicKey: key.publicKey).isIntact))
    }

    @Test func aRewrittenHistoryWithARecomputedChainFailsAndTheCheckpointsSayWhere() async throws {
        // The original: 20 records. The forgery: the same first 9, then different ones, every hash recomputed.
        let original = TemporaryDirectory(), rewritten = TemporaryDirectory("rewritten")
        let ledger = try EventLedger.open(at: original.path, options: Fixture.options(relaxed: true))
        let forged = try EventLedger.open(at: rewritten.path, options: Fixture.options(relaxed: true))
        var events = [NewEvent]()
        for n in 1...20 { events.append(Fixture.event(payload: "record \(n)")) }
        for event in events { _ = try await ledger.append(event) }
        // Same ids, times and bodies for the first 9 give the same chain; record 10 is changed.
        let key = Curve25519.Signing.PrivateKey()
        let signed = try ledger.signedHead(with: key, at: Fixture.occurred)
        let records = try ledger.events()
        _ = try await forged.importEvents {
            var n = 0
            return {
                guard n < records.count else { return nil }
                let r = records[n]
                n += 1
                let payload = n == 10 ? Array("changed".utf8) : r.payload
                return ImportedEvent(
                    event: NewEvent(
                        id: r.id, stream: r.stream, type: r.type, actor: r.actor, occurredAt: r.occurredAt,
                        payload: payload), recordedAt: r.recordedAt)
            }
        }
        #expect(try forged.verify().isIntact)
        let report = try forged.verify(against: signed, publicKey: key.publicKey)
        #expect(!report.isIntact)
        #expect(report.firstBadPosition == 9)
        #expect(report.problem?.contains("9...16") == true)
        #expect(try ledger.verify(against: signed, publicKey: key.publicKey).isIntact)
    }
}
