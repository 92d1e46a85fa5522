import Foundation
import LedgerTestSupport
import Synchronization

/// Samples the process's resident anonymous memory (RssAnon in
/// /proc/self/status) every 2 ms on its own thread and keeps the peak.
final class PeakSampler: Sendable {
    private let peak = Atomic<Int>(0)
    private let done = Atomic<Bool>(false)

    /// Resident anonymous memory in kB.
    static func rssAnon() -> Int {
        // read(2), not String(contentsOfFile:), which leaks its buffer on
        // Linux: a sampler must not grow the memory it measures.
        let status = Spawned.text(of: "/proc/self/status")
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    func start() {
        let thread = Thread { [self] in
            while !done.load(ordering: .relaxed) {
                record()
                usleep(2000)
            }
        }
        thread.start()
    }

    private func record() {
        let now = Self.rssAnon()
        if now > peak.load(ordering: .relaxed) { peak.store(now, ordering: .relaxed) }
    }

    /// Stops sampling; returns the peak in kB.
    func stop() -> Int {
        record()
        done.store(true, ordering: .relaxed)
        return peak.load(ordering: .relaxed)
    }
}
