import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger demo`: a small end-to-end demonstration on a fresh ledger.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a small demonstration history to a ledger and show what the ledger does with it.",
            discussion: """
                Creates the ledger when missing. The demonstration's event ids are fixed, so running it \
                again on the same ledger appends nothing (idempotent retries).
                """)

        @Option(name: .long, help: ArgumentHelp("The ledger directory to create or extend.", valueName: "DIR"))
        var ledger: String

        func run() async throws {
            let path = URL(fileURLWithPath: ledger).standardizedFileURL.path
            let l = try EventLedger.open(at: path)
            print("Ledger: \(l.directory)")
            try await DemoScenario(ledger: l).run()
            let report = try l.verify()
            print("\nVerify: \(report.isIntact ? "chain intact" : "BROKEN at \(report.firstBadPosition!)"), \(report.checkedRecords) records")
            print("Head:   \(try l.head())")
            print("\nThe demo ledger is in \(l.directory)")
            print("Inspect it with: schoolledger stats --ledger \(l.directory)   or   mdb_stat -a \(l.directory)")
        }
    }
}

/// The demonstration: a school's first day as domain-free events.
struct DemoScenario {
    let ledger: EventLedger

    private static let firstDay = Instant(iso8601: "2026-09-01T05:00:00Z")!

    /// Deterministic ids, so a second run is an idempotent retry.
    private static func id(_ n: UInt64) -> EventID { EventID(high: 0x0192_F000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    private static func payload(_ fields: [String: String]) -> [UInt8] {
        let body = fields.keys.sorted().map { "\"\($0)\":\"\(fields[$0]!)\"" }.joined(separator: ",")
        return Array("{\(body)}".utf8)
    }

    func run() async throws {
        // 1. The school's structure in one atomic batch.
        var setup = [NewEvent]()
        setup.append(NewEvent(id: Self.id(1), stream: "school", type: "SchoolRegistered", actor: "admin",
                              occurredAt: Self.firstDay, payload: Self.payload(["school": "school-17"])))
        for (n, cls) in ["7А", "7Б"].enumerated() {
            setup.append(NewEvent(id: Self.id(2 + UInt64(n)), stream: "class/\(cls)", type: "ClassFormed", actor: "admin",
                                  occurredAt: Self.firstDay, payload: Self.payload(["class": cls])))
        }
        for s in 1...6 {
            let cls = s <= 3 ? "7А" : "7Б"
            setup.append(NewEvent(id: Self.id(10 + UInt64(s)), stream: "student/S-100\(s)", type: "StudentEnrolled",
                                  actor: "admin", occurredAt: Self.firstDay, payload: Self.payload(["class": cls, "student": "S-100\(s)"])))
        }
        let first = try await ledger.append(setup, expecting: ["school": .noStream])
        print("\n1. Structure: \(setup.count) events in one atomic append -> positions \(first.positions.first!)...\(first.positions.last!)\(first.wasDuplicate ? " (already there: a retry appends nothing)" : "")")

        // 2. Three teachers record marks at the same time: one group commit serves them.
        let teachers = ["teacher-math", "teacher-russian", "teacher-english"]
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for (t, teacher) in teachers.enumerated() {
                for s in 1...6 {
                    let event = NewEvent(
                        id: Self.id(100 + UInt64(t * 10 + s)), stream: "student/S-100\(s)", type: "MarkRecorded",
                        actor: teacher, occurredAt: Self.firstDay.adding(microseconds: Int64(t + 1) * 3_600_000_000),
                        payload: Self.payload(["student": "S-100\(s)", "value": String(3 + (s + t) % 3), "weight": "3"]))
                    group.addTask { try await ledger.append(event) }
                }
            }
            var all = [AppendResult]()
            for try await r in group { all.append(r) }
            return all
        }
        let positions = results.flatMap(\.positions).sorted()
        print("2. Marks: \(results.count) concurrent appends by \(teachers.count) teachers -> positions \(positions.first!)...\(positions.last!), gapless: \(positions == Array(positions.first!...positions.last!))")

        // 3. A retry of the structure batch: the same ids, the same bodies.
        let retry = try await ledger.append(setup, expecting: ["school": .noStream])
        print("3. Retry of step 1: wasDuplicate = \(retry.wasDuplicate), positions \(retry.positions.first!)...\(retry.positions.last!) (nothing appended)")

        // 4. Optimistic concurrency: a writer that believes class 7А is new.
        do {
            _ = try await ledger.append(NewEvent(stream: "class/7А", type: "ClassFormed", actor: "admin",
                                                 occurredAt: Self.firstDay, payload: Self.payload(["class": "7А"])),
                                        expecting: .noStream)
            print("4. Conflict: unexpectedly accepted")
        } catch let error as LedgerError where error.code == .wrongExpectedVersion {
            print("4. Conflict refused: \(error.message)")
        }

        // 5. Reading: a student's stream, and one teacher's operations in a window.
        let stream = try ledger.events(inStream: "student/S-1001")
        print("5. Stream student/S-1001 (version \(try ledger.streamVersion("student/S-1001"))):")
        for e in stream {
            print("   #\(e.position) v\(e.streamVersion) \(e.type) by \(e.actor): \(String(decoding: e.payload, as: UTF8.self))")
        }
        let byMath = try ledger.events(byActor: "teacher-math", recordedIn: Instant.epoch..<Instant.latestValid)
        print("   teacher-math appended \(byMath.count) events, positions \(byMath.map(\.position))")
    }
}
