import Foundation
import LedgerTestSupport
import Testing

/// No read of a person's data is reachable under a plain name: a program
/// that imports SchoolLedger (as an embedding service does) and calls a view
/// on the journal itself, opens the vault, or exports the log without a
/// session does not compile; through a session (checked) or a trusted
/// session (named so, logged) it does. The compiler of this toolchain judges
/// it, against the modules this build made.
@Suite("Unchecked reads are not reachable under a plain name")
struct UncheckedReadsTests {
    /// Each line a service might write to read without a session.
    static let unchecked = [
        #"_ = try journal.diary(of: "S-1", from: day, to: day)"#,
        #"_ = try journal.marks(of: "S-1")"#,
        #"_ = try journal.journalPage(subject: "MATH", target: .class("7A"), from: day, to: day)"#,
        #"_ = try journal.classList("7A", on: day)"#,
        #"_ = try journal.groupList("G-1", on: day)"#,
        #"_ = try journal.parents(ofClass: "7A", on: day)"#,
        #"_ = try journal.paperExtractsDue(ofClass: "7A", on: day)"#,
        #"_ = try journal.unacknowledgedMarks(ofClass: "7A", olderThan: 3, now: Instant.epoch)"#,
        #"_ = try journal.outbox()"#,
        #"_ = try journal.analyticalReport(ofClass: "7A", period: "2026-Q1")"#,
        #"_ = try journal.analyticalReport(ofStudent: "S-1", period: "2026-Q1")"#,
        #"_ = try journal.paperExtract(of: "S-1", from: day, to: day)"#,
        #"_ = try journal.personalData(of: "P-1")"#,
        #"_ = try journal.displayName(of: "P-1")"#,
        #"_ = try journal.compromiseAudit()"#,
        #"_ = try journal.auditHistory(of: .student("S-1"))"#,
        #"_ = journal.vault"#,
        #"_ = try JournalExport.write(journal.ledger, to: FileHandle.standardOutput)"#,
        #"try journal.authorize(.diary("S-1"), by: "parent-1")"#,
    ]

    /// The same reads through sessions.
    static let throughSessions = [
        #"_ = try journal.session(for: "parent-1").diary(of: "S-1", from: day, to: day)"#,
        #"_ = try journal.session(for: "head", context: RequestContext(clientAddress: "10.0.0.7")).compromiseAudit()"#,
        #"_ = try journal.trustedSession(for: "it-admin").personalData(of: "P-1")"#,
        #"_ = try journal.trustedSession(for: "it-admin").export(to: FileHandle.standardOutput)"#,
        #"_ = try journal.session(for: "head").exposure(of: "teacher-1")"#,
        #"_ = try journal.session(for: "head").reads(of: .student("S-1"))"#,
    ]

    /// Type-checks `lines` in a function of a file that imports SchoolLedger;
    /// returns the exit status and the compiler's errors by line.
    static func typecheck(_ lines: [String]) throws -> (status: Int32, errorLines: Set<Int>, output: String) {
        let dir = TemporaryDirectory("api")
        let header = [
            "import EventLedger", "import Foundation", "import SchoolLedger", "",
            "func probe(_ journal: SchoolJournal) throws {", #"    let day = CivilDate("2026-09-01")!"#,
        ]
        let source = (header + lines.map { "    " + $0 } + ["    _ = day", "}", ""]).joined(separator: "\n")
        try source.write(toFile: dir.sub("probe.swift"), atomically: true, encoding: .utf8)
        let root = Fixture.repositoryRoot.path
        var arguments = [
            "swiftc", "-typecheck", "-I", Fixture.productsDirectory.appendingPathComponent("Modules").path,
            "-Xcc", "-fmodule-map-file=\(root)/Sources/CLedgerLMDB/module.modulemap",
        ]
        let crypto = root + "/.build/checkouts/swift-crypto/Sources"
        for module in (try? FileManager.default.contentsOfDirectory(atPath: crypto)) ?? []
        where FileManager.default.fileExists(atPath: "\(crypto)/\(module)/include/module.modulemap") {
            arguments += ["-Xcc", "-fmodule-map-file=\(crypto)/\(module)/include/module.modulemap"]
        }
        let compiler = try Spawned("/usr/bin/env", arguments + [dir.sub("probe.swift")])
        let status = compiler.wait().status
        let output = compiler.errorOutput + compiler.output
        var errorLines = Set<Int>()
        for line in output.split(separator: "\n") where line.contains("probe.swift:") && line.contains(": error:") {
            let parts = line.split(separator: ":")
            if let index = parts.firstIndex(where: { $0.hasSuffix("probe.swift") }), index + 1 < parts.count, let n = Int(parts[index + 1])
            {
                errorLines.insert(n)
            }
        }
        return (status, errorLines, output)
    }

    @Test func readsThroughSessionsCompile() throws {
        let result = try Self.typecheck(Self.throughSessions)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func everyUncheckedReadFailsToCompile() throws {
        let result = try Self.typecheck(Self.unchecked)
        #expect(result.status != 0)
        // Lines 7... of the file hold the calls, one each.
        for (n, call) in Self.unchecked.enumerated() {
            #expect(result.errorLines.contains(7 + n), "compiles without a session: \(call)")
        }
    }
}
