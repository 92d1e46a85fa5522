import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, its standard output and
/// error going to files.
///
/// The tests used Foundation's `Process` and hit two of its faults on Linux
/// under the parallel test runner: `run()` crashed in a `memcpy`, and
/// `readDataToEndOfFile()` trapped on `EINTR`. This runner has no pipes, no
/// background thread and no signal handler: it spawns, and `waitpid`s
/// (again after `EINTR`).
public final class Spawned: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let outputs: TemporaryDirectory
    private let exit = Mutex<Int32?>(nil)

    /// Starts `path` with `arguments`; `environment` entries are added to
    /// (or replace) this process's environment.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputs = TemporaryDirectory("spawned")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputs.sub("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, outputs.sub("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The child keeps none of this process's other descriptors (an open
        // ledger file on a tmpfs would keep it from being remounted read-only).
        for fd in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, nil, argv, envp)
        guard status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: ["spawn": path, "errno": status])
        }
        pid = child
    }

    /// Starts a built executable of this package (see ``Fixture/productsDirectory``).
    public convenience init(product: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(Fixture.productsDirectory.appendingPathComponent(product).path, arguments, environment: environment)
    }

    /// Waits for the child to end; returns its exit status, or 128 plus the
    /// signal that killed it, with whether a signal did.
    @discardableResult
    public func wait() -> (status: Int32, signaled: Bool) {
        decode(reap(blocking: true)!)
    }

    /// Whether the child has ended (it is reaped then).
    public var hasExited: Bool { reap(blocking: false) != nil }

    /// Sends `signal` to the child, if it still runs.
    public func kill(_ signal: Int32 = SIGKILL) {
        if !hasExited { _ = Glibc.kill(pid, signal) }
    }

    /// What the child wrote to its standard output so far.
    public var output: String { Self.text(of: outputs.sub("stdout")) }
    /// What the child wrote to its standard error so far.
    public var errorOutput: String { Self.text(of: outputs.sub("stderr")) }

    /// A file's bytes as UTF-8 text, read with read(2): Foundation's
    /// `String(contentsOfFile:)` leaks its read buffer on Linux (LeakSanitizer
    /// reports it under `make sanitize`).
    public static func text(of path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func reap(blocking: Bool) -> Int32? {
        exit.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                if result == pid { known = status; return status }
                if result == 0 { return nil }
                if errno != EINTR { return nil }
            }
        }
    }

    private func decode(_ status: Int32) -> (status: Int32, signaled: Bool) {
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (128 + signal, true)
    }
}
