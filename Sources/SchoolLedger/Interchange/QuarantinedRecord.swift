package import EventLedger

/// A record of the log that the school domain cannot decode: a payload that
/// is not a `schoolledger.v1` envelope, an unknown event, or a type or stream
/// that disagrees with its payload.
///
/// The journal's rule refuses such an event at append; one appended without
/// the rule (a plain `EventLedger`, another program) is quarantined: every
/// read, read model, rebuild and report skips it, the journal index records
/// that it did, `verify` and `projections` name it, and `export` writes it
/// raw with its type. It stays in the hash chain.
public struct QuarantinedRecord: Sendable, Equatable, Codable {
    /// Its position.
    public var position: UInt64
    /// Its stored type.
    public var type: String
    /// Its stored stream.
    public var stream: String
    /// Who appended it.
    public var actor: String
    /// Why it cannot be read.
    public var reason: String

    /// The quarantined records of `reader`'s log from `first` through `last`.
    static func find(_ reader: borrowing LedgerReader, from first: UInt64, through last: UInt64) throws -> [QuarantinedRecord] {
        var out = [QuarantinedRecord]()
        try reader.forEach(from: first, through: last) { view in
            if let found = QuarantinedRecord(view) { out.append(found) }
            return true
        }
        return out
    }

    /// The record's quarantine, or `nil` when it decodes.
    init?(_ view: RecordView) {
        do {
            _ = try EventCoding.entry(from: view)
            return nil
        } catch {
            self.init(position: view.position, type: view.type, stream: view.stream, actor: view.actor, reason: "\(error)")
        }
    }

    init(position: UInt64, type: String, stream: String, actor: String, reason: String) {
        self.position = position
        self.type = type
        self.stream = stream
        self.actor = actor
        self.reason = reason
    }
}

extension JournalIndexProjection {
    /// The quarantined records the journal index skipped, as it listed them
    /// (empty when the index was never built on `ledger`).
    public static func quarantinedRecords(in ledger: EventLedger) throws -> [QuarantinedRecord] {
        let name = JournalIndexProjection.journalName
        guard ledger.registeredProjections.contains(name) else { return [] }
        return try ledger.readProjection(name) { reader in
            var out = [QuarantinedRecord]()
            try reader.forEach("quarantined") { key, value in
                let position = UInt64(bigEndianKey: key)
                let parts = String(decoding: value, as: UTF8.self).split(separator: "\u{1F}", maxSplits: 1)
                out.append(
                    QuarantinedRecord(
                        position: position, type: parts.first.map(String.init) ?? "", stream: "", actor: "",
                        reason: parts.count > 1 ? String(parts[1]) : ""))
                return true
            }
            return out
        }
    }
}
