import EventLedger
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The connections of one ``PostgresLogStorage``: taken by a session for its
/// transaction and given back after it, kept idle up to a limit.
///
/// The ledger's storage interface is synchronous (the writer is a thread of
/// its own, and LMDB's reads are synchronous); each call waits for its
/// query's future on the calling thread. No call is ever made on one of
/// NIO's event-loop threads, so the wait never blocks the loop that would
/// complete it.
final class PostgresConnections: Sendable {
    let location: PostgresLocation
    let logger: Logger
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    /// The most connections kept idle between sessions.
    static let keptIdle = 8

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
    }

    deinit {
        for connection in idle.withLock({ $0 }) { connection.closeQuietly() }
    }

    /// Runs `body` on a connection of its own. When `body` throws, any
    /// transaction it left open is rolled back, and a connection that cannot
    /// even do that is closed rather than kept.
    func with<R>(_ body: (PostgresConnection) throws -> R) throws -> R {
        let connection = try take()
        do {
            let result = try body(connection)
            give(connection)
            return result
        } catch {
            if !connection.isClosed, (try? connection.query("ROLLBACK", logger: logger).wait()) != nil {
                give(connection)
            } else {
                connection.closeQuietly()
            }
            throw error
        }
    }

    /// A new connection, not kept by the pool (the listener's), named
    /// `applicationName` in the server's `pg_stat_activity` when given.
    func open(applicationName: String? = nil) throws -> PostgresConnection {
        var configuration = configuration
        if let applicationName { configuration.options.additionalStartupParameters.append(("application_name", applicationName)) }
        return try Self.step("connecting to \(location)") {
            try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger
            ).wait()
        }
    }

    private func take() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try open()
    }

    private func give(_ connection: PostgresConnection) {
        let surplus = idle.withLock { idle -> PostgresConnection? in
            guard idle.count < Self.keptIdle, !connection.isClosed else { return connection }
            idle.append(connection)
            return nil
        }
        surplus?.closeQuietly()
    }

    /// Runs `body`, turning PostgreSQL's errors into ``LedgerError``s that
    /// name what was being done and the server's own sentence.
    static func step<R>(_ doing: @autoclosure () -> String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as LedgerError {
            throw error
        } catch {
            throw ledgerError(error, while: doing())
        }
    }

    static func ledgerError(_ error: any Error, while doing: String) -> LedgerError {
        var detail = String(describing: error)
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                detail = "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            } else if let underlying = error.underlying {
                detail = "\(error.code): \(underlying)"
            } else {
                detail = "\(error.code)"
            }
        }
        var ledgerError = LedgerError(
            .storage,
            "PostgreSQL failed while \(doing): \(detail). Nothing of this transaction was committed: check the server (pg_isready, its log) and retry."
        )
        ledgerError.underlying = error
        return ledgerError
    }
}

extension PostgresConnection {
    /// Closes the connection and waits for it to close (a failed close
    /// leaves nothing to undo).
    func closeQuietly() {
        let closing: EventLoopFuture<Void> = close()
        try? closing.wait()
    }

    /// Runs `query` and waits for all its rows.
    func run(_ query: PostgresQuery, _ doing: @autoclosure () -> String) throws -> PostgresQueryResult {
        try PostgresConnections.step(doing()) { try self.query(query, logger: logger).wait() }
    }
}

/// The one session per database on which this process listens for the
/// commits of all its open ledgers there.
///
/// PostgreSQL wakes every session of a database that listens on any channel
/// each time a transaction that notifies commits (the session then finds
/// whether the notification is for a channel of its own). A session per
/// open ledger would make each commit of a region's node cost a wake-up of
/// the server per school it serves; one session per node costs one. The
/// channels stay one per ledger, so nodes of earlier versions still hear
/// these commits and these nodes theirs.
enum CommitListeners {
    private struct Shared {
        var connection: PostgresConnection
        /// The ledgers of this process registered on it.
        var registrations: Int
    }

    private static let shared = Mutex<[String: Shared]>([:])

    /// What the server's `pg_stat_activity` calls the session.
    static var applicationName: String { "eventledger commits (pid \(getpid()))" }

    /// Calls `wake` whenever a commit is announced on `channel` of the
    /// database `connections` reach, from the time this returns until the
    /// returned registration is cancelled.
    static func listen(
        on channel: String, through connections: PostgresConnections, _ wake: @escaping @Sendable () -> Void
    ) throws -> CommitListenerRegistration {
        let location = connections.location
        let key = "\(location.user)@\(location.host):\(location.port)/\(location.database)"
        return try shared.withLock { shared in
            var entry: Shared
            if let found = shared[key], !found.connection.isClosed {
                entry = found
            } else {
                // The first ledger here, or the session was lost (a restart of
                // the server): the ledgers registered on the lost one count on,
                // and poll until they are opened again.
                entry = Shared(
                    connection: try connections.open(applicationName: applicationName), registrations: shared[key]?.registrations ?? 0)
            }
            let context = entry.connection.addListener(channel: channel) { _, _ in wake() }
            do {
                // Waited for, so a commit after this returns is heard.
                _ = try entry.connection.run(PostgresQuery(unsafeSQL: "LISTEN \(channel)"), "listening for commits to \(location)")
            } catch {
                context.stop()
                if entry.registrations == 0 {
                    entry.connection.closeQuietly()
                    shared[key] = nil
                }
                throw error
            }
            entry.registrations += 1
            shared[key] = entry
            return CommitListenerRegistration(key: key, context: context)
        }
    }

    /// Ends one registration; the last one of a database closes its session.
    fileprivate static func cancel(key: String, context: PostgresListenContext) {
        // postgres-nio sends UNLISTEN once the channel's last listener on the session stops.
        context.stop()
        let closing = shared.withLock { shared -> PostgresConnection? in
            guard var entry = shared[key] else { return nil }
            entry.registrations -= 1
            guard entry.registrations <= 0 else {
                shared[key] = entry
                return nil
            }
            shared[key] = nil
            return entry.connection
        }
        closing?.closeQuietly()
    }

    /// The number of sessions this process listens on (tests).
    static var sessions: Int { shared.withLock { $0.count } }
}

/// One ledger's place on its database's listening session (see ``CommitListeners``).
final class CommitListenerRegistration: Sendable {
    private let key: String
    private let context: PostgresListenContext
    private let cancelled = Atomic<Bool>(false)

    fileprivate init(key: String, context: PostgresListenContext) {
        self.key = key
        self.context = context
    }

    /// Stops calling the ledger's `wake`; idempotent.
    func cancel() {
        guard !cancelled.exchange(true, ordering: .relaxed) else { return }
        CommitListeners.cancel(key: key, context: context)
    }
}
