public import EventLedger
public import Logging
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

/// A ledger's log on a PostgreSQL server: what a region runs, with many
/// schools' ledgers in one database, several application servers (nodes)
/// appending to the same ledger, and PostgreSQL's replication for the loss
/// of a machine.
///
/// ```swift
/// let storage = try PostgresLogStorage(PostgresLocation(url: "postgres://ledger@127.0.0.1:5432/region?ledger=school-42"))
/// let ledger = try EventLedger.open(storage: storage, readModels: "/var/lib/schoolledger/school-42")
/// ```
///
/// The log, the id index, the stream and actor heads and the walk indexes
/// are tables of the schema `eventledger`, each keyed first by the ledger's
/// number, so that a region's database can be distributed by ledger. The
/// records are the bytes LMDB stores, so the hash chain and the head of a
/// ledger copied between the two backends are the same.
///
/// - **Positions are gapless** under writers on several nodes: the writers
///   of one ledger take turns on its row's lock (`FOR UPDATE`); writers of
///   different ledgers do not wait for each other. A plain append is
///   *optimistic*: it builds on the tail this process last committed and
///   goes out as one statement that takes the lock and writes only if the
///   log still ends there; otherwise (another node wrote since) it runs
///   again inside a transaction that takes the lock first and reads the
///   tail after it. Anything more (the append rule, savepoints, scans)
///   runs under the lock from the start. A lone append is two round trips.
/// - **A write is PostgreSQL's commit**: acknowledged when its statement or `COMMIT` returns,
///   durable as the server's `synchronous_commit` makes it (`on`, the
///   default, waits for the local WAL flush; `remote_apply` with a
///   synchronous standby also for the replica). Expected versions,
///   idempotency and the append rule are checked inside that transaction.
/// - **A read session is a snapshot** (`REPEATABLE READ, READ ONLY`).
/// - **Other nodes' commits wake subscriptions** through `LISTEN`/`NOTIFY`
///   (one channel per ledger). A process listens for all its ledgers of a
///   database on one session; each commit is announced by a statement of
///   its own sent right behind it, before the append returns; the ledger's
///   polling remains the fallback.
/// - **A process's ledgers of one database share its connections**: a
///   region's node holds a few sessions, not some per school.
///
/// Read models are not kept here: they live in a local LMDB environment on
/// each node (``EventLedger/open(storage:readModels:options:)``), caught up
/// from this log. The server's own tools back it up (`pg_basebackup`,
/// streaming replication); the README's "Running on PostgreSQL" gives the
/// commands.
public final class PostgresLogStorage: LogStorage {
    /// Where the ledger lives.
    public let location: PostgresLocation
    private let connections: PostgresConnections
    /// The ledger's number in `eventledger.ledgers`: the first column of every key.
    private let key: Int64
    /// The name read models record: `postgres:` and the ledger's uuid.
    private let name: String
    /// The channel its commits are announced on.
    private let channel: String
    /// This ledger's place on the process's listening session, once observed.
    private let listener = Mutex<PostgresListenContext?>(nil)
    /// The log's last record as this process last committed it: what an
    /// optimistic write builds on without asking (see ``write(_:)``).
    private let knownTail = Mutex<Assumed?>(nil)

    /// The record format the ledgers of this backend are written in.
    static let format: Int32 = 2
    /// Records fetched per query of a scan.
    static let scanBatch = 256

    /// `PostgreSQL`.
    public var engineName: String { "PostgreSQL" }

    /// Opens the ledger at `location`, creating the schema and the ledger when
    /// `create` and they are missing.
    ///
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/noLedger`` when
    ///   the ledger does not exist and `create` is false,
    ///   ``LedgerError/Code/newerFormat`` when a newer version wrote it, and
    ///   ``LedgerError/Code/storage`` when the server cannot be reached or
    ///   refuses (the message carries the server's sentence).
    public init(_ location: PostgresLocation, create: Bool = true, logger: Logger = Logger(label: "eventledger.postgres")) throws {
        self.location = location
        let connections = PostgresConnections.shared(for: location, logger: logger)
        self.connections = connections
        let found = try connections.with { connection in
            if try create || Self.lacksFunctions(connection) { try Self.createSchema(connection) }
            return try Self.ledgerRow(connection, name: location.ledger, create: create)
        }
        guard let found else {
            throw LedgerError(
                .noLedger,
                "There is no ledger '\(location.ledger)' in \(location): check its name (schoolledger lists none by itself; psql: SELECT name FROM eventledger.ledgers), or create it."
            )
        }
        guard found.format <= Self.format else {
            throw LedgerError(
                .newerFormat,
                "The ledger '\(location.ledger)' in \(location) is of record format \(found.format), newer than this version's \(Self.format): upgrade SchoolLedger to read it."
            )
        }
        self.key = found.key
        self.name = "postgres:" + found.identity
        self.channel = "eventledger_\(found.key)"
        knownTail.withLock { $0 = found.tail }
    }

    deinit {
        listener.withLock({ $0 })?.stop()
    }

    // MARK: Schema

    /// The tables, created once per database under an advisory lock (two
    /// nodes starting at once must not both create them).
    private static let schema: [String] = [
        "CREATE SCHEMA IF NOT EXISTS eventledger",
        """
        CREATE TABLE IF NOT EXISTS eventledger.ledgers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE, identity text NOT NULL,
            format integer NOT NULL, rule_checkpoint bigint NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now())
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.log (
            ledger bigint NOT NULL, position bigint NOT NULL, record bytea NOT NULL, PRIMARY KEY (ledger, position))
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.event_ids (
            ledger bigint NOT NULL, id bytea NOT NULL, position bigint NOT NULL, PRIMARY KEY (ledger, id))
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.streams (
            ledger bigint NOT NULL, stream bytea NOT NULL, version bigint NOT NULL, last_position bigint NOT NULL,
            PRIMARY KEY (ledger, stream))
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.actors (
            ledger bigint NOT NULL, actor bytea NOT NULL, count bigint NOT NULL, last_position bigint NOT NULL,
            PRIMARY KEY (ledger, actor))
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.stream_positions (
            ledger bigint NOT NULL, stream bytea NOT NULL, version bigint NOT NULL, position bigint NOT NULL,
            PRIMARY KEY (ledger, stream, version))
        """,
        """
        CREATE TABLE IF NOT EXISTS eventledger.actor_positions (
            ledger bigint NOT NULL, actor bytea NOT NULL, count bigint NOT NULL, recorded_at bigint NOT NULL, position bigint NOT NULL,
            PRIMARY KEY (ledger, actor, count))
        """,
        """
        CREATE INDEX IF NOT EXISTS actor_positions_by_time
            ON eventledger.actor_positions (ledger, actor, recorded_at, position)
        """,
        // A write transaction's first statement: the ledger's lock, then its
        // rule checkpoint and tail read after the lock (a VOLATILE function's
        // statements each take a new snapshot, so the tail is the previous
        // writer's last commit, not what the log held when the lock was asked).
        """
        CREATE OR REPLACE FUNCTION eventledger.lock_for_writing(l bigint)
            RETURNS TABLE (checkpoint bigint, tail_position bigint, tail_record bytea)
            LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM 1 FROM eventledger.ledgers WHERE id = l FOR UPDATE;
            RETURN QUERY
                SELECT g.rule_checkpoint, t.position, t.record FROM eventledger.ledgers g
                LEFT JOIN LATERAL (
                    SELECT o.position, o.record FROM eventledger.log o WHERE o.ledger = l ORDER BY o.position DESC LIMIT 1
                ) t ON true
                WHERE g.id = l;
        END $$
        """,
        // An append's lookups: the positions of its ids and the heads of its
        // streams and actors, in one call. A PL/pgSQL function keeps its
        // statements' plans for the session, and with generic plans forced
        // (the same plan serves any arrays) a call is not planned again.
        """
        CREATE OR REPLACE FUNCTION eventledger.look_up(l bigint, p_ids bytea[], p_streams bytea[], p_actors bytea[])
            RETURNS TABLE (kind integer, name bytea, value bigint, last bigint)
            LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
        BEGIN
            RETURN QUERY
                SELECT 0, e.id, e.position, 0::bigint FROM eventledger.event_ids e WHERE e.ledger = l AND e.id = ANY(p_ids)
                UNION ALL SELECT 1, s.stream, s.version, s.last_position FROM eventledger.streams s
                    WHERE s.ledger = l AND s.stream = ANY(p_streams)
                UNION ALL SELECT 2, a.actor, a.count, a.last_position FROM eventledger.actors a
                    WHERE a.ledger = l AND a.actor = ANY(p_actors);
        END $$
        """,
        // Writes records, their indexes and the heads they moved, after
        // taking the ledger's lock as every writer does. p_follow 0: under
        // the lock already; 1: only if the log is empty; 2: only if the
        // log still ends with p_previous_record at p_previous. Returns
        // whether it wrote. Each statement of a VOLATILE function takes a
        // snapshot of its own, so the check sees every commit made before
        // the lock was granted.
        """
        CREATE OR REPLACE FUNCTION eventledger.write_records(
            l bigint, p_follow integer, p_previous bigint, p_previous_record bytea,
            p_positions bigint[], p_records bytea[], p_ids bytea[], p_streams bytea[], p_versions bigint[],
            p_actors bytea[], p_actor_counts bigint[], p_recorded_at bigint[],
            p_head_streams bytea[], p_head_versions bigint[], p_head_stream_last bigint[],
            p_head_actors bytea[], p_head_counts bigint[], p_head_actor_last bigint[])
            RETURNS boolean LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
        BEGIN
            PERFORM 1 FROM eventledger.ledgers g WHERE g.id = l FOR UPDATE;
            IF p_follow = 1 AND EXISTS (SELECT 1 FROM eventledger.log o WHERE o.ledger = l) THEN
                RETURN false;
            ELSIF p_follow = 2 AND NOT coalesce(
                    (SELECT o.record FROM eventledger.log o WHERE o.ledger = l AND o.position = p_previous) = p_previous_record
                    AND NOT EXISTS (SELECT 1 FROM eventledger.log o WHERE o.ledger = l AND o.position > p_previous), false) THEN
                RETURN false;
            END IF;
            INSERT INTO eventledger.log (ledger, position, record) SELECT l, * FROM unnest(p_positions, p_records);
            INSERT INTO eventledger.event_ids (ledger, id, position) SELECT l, * FROM unnest(p_ids, p_positions);
            INSERT INTO eventledger.stream_positions (ledger, stream, version, position)
                SELECT l, * FROM unnest(p_streams, p_versions, p_positions);
            INSERT INTO eventledger.actor_positions (ledger, actor, count, recorded_at, position)
                SELECT l, * FROM unnest(p_actors, p_actor_counts, p_recorded_at, p_positions);
            INSERT INTO eventledger.streams AS s (ledger, stream, version, last_position)
                SELECT l, * FROM unnest(p_head_streams, p_head_versions, p_head_stream_last)
                ON CONFLICT (ledger, stream) DO UPDATE SET version = EXCLUDED.version, last_position = EXCLUDED.last_position;
            INSERT INTO eventledger.actors AS a (ledger, actor, count, last_position)
                SELECT l, * FROM unnest(p_head_actors, p_head_counts, p_head_actor_last)
                ON CONFLICT (ledger, actor) DO UPDATE SET count = EXCLUDED.count, last_position = EXCLUDED.last_position;
            RETURN true;
        END $$
        """,
    ]

    private static func createSchema(_ connection: PostgresConnection) throws {
        _ = try connection.run("BEGIN", "beginning the schema's creation")
        do {
            _ = try connection.run("SELECT pg_advisory_xact_lock(hashtext('eventledger.schema'))", "locking the schema's creation")
            for statement in schema {
                _ = try connection.run(PostgresQuery(unsafeSQL: statement), "creating the schema eventledger")
            }
            _ = try connection.run("COMMIT", "committing the schema")
        } catch {
            _ = try? connection.query("ROLLBACK", logger: connection.logger).wait()
            throw error
        }
    }

    /// Whether the schema exists without the functions this version calls
    /// (an earlier version made it): opening brings it up to date.
    private static func lacksFunctions(_ connection: PostgresConnection) throws -> Bool {
        let rows = try connection.run(
            """
            SELECT to_regclass('eventledger.ledgers') IS NOT NULL
                AND (to_regproc('eventledger.write_records') IS NULL OR to_regproc('eventledger.look_up') IS NULL
                     OR to_regproc('eventledger.lock_for_writing') IS NULL)
            """, "looking for the functions of the schema eventledger")
        return try rows.contains { try $0.decode(Bool.self) }
    }

    /// A ledger's row, and the log's last record as the row was read.
    private struct LedgerRow {
        var key: Int64
        var identity: String
        var format: Int32
        var tail: Assumed
    }

    private static func ledgerRow(_ connection: PostgresConnection, name: String, create: Bool) throws -> LedgerRow? {
        // A database where no ledger was ever created has no schema either.
        let schema = try connection.run("SELECT to_regclass('eventledger.ledgers') IS NOT NULL", "looking for the schema eventledger")
        guard try schema.contains(where: { try $0.decode(Bool.self) }) else { return nil }
        if create {
            let identity = UUID().uuidString.lowercased()
            _ = try connection.run(
                "INSERT INTO eventledger.ledgers (name, identity, format) VALUES (\(name), \(identity), \(format)) ON CONFLICT (name) DO NOTHING",
                "creating the ledger \(name)")
        }
        // The tail comes along: the first append builds on it without asking.
        let rows = try connection.run(
            """
            SELECT g.id, g.identity, g.format, t.position, t.record FROM eventledger.ledgers g
            LEFT JOIN LATERAL (
                SELECT o.position, o.record FROM eventledger.log o WHERE o.ledger = g.id ORDER BY o.position DESC LIMIT 1
            ) t ON true
            WHERE g.name = \(name)
            """, "finding the ledger \(name)")
        for row in rows {
            return try PostgresConnections.step("reading the ledger's row") {
                let (key, identity, format, position, record) = try row.decode((Int64, String, Int32, Int64?, ByteBuffer?).self)
                return LedgerRow(key: key, identity: identity, format: format, tail: try Assumed(position: position, record: record))
            }
        }
        return nil
    }

    /// Whether `name` has a ledger at `location`'s server and database (the
    /// location's own ledger name is ignored).
    public static func ledgerExists(_ name: String, at location: PostgresLocation) throws -> Bool {
        let connections = PostgresConnections.shared(for: location, logger: Logger(label: "eventledger.postgres"))
        return try connections.with { connection in try ledgerRow(connection, name: name, create: false) != nil }
    }

    // MARK: Sessions

    /// A transaction on one connection: a snapshot for reading, or the
    /// ledger's write lock held until commit. Valid only inside the closure
    /// that received it.
    public final class Session {
        let connection: PostgresConnection
        let writable: Bool
        /// Records appended but not yet sent (sent in one statement before
        /// anything reads the log, and at commit).
        fileprivate var pending = Pending()
        /// In a write session: the tail once read after the ledger's lock,
        /// moved by each flush (no other writer can move it while the lock
        /// is held); `.some(nil)` for an empty log.
        fileprivate var lockedTail: LogTail??
        /// In a write session: the append rule's checkpoint, read with the lock.
        fileprivate var lockedCheckpoint: UInt64?
        /// A write session that holds no lock and has sent nothing yet: its
        /// records go out in one statement at the end that checks the tail
        /// it built on (see ``PostgresLogStorage/write(_:)``).
        fileprivate var optimistic = false
        /// In an optimistic session: the tail the session built on.
        fileprivate var assumed: Assumed?
        /// The last record this session found at its start, and the last it
        /// appended: what the next write builds on once this one commits.
        fileprivate var lastRecord: Assumed?
        fileprivate var lastAppended: (position: UInt64, record: [UInt8])?
        /// Copies of records handed out by `record(_:at:)`, freed with the session.
        fileprivate var buffers: [UnsafeMutableRawBufferPointer] = []
        fileprivate var savepoints = 0

        fileprivate init(connection: PostgresConnection, writable: Bool) {
            self.connection = connection
            self.writable = writable
        }

        deinit {
            for buffer in buffers { buffer.deallocate() }
        }

        /// A statement sent and not yet waited for (`BEGIN`), with what it did.
        private var inFlight: (result: EventLoopFuture<PostgresQueryResult>, doing: String)?

        /// Sends `query` without waiting for it: the connection sends the
        /// next statement as soon as this one ends, without a turn of this
        /// thread in between, and the next ``run(_:_:)`` reports its failure.
        fileprivate func send(_ query: PostgresQuery, _ doing: String) throws {
            try settle()
            inFlight = (connection.query(query, logger: connection.logger), doing)
        }

        /// Waits for the statement in flight, if any.
        fileprivate func settle() throws {
            guard let earlier = inFlight else { return }
            inFlight = nil
            _ = try PostgresConnections.step(earlier.doing) { try earlier.result.wait() }
        }

        fileprivate func run(_ query: PostgresQuery, _ doing: @autoclosure () -> String) throws -> PostgresQueryResult {
            try runCommitting(query, doing(), announcing: nil)
        }

        /// Runs `query` (when it commits, with `announcement` sent right
        /// behind it, in a transaction of its own): one wait for the
        /// statements in flight, this one and the announcement. The first
        /// failure among the statements before the announcement is thrown;
        /// the announcement's own failure is only logged, since the commit
        /// before it stands.
        fileprivate func runCommitting(
            _ query: PostgresQuery, _ doing: @autoclosure () -> String, announcing announcement: PostgresQuery?
        ) throws -> PostgresQueryResult {
            let earlier = inFlight
            inFlight = nil
            guard earlier != nil || announcement != nil else { return try connection.run(query, doing()) }
            // Sent behind the statement in flight; waiting for the last one
            // wakes this thread once for all.
            let later = connection.query(query, logger: connection.logger)
            if let announcement {
                do {
                    _ = try connection.query(announcement, logger: connection.logger).wait()
                } catch {
                    connection.logger.warning(
                        "a commit was not announced; other nodes' subscriptions will poll", metadata: ["error": "\(error)"])
                }
            }
            let result = Result { try PostgresConnections.step(doing()) { try later.wait() } }
            if let earlier { _ = try PostgresConnections.step(earlier.doing) { try earlier.result.wait() } }
            return try result.get()
        }

        /// A copy of `bytes` that lives as long as the session.
        fileprivate func keep(_ bytes: ByteBuffer) -> UnsafeRawBufferPointer {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.readableBytes, alignment: 8)
            bytes.withUnsafeReadableBytes { copy.copyMemory(from: $0) }
            buffers.append(copy)
            return UnsafeRawBufferPointer(copy)
        }
    }

    /// A tail and the bytes of its record (`tail` nil: an empty log).
    fileprivate struct Assumed {
        var tail: LogTail?
        var record: [UInt8]
    }

    /// An optimistic write found the log moved since the tail it built on.
    private struct OptimisticConflict: Error {}

    fileprivate struct Pending {
        var positions: [Int64] = []
        var records: [ByteBuffer] = []
        var ids: [ByteBuffer] = []
        var streams: [ByteBuffer] = []
        var versions: [Int64] = []
        var actors: [ByteBuffer] = []
        var actorCounts: [Int64] = []
        var recordedAt: [Int64] = []
        /// Positions by id, and the record bytes by position, for the reads
        /// an append makes before the records are sent.
        var positionOfID: [EventID: UInt64] = [:]
        var recordAt: [UInt64: [UInt8]] = [:]
        var last: (position: UInt64, record: [UInt8])?
        /// Heads stored but not yet sent: sent with the records.
        var streamHeads: [String: StreamHead] = [:]
        var actorHeads: [String: ActorHead] = [:]

        var isEmpty: Bool { positions.isEmpty && streamHeads.isEmpty && actorHeads.isEmpty }
    }

    /// Runs `body` in a `REPEATABLE READ, READ ONLY` transaction: a snapshot.
    public func read<R>(_ body: (Session) throws -> R) throws -> R {
        try connections.with { connection in
            let session = Session(connection: connection, writable: false)
            try session.send("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", "beginning a read of \(location)")
            let result = try body(session)
            _ = try session.run("COMMIT", "ending a read of \(location)")
            return result
        }
    }

    /// Runs `body` as one write of the ledger; commits when it returns (the
    /// append is then acknowledged), writes nothing when it throws.
    ///
    /// A write first runs *optimistically*: no transaction and no lock; the
    /// tail is the one this process last committed (or read once), lookups
    /// are single statements, and the records, indexes and heads go out at
    /// the end in one statement that writes them only if the log still ends
    /// with the record the session built on (and fails on the log's primary
    /// key if another writer took the same positions). When it does not, or
    /// when the body needs more than that (a savepoint, a scan of what it
    /// appended, the rule's checkpoint), the body runs again, or goes on,
    /// inside a transaction that holds the ledger's lock. A lone append is
    /// then two round trips.
    public func write<R>(_ body: (Session) throws -> R) throws -> R {
        do {
            return try write(body, optimistic: true)
        } catch is OptimisticConflict {
            knownTail.withLock { $0 = nil }
            return try write(body, optimistic: false)
        }
    }

    private func write<R>(_ body: (Session) throws -> R, optimistic: Bool) throws -> R {
        try connections.with { connection in
            let session = Session(connection: connection, writable: true)
            session.optimistic = optimistic
            if !optimistic { try lock(session) }
            let result = try body(session)
            if session.optimistic {
                try commitOptimistic(session)
            } else {
                // The last records go out with COMMIT right behind them: one
                // wait for both (a failed statement makes the server's COMMIT
                // a rollback, and its error is the one thrown).
                try flush(session, pipelined: true)
                _ = try session.runCommitting(
                    "COMMIT", "committing to \(location)", announcing: session.lastAppended == nil ? nil : announcement)
            }
            if let (position, record) = session.lastAppended {
                let tail = try record.withUnsafeBytes { try Self.tail(of: $0, at: position) }
                knownTail.withLock { $0 = Assumed(tail: tail, record: record) }
            } else if let found = session.lastRecord {
                knownTail.withLock { $0 = found }
            }
            return result
        }
    }

    /// Begins a transaction and takes the ledger's lock. Writers of this
    /// ledger, on any node, take turns here; the tail and the rule's
    /// checkpoint come back from the same call, read after the lock
    /// (`lock_for_writing`). When anything later throws, the pool rolls the
    /// transaction back.
    private func lock(_ session: Session) throws {
        try session.send("BEGIN ISOLATION LEVEL READ COMMITTED", "beginning a write to \(location)")
        let rows = try session.run(
            "SELECT * FROM eventledger.lock_for_writing(\(key))", "locking the ledger \(location.ledger) for writing")
        var found = Assumed(tail: nil, record: [])
        for row in rows {
            let (checkpoint, position, record) = try decoded { try row.decode((Int64, Int64?, ByteBuffer?).self) }
            session.lockedCheckpoint = UInt64(checkpoint)
            found = try Assumed(position: position, record: record)
        }
        session.lockedTail = .some(found.tail)
        if session.lastRecord == nil { session.lastRecord = found }
    }

    /// Turns an optimistic session into a locked one, keeping what it queued,
    /// when what it built on still holds; throws ``OptimisticConflict`` (the
    /// body runs again, locked) when it does not.
    private func upgrade(_ session: Session) throws {
        guard session.optimistic else { return }
        session.optimistic = false
        try lock(session)
        if let assumed = session.assumed, assumed.tail != session.lockedTail ?? nil { throw OptimisticConflict() }
    }

    /// The statement that announces a commit to the ledger's listeners: sent
    /// right behind the statement that commits, in a transaction of its own.
    /// Inside the appending transaction it would hold PostgreSQL's one lock
    /// for notifying commits (all databases') through that transaction's WAL
    /// flush, so no two appends could flush together; on its own, with
    /// `synchronous_commit` off for it, the lock is held for no flush.
    private var announcement: PostgresQuery {
        "SELECT set_config('synchronous_commit', 'off', true), pg_notify(\(channel), '')"
    }

    /// Sends an optimistic session's records in one statement, outside any
    /// transaction; a log that moved since the session's tail makes it
    /// write nothing and throw ``OptimisticConflict``.
    private func commitOptimistic(_ session: Session) throws {
        guard !session.pending.isEmpty else { return }
        let assumed = session.assumed ?? Assumed(tail: nil, record: [])
        do {
            let rows = try session.runCommitting(
                flushStatement(session.pending, building: assumed),
                "appending \(session.pending.positions.count) records to \(location)",
                announcing: session.pending.positions.isEmpty ? nil : announcement)
            for row in rows {
                let wrote = try decoded { try row.makeRandomAccess()[0].decode(Bool.self) }
                if !wrote { throw OptimisticConflict() }
            }
        } catch let error as LedgerError {
            // Another writer took the same positions (or ids, or versions) first.
            if let server = error.underlying as? PSQLError, server.serverInfo?[.sqlState] == "23505" { throw OptimisticConflict() }
            throw error
        }
        session.pending = Pending()
    }

    /// Runs `body` in a `SAVEPOINT`: when it throws, only its own writes are undone.
    public func savepoint<R>(_ session: Session, _ body: (Session) throws -> R) throws -> R {
        try upgrade(session)
        try flush(session)
        session.savepoints += 1
        let name = "eventledger_\(session.savepoints)"
        defer { session.savepoints -= 1 }
        _ = try session.run(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"), "opening a savepoint")
        let tailBefore = session.lockedTail, checkpointBefore = session.lockedCheckpoint, appendedBefore = session.lastAppended
        do {
            let result = try body(session)
            try flush(session)
            _ = try session.run(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"), "releasing a savepoint")
            return result
        } catch {
            session.pending = Pending()
            session.lockedTail = tailBefore
            session.lockedCheckpoint = checkpointBefore
            session.lastAppended = appendedBefore
            _ = try session.run(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"), "rolling back to a savepoint")
            throw error
        }
    }

    /// Sends the pending records and heads in one statement.
    private func flush(_ session: Session, pipelined: Bool = false) throws {
        // Whatever reads more of the log than an append's lookups (a scan,
        // the streams, the walks) runs under the lock, on one consistent log.
        try upgrade(session)
        guard !session.pending.isEmpty else { return }
        let p = session.pending
        let query = flushStatement(p, building: nil)
        let doing = "appending \(p.positions.count) records to \(location)"
        if pipelined { try session.send(query, doing) } else { _ = try session.run(query, doing) }
        if let last = p.last {
            session.lockedTail = try last.record.withUnsafeBytes { try Self.tail(of: $0, at: last.position) }
        }
        session.pending = Pending()
    }

    /// The one statement that sends `p`'s records, indexes and heads. When `building`
    /// is given, it writes only if the log still ends with that record, and
    /// its one row says whether it wrote. It takes the ledger's lock as a
    /// locked writer does.
    private func flushStatement(_ p: Pending, building assumed: Assumed?) -> PostgresQuery {
        let streamNames = p.streamHeads.keys.map(Self.bytes), streamHeads = Array(p.streamHeads.values)
        let actorNames = p.actorHeads.keys.map(Self.bytes), actorHeads = Array(p.actorHeads.values)
        // 0: no check (under the lock); 1: the log must be empty; 2: its last record must be `record`.
        let check: Int32 = assumed == nil ? 0 : (assumed?.tail == nil ? 1 : 2)
        let previous = Int64(assumed?.tail?.position ?? 0), record = ByteBuffer(bytes: assumed?.record ?? [])
        return """
            SELECT eventledger.write_records(\(key), \(check), \(previous), \(record)::bytea,
                \(p.positions)::bigint[], \(p.records)::bytea[], \(p.ids)::bytea[], \(p.streams)::bytea[], \(p.versions)::bigint[],
                \(p.actors)::bytea[], \(p.actorCounts)::bigint[], \(p.recordedAt)::bigint[],
                \(streamNames)::bytea[], \(streamHeads.map { Int64($0.version) })::bigint[], \(streamHeads.map { Int64($0.lastPosition) })::bigint[],
                \(actorNames)::bytea[], \(actorHeads.map { Int64($0.count) })::bigint[], \(actorHeads.map { Int64($0.lastPosition) })::bigint[])
            """
    }

    // MARK: Reading

    /// The last record, or `nil` for an empty log.
    public func tail(_ session: Session) throws -> LogTail? {
        if let last = session.pending.last {
            return try last.record.withUnsafeBytes { try Self.tail(of: $0, at: last.position) }
        }
        if session.optimistic {
            // What this process last committed, unasked; the final statement checks it.
            if let assumed = session.assumed { return assumed.tail }
            if let known = knownTail.withLock({ $0 }) {
                session.assumed = known
                return known.tail
            }
        } else if let locked = session.lockedTail {
            return locked
        }
        let rows = try session.run(
            "SELECT position, record FROM eventledger.log WHERE ledger = \(key) ORDER BY position DESC LIMIT 1", "reading the log's tail")
        var found = Assumed(tail: nil, record: [])
        for row in rows {
            let (position, record) = try decoded { try row.decode((Int64, ByteBuffer).self) }
            found = try Assumed(position: position, record: record)
        }
        if session.optimistic {
            session.assumed = found
            if session.lastRecord == nil { session.lastRecord = found }
        }
        return found.tail
    }

    private static func tail(of record: UnsafeRawBufferPointer, at position: UInt64) throws -> LogTail {
        let view = try RecordView(decoding: record, storedAt: position)
        return LogTail(position: position, hash: view.hash.bytes, recordedAt: view.recordedAt)
    }

    /// The record at `position`, copied into memory the session owns.
    public func record(_ session: Session, at position: UInt64) throws -> UnsafeRawBufferPointer? {
        guard position >= 1, position <= UInt64(Int64.max) else { return nil }
        if let pending = session.pending.recordAt[position] {
            return session.keep(ByteBuffer(bytes: pending))
        }
        let rows = try session.run(
            "SELECT record FROM eventledger.log WHERE ledger = \(key) AND position = \(Int64(position))", "reading record \(position)")
        for row in rows {
            return session.keep(try decoded { try row.decode(ByteBuffer.self) })
        }
        return nil
    }

    /// Calls `body` with each record from `first` through `last`, fetched
    /// \(Self.scanBatch) at a time. Each record's bytes are valid during
    /// the call of `body` that receives them.
    public func scan(
        _ session: Session, from first: UInt64, through last: UInt64, reverse: Bool,
        _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try flush(session)
        var low = Int64(clamping: max(first, 1)), high = Int64(clamping: last)
        while low <= high {
            let rows =
                reverse
                ? try session.run(
                    """
                    SELECT position, record FROM eventledger.log WHERE ledger = \(key) AND position BETWEEN \(low) AND \(high)
                    ORDER BY position DESC LIMIT \(Self.scanBatch)
                    """, "reading records \(low) to \(high)")
                : try session.run(
                    """
                    SELECT position, record FROM eventledger.log WHERE ledger = \(key) AND position BETWEEN \(low) AND \(high)
                    ORDER BY position LIMIT \(Self.scanBatch)
                    """, "reading records \(low) to \(high)")
            var count = 0
            for row in rows {
                count += 1
                let (position, record) = try decoded { try row.decode((Int64, ByteBuffer).self) }
                let goOn = try record.withUnsafeReadableBytes { try body(UInt64(position), $0) }
                guard goOn else { return }
                if reverse { high = position - 1 } else { low = position + 1 }
            }
            if count < Self.scanBatch { return }
        }
    }

    /// The position of the event with `id`.
    public func position(_ session: Session, of id: EventID) throws -> UInt64? {
        if let pending = session.pending.positionOfID[id] { return pending }
        let rows = try session.run(
            "SELECT position FROM eventledger.event_ids WHERE ledger = \(key) AND id = \(ByteBuffer(bytes: id.bytes))",
            "looking up event \(id)")
        for row in rows { return UInt64(try decoded { try row.decode(Int64.self) }) }
        return nil
    }

    /// `true`: an append's ids and heads are looked up in one query.
    public var looksUpInBulk: Bool { true }

    /// The positions of those of `ids` the log holds and the heads of those
    /// of `streams` and `actors` that have records: one query (what the
    /// session has queued answers first).
    public func lookUp(_ session: Session, ids: [EventID], streams: [String], actors: [String]) throws -> AppendLookup {
        let pending = session.pending
        var found = AppendLookup()
        var askedIDs = [ByteBuffer](), askedStreams = [ByteBuffer](), askedActors = [ByteBuffer]()
        for id in ids {
            if let position = pending.positionOfID[id] {
                found.positions[id] = position
            } else {
                askedIDs.append(ByteBuffer(bytes: id.bytes))
            }
        }
        for stream in streams {
            if let head = pending.streamHeads[stream] { found.streamHeads[stream] = head } else { askedStreams.append(Self.bytes(stream)) }
        }
        for actor in actors {
            if let head = pending.actorHeads[actor] { found.actorHeads[actor] = head } else { askedActors.append(Self.bytes(actor)) }
        }
        guard !(askedIDs.isEmpty && askedStreams.isEmpty && askedActors.isEmpty) else { return found }
        let rows = try session.run(
            """
            SELECT * FROM eventledger.look_up(\(key), \(askedIDs)::bytea[], \(askedStreams)::bytea[], \(askedActors)::bytea[])
            """,
            "looking up \(askedIDs.count) event ids, \(askedStreams.count) streams and \(askedActors.count) actors")
        for row in rows {
            let (kind, name, value, last) = try decoded { try row.decode((Int32, ByteBuffer, Int64, Int64).self) }
            switch kind {
            case 0: if let id = EventID(bytes: name.readableBytesView) { found.positions[id] = UInt64(value) }
            case 1: found.streamHeads[String(buffer: name)] = StreamHead(version: UInt64(value), lastPosition: UInt64(last))
            default: found.actorHeads[String(buffer: name)] = ActorHead(count: UInt64(value), lastPosition: UInt64(last))
            }
        }
        return found
    }

    /// The head of `stream`.
    public func streamHead(_ session: Session, _ stream: String) throws -> StreamHead? {
        if let pending = session.pending.streamHeads[stream] { return pending }
        let rows = try session.run(
            "SELECT version, last_position FROM eventledger.streams WHERE ledger = \(key) AND stream = \(Self.bytes(stream))",
            "reading the head of stream \(stream)")
        for row in rows {
            let (version, last) = try decoded { try row.decode((Int64, Int64).self) }
            return StreamHead(version: UInt64(version), lastPosition: UInt64(last))
        }
        return nil
    }

    /// Calls `body` with each stream whose name starts with `prefix`, in byte
    /// order, fetched \(Self.scanBatch) at a time.
    public func streams(_ session: Session, withPrefix prefix: String, _ body: (String, StreamHead) throws -> Bool) throws {
        try flush(session)
        var from = Self.bytes(prefix)
        var inclusive = true
        while true {
            let rows =
                inclusive
                ? try session.run(
                    """
                    SELECT stream, version, last_position FROM eventledger.streams WHERE ledger = \(key) AND stream >= \(from)
                    ORDER BY stream LIMIT \(Self.scanBatch)
                    """, "listing streams")
                : try session.run(
                    """
                    SELECT stream, version, last_position FROM eventledger.streams WHERE ledger = \(key) AND stream > \(from)
                    ORDER BY stream LIMIT \(Self.scanBatch)
                    """, "listing streams")
            var count = 0
            for row in rows {
                count += 1
                let (name, version, last) = try decoded { try row.decode((ByteBuffer, Int64, Int64).self) }
                let stream = String(buffer: name)
                guard stream.utf8.starts(with: prefix.utf8) else { return }
                guard try body(stream, StreamHead(version: UInt64(version), lastPosition: UInt64(last))) else { return }
                from = name
                inclusive = false
            }
            if count < Self.scanBatch { return }
        }
    }

    /// The head of `actor`.
    public func actorHead(_ session: Session, _ actor: String) throws -> ActorHead? {
        if let pending = session.pending.actorHeads[actor] { return pending }
        let rows = try session.run(
            "SELECT count, last_position FROM eventledger.actors WHERE ledger = \(key) AND actor = \(Self.bytes(actor))",
            "reading the head of actor \(actor)")
        for row in rows {
            let (count, last) = try decoded { try row.decode((Int64, Int64).self) }
            return ActorHead(count: UInt64(count), lastPosition: UInt64(last))
        }
        return nil
    }

    /// The exact position of `stream`'s record with `version`.
    public func streamWalkStart(_ session: Session, _ stream: String, atOrAfter version: UInt64) throws -> UInt64? {
        guard version >= 1, version <= UInt64(Int64.max) else { return nil }
        try flush(session)
        let rows = try session.run(
            """
            SELECT position FROM eventledger.stream_positions
            WHERE ledger = \(key) AND stream = \(Self.bytes(stream)) AND version = \(Int64(version))
            """, "finding version \(version) of stream \(stream)")
        for row in rows { return UInt64(try decoded { try row.decode(Int64.self) }) }
        return nil
    }

    /// The position of `actor`'s first record at or after `instant`.
    public func actorWalkStart(_ session: Session, _ actor: String, atOrAfter instant: Instant) throws -> UInt64? {
        try flush(session)
        let rows = try session.run(
            """
            SELECT position FROM eventledger.actor_positions
            WHERE ledger = \(key) AND actor = \(Self.bytes(actor)) AND recorded_at >= \(instant.microsecondsSinceEpoch)
            ORDER BY recorded_at, position LIMIT 1
            """, "finding actor \(actor)'s records from \(instant)")
        for row in rows { return UInt64(try decoded { try row.decode(Int64.self) }) }
        return nil
    }

    /// The number of streams and of actors.
    public func counts(_ session: Session) throws -> (streams: Int, actors: Int) {
        try flush(session)
        let rows = try session.run(
            """
            SELECT (SELECT count(*) FROM eventledger.streams WHERE ledger = \(key)),
                   (SELECT count(*) FROM eventledger.actors WHERE ledger = \(key))
            """, "counting streams and actors")
        for row in rows {
            let (streams, actors) = try decoded { try row.decode((Int64, Int64).self) }
            return (Int(streams), Int(actors))
        }
        return (0, 0)
    }

    // MARK: Writing

    /// Queues `record` at `index.position`; the session sends its queued
    /// records in one statement before its next read of the log, and at commit.
    public func append(_ session: Session, record: [UInt8], index: IndexedRecord) throws {
        guard session.writable else {
            throw LedgerError(.storage, "An append was asked of a read session of \(location): append inside write(_:).")
        }
        if let last = session.pending.last, index.position != last.position + 1 {
            throw LedgerError(.storage, "The next position of \(location) is \(last.position + 1), not \(index.position).")
        }
        session.pending.positions.append(Int64(index.position))
        session.pending.records.append(ByteBuffer(bytes: record))
        session.pending.ids.append(ByteBuffer(bytes: index.id.bytes))
        session.pending.streams.append(Self.bytes(index.stream))
        session.pending.versions.append(Int64(index.streamVersion))
        session.pending.actors.append(Self.bytes(index.actor))
        session.pending.actorCounts.append(Int64(index.actorCount))
        session.pending.recordedAt.append(index.recordedAt.microsecondsSinceEpoch)
        session.pending.positionOfID[index.id] = index.position
        session.pending.recordAt[index.position] = record
        session.pending.last = (index.position, record)
        session.lastAppended = (index.position, record)
    }

    /// Nothing to mark: a ledger here is created in the current format.
    public func markWrittenInCurrentFormat(_ session: Session) throws {}

    /// Keeps the heads an append moved, to send with its records.
    public func storeHeads(_ session: Session, streams: [String: StreamHead], actors: [String: ActorHead]) throws {
        session.pending.streamHeads.merge(streams) { $1 }
        session.pending.actorHeads.merge(actors) { $1 }
    }

    /// `postgres:` and the uuid drawn when the ledger was created.
    public func identity(_ session: Session) throws -> String { name }

    /// The last position the append rule judged.
    public func ruleCheckpoint(_ session: Session) throws -> UInt64 {
        // The rule judges by reading the log: under the lock.
        try upgrade(session)
        if let locked = session.lockedCheckpoint { return locked }
        let rows = try session.run(
            "SELECT rule_checkpoint FROM eventledger.ledgers WHERE id = \(key)", "reading the append rule's checkpoint")
        for row in rows { return UInt64(try decoded { try row.decode(Int64.self) }) }
        return 0
    }

    /// Stores the last position the append rule judged.
    public func setRuleCheckpoint(_ session: Session, _ position: UInt64) throws {
        try upgrade(session)
        _ = try session.run(
            "UPDATE eventledger.ledgers SET rule_checkpoint = \(Int64(position)) WHERE id = \(key)", "storing the append rule's checkpoint")
        if session.writable { session.lockedCheckpoint = position }
    }

    /// Calls `wake` whenever a node commits records to the ledger (this
    /// process's own commits included): `LISTEN` on the ledger's channel,
    /// on the one session this process listens on for every ledger of the
    /// database (see `PostgresConnections/listen(on:_:)`).
    public func observeCommits(_ wake: @escaping @Sendable () -> Void) throws {
        let registration = try connections.listen(on: channel, wake)
        let earlier = listener.withLock { listener in
            defer { listener = registration }
            return listener
        }
        earlier?.stop()
    }

    // MARK: Helpers

    private static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// Runs a row's decoding, its failure a ``LedgerError`` naming the ledger.
    private func decoded<T>(_ body: () throws -> T) throws -> T {
        try PostgresConnections.step("decoding a row of \(location)", body)
    }
}

extension PostgresLogStorage.Assumed {
    /// The log's last record as a row gave it (`nil`s: an empty log).
    init(position: Int64?, record: ByteBuffer?) throws {
        guard let position, let record else {
            self.init(tail: nil, record: [])
            return
        }
        self.init(
            tail: try record.withUnsafeReadableBytes { try PostgresLogStorage.tail(of: $0, at: UInt64(position)) },
            record: Array(record.readableBytesView))
    }
}
