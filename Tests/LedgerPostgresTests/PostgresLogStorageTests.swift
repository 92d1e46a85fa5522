import EventLedger
import Foundation
import LedgerPostgres
import LedgerTestSupport
import Logging
import NIOPosix
import PostgresNIO
import Synchronization
import Testing

/// What the PostgreSQL backend keeps beyond the conformance suite (which
/// runs every EventLedger behaviour test on it): many ledgers in one
/// database, typed refusals, and other nodes' commits announced at once.
@Suite("The log on PostgreSQL")
struct PostgresLogStorageTests {
    /// A ledger name no other test uses.
    static func uniqueName(_ label: String) -> String { "\(label)-\(UUID().uuidString)" }

    @Test func schoolsSharingADatabaseKeepTheirLedgersApart() async throws {
        let first = TemporaryDirectory("school-a"), second = TemporaryDirectory("school-b")
        let a = try EventLedger.open(
            storage: PostgresLogStorage(TestPostgres.location(ledger: Self.uniqueName("a"))), readModels: first.path)
        let b = try EventLedger.open(
            storage: PostgresLogStorage(TestPostgres.location(ledger: Self.uniqueName("b"))), readModels: second.path)
        _ = try await a.append((0..<5).map { Fixture.event("class-7a", payload: "a\($0)") })
        _ = try await b.append((0..<3).map { Fixture.event("class-5b", payload: "b\($0)") })
        #expect(try a.head().position == 5)
        #expect(try b.head().position == 3)
        #expect(try a.streamVersion("class-5b") == 0)
        #expect(try b.streamVersion("class-7a") == 0)
        #expect(try a.verify().isIntact && b.verify().isIntact)
        #expect(try a.head().hash != b.head().hash)
    }

    @Test func aLedgerThatIsNotThereIsRefusedWhenNotCreating() throws {
        let name = Self.uniqueName("missing")
        #expect {
            try PostgresLogStorage(TestPostgres.location(ledger: name), create: false)
        } throws: { error in
            (error as? LedgerError)?.code == .noLedger && "\(error)".contains(name)
        }
        #expect(try !PostgresLogStorage.ledgerExists(name, at: TestPostgres.location(ledger: name)))
    }

    @Test func anUnreachableServerIsATypedStorageErrorNamingIt() throws {
        // A port nobody listens on: bound, then closed.
        let location = PostgresLocation(host: "127.0.0.1", port: 9, user: "ledger", database: "postgres", ledger: "x")
        #expect {
            try PostgresLogStorage(location)
        } throws: { error in
            (error as? LedgerError)?.code == .storage && "\(error)".contains("127.0.0.1:9")
        }
    }

    @Test func aRefusedAppendCommitsNothing() async throws {
        let dir = TemporaryDirectory()
        let location = try TestPostgres.location(ledger: Self.uniqueName("refused"))
        let ledger = try EventLedger.open(storage: PostgresLogStorage(location), readModels: dir.path)
        _ = try await ledger.append([Fixture.event("s"), Fixture.event("s")])
        let before = try ledger.head()
        await #expect(throws: LedgerError.self) {
            _ = try await ledger.append([Fixture.event("s"), Fixture.event("t")], expecting: ["s": .exactly(1)])
        }
        // Another node (a fresh storage, fresh read models) sees the same.
        let other = TemporaryDirectory()
        let node = try EventLedger.open(storage: PostgresLogStorage(location, create: false), readModels: other.path)
        #expect(try node.head() == before)
        #expect(try node.streamVersion("t") == 0)
        #expect(try node.verify().isIntact)
    }

    /// Runs `sql` on a connection of its own, as another program would.
    static func runSQL(_ sql: String, at location: PostgresLocation) async throws {
        _ = try await integer(sql, at: location, returning: false)
    }

    /// Runs `sql` on a connection of its own and returns its first row's
    /// first column (when `returning`).
    static func integer(_ sql: String, at location: PostgresLocation, returning: Bool = true) async throws -> Int64? {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(),
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable),
            id: 1, logger: Logger(label: "test"))
        defer { Task { try? await connection.close() } }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test"))
        guard returning else { return nil }
        for try await value in rows.decode(Int64.self) { return value }
        return nil
    }

    /// A region's node serves many schools of one database. PostgreSQL wakes
    /// every session of a database that listens, on any channel, at each
    /// commit that notifies, and every session is a server process: the
    /// node's schools share its connections and one listening session, and
    /// each school's subscriptions still hear that school's commits in time.
    @Test func aNodeServingManySchoolsHoldsTwoSessionsAndEachSchoolHearsItsOwnCommits() async throws {
        let server = try TestPostgres.location(ledger: "unused")
        var region = server
        region.database = "region_" + UUID().uuidString.prefix(8).lowercased()
        try await Self.runSQL("CREATE DATABASE \(region.database)", at: server)
        let names = (0..<12).map { Self.uniqueName("school-\($0)") }
        let directories = names.map { _ in TemporaryDirectory() }
        var options = EventLedger.Options()
        options.pollInterval = .seconds(600)
        let schools = try zip(names, directories).map { name, dir in
            var location = region
            location.ledger = name
            return try EventLedger.open(storage: PostgresLogStorage(location), readModels: dir.path, options: options)
        }
        for school in schools.indices where school % 2 == 0 { _ = try await schools[school].append(Fixture.event()) }
        let sessions = try await Self.integer(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(region.database)'", at: server)
        let listening = try await Self.integer(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(region.database)' AND application_name = 'eventledger listener (pid \(getpid()))'",
            at: server)
        #expect(sessions == 2 && listening == 1)
        // Another node's commits to two of the schools wake those schools' subscriptions.
        let received = Task {
            try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
                for school in [3, 7] {
                    group.addTask {
                        for try await event in schools[school].subscribe(from: 1) { return (school, event.position) }
                        return (school, 0)
                    }
                }
                var heard = [Int: UInt64]()
                for try await (school, position) in group { heard[school] = position }
                return heard
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        for school in [3, 7] {
            let dir = TemporaryDirectory("other-node")
            let node = try ChildProcess(
                "LedgerTestChild", [dir.path, "count", "1"],
                environment: [
                    "SCHOOLLEDGER_TEST_POSTGRES": "postgres://\(region.user)@\(region.host):\(region.port)/\(region.database)",
                    "LEDGER_CHILD_POSTGRES_LEDGER": names[school],
                ])
            while !node.hasExited { try await Task.sleep(for: .milliseconds(20)) }
            #expect(node.output.hasPrefix("ACK 1 "), "\(node.errorOutput)")
        }
        let deadline = Task {
            try await Task.sleep(for: .seconds(20))
            received.cancel()
        }
        let heard = try await received.value
        deadline.cancel()
        #expect(heard == [3: 1, 7: 1])
        #expect(try schools[1].head().position == 0 && schools[2].head().position == 1)
    }

    /// A database an earlier version made has the tables but not the
    /// functions this version calls: a node of this version opening one of
    /// its ledgers (without creating anything) adds them, and appends.
    @Test func aDatabaseAnEarlierVersionMadeGainsTheFunctionsWhenOpened() async throws {
        let server = try TestPostgres.location(ledger: "unused")
        var location = server
        location.database = "earlier_" + UUID().uuidString.prefix(8).lowercased()
        location.ledger = "school"
        try await Self.runSQL("CREATE DATABASE \(location.database)", at: server)
        let dir = TemporaryDirectory(), other = TemporaryDirectory()
        _ = try await EventLedger.open(storage: PostgresLogStorage(location), readModels: dir.path).append(Fixture.event("s"))
        try await Self.runSQL("DROP FUNCTION eventledger.write_records", at: location)
        try await Self.runSQL("DROP FUNCTION eventledger.look_up", at: location)
        let node = try EventLedger.open(storage: PostgresLogStorage(location, create: false), readModels: other.path)
        let appended = try await node.append(Fixture.event("s"))
        #expect(appended.positions == [2])
        #expect(try node.streamVersion("s") == 2 && node.verify().isIntact)
    }

    @Test func aStatementTheServerRefusesAtCommitCommitsNothingAndNamesTheServersReason() async throws {
        // The records go out with COMMIT right behind them: a refusal of the
        // records' statement must still be the error, with nothing committed.
        let dir = TemporaryDirectory()
        let location = try TestPostgres.location(ledger: Self.uniqueName("refused-at-commit"))
        let ledger = try EventLedger.open(storage: PostgresLogStorage(location), readModels: dir.path)
        _ = try await ledger.append([Fixture.event("s"), Fixture.event("s")])
        let before = try ledger.head()
        // Another program took the stream's next version in the index.
        try await Self.runSQL(
            """
            INSERT INTO eventledger.stream_positions (ledger, stream, version, position)
            SELECT id, 's'::bytea, 3, 999 FROM eventledger.ledgers WHERE name = '\(location.ledger)'
            """, at: location)
        let refusal = await #expect(throws: LedgerError.self) { _ = try await ledger.append(Fixture.event("s")) }
        #expect(refusal?.code == .storage)
        #expect(refusal.map { "\($0)".contains("23505") } == true)
        #expect(try ledger.head() == before)
        #expect(try ledger.verify().isIntact)
        // With the stray row gone, the same append goes through on the same connections.
        try await Self.runSQL("DELETE FROM eventledger.stream_positions WHERE position = 999", at: location)
        _ = try await ledger.append(Fixture.event("s"))
        #expect(try ledger.head().position == before.position + 1)
        #expect(try ledger.streamVersion("s") == 3)
    }

    @Test func aNodeWhoseLastKnownTailIsStaleAppendsAfterTheOtherNodesRecords() async throws {
        // Each node builds an append on the tail it last committed, unasked;
        // when another node wrote since, the append runs again under the lock.
        let location = try TestPostgres.location(ledger: Self.uniqueName("stale-tail"))
        let first = TemporaryDirectory(), second = TemporaryDirectory()
        let a = try EventLedger.open(storage: PostgresLogStorage(location), readModels: first.path)
        let b = try EventLedger.open(storage: PostgresLogStorage(location, create: false), readModels: second.path)
        var positions = [UInt64]()
        for round in 0..<5 {
            positions += try await a.append(Fixture.event("s", payload: "a\(round)")).positions
            positions += try await b.append([Fixture.event("s", payload: "b\(round)"), Fixture.event("t")]).positions
        }
        #expect(positions == Array(1...15))
        #expect(try a.streamVersion("s") == 10 && b.streamVersion("t") == 5)
        #expect(try a.head() == (try b.head()))
        #expect(try a.verify().isIntact)
        // An expected version judged on a stale tail is judged again on the real one.
        await #expect(throws: LedgerError.self) {
            _ = try await a.append([Fixture.event("s")], expecting: ["s": .exactly(9)])
        }
        #expect(try await a.append([Fixture.event("s")], expecting: ["s": .exactly(10)]).positions == [16])
    }

    @Test func nodesWithAnAppendRuleAlternatingOnOneLedgerJudgeEveryRecordOnce() async throws {
        // The rule reads the log, so its appends take the lock before judging:
        // a node whose last known tail is stale finds out there and writes again, locked.
        let location = try TestPostgres.location(ledger: Self.uniqueName("rule-nodes"))
        let first = TemporaryDirectory(), second = TemporaryDirectory()
        let a = try EventLedger.open(storage: PostgresLogStorage(location), readModels: first.path)
        let b = try EventLedger.open(storage: PostgresLogStorage(location, create: false), readModels: second.path)
        let judged = Mutex<[UInt64]>([])
        for node in [a, b] {
            node.setAppendRule { _, unjudged in
                judged.withLock { $0 += Array(unjudged) }
                return []
            }
        }
        for round in 0..<6 {
            _ = try await a.append(Fixture.event("s", payload: "a\(round)"))
            _ = try await b.append([Fixture.event("s", payload: "b\(round)"), Fixture.event("t")])
        }
        #expect(try a.head().position == 18)
        #expect(try a.appendRuleCheckpoint() == 18 && b.appendRuleCheckpoint() == 18)
        // Each record was judged in the attempt that committed it (a stale attempt
        // judged before its retry; the retry judges the same records again).
        #expect(Set(judged.withLock { $0 }) == Set(1...18))
        #expect(try a.verify().isIntact)
    }

    @Test func aSubscriptionSeesAnotherNodesCommitWithoutPolling() async throws {
        let location = try TestPostgres.location(ledger: Self.uniqueName("notify"))
        let first = TemporaryDirectory(), second = TemporaryDirectory()
        // Polling every ten minutes: only the server's NOTIFY can wake the subscription in time.
        var options = EventLedger.Options()
        options.pollInterval = .seconds(600)
        let watcher = try EventLedger.open(storage: PostgresLogStorage(location), readModels: first.path, options: options)
        let writer = try EventLedger.open(storage: PostgresLogStorage(location), readModels: second.path)
        _ = try await writer.append(Fixture.event())
        let received = Task {
            var positions = [UInt64]()
            for try await event in watcher.subscribe(from: 1) {
                positions.append(event.position)
                if positions.count == 3 { break }
            }
            return positions
        }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await writer.append(Fixture.event())
        _ = try await writer.append(Fixture.event())
        let deadline = Task {
            try await Task.sleep(for: .seconds(20))
            received.cancel()
        }
        let positions = try await received.value
        deadline.cancel()
        #expect(positions == [1, 2, 3])
    }
}
