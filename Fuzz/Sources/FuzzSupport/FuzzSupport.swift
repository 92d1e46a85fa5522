import EventLedger
import Foundation
import SchoolLedger
import Synchronization

/// What the three fuzz targets share: a scratch directory on a memory file
/// system, a way to wait for the library's async calls from libFuzzer's
/// synchronous callback, and the check that turns a broken promise into a
/// crash libFuzzer reports.
public enum Fuzz {
    /// A fresh directory for this process (on `/dev/shm` when it exists, so
    /// commits cost no disk flush), removed when the process exits normally.
    public static func scratch(_ name: String) -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(base)/schoolledger-fuzz-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot create the scratch directory \(path): \(error)")
        }
        Scratch.paths.withLock { $0.append(path) }
        atexit { Scratch.paths.withLock { paths in paths.forEach { try? FileManager.default.removeItem(atPath: $0) } } }
        return path
    }

    /// Runs `body` to completion on the cooperative pool and returns what it
    /// returned or threw.
    public static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let box = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return box.withLock { $0! }
    }

    /// Stops the process with `message` when a promise of the library is
    /// broken: libFuzzer saves the input that did it.
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("broken promise: \(message())") }
    }

    /// The head of `ledger`, which must always be readable.
    public static func head(_ ledger: EventLedger) -> ChainHead {
        do { return try ledger.head() } catch { fatalError("the ledger's head is unreadable: \(error)") }
    }

    /// Options for a scratch ledger: commits not flushed (a fuzz run is not
    /// about power loss), a small first map.
    public static var ledgerOptions: EventLedger.Options {
        var options = EventLedger.Options()
        options.durability = .relaxed
        options.initialMapSize = 8 << 20
        return options
    }

    /// The seed school (the demo's history as JSON Lines), next to the sources.
    public static let seedFile: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Seed/school.jsonl").path
    }()
}

private enum Scratch {
    static let paths = Mutex<[String]>([])
}
