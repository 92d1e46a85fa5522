import Foundation

/// A small tmpfs mounted for one test, so it can fill up or turn read-only
/// on demand. Mounting needs root: ``available`` says whether this run can
/// (a test that needs it is skipped with a message otherwise).
public final class TmpfsMount: Sendable {
    /// Where it is mounted.
    public let path: String

    /// Mounts a tmpfs of `kilobytes` at a fresh directory.
    public init(kilobytes: Int) throws {
        path = NSTemporaryDirectory() + "schoolledger-tests/tmpfs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
    }

    /// Remounts with `options` (e.g. `ro`, `rw,size=8192k`), keeping the files.
    ///
    /// A remount read-only fails (busy) while any process holds a file of
    /// the mount open for writing, and a child that another test spawns at
    /// that moment inherits this process's descriptors until it execs: so a
    /// failed remount is tried again, for up to ten seconds.
    public func remount(_ options: String) throws {
        var tries = 0
        while true {
            do {
                return try Self.mount(["-o", "remount,\(options)", path])
            } catch  where tries < 100 {
                tries += 1
                usleep(100_000)
            }
        }
    }

    deinit {
        _ = try? Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether this process can mount a tmpfs (it runs as root and the
    /// kernel lets it): checked once by mounting one.
    public static let available: Bool = {
        guard getuid() == 0 else { return false }
        return (try? TmpfsMount(kilobytes: 64)) != nil
    }()

    private static func mount(_ arguments: [String]) throws {
        let status = try run("/bin/mount", arguments)
        guard status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: ["mount": arguments.joined(separator: " "), "status": status])
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        try Spawned(tool, arguments).wait().status
    }
}
