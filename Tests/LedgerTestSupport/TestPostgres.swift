import EventLedger
import Foundation
import LedgerPostgres
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server the tests use: the one `SCHOOLLEDGER_TEST_POSTGRES`
/// names (`make test` starts a throwaway cluster and sets it), or else a
/// throwaway cluster this process starts with `scripts/test-postgres.sh`
/// on first use and stops when it exits.
public enum TestPostgres {
    private static let started = Mutex<Result<String, TestPostgresUnavailable>?>(nil)
    nonisolated(unsafe) private static var startedDirectory: String?

    /// The server's URL, without a ledger.
    public static func url() throws -> String {
        try started.withLock { started in
            if let started { return try started.get() }
            let result = Result { try start() }.mapError { TestPostgresUnavailable(reason: "\($0)") }
            started = result
            return try result.get()
        }
    }

    /// The environment that makes `LedgerTestChild` a node of the ledger
    /// `name` on the tests' server (its read models in its directory).
    public static func childEnvironment(ledger name: String) throws -> [String: String] {
        ["SCHOOLLEDGER_TEST_POSTGRES": try url(), "LEDGER_CHILD_POSTGRES_LEDGER": name]
    }

    /// The location of the ledger `name` on the test server.
    public static func location(ledger name: String) throws -> PostgresLocation {
        var location = try PostgresLocation(url: url())
        location.ledger = name
        return location
    }

    private static func start() throws -> String {
        if let url = ProcessInfo.processInfo.environment["SCHOOLLEDGER_TEST_POSTGRES"], !url.isEmpty { return url }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schoolledger-postgres-\(UUID().uuidString)").path
        let output = try script(["start", directory])
        let url = output.trimmingCharacters(in: .whitespacesAndNewlines)
        // Child processes (the tests' other nodes) use the same server.
        setenv("SCHOOLLEDGER_TEST_POSTGRES", url, 1)
        startedDirectory = directory
        atexit {
            if let directory = TestPostgres.startedDirectory { _ = try? TestPostgres.script(["stop", directory]) }
        }
        return url
    }

    /// Runs `scripts/test-postgres.sh` with `arguments` and returns what it
    /// printed; throws ``TestPostgresUnavailable`` with its complaint when it fails.
    public static func script(_ arguments: [String]) throws -> String {
        // Spawned, not Foundation's Process: its output goes to files (the
        // servers the script starts never hold a pipe of this process's), and
        // it is reaped with waitpid.
        let child = try Spawned(Fixture.repositoryRoot.appendingPathComponent("scripts/test-postgres.sh").path, arguments)
        guard child.wait().status == 0 else { throw TestPostgresUnavailable(reason: child.errorOutput) }
        return child.output
    }
}

/// No PostgreSQL server could be started for the tests.
public struct TestPostgresUnavailable: Error, CustomStringConvertible, Sendable {
    /// Why.
    public var reason: String
    /// The reason, with what to do.
    public var description: String {
        "No PostgreSQL server for the tests (\(reason)): install Debian's postgresql (make deps) or set SCHOOLLEDGER_TEST_POSTGRES."
    }
}
