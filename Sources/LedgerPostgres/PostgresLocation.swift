public import EventLedger
import Foundation

/// Where a ledger lives on a PostgreSQL server: the server, the database and
/// the ledger's name in it (many ledgers, one per school, share a database).
///
/// Written as a URL, the form the command-line tool takes with `--ledger`:
///
/// ```
/// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE?ledger=NAME
/// ```
///
/// The password may also come from the `PGPASSWORD` environment variable, as
/// for `psql`; a URL without `?ledger=` names the ledger `default`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to connect as.
    public var user: String
    /// Its password, when the server asks for one.
    public var password: String?
    /// The database.
    public var database: String
    /// The ledger's name in the database (a school's).
    public var ledger: String

    /// A location from its parts.
    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, ledger: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.ledger = ledger
    }

    /// Whether `text` is written as a PostgreSQL URL (`postgres://` or
    /// `postgresql://`) rather than a directory.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// A location from its URL; the password from `PGPASSWORD` in
    /// `environment` (the process's when `nil`) when the URL has none.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/invalidLocation``
    ///   naming the part that is missing or wrong.
    public init(url text: String, environment: [String: String]? = nil) throws {
        func refuse(_ what: String) -> LedgerError {
            LedgerError(
                .invalidLocation,
                "'\(Self.redacted(text))' is not a ledger on PostgreSQL: \(what). Write postgres://USER@HOST:PORT/DATABASE?ledger=NAME.")
        }
        guard Self.isURL(text), let components = URLComponents(string: text) else { throw refuse("it is not a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else { throw refuse("it names no host") }
        guard let user = components.user, !user.isEmpty else { throw refuse("it names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw refuse("it names no database after the host") }
        let items = components.queryItems ?? []
        if let unknown = items.first(where: { $0.name != "ledger" }) {
            throw refuse("'\(unknown.name)' is not an option here (only ledger=NAME is)")
        }
        let ledger = items.first { $0.name == "ledger" }?.value ?? "default"
        guard !ledger.isEmpty, ledger.utf8.count <= 200 else { throw refuse("the ledger's name must have 1 to 200 bytes") }
        self.init(
            host: host, port: components.port ?? 5432, user: user,
            password: components.password ?? (environment ?? ProcessInfo.processInfo.environment)["PGPASSWORD"],
            database: database, ledger: ledger)
    }

    /// The URL, without the password.
    public var description: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "ledger", value: ledger)]
        return components.string ?? "postgres://\(user)@\(host):\(port)/\(database)?ledger=\(ledger)"
    }

    /// `text` with any password in it replaced, for messages and logs.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}

extension LedgerError.Code {
    /// A ledger's location (a PostgreSQL URL) is malformed; nothing was opened.
    public static let invalidLocation = LedgerError.Code(rawValue: "invalidLocation")
}
