import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import SwiftProtobuf
import Testing

/// A JSON Lines import of many lines keeps memory bounded. An import is one
/// LMDB write transaction (all lines or none), and LMDB keeps that
/// transaction's new pages in memory until it commits, up to 131,072 pages
/// (512 MiB), then spills them to the file: that part grows with the import
/// up to its ceiling and is the size of what is written. Everything else
/// must stay flat: the importer reads one line at a time and the writer moves
/// stream and actor heads into the transaction as it goes. Measured in a
/// child process: peak anonymous memory minus the pages written.
@Suite("Interchange: a large import in bounded memory", .serialized)
struct LargeImportTests {
    /// Writes `count` lines, each a mark in a stream of its own by one of 40
    /// teachers, the shape of a school's history that stresses the heads most.
    static func writeFile(_ path: String, lines count: Int) throws {
        let mark = SchoolEvent.markRecorded(
            MarkRecorded(
                markID: "M-@@@@", studentID: "S-1", lessonID: "L-1", subjectID: "MATH",
                value: .numeric(4), weight: 1, workKind: .classwork))
        var envelope = Schoolledger_V1_Envelope()
        envelope.eventID = "0192f000-0000-7000-8000-@@@@@@@@@@@@"
        envelope.actor = "teacher-@@"
        envelope.occurredAt = Google_Protobuf_Timestamp(seconds: 1_788_000_000)
        envelope.payload = mark.payload
        envelope.schemaVersion = mark.schemaVersion
        let parts = try envelope.jsonString().components(separatedBy: "@@@@@@@@@@@@")
        #expect(parts.count == 2)
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var chunk = ""
        for n in 1...count {
            let hex = String(n, radix: 16)
            let tail = parts[1].replacingOccurrences(of: "@@@@", with: "\(n)").replacingOccurrences(of: "@@", with: "\(n % 40)")
            chunk += parts[0] + String(repeating: "0", count: 12 - hex.count) + hex + tail + "\n"
            if n % 10_000 == 0 || n == count {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
    }

    /// Imports a file of `lines` lines in a child process; returns what it
    /// imported and its peak anonymous memory in kB.
    static func importInChild(lines: Int) throws -> (imported: Int, peakKB: Int, writtenKB: Int) {
        let dir = TemporaryDirectory("large-import")
        let file = dir.sub("history.jsonl")
        try writeFile(file, lines: lines)
        let result = try Fixture.run("LedgerTestChild", [dir.sub("ledger"), "import-peak", file])
        #expect(result.status == 0, "\(result.error)")
        let output = result.output
        func value(_ key: String) -> Int? {
            output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        return (value("IMPORTED") ?? -1, value("PEAK") ?? -1, value("USED") ?? -1)
    }

    @Test func aTenTimesLargerImportNeedsNoMoreMemoryBeyondThePagesItWrites() throws {
        // make test: 5,000 and 50,000 lines; make stress: 100,000 and 1,000,000.
        let large = Fixture.stressRounds(quick: 0) > 0 ? 1_000_000 : 50_000
        let small = try Self.importInChild(lines: large / 10)
        let big = try Self.importInChild(lines: large)
        #expect(small.imported == large / 10)
        #expect(big.imported == large)
        let smallRest = small.peakKB - small.writtenKB
        let bigRest = big.peakKB - big.writtenKB
        print(
            "import of \(large / 10) lines: peak \(small.peakKB) kB, pages written \(small.writtenKB) kB, the rest \(smallRest) kB; "
                + "\(large) lines: peak \(big.peakKB) kB, written \(big.writtenKB) kB, the rest \(bigRest) kB")
        Fixture.reportStress("import lines", large + large / 10)
        #expect(small.peakKB > 0 && big.writtenKB > small.writtenKB * 5)
        // Beyond LMDB's transaction pages, ten times the lines may not cost
        // more than allocator noise, and never LMDB's ceiling more.
        #expect(bigRest < smallRest + Fixture.allocatorNoiseKB, "the rest grew from \(smallRest) kB to \(bigRest) kB")
        #expect(big.peakKB < 512 * 1024 + smallRest + 64 * 1024)
    }
}
