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
}
