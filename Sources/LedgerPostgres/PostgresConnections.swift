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

    /// A new connection, not kept by the pool (the listener's).
    func open() throws -> PostgresConnection {
        try Self.step("connecting to \(location)") {
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
