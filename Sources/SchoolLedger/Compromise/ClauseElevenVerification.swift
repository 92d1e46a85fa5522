public import EventLedger

/// What ``SchoolJournal/verifyClauseEleven(_:)`` found: where the voids the
/// log declares (``OperationsVoided`` / ``VoidsLifted``) disagree with what
/// clause 11 derives from the log, and which records are quarantined.
public struct ClauseElevenReport: Sendable, Equatable, Codable {
    /// One place where the declared voids and the rule disagree.
    public struct Finding: Sendable, Equatable, Codable, CustomStringConvertible {
        /// The position the finding is about.
        public var position: UInt64
        /// What is wrong there.
        public var problem: String

        /// `position N: problem`.
        public var description: String { "position \(position): \(problem)" }
    }

    /// Disagreements that hold at the head: the read models honour voids
    /// the rule does not derive, or miss voids it does. `verify` fails on them.
    public var disagreements: [Finding] = []
    /// Derived events the rule did not derive at their place (forged, or
    /// written by a program without the rule) whose effect the rule has
    /// since corrected with events of its own.
    public var corrected: [Finding] = []
    /// Records the school domain cannot decode (skipped by every read).
    public var quarantined: [QuarantinedRecord] = []
    /// Positions judged; the log's head.
    public var checkedThrough: UInt64 = 0

    /// Whether the declared voids equal the rule at the head.
    public var holds: Bool { disagreements.isEmpty }
}

extension SchoolJournal {
    /// Checks the clause-11 invariant on `ledger` (read-only is enough):
    /// after every run of derived events the declared voids equal what the
    /// rule derives from the records before it, and at the head they equal
    /// the rule over the whole log. Names each position where they do not,
    /// and every quarantined record.
    public static func verifyClauseEleven(_ ledger: EventLedger) throws -> ClauseElevenReport {
        try ledger.read { reader in
            var report = ClauseElevenReport()
            var blocks = [ClosedRange<UInt64>]()
            var start: UInt64?
            var last: UInt64 = 0
            try reader.forEach(from: 1, through: .max) { view in
                last = view.position
                let derived = ClauseEleven.derivedTypes.contains(view.type)
                if derived, start == nil { start = view.position }
                if !derived, let s = start {
                    blocks.append(s...(view.position - 1))
                    start = nil
                }
                if let q = QuarantinedRecord(view) { report.quarantined.append(q) }
                if derived, view.actor != Invalidator.actor.rawValue {
                    report.corrected.append(
                        .init(position: view.position, problem: "a \(view.type) appended by \(view.actor), not by the library"))
                }
                return true
            }
            if let s = start { blocks.append(s...last) }
            report.checkedThrough = last
            // The rule's inputs are read once, and the register folded forward
            // block by block: judging every block costs no read of the log.
            let transcript = try ClauseEleven.Transcript(reader)
            var register = CompromiseRegister()
            var compromise = [(position: UInt64, id: EventID, recordedAt: Instant, event: SchoolEvent)]()
            try reader.forEach(inStream: SchoolStream.compromise) { view in
                if let event = EventCoding.decodedEvent(view) {
                    compromise.append((view.position, view.id, view.recordedAt, event))
                }
                return true
            }
            var folded = 0
            var historical = [ClauseElevenReport.Finding]()
            for block in blocks {
                let rule = try transcript.evaluate(through: block.lowerBound - 1)
                while folded < compromise.count, compromise[folded].position <= block.upperBound {
                    let e = compromise[folded]
                    register.apply(e.event, position: e.position, eventID: e.id, recordedAt: e.recordedAt)
                    folded += 1
                }
                let declared = register.allVoided
                let should = Set(rule.voidedBy.keys)
                guard declared != should else { continue }
                let forged = declared.subtracting(should).sorted(), missing = should.subtracting(declared).sorted()
                let range = block.count == 1 ? "\(block.lowerBound)" : "\(block.lowerBound)...\(block.upperBound)"
                historical.append(
                    .init(
                        position: block.lowerBound,
                        problem: "the derived events at \(range) are not what the rule derives there"
                            + (forged.isEmpty
                                ? "" : "; they void \(forged.map(String.init).joined(separator: ", ")), which the rule does not")
                            + (missing.isEmpty
                                ? "" : "; they leave \(missing.map(String.init).joined(separator: ", ")) valid, which the rule voids")))
            }
            let rule = try transcript.evaluate(through: last)
            for e in compromise[folded...] {
                register.apply(e.event, position: e.position, eventID: e.id, recordedAt: e.recordedAt)
            }
            let declared = register.allVoided
            let should = Set(rule.voidedBy.keys)
            for position in declared.subtracting(should).sorted() {
                report.disagreements.append(
                    .init(position: position, problem: "declared void, but clause 11 does not void it (forged or not lifted)"))
            }
            for position in should.subtracting(declared).sorted() {
                let notice = rule.voidedBy[position].map { " (inside the window of the notice at \($0))" } ?? ""
                report.disagreements.append(
                    .init(position: position, problem: "clause 11 voids it\(notice), but no OperationsVoided says so"))
            }
            if report.disagreements.isEmpty {
                report.corrected += historical
            } else {
                report.disagreements += historical
            }
            report.corrected.sort { $0.position < $1.position }
            return report
        }
    }
}
