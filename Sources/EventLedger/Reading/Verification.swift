/// The outcome of checking the hash chain.
public struct VerificationReport: Sendable, Equatable, Codable {
    /// How many records were checked and found intact.
    public var checkedRecords: UInt64
    /// The head of the intact part of the chain (the whole log when intact).
    public var head: ChainHead
    /// The first position whose record is missing, damaged or does not chain;
    /// `nil` when everything checked holds.
    public var firstBadPosition: UInt64?
    /// What is wrong at ``firstBadPosition``.
    public var problem: String?

    /// Records whose `recordedAt` jumped ahead of the previous record's by
    /// more than ``EventLedger/Options/clockJumpWarning`` (a clock set wrong,
    /// or a long pause such as the summer holidays): reported, not failed.
    public var clockJumps: [ClockJump] = []
    /// The last record's `recordedAt` when it lies after this machine's
    /// clock: every later record would be stamped with it (it never
    /// decreases), so check the clock that wrote it.
    public var recordedInTheFuture: Instant?

    /// Whether the chain holds.
    public var isIntact: Bool { firstBadPosition == nil }
}

/// A record whose `recordedAt` lies far after its predecessor's.
public struct ClockJump: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The record's position.
    public var position: UInt64
    /// The previous record's `recordedAt`.
    public var from: Instant
    /// This record's `recordedAt`.
    public var to: Instant

    /// `position N: from → to`.
    public var description: String { "position \(position): \(from) → \(to)" }
}

extension EventLedger {
    /// Recomputes the hash chain from position 1 to the end and reports the
    /// first position that does not hold: a gap, a record that does not
    /// decode, a hash that does not match its bytes, or a record that does not
    /// name its predecessor's hash.
    ///
    /// - Parameter progress: called every 65,536 records with the position reached.
    /// - Throws: ``LedgerError`` when the storage itself fails (for example LMDB
    ///   reports a damaged page); a damaged record is reported, not thrown.
    public func verify(progress: ((UInt64) -> Void)? = nil) throws -> VerificationReport {
        try read { reader in
            var report = try Self.verifyChain(reader, through: .max, progress: progress, jumpOver: options.clockJumpWarning)
            if let last = report.head.recordedAt, last > options.clock.now() { report.recordedInTheFuture = last }
            return report
        }
    }

    /// Proves that today's log still begins with the history `saved`
    /// summarised: the chain holds up to `saved.position` and the record there
    /// has `saved.hash`.
    ///
    /// A rewritten history fails here even when the rewriter recomputed every
    /// hash after the change, because the hash at the saved position differs.
    public func verify(against saved: ChainHead) throws -> VerificationReport {
        try read { reader in
            var report = try Self.verifyChain(reader, through: saved.position, progress: nil, jumpOver: options.clockJumpWarning)
            guard report.isIntact else { return report }
            if report.head.position < saved.position {
                report.firstBadPosition = report.head.position + 1
                report.problem =
                    "the saved head is at position \(saved.position) but the log ends at \(report.head.position): history was removed"
            } else if report.head.hash != saved.hash {
                report.firstBadPosition = saved.position
                report.problem =
                    "the record at position \(saved.position) has hash \(report.head.hash.hex), the saved head says \(saved.hash.hex): history up to there was rewritten"
            }
            return report
        }
    }

    private static func verifyChain(
        _ reader: borrowing LedgerReader, through last: UInt64,
        progress: ((UInt64) -> Void)?, jumpOver: Duration
    ) throws -> VerificationReport {
        let jump = Int64(jumpOver.components.seconds) * 1_000_000
        var report = VerificationReport(checkedRecords: 0, head: ChainHead(position: 0, hash: .genesis, recordedAt: nil))
        var expected: UInt64 = 1
        var previousHash = ChainHash.genesis.bytes
        var previousRecordedAt = Instant.epoch
        func fail(_ position: UInt64, _ problem: String) {
            report.firstBadPosition = position
            report.problem = problem
        }
        try reader.scanStored(from: 1, through: last) { key, bytes in
            guard key == expected else {
                fail(
                    expected,
                    key < expected
                        ? "a record is stored under the wrong key \(key)" : "position \(expected) is missing (the next record is at \(key))"
                )
                return false
            }
            let view: RecordView
            do {
                view = try RecordView(parsing: bytes, key: key)
            } catch let error as LedgerError {
                fail(key, error.message)
                return false
            }
            if let stored = view.storedPreviousHash, stored.bytes != previousHash {
                fail(key, "it does not name the previous record's hash")
                return false
            }
            guard view.chainHash(after: ChainHash(unchecked: previousHash)).elementsEqual(view.hash.bytes) else {
                fail(key, "its bytes do not match its hash: the record was changed after it was written")
                return false
            }
            guard view.recordedAt >= previousRecordedAt else {
                fail(key, "its recordedAt goes back in time")
                return false
            }
            if key > 1, view.recordedAt.microsecondsSinceEpoch - previousRecordedAt.microsecondsSinceEpoch > jump {
                report.clockJumps.append(ClockJump(position: key, from: previousRecordedAt, to: view.recordedAt))
            }
            previousHash = view.hash.bytes
            previousRecordedAt = view.recordedAt
            report.checkedRecords += 1
            report.head = ChainHead(position: key, hash: view.hash, recordedAt: view.recordedAt)
            expected += 1
            if expected & 0xFFFF == 0 { progress?(key) }
            return true
        }
        return report
    }
}
