import EventLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("keygen, head --sign and verify --against")
struct SignedHeadCommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func aSignedHeadVerifiesWithItsPublicKeyAndNotWithAnother() async throws {
        let dir = TemporaryDirectory()
        let keys = TemporaryDirectory("keys")
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        for _ in 0..<5 { _ = try await ledger.append(Fixture.event()) }

        let keygen = try cli("keygen", "--out", keys.sub("school.key"))
        #expect(keygen.status == 0, "\(keygen.error)")
        let publicKey = try #require(
            keygen.output.split(separator: "\n").first { $0.hasPrefix("public key:") }?
                .split(separator: " ").last.map(String.init))
        let mode = try FileManager.default.attributesOfItem(atPath: keys.sub("school.key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try cli("keygen", "--out", keys.sub("school.key")).status != 0, "keygen must not overwrite a key")

        let head = try cli("head", "--ledger", dir.sub("ledger"), "--sign", keys.sub("school.key"), "--out", keys.sub("head.json"))
        #expect(head.status == 0, "\(head.error)")
        _ = try await ledger.append(Fixture.event())
        let good = try cli("verify", "--ledger", dir.sub("ledger"), "--against", keys.sub("head.json"), "--public-key", publicKey)
        #expect(good.status == 0, "\(good.output) \(good.error)")

        _ = try cli("keygen", "--out", keys.sub("other.key"))
        let other = try cli("keygen", "--out", keys.sub("third.key")).output.split(separator: " ").last.map(String.init) ?? ""
        let wrong = try cli(
            "verify", "--ledger", dir.sub("ledger"), "--against", keys.sub("head.json"), "--public-key",
            other.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("signature"))
        // A key inside the ledger's directory is refused.
        try FileManager.default.copyItem(atPath: keys.sub("school.key"), toPath: dir.sub("ledger") + "/school.key")
        let inside = try cli("head", "--ledger", dir.sub("ledger"), "--sign", dir.sub("ledger") + "/school.key")
        #expect(inside.status != 0)
        #expect(inside.error.contains("inside the ledger"))
    }

    @Test func proveWritesProofsThatThePythonVerifierAcceptsAgainstTheSignedHeads() async throws {
        let dir = TemporaryDirectory()
        let keys = TemporaryDirectory("keys")
        let ledger = try EventLedger.open(at: dir.sub("ledger"))
        for n in 0..<9 { _ = try await ledger.append(Fixture.event("s", payload: "\(n)")) }
        let publicKey = try #require(
            try cli("keygen", "--out", keys.sub("school.key")).output.split(separator: "\n").first { $0.hasPrefix("public key:") }?
                .split(separator: " ").last.map(String.init))
        #expect(
            try cli("head", "--ledger", dir.sub("ledger"), "--sign", keys.sub("school.key"), "--out", keys.sub("older.json")).status == 0)
        for n in 9..<30 { _ = try await ledger.append(Fixture.event("s", payload: "\(n)")) }
        #expect(
            try cli("head", "--ledger", dir.sub("ledger"), "--sign", keys.sub("school.key"), "--out", keys.sub("newer.json")).status == 0)

        let script = Fixture.repositoryRoot.appendingPathComponent("Schemas/examples/verify_proof.py").path
        func python(_ arguments: [String]) throws -> Int32 { try Spawned("/usr/bin/env", ["python3", script] + arguments).wait().status }
        let inclusion = try cli(
            "prove", "--ledger", dir.sub("ledger"), "--position", "5", "--head", keys.sub("older.json"), "--out", keys.sub("p.json"))
        #expect(inclusion.status == 0, "\(inclusion.error)")
        #expect(try python([keys.sub("p.json"), "--head", keys.sub("older.json"), "--public-key", publicKey]) == 0)
        #expect(try python([keys.sub("p.json"), "--head", keys.sub("newer.json"), "--public-key", publicKey]) == 1)
        let consistency = try cli(
            "prove", "--ledger", dir.sub("ledger"), "--from", keys.sub("older.json"), "--to", keys.sub("newer.json"), "--out",
            keys.sub("c.json"))
        #expect(consistency.status == 0, "\(consistency.error)")
        #expect(
            try python([keys.sub("c.json"), "--head", keys.sub("older.json"), "--head", keys.sub("newer.json"), "--public-key", publicKey])
                == 0)

        // Refusals name what to do: no proof asked, a head of another ledger, heads swapped.
        #expect(try cli("prove", "--ledger", dir.sub("ledger")).error.contains("--position P --head HEADFILE"))
        let other = TemporaryDirectory("other")
        let second = try EventLedger.open(at: other.sub("ledger"))
        for n in 0..<30 { _ = try await second.append(Fixture.event("s", payload: "other \(n)")) }
        let foreign = try cli("prove", "--ledger", other.sub("ledger"), "--position", "5", "--head", keys.sub("older.json"))
        #expect(foreign.status != 0 && foreign.error.contains("not this ledger's"), "\(foreign.error)")
        let swapped = try cli("prove", "--ledger", dir.sub("ledger"), "--from", keys.sub("newer.json"), "--to", keys.sub("older.json"))
        #expect(swapped.status != 0 && swapped.error.contains("swap them"))
    }
}
