import EventLedger
import Foundation
import LedgerTestSupport
@_spi(Benchmarks) @testable import SchoolLedger
import SwiftProtobuf
import Synchronization
import Testing

@Suite("The read log")
struct ReadLogTests {
    /// Many readers at once: every read has its entry, numbered without gaps,
    /// the chain verifies, and each entry names its reader and subject.
    @Test func concurrentReadsEachGetOneEntryInAnUnbrokenChain() async throws {
        let dir = TemporaryDirectory("read-log")
        let log = try ReadLog.open(at: dir.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for reader in 0..<8 {
                group.addTask {
                    for n in 0..<25 {
                        try log.record(
                            account: AccountID("reader-\(reader)"), view: "diary", subjects: [.student(StudentID("S-\(n)"))],
                            rightsChecked: true, context: RequestContext(clientAddress: "10.0.0.\(reader)"), detail: "\(n)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try log.entries()
        #expect(entries.map(\.sequence) == Array(1...200))
        #expect(try log.verify() == ReadLogVerification(entries: 200, firstBrokenSequence: nil))
        for reader in 0..<8 {
            let mine = entries.filter { $0.account == AccountID("reader-\(reader)") }
            #expect(mine.map(\.detail) == (0..<25).map { "\($0)" })
            #expect(mine.allSatisfy { $0.context.clientAddress == "10.0.0.\(reader)" })
        }
        #expect(try log.entries { $0.subjects.contains(.student("S-7")) }.count == 8)
    }

    /// As a server calls it: 48 threads of their own reading at once. Every
    /// read returns, once, with its entry durable; a commit that fails
    /// refuses exactly the reads it carried, and the next commit goes on.
    @Test func manyThreadsShareCommitsAndAFailedCommitRefusesExactlyItsReads() throws {
        let dir = TemporaryDirectory("read-log")
        let log = try ReadLog.open(at: dir.path)
        let (threads, reads) = (48, 30)
        let outcomes = Mutex([String: Bool]())
        func run(faultAfter: Int?) {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for n in 0..<reads {
                    if thread == 0, n == faultAfter { log.injectCommitFaults(3) }
                    let detail = "\(thread)/\(n)/\(faultAfter.map(String.init) ?? "-")"
                    let done: Bool
                    do {
                        try log.record(
                            account: AccountID("reader-\(thread)"), view: "diary", subjects: [.student("S-1")], rightsChecked: true,
                            context: .none, detail: detail)
                        done = true
                    } catch is ReadLogError {
                        done = false
                    } catch {
                        Issue.record("unexpected \(error)")
                        done = false
                    }
                    outcomes.withLock { $0[detail] = done }
                }
            }
        }
        run(faultAfter: nil)
        run(faultAfter: 10)
        let all = outcomes.withLock { $0 }
        #expect(all.count == 2 * threads * reads)
        let refused = all.filter { !$0.value }.keys
        #expect(!refused.isEmpty, "the injected faults refused reads")
        #expect(refused.allSatisfy { $0.hasSuffix("/10") }, "only in the run with faults")
        let entries = try log.entries()
        #expect(Set(entries.map(\.detail)) == Set(all.filter(\.value).keys), "the log holds exactly the reads that returned")
        #expect(entries.count == all.count - refused.count)
        #expect(entries.map(\.sequence) == Array(1...UInt64(entries.count)))
        #expect(try log.verify().isIntact)
        for thread in 0..<threads {
            let mine = entries.filter { $0.account == AccountID("reader-\(thread)") }.map(\.detail)
            #expect(
                mine
                    == all.keys.filter { $0.hasPrefix("\(thread)/") && all[$0] == true }.sorted { a, b in
                        let (x, y) = (a.split(separator: "/"), b.split(separator: "/"))
                        return (x[2] == "-" ? 0 : 1, Int(x[1])!) < (y[2] == "-" ? 0 : 1, Int(y[1])!)
                    }, "each thread's reads in its order")
        }
    }

    /// A changed entry, a removed one, or one whose hash was recomputed
    /// without its successors is named by its number.
    @Test func aChangedOrRemovedEntryIsNamedByVerify() throws {
        let dir = TemporaryDirectory("read-log")
        let log = try ReadLog.open(at: dir.path)
        for n in 1...5 {
            try log.record(account: "head", view: "diary", subjects: [.student("S-1")], rightsChecked: true, context: .none, detail: "\(n)")
        }
        let key: [UInt8] = withUnsafeBytes(of: UInt64(3).bigEndian, Array.init)
        let stored = try #require(try log.store.read { txn in try txn.get(log.entries, key: key).map { Array($0) } })
        var record = try Schoolledger_V1_ReadLogRecord(serializedBytes: stored)
        var entry = try Schoolledger_V1_ReadLogEntry(serializedBytes: record.entry)
        entry.account = "someone-else"
        record.entry = try entry.serializedData()
        try log.store.write { txn in try txn.put(log.entries, key: key, value: try record.serializedBytes()) }
        #expect(try log.verify().firstBrokenSequence == 3)
        try log.store.write { txn in try txn.put(log.entries, key: key, value: stored) }
        #expect(try log.verify().isIntact)
        _ = try log.store.write { txn in try txn.delete(log.entries, key: key) }
        #expect(try log.verify().firstBrokenSequence == 3)
    }

    @Test func aReadLogThatCannotBeWrittenRefusesTheRead() throws {
        let dir = TemporaryDirectory("read-log")
        try "not a directory".write(toFile: dir.sub("read-log"), atomically: true, encoding: .utf8)
        #expect(throws: ReadLogError.self) { try ReadLog.open(at: dir.sub("read-log")) }
    }
}
