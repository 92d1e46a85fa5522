import Foundation
import LedgerLMDB

/// Figures about a ledger for its operators (`schoolledger stats`).
public struct LedgerStatistics: Sendable, Codable {
    /// Events in the log (the last position).
    public var events: UInt64
    /// Distinct streams.
    public var streams: Int
    /// Distinct actors.
    public var actors: Int
    /// The size of `data.mdb` on disk, in bytes.
    public var fileBytes: Int
    /// Bytes in use inside the data file.
    public var usedBytes: Int
    /// The current LMDB map size (the file may grow to this before the map grows).
    public var mapSize: Int
    /// The LMDB page size.
    public var pageSize: Int
    /// Reader slots in use, by any process.
    public var readers: Int
    /// Reader slots available.
    public var maxReaders: Int
    /// The chain head.
    public var head: ChainHead
    /// Entries and bytes of each of the ledger's named databases: the log's
    /// (`ledger.*`), and each registered read model's in its active slot
    /// (`proj.<model>.<database>`, with `~excluded` and, for a model that
    /// keeps history, `~history`).
    public var databases: [String: DatabaseFigures]
    /// The LMDB library in use.
    public var lmdbVersion: String

    /// Entries and bytes of one named database.
    public struct DatabaseFigures: Sendable, Codable {
        /// Key/value pairs.
        public var entries: Int
        /// Bytes of the pages it occupies.
        public var bytes: Int
    }
}

extension EventLedger {
    /// Counts, sizes and reader slots of the ledger.
    public func statistics() throws -> LedgerStatistics {
        let info = storage.readModels.info
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")[.size] as? Int) ?? 0
        // The log's own databases when it is in LMDB; another backend's tables are its own to measure.
        let named: [(String, Database)] =
            (storage as? LMDBLogStorage).map { s in
                [
                    ("ledger.meta", s.meta), ("ledger.log", s.log), ("ledger.event-ids", s.eventIDs), ("ledger.streams", s.streams),
                    ("ledger.actors", s.actors), ("ledger.stream-marks", s.streamCheckpoints), ("ledger.actor-marks", s.actorCheckpoints),
                ]
            } ?? []
        return try read { reader in
            let counts = try reader.counts()
            let head = try reader.head()
            var databases = [String: LedgerStatistics.DatabaseFigures]()
            for (name, db) in named {
                let st = try reader.statistics(db)
                databases[name] = .init(entries: st.entries, bytes: st.bytes)
            }
            // Each registered model's databases in its active slot, its history among them.
            for entry in projections.all {
                let name = entry.projection.name
                let state = try projections.state(reader.session.txn, name) ?? ProjectionRegistry.unbuilt
                let slot = entry.slots[Int(state.activeSlot)]
                var models: [(String, Database)] = slot.handles.map { ($0.key, $0.value) } + [("~excluded", slot.excluded)]
                if let history = slot.history { models.append(("~history", history)) }
                for (db, handle) in models {
                    let st = try reader.statistics(handle)
                    databases["proj.\(name).\(db)"] = .init(entries: st.entries, bytes: st.bytes)
                }
            }
            return LedgerStatistics(
                events: head.position, streams: counts.streams, actors: counts.actors, fileBytes: fileBytes,
                usedBytes: info.usedBytes, mapSize: info.mapSize, pageSize: info.pageSize, readers: info.readers,
                maxReaders: info.maxReaders, head: head, databases: databases, lmdbVersion: Environment.libraryVersion)
        }
    }
}
