import EventLedger
import Foundation
import Synchronization

// Helpers shared by the test targets: temporary ledgers, a manual clock,
// event fixtures and a runner for the package's executables.

/// A fresh directory under the system's temporary folder, removed at deinit.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates `schoolledger-tests/<label>-<UUID>` under the temporary folder.
    public init(_ label: String = "ledger") {
        path = NSTemporaryDirectory() + "schoolledger-tests/\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside this directory (not created).
    public func sub(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        // The vault's key file a journal keeps beside its ledger directory.
        try? FileManager.default.removeItem(atPath: path + ".vault-key")
    }
}

/// A clock the test sets by hand.
public final class ManualClock: LedgerClock {
    private let current: Mutex<(instant: Instant, step: Int64)>

    /// A clock standing at `start`.
    public init(_ start: Instant = Instant(iso8601: "2026-09-01T08:00:00Z")!) { current = Mutex((start, 0)) }

    /// The instant the test set; with a step (``stepEachRead(microseconds:)``),
    /// the clock then moves on by it.
    public func now() -> Instant {
        current.withLock { state in
            defer { state.instant = state.instant.adding(microseconds: state.step) }
            return state.instant
        }
    }

    /// Moves the clock to `instant` (backwards too).
    public func set(_ instant: Instant) { current.withLock { $0.instant = instant } }

    /// Moves the clock on by `seconds`.
    public func advance(seconds: Int64) { current.withLock { $0.instant = $0.instant.adding(microseconds: seconds * 1_000_000) } }

    /// Makes every read after this one move the clock on by `microseconds`
    /// (0: stand still again), so two reads in a row never agree.
    public func stepEachRead(microseconds: Int64) { current.withLock { $0.step = microseconds } }
}

/// Shared fixtures: child processes, stress counters, events, options, paths.
public enum Fixture {
    /// Starts `LedgerTestChild <dir> <mode>`, lets it run `millis`, kills it
    /// with SIGKILL, and returns the `(position, id)` of every `ACK` line it
    /// printed whole, and whether it died of the signal. Each kill of the
    /// signal counts as a kill survived for `make stress`'s report.
    public static func runChildAndKill(_ dir: String, mode: String, millis: Int) throws -> (acknowledged: [(UInt64, EventID)], killed: Bool)
    {
        let child = try ChildProcess("LedgerTestChild", [dir, mode])
        usleep(useconds_t(millis * 1000))
        return child.kill()
    }

    /// How many rounds a kill-loop test runs: `SCHOOLLEDGER_STRESS_ROUNDS`
    /// when set (`make stress` raises it), else `quick`.
    public static func stressRounds(quick: Int) -> Int {
        ProcessInfo.processInfo.environment["SCHOOLLEDGER_STRESS_ROUNDS"].flatMap(Int.init) ?? quick
    }

    /// The acknowledged `(position, id)` pairs of a child's run (its
    /// `ACK` lines) that `ledger` does not hold intact: missing, another
    /// event at that position, or a payload other than the child wrote.
    public static func lost(_ acknowledged: [(UInt64, EventID)], in ledger: EventLedger) throws -> [(UInt64, EventID)] {
        try ledger.read { reader in
            try acknowledged.filter { position, id in
                guard let view = try reader.record(at: position) else { return true }
                return view.id != id || Array(view.payload) != Array("payload of \(id)".utf8)
            }
        }
    }

    /// How many random samples a long property test draws: `quick` in
    /// `make test`, `stress` under `make stress` (when
    /// `SCHOOLLEDGER_STRESS_ROUNDS` is set).
    public static func samples(quick: Int, stress: Int) -> Int {
        ProcessInfo.processInfo.environment["SCHOOLLEDGER_STRESS_ROUNDS"] == nil ? quick : stress
    }

    /// The memory a measured process may gain to allocator noise alone, in
    /// KiB: 8 MiB, or 64 MiB in a sanitizer's build (`make sanitize` sets
    /// `SCHOOLLEDGER_SANITIZER`), whose allocator keeps freed blocks in
    /// quarantine and whose shadow memory grows with what the process touches.
    public static var allocatorNoiseKB: Int {
        ProcessInfo.processInfo.environment["SCHOOLLEDGER_SANITIZER"] == nil ? 8 * 1024 : 64 * 1024
    }

    /// Adds `count` to the stress counter `name` (kills survived, hostile
    /// inputs tried, …) in the file `SCHOOLLEDGER_STRESS_REPORT` names, one
    /// `name<TAB>count` line per call; `make stress` sums and prints them.
    /// Does nothing when the variable is unset.
    public static func reportStress(_ name: String, _ count: Int) {
        guard let path = ProcessInfo.processInfo.environment["SCHOOLLEDGER_STRESS_REPORT"] else { return }
        let line = Array("\(name)\t\(count)\n".utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        // One write(2) with O_APPEND: lines from parallel tests do not interleave.
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// The `occurredAt` of the fixture events.
    public static let occurred = Instant(iso8601: "2026-09-01T08:00:00Z")!

    /// A small event of `type` in `stream` by `actor`.
    public static func event(_ stream: String = "s", type: String = "Tick", actor: String = "a", payload: String = "p") -> NewEvent {
        NewEvent(stream: stream, type: type, actor: actor, occurredAt: occurred, payload: Array(payload.utf8))
    }

    /// Ledger options for a test: its clock, relaxed durability, a map size.
    public static func options(clock: ManualClock? = nil, relaxed: Bool = false, mapSize: Int? = nil) -> EventLedger.Options {
        var o = EventLedger.Options()
        if let clock { o.clock = clock }
        if relaxed { o.durability = .relaxed }
        if let mapSize { o.initialMapSize = mapSize }
        return o
    }

    /// Copies the data file of the open `ledger` into `directory`, once no
    /// commit is in flight: its projections caught up (so the task that
    /// follows commits has no step left to write during the copy) and its
    /// relaxed commits flushed. A plain copy of a file that another thread
    /// commits to may hold a meta page newer than the pages it copied: a
    /// truncated ledger, which opening rightly refuses.
    public static func copyDataFile(of ledger: EventLedger, to directory: String) async throws {
        try await ledger.catchUpProjections()
        try ledger.sync()
        try FileManager.default.copyItem(atPath: ledger.directory + "/data.mdb", toPath: directory + "/data.mdb")
    }

    /// Copies `data.mdb` from one ledger directory to another, replacing every
    /// occurrence of `original` (the live page and any stale copies LMDB keeps
    /// in free pages) with `forged`, which must have the same length.
    public static func copyDataFile(from source: String, to target: String, replacing original: String, with forged: String) throws {
        precondition(original.utf8.count == forged.utf8.count)
        var data = try Data(contentsOf: URL(fileURLWithPath: source + "/data.mdb"))
        let needle = Data(original.utf8)
        var replaced = 0
        var searchFrom = data.startIndex
        while let range = data.range(of: needle, in: searchFrom..<data.endIndex) {
            data.replaceSubrange(range, with: Data(forged.utf8))
            searchFrom = range.upperBound
            replaced += 1
        }
        precondition(replaced > 0, "\(original) is not in the data file")
        try data.write(to: URL(fileURLWithPath: target + "/data.mdb"))
    }

    /// The repository's root folder (where README.md and Schemas/ are).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The trimmed, non-empty lines of `text` between `start` and the next `end`:
    /// how the tests compare the README's code blocks with the compiled copies.
    public static func lines(of text: String, after start: String, until end: String) -> [String] {
        guard let from = text.range(of: start) else { return [] }
        let rest = text[from.upperBound...]
        return rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The README's code block after `<!-- example: NAME -->` (its import lines
    /// left out) and the lines of `sourceFile` between the markers
    /// `// README example begin` and `// README example end`: a test expects
    /// them equal, so the README shows exactly the code that compiles.
    /// `marker` names the kind of example: `example` for those the README's
    /// own package (`make readme`) also compiles, `tested-example` for those
    /// only a test compiles and runs (they need a server).
    public static func readmeExample(_ name: String, compiledIn sourceFile: String, marker: String = "example") throws -> (
        shown: [String], compiled: [String]
    ) {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: sourceFile), encoding: .utf8)
        let shown = lines(of: readme, after: "<!-- \(marker): \(name) -->\n```swift", until: "```").filter { !$0.hasPrefix("import ") }
        return (shown, lines(of: source, after: "// README example " + "begin", until: "// README example " + "end"))
    }

    /// The folder that holds this test binary and the package's executables.
    public static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs a built executable of the package to the end; returns its exit code and output.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let child = try Spawned(product: executable, arguments)
        let status = child.wait().status
        return (status, child.output, child.errorOutput)
    }
}

/// A package executable running in the background, its standard output going
/// to a file (so a chatty child never blocks on a full pipe), until ``kill()``.
public final class ChildProcess {
    private let child: Spawned

    /// Starts `executable` (a product of this package) with `arguments`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        child = try Spawned(product: executable, arguments, environment: environment)
    }

    /// Whether the child has exited (by itself or killed).
    public var hasExited: Bool { child.hasExited }

    /// What the child printed so far.
    public var output: String { child.output }

    /// What the child wrote to its standard error so far (why it stopped, when it stopped by itself).
    public var errorOutput: String { child.errorOutput }

    /// Kills the child with SIGKILL, waits for it, and returns the
    /// `(position, id)` of every whole `ACK <position> <id>` line it printed
    /// and whether the signal killed it (it had not exited by itself). A kill
    /// counts as a kill survived in `make stress`'s report.
    @discardableResult
    public func kill() -> (acknowledged: [(UInt64, EventID)], killed: Bool) {
        child.kill()
        let killed = child.wait().signaled
        if killed { Fixture.reportStress("kills survived", 1) }
        let acknowledged = output.split(separator: "\n").compactMap { line -> (UInt64, EventID)? in
            let parts = line.split(separator: " ")
            // A line cut by the kill is not an acknowledgement.
            guard parts.count == 3, parts[0] == "ACK", let p = UInt64(parts[1]), let id = EventID(parts[2]) else { return nil }
            return (p, id)
        }
        return (acknowledged, killed)
    }
}
