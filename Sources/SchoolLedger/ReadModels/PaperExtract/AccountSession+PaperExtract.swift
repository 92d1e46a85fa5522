public import EventLedger

extension AccountSession {
    /// A paper extract of `student`'s diary (clause 2) for the school dates
    /// `from` through `to`, with the student's name opened from the vault.
    public func paperExtract(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> PaperExtract {
        try read(.paperExtract(student), detail: "\(student) \(from)...\(to)", subjects: { _ in [.student(student)] }) {
            try journal.paperExtract(of: student, from: from, to: to, asOf: asOf)
        }
    }
}

extension AccountSession {
    /// Records that a paper extract of `student`'s diary covering `covers`
    /// was handed to `parent` (`PaperExtractIssued`), checked against this
    /// account's rights first (the class teacher of the student's class).
    ///
    /// The extract id and the event id are derived from the student, the
    /// parent and what the extract covers (``PaperExtract/extractID(student:parent:covers:)``),
    /// so recording the same extract again appends nothing and returns the
    /// original position (`wasDuplicate`).
    ///
    /// - Parameters:
    ///   - student: the student whose diary the extract shows.
    ///   - parent: the parent who received it.
    ///   - covers: the dates or the reporting period it covers.
    ///   - reason: why the parent gets paper; `nil` takes the reason
    ///     the parents' view gives today (``ParentChildStatus/paperExtractReason``).
    ///   - occurredAt: when it was handed over.
    /// - Throws: ``AccessDenied`` when this account may not record it;
    ///   ``SchoolValidationError`` when `reason` is `nil` and `parent` is not
    ///   linked to `student` today or needs no paper extract (reads the diary
    ///   electronically), when another account already recorded this
    ///   extract, or when a field breaks its rule. Nothing is appended then.
    @discardableResult
    public func recordPaperExtract(
        student: StudentID, parent: ParentID, covers: ExtractCoverage, reason: ExtractReason? = nil,
        occurredAt: Instant
    ) async throws -> AppendResult {
        let extractID = PaperExtract.extractID(student: student, parent: parent, covers: covers)
        let id = EventID.derived(from: "paper-extract/\(extractID.rawValue)")
        func entry(_ reason: ExtractReason) -> JournalEntry {
            JournalEntry(
                id: id,
                event: .paperExtractIssued(
                    PaperExtractIssued(
                        extractID: extractID, studentID: student, parentID: parent,
                        covers: covers, reason: reason)),
                actor: account, occurredAt: occurredAt)
        }
        // The rights first (the reason does not change them), also for a repeat,
        // which the journal would otherwise answer from the log unchecked.
        let now = journal.ledger.options.clock.now()
        let journal = self.journal
        let (today, original) = try journal.ledger.read { reader -> (CivilDate, RecordedJournalEntry?) in
            var facts = JournalFacts(compromiseRegister: journal.compromiseRegister, sharedDecodes: journal.sharedDecodes)
            facts.now = now
            let today = try facts.today(at: now, reader: reader)
            try AccessPolicy.authorize(entry(reason ?? .noInternet), today: today, facts: &facts, reader: reader)
            guard let position = try reader.position(of: id), let view = try reader.record(at: position) else { return (today, nil) }
            return (today, try EventCoding.entry(from: view))
        }
        if let original {
            guard original.entry.actor == account else {
                throw SchoolValidationError(
                    eventType: PaperExtractIssued.eventType, field: "extract_id", value: extractID.rawValue,
                    rule: "was already recorded as handed over by \(original.entry.actor) at position \(original.position)")
            }
            // The same extract again: resend the original, which the ledger answers with its position.
            return try await journal.record([original.entry])
        }
        if let reason { return try await journal.record([entry(reason)]) }
        let due = try journal.withIndex(.now) { index -> ExtractReason? in
            let folds = JournalFacts()
            guard try folds.parents(of: student, on: today, index: index).contains(parent) else {
                throw SchoolValidationError(
                    eventType: PaperExtractIssued.eventType, field: "parent_id", value: parent.rawValue,
                    rule: "must be a parent linked to \(student) on \(today)")
            }
            return try folds.status(of: parent, children: [student], index: index).children.first?.paperExtractReason
        }
        guard let due else {
            throw SchoolValidationError(
                eventType: PaperExtractIssued.eventType, field: "parent_id", value: parent.rawValue,
                rule:
                    "must be a parent who gets paper extracts for \(student) (refused the electronic form, gave no consent, or has no access); this parent reads the diary electronically"
            )
        }
        return try await journal.record([entry(due)])
    }
}
