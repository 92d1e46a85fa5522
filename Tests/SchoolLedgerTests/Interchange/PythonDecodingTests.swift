import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// The README promises that another language decodes an export and the raw
/// stored log with nothing but Schemas/: this runs its Python example
/// (Schemas/examples/decode.py, with Debian's python3-protobuf).
@Suite("Decoding from Python with Schemas/ alone", .serialized)
struct PythonDecodingTests {
    static let root = Fixture.repositoryRoot
    static let script = root.appendingPathComponent("Schemas/examples/decode.py").path

    /// Runs `command` through the shell; returns status and standard output.
    static func shell(_ command: String, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = try Spawned("/bin/sh", ["-c", command], environment: environment)
        let status = process.wait().status
        return (status, process.output)
    }

    /// Python modules generated from Schemas/ into `dir`.
    static func generatePython(into dir: String) throws {
        let (status, _) = try shell(
            "cd '\(root.path)' && protoc --proto_path=Schemas --python_out='\(dir)' $(find Schemas -name '*.proto')")
        #expect(status == 0, "protoc --python_out failed: is protobuf-compiler installed (make test installs it)?")
    }

    @Test func pythonDecodesTheExportAndTheRawStoredRecords() async throws {
        let dir = TemporaryDirectory("python")
        let ledger = try await InterchangeTests.ledgerWithSamples(dir)
        let export = dir.sub("export.jsonl")
        _ = try InterchangeTests.export(ledger, to: export)
        let generated = dir.sub("pb")
        try FileManager.default.createDirectory(atPath: generated, withIntermediateDirectories: true)
        try Self.generatePython(into: generated)

        let expected = SampleEvents.all.enumerated().map { "\($0.offset + 1) \($0.element.eventType)" }
        let env = ["PYTHONPATH": generated]
        let (status, output) = try Self.shell("/usr/bin/python3 '\(Self.script)' '\(export)'", environment: env)
        #expect(status == 0)
        let exported = output.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(exported == expected)

        let (rawStatus, rawOutput) = try Self.shell(
            "mdb_dump -s ledger.log '\(ledger.directory)' | /usr/bin/python3 '\(Self.script)' --raw", environment: env)
        #expect(rawStatus == 0)
        let raw = rawOutput.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(raw == expected)
    }

    @Test func theREADMEShowsThePythonExampleAsItIs() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let script = try String(contentsOfFile: Self.script, encoding: .utf8)
        let marker = "<!-- example: python -->\n```python\n"
        let start = try #require(readme.range(of: marker))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == script)
    }
}
