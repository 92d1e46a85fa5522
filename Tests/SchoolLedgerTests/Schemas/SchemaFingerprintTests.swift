import Crypto
import Foundation
import LedgerTestSupport
import Testing

@testable import SchoolLedger

/// The committed generated code must be the code of today's Schemas/.
@Suite("Generated code matches Schemas/")
struct SchemaFingerprintTests {
    static let root = Fixture.repositoryRoot

    /// The same bytes scripts/schema-fingerprint.sh hashes: each .proto file's
    /// path (relative to the repository) and a newline, then its content, in
    /// sorted path order; the catalog's generator (scripts/generate-catalog.py)
    /// counts as one of them.
    static func fingerprint() throws -> String {
        let schemas = root.appendingPathComponent("Schemas")
        let paths =
            (FileManager.default.enumerator(atPath: schemas.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".proto") }
            .map { "Schemas/" + $0 }
            + ["scripts/generate-catalog.py"]
        let sorted = paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var hasher = SHA256()
        for path in sorted {
            hasher.update(data: Data((path + "\n").utf8))
            hasher.update(data: try Data(contentsOf: root.appendingPathComponent(path)))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    @Test func theGeneratedCodeWasMadeFromTodaysSchemas() throws {
        #expect(
            try Self.fingerprint() == SchemaFingerprint.sha256,
            "Schemas/ or the catalog's generator changed since the Swift code was generated: run scripts/generate-schemas.sh and commit the result"
        )
    }
}
