import EventLedger
import LedgerTestSupport
import SchoolLedger

/// The harness of the read models' property tests: a journal whose log holds
/// whatever random operations give, voids and liftings included.
enum RandomHistory {
    /// A journal in `dir` without the invalidator's rule: a random history
    /// holds voids and liftings at random positions, which the invalidator
    /// alone may append, and the models must follow whatever the log holds.
    static func journal(in dir: TemporaryDirectory, backend: Backend = .lmdb) throws -> SchoolJournal {
        var options = EventLedger.Options()
        options.durability = .relaxed
        let ledger = try backend.open(at: dir.path, options: options)
        let journal = try SchoolJournal.open(
            ledger: ledger, vaultKeys: .file(path: dir.path + ".vault-key", ledgerDirectory: ledger.directory))
        journal.ledger.setAppendRule(nil as AppendRule?)
        return journal
    }

    /// Appends, in batches of `batchSize`, the event `event` makes of each
    /// operation (its index, and how many records precede it), skipping
    /// those that break a field rule; calls `afterBatch` after each full
    /// batch. Returns the last position (0 when nothing was appended).
    static func append(
        _ ops: [(Int, Int, Int)], batchSize: Int, to journal: SchoolJournal,
        event: (_ operation: (Int, Int, Int), _ index: Int, _ appended: UInt64) -> SchoolEvent,
        afterBatch: () throws -> Void = {}
    ) async throws -> UInt64 {
        var appended: UInt64 = 0
        var batch = [NewEvent]()
        for (n, operation) in ops.enumerated() {
            let made = event(operation, n, appended + UInt64(batch.count))
            guard (try? made.validate()) != nil else { continue }
            batch.append(try EventCoding.newEvent(JournalEntry(event: made, actor: "t", occurredAt: Fixture.occurred)))
            if batch.count == batchSize {
                appended = try await journal.ledger.append(batch).lastPosition
                batch = []
                try afterBatch()
            }
        }
        if !batch.isEmpty { appended = try await journal.ledger.append(batch).lastPosition }
        return appended
    }
}

extension RandomHistory {
    /// A breach notice's voids of `positions`, declared after `appended` records.
    static func void(_ positions: [UInt64], appended: UInt64) -> SchoolEvent {
        .operationsVoided(
            OperationsVoided(
                noticeEventID: .generate(), noticePosition: max(1, appended), accountID: "t", voidedPositions: positions,
                window: CompromiseWindow(opensAt: Instant(iso8601: "2026-09-01T00:00:00Z")!)))
    }

    /// The lifting of the void of one earlier position (drawn from `v`), after `appended` records.
    static func lift(_ v: Int, appended: UInt64) -> SchoolEvent {
        let lifted = appended > 0 ? [UInt64(v) % appended + 1] : []
        return .voidsLifted(
            VoidsLifted(
                noticeEventID: .generate(), noticePosition: max(1, appended), withdrawalPosition: max(1, appended) + 1,
                voidsPositions: lifted, liftedPositions: lifted))
    }
}
