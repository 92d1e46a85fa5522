import EventLedger
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The connections of one database in this process, shared by every
/// ``PostgresLogStorage`` open on it (a region's node serves many schools;
/// the ledger is a column, not a connection): taken by a session for its
/// transaction and given back after it, kept idle up to a limit. Beside the
/// pool, one session listens for every ledger's commits (see ``listen(on:_:)``).
///
/// The ledger's storage interface is synchronous (the writer is a thread of
/// its own, and LMDB's reads are synchronous); each call waits for its
/// query's future on the calling thread. No call is ever made on one of
/// NIO's event-loop threads, so the wait never blocks the loop that would
/// complete it.
final class PostgresConnections: Sendable {
    /// The server and database (the ledger's name is the first user's, unused here).
    let location: PostgresLocation
    let logger: Logger
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    /// The session that listens, once opened.
    private let listening = Mutex<PostgresConnection?>(nil)
    /// The most connections kept idle between sessions.
    static let keptIdle = 16

    private init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
    }

    deinit {
        // Not waited for: the last storage may let go of this on an event
        // loop, where no wait is allowed.
        for connection in idle.withLock({ $0 }) { connection.closeEventually() }
        listening.withLock({ $0 })?.closeEventually()
    }

    private final class Weak: Sendable {
        weak let connections: PostgresConnections?
        init(_ connections: PostgresConnections) { self.connections = connections }
    }

    private static let byDatabase = Mutex<[String: Weak]>([:])

    /// The connections of `location`'s database, shared with every storage of
    /// this process open on it; closed once the last of them is gone.
    static func shared(for location: PostgresLocation, logger: Logger) -> PostgresConnections {
        let key = "\(location.user):\(location.password ?? "")@\(location.host):\(location.port)/\(location.database)"
        return byDatabase.withLock { byDatabase in
            if let found = byDatabase[key]?.connections { return found }
            let made = PostgresConnections(location: location, logger: logger)
            byDatabase = byDatabase.filter { $0.value.connections != nil }
            byDatabase[key] = Weak(made)
            return made
        }
    }

    /// The server and database, for messages.
    var server: String { "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)" }

    // MARK: Commits heard

    /// What the server's `pg_stat_activity` calls the session that listens.
    static var listenerName: String { "eventledger listener (pid \(getpid()))" }

    /// The session that listens, opened when first needed (or again when the
    /// server dropped it).
    private func listeningSession() throws -> PostgresConnection {
        try listening.withLock { listening in
            if let found = listening, !found.isClosed { return found }
            let opened = try open(parameters: [("application_name", Self.listenerName)])
            listening = opened
            return opened
        }
    }

    /// Calls `wake` whenever a commit is announced on `channel`, from the
    /// time this returns until the returned context is stopped.
    ///
    /// PostgreSQL wakes every session of a database that listens, on any
    /// channel, each time a transaction that notifies commits. A session per
    /// open ledger would make each commit on a region's server cost a
    /// wake-up per school a node serves; this process listens for all its
    /// ledgers of the database on one. The channels stay one per ledger.
    /// A ledger registered on a session the server dropped is woken no more
    /// and falls back on polling.
    func listen(on channel: String, _ wake: @escaping @Sendable () -> Void) throws -> PostgresListenContext {
        let session = try listeningSession()
        let context = session.addListener(channel: channel) { _, _ in wake() }
        do {
            // Waited for, so a commit after this returns is heard.
            _ = try session.run(PostgresQuery(unsafeSQL: "LISTEN \(channel)"), "listening for commits to \(server)")
        } catch {
            context.stop()
            throw error
        }
        return context
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

    /// A new connection, not kept by the pool, with `parameters` (settings
    /// such as `application_name`) sent at its start.
    func open(parameters: [(String, String)] = []) throws -> PostgresConnection {
        var configuration = configuration
        configuration.options.additionalStartupParameters += parameters
        return try Self.step("connecting to \(server)") {
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

    /// Closes the connection without waiting; the connection lives until it has.
    func closeEventually() {
        let closing: EventLoopFuture<Void> = close()
        closing.whenComplete { _ in withExtendedLifetime(self) {} }
    }

    /// Runs `query` and waits for all its rows.
    func run(_ query: PostgresQuery, _ doing: @autoclosure () -> String) throws -> PostgresQueryResult {
        try PostgresConnections.step(doing()) { try self.query(query, logger: logger).wait() }
    }
}
