import EventLedger
import Foundation
import GRDB

/// Figure 2's baseline: the same events into SQLite through GRDB, WAL,
/// `synchronous = FULL`, one transaction per batch. The table holds what the
/// ledger's reads need: by position (the rowid), by event id (unique), by
/// stream and version (unique), by actor and recorded time. Stream versions
/// come from an in-memory dictionary, as a careful application would keep.
func grdbAppend(_ events: [NewEvent], batch: Int, dir: String) throws -> Duration {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var config = Configuration()
    config.journalMode = .wal
    config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let queue = try DatabaseQueue(path: dir + "/events.sqlite", configuration: config)
    try queue.write { db in
        try db.execute(sql: """
            CREATE TABLE event (
              position INTEGER PRIMARY KEY, id BLOB NOT NULL, stream TEXT NOT NULL, stream_version INTEGER NOT NULL,
              type TEXT NOT NULL, schema_version INTEGER NOT NULL, actor TEXT NOT NULL, occurred_at INTEGER NOT NULL,
              recorded_at INTEGER NOT NULL, payload BLOB NOT NULL);
            CREATE UNIQUE INDEX event_id ON event(id);
            CREATE UNIQUE INDEX event_stream ON event(stream, stream_version);
            CREATE INDEX event_actor ON event(actor, recorded_at);
            """)
    }
    var versions = [String: Int64]()
    let clock = ContinuousClock()
    let start = clock.now
    var i = 0
    while i < events.count {
        let end = min(i + batch, events.count)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        try queue.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO event (id, stream, stream_version, type, schema_version, actor, occurred_at, recorded_at, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in events[i..<end] {
                let v = (versions[e.stream] ?? 0) + 1
                versions[e.stream] = v
                var id = [UInt8](); id.reserveCapacity(16)
                withUnsafeBytes(of: e.id.high.bigEndian) { id.append(contentsOf: $0) }
                withUnsafeBytes(of: e.id.low.bigEndian) { id.append(contentsOf: $0) }
                try insert.execute(arguments: [Data(id), e.stream, v, e.type, Int64(e.schemaVersion), e.actor,
                                               e.occurredAt.microsecondsSinceEpoch, now, Data(e.payload)])
            }
        }
        i = end
    }
    return clock.now - start
}

/// A SQLite database for a GRDB read model of figure 7 (WAL, GRDB's defaults), in `dir`.
func readModelDatabase(dir: String, file: String) throws -> DatabaseQueue {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var config = Configuration()
    config.journalMode = .wal
    return try DatabaseQueue(path: dir + "/" + file, configuration: config)
}
