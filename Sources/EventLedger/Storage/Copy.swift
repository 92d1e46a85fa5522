/// What ``EventLedger/copy(from:batchSize:progress:)`` did.
public struct CopyReport: Sendable, Codable, Equatable {
    /// Records the destination held before, each already the source's own
    /// (a copy resumed after an interruption, or run again).
    public var alreadyPresent: UInt64
    /// Records copied now.
    public var copied: UInt64
    /// The destination's head at the end: the source's at the position the
    /// copy went up to (its head when the copy began).
    public var head: ChainHead
}

extension EventLedger {
    /// Copies `source`'s history into this ledger, on any backend, so that
    /// both have the same records and the same head hash.
    ///
    /// The copy goes up to the source's head when it begins; appends made to
    /// the source meanwhile are left for the next run. It is idempotent and
    /// resumable: it commits `batchSize` records at a time, and a copy that
    /// was interrupted (or already finished) goes on from this ledger's
    /// head, after checking that this head is the source's record at that
    /// position. Each record keeps its id, stream, actor, times and payload,
    /// so its hash, and the chain, are the source's.
    ///
    /// Copy into a ledger opened without an append rule (a plain
    /// `EventLedger`, as `schoolledger copy` opens it). The source's append
    /// rule checkpoint comes with the records: what the source's rule had
    /// judged (its derived events are among the records) counts as judged in
    /// the copy, and a journal opened on the copy judges only the rest, as it
    /// would on the source. The copy's head then stays the source's.
    ///
    /// - Parameters:
    ///   - source: the ledger to copy.
    ///   - batchSize: records per transaction.
    ///   - progress: called after each batch with the last position copied
    ///     and the position the copy goes up to.
    /// - Returns: what was there, what was copied, and the head reached.
    /// - Throws: ``LedgerError`` with ``LedgerError/Code/headMismatch`` when
    ///   this ledger is not a beginning of `source` (another ledger's copy,
    ///   or longer than the source): nothing is written then. The import's
    ///   own errors otherwise; the batches committed before stay, and a new
    ///   run resumes after them.
    public func copy(
        from source: EventLedger, batchSize: Int = 10_000,
        progress: (@Sendable (_ copied: UInt64, _ target: UInt64) -> Void)? = nil
    ) async throws -> CopyReport {
        guard batchSize >= 1 else { throw LedgerError(.invalidEvent, "A copy's batch size is at least 1 (it was \(batchSize)).") }
        let target = try source.head()
        let start = try head()
        guard start.position <= target.position else {
            throw LedgerError(
                .headMismatch,
                "The destination \(directory) holds \(start.position) records, more than the source's \(target.position): it is not a copy of \(source.directory). Copy into a new, empty ledger."
            )
        }
        if start.position > 0 {
            let theirs = try source.read { try $0.record(at: start.position)?.hash }
            guard theirs == start.hash else {
                throw LedgerError(
                    .headMismatch,
                    "The destination's record \(start.position) is not the source's (hash \(start.hash) against \(theirs.map { "\($0)" } ?? "none")): it holds another history than \(source.directory). Copy into a new, empty ledger."
                )
            }
        }
        var next = start.position + 1
        while next <= target.position {
            let last = min(target.position, next + UInt64(batchSize) - 1)
            let batch = try source.events(from: next, through: last).map {
                ImportedEvent(
                    event: NewEvent(
                        id: $0.id, stream: $0.stream, type: $0.type, schemaVersion: $0.schemaVersion, actor: $0.actor,
                        occurredAt: $0.occurredAt, correlationID: $0.correlationID, causationID: $0.causationID, payload: $0.payload),
                    recordedAt: $0.recordedAt)
            }
            let result = try await importEvents {
                var events = batch.makeIterator()
                return { events.next() }
            }
            guard result.appended == batch.count, result.lastPosition == last else {
                throw LedgerError(
                    .headMismatch,
                    "Copying positions \(next)...\(last) appended \(result.appended) of \(batch.count) records and left the destination at \(result.lastPosition): it was written to during the copy. Let nothing else write to a copy's destination, and run the copy again."
                )
            }
            progress?(last, target.position)
            next = last + 1
        }
        let end = try head()
        guard end == target else {
            throw LedgerError(
                .headMismatch,
                "The copy ends at \(end), not at the source's \(target): a record was copied with another hash. Run `verify` on both ledgers."
            )
        }
        let judged = min(try source.appendRuleCheckpoint(), end.position)
        if judged > (try appendRuleCheckpoint()) { try raiseRuleCheckpoint(storage, to: judged) }
        return CopyReport(alreadyPresent: start.position, copied: target.position - start.position, head: end)
    }
}

/// Raises the append rule's checkpoint of `storage` to `position` in a
/// write transaction of its own (never lowers it).
private func raiseRuleCheckpoint<S: LocalLogStorage>(_ storage: S, to position: UInt64) throws {
    try storage.write { session in
        if try storage.ruleCheckpoint(session) < position { try storage.setRuleCheckpoint(session, position) }
    }
}
