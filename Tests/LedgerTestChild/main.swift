// A child process for the crash and multi-process tests.
//
//   LedgerTestChild <ledger-dir> batches      appends batches of 1...40 events forever
//   LedgerTestChild <ledger-dir> concurrent   16 tasks append single events forever
//   LedgerTestChild <ledger-dir> count N      appends N single events, then exits
//
// After each append returns it prints `ACK <position> <event-id>` for every
// event of the append and flushes, so the parent knows exactly what was
// acknowledged when it kills this process with SIGKILL.
import EventLedger
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: LedgerTestChild <ledger-dir> batches|concurrent|count N\n".utf8))
    exit(2)
}
let directory = arguments[1]
let mode = arguments[2]
let ledger = try EventLedger.open(at: directory)
let occurred = Instant(iso8601: "2026-09-01T08:00:00Z")!

/// The payload the parent checks: derived from the id, so a damaged record shows.
func payload(for id: EventID) -> [UInt8] { Array("payload of \(id)".utf8) }

func event(_ n: Int) -> NewEvent {
    let id = EventID.generate()
    return NewEvent(id: id, stream: "stream-\(n % 7)", type: "Tick", actor: "child-\(getpid() % 3)",
                    occurredAt: occurred, payload: payload(for: id))
}

func acknowledge(_ events: [NewEvent], _ result: AppendResult) {
    var lines = ""
    for (e, p) in zip(events, result.positions) { lines += "ACK \(p) \(e.id)\n" }
    // One unbuffered write(2) per append: nothing waits in a buffer when SIGKILL comes.
    var bytes = Array(lines.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if n <= 0 { exit(3) }
        bytes = bytes.dropFirst(n)
    }
}

switch mode {
case "batches":
    var n = 0
    while true {
        let events = (0..<Int.random(in: 1...40)).map { _ in n += 1; return event(n) }
        acknowledge(events, try await ledger.append(events))
    }
case "concurrent":
    try await withThrowingTaskGroup(of: Void.self) { group in
        for t in 0..<16 {
            group.addTask {
                var n = t
                while true {
                    n += 16
                    let e = event(n)
                    acknowledge([e], try await ledger.append(e))
                }
            }
        }
        try await group.waitForAll()
    }
case "count":
    let count = Int(arguments.count > 3 ? arguments[3] : "100") ?? 100
    for n in 0..<count {
        let e = event(n)
        acknowledge([e], try await ledger.append(e))
    }
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
