/// What the ledger's append rule is asked to judge.
public struct AppendRuleInput: Sendable, Equatable {
    /// Every record the rule has not judged yet, oldest first: the append's
    /// own records and, before them, any appended without the rule (by another
    /// process, an older version of a library, or a plain ``EventLedger``).
    public var unjudged: ClosedRange<UInt64>
    /// The records of the append being made, when the rule runs for one;
    /// `nil` when it catches up with records that are already in the log.
    /// Only these may be refused: a record already in the log is judged, never
    /// refused.
    public var appended: ClosedRange<UInt64>?

    /// An input over `unjudged`, of which `appended` are this append's records.
    public init(unjudged: ClosedRange<UInt64>, appended: ClosedRange<UInt64>?) {
        self.unjudged = unjudged
        self.appended = appended
    }
}

/// A rule that is a property of the ledger, not of the path an event came by:
/// it judges every record once, in the transaction that appends it or, for a
/// record appended without the rule, in the first transaction of a process
/// that has the rule after it (see ``EventLedger/setAppendRule(_:)-(AppendRule?)``).
///
/// The rule derives events (a domain's system events); only the rule appends
/// events of its ``derivedTypes``: an append that carries one is refused, and
/// an import keeps such a line only when it equals what the rule derives at
/// that point.
public struct AppendRule: Sendable {
    /// The event types only the rule appends.
    public var derivedTypes: Set<String>
    /// Reads the log as the transaction sees it and returns the events to
    /// append after the judged records; throws to refuse the append.
    public var derive: @Sendable (borrowing LedgerReader, AppendRuleInput) throws -> [NewEvent]
    /// Actor names only the rule's own events carry (e.g. `system:`): an
    /// append or an imported line of another type with such an actor is
    /// refused, so nobody can act as the library.
    public var reservedActorPrefix: String?

    /// A rule deriving events of `derivedTypes`.
    public init(
        derivedTypes: Set<String>, reservedActorPrefix: String? = nil,
        derive: @escaping @Sendable (borrowing LedgerReader, AppendRuleInput) throws -> [NewEvent]
    ) {
        self.derivedTypes = derivedTypes
        self.reservedActorPrefix = reservedActorPrefix
        self.derive = derive
    }

    /// Throws when `event` claims what only the rule may: a derived type, or
    /// a reserved actor.
    static func refuseClaims(of event: NewEvent, derivedTypes: Set<String>, reservedActorPrefix: String?) throws {
        if derivedTypes.contains(event.type) {
            throw LedgerError.invalid(
                event, field: "type", "is \(event.type), which only the ledger's append rule appends: no append may carry it")
        }
        if let reservedActorPrefix, event.actor.hasPrefix(reservedActorPrefix) {
            throw LedgerError.invalid(
                event, field: "actor",
                "is \(event.actor); names starting with \(reservedActorPrefix) are the library's own: give the account of the person or service that acts"
            )
        }
    }
}

/// The rule as the writer runs it, on one session.
struct InstalledRule: Sendable {
    var derivedTypes: Set<String>
    var reservedActorPrefix: String?
    var run: @Sendable (LedgerSession, AppendRuleInput) throws -> [NewEvent]

    /// Runs the rule, turning an error that is not the ledger's own into
    /// ``LedgerError/Code/appendRuleFailed``.
    func derive(_ session: LedgerSession, _ input: AppendRuleInput) throws -> [NewEvent] {
        do {
            return try run(session, input)
        } catch let error as LedgerError {
            throw error
        } catch {
            let range = input.appended ?? input.unjudged
            throw LedgerError(
                .appendRuleFailed,
                "The ledger's append rule refused positions \(range.lowerBound)...\(range.upperBound): \(error). Nothing was appended.")
        }
    }
}

extension NewEvent {
    /// Whether `other` has the same content as the append rule sees it:
    /// type, stream, actor, schema version and payload (ids and times aside).
    func hasSameContent(as other: NewEvent) -> Bool {
        type == other.type && stream == other.stream && actor == other.actor && schemaVersion == other.schemaVersion
            && payload == other.payload
    }
}
