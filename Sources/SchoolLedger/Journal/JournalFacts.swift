import EventLedger
import Synchronization

/// The decoded records of the streams every rights check reads (the
/// school's own stream with its registration, settings and staff roles;
/// the reader's account; the student's and the parent's streams; the
/// class), kept across checks by position and checked against the record's
/// hash: a stored record never changes, so a check decodes only what was
/// appended since. Voids still apply per check
/// (``JournalFacts/facts(in:reader:)`` skips them before asking). Holds at
/// most ``limit`` records; beyond that, the rest are decoded each time as
/// before.
///
/// The school's stream is also kept whole, as the facts a check made of it
/// (``Whole``), under the hashes of its last record and of the breach
/// register's: the chain hash of a record stands for every record before
/// it, so equal hashes are equal facts, voids included, even for a stream
/// read inside a write that was later rolled back.
final class SharedRecordDecodes: Sendable {
    /// A record decoded, and the hash it had.
    struct Decoded: Sendable {
        var hash: ChainHash
        var entry: RecordedJournalEntry
    }

    /// What a stream's facts depend on: its last record and the register's.
    struct WholeKey: Hashable, Sendable {
        var version: UInt64
        var last: ChainHash?
        var registerVersion: UInt64
        var registerLast: ChainHash?
    }

    /// A stream's facts, voids left out, with its events.
    struct Whole: Sendable {
        var key: WholeKey
        var facts: [JournalFacts.Fact]
        var events: [SchoolEvent]
    }

    private let entries = Mutex<[UInt64: Decoded]>([:])
    private let school = Mutex<Whole?>(nil)
    static let limit = 16_384

    init() {}

    /// The streams whose records are kept.
    static func keeps(_ stream: String) -> Bool {
        stream == SchoolStream.school || ["account/", "student/", "parent/", "class/"].contains { stream.hasPrefix($0) }
    }

    /// The school's stream as a check made it, if it was made under `key`.
    func school(_ key: WholeKey) -> Whole? {
        school.withLock { $0?.key == key ? $0 : nil }
    }

    /// Keeps the school's stream as a check made it.
    func keepSchool(_ whole: Whole) {
        school.withLock { $0 = whole }
    }

    /// The records kept now: one lock for a whole stream's read, not one a
    /// record (many threads check rights at once).
    func kept() -> [UInt64: Decoded] { entries.withLock { $0 } }

    /// Keeps records a check had to decode, while there is room.
    func keep(_ decoded: [UInt64: Decoded]) {
        guard !decoded.isEmpty else { return }
        entries.withLock { entries in
            for (position, record) in decoded where entries.count < Self.limit || entries[position] != nil {
                entries[position] = record
            }
        }
    }
}

/// What the rules and the queries need to know about the school, read from
/// streams on demand: the one fold cache of the library.
///
/// Its ``FoldSource`` is the ledger for the rules (reference rules and
/// rights, kept up to date with the entries of the call being checked) and
/// the journal index for the queries (the `JournalFacts+Queries` extension
/// holds the folds only queries need). A value reads from one source only.
///
/// Each stream is read once (its events decoded and upcast) and its version
/// remembered in ``versionsRead``, so that the append can pin it.
struct JournalFacts {
    /// One event of a stream with who did it; `position` is `nil` for an
    /// entry of the call being checked.
    struct Fact {
        var event: SchoolEvent
        var actor: AccountID
        var position: UInt64?
        var recordedAt: Instant?
        var id: EventID
    }

    private var streams = [String: [Fact]]()
    /// The events of ``streams``, kept beside them: queries ask for a
    /// stream's events many times (a classmate's stream once a lesson).
    private var streamEvents = [String: [SchoolEvent]]()
    /// Lessons as folded, by stream (from the lesson events alone when the
    /// stream was not read whole: attendance not decoded).
    private var lessonFolds = [String: SchoolFolds.Lesson?]()
    /// Marks folded with their history (see `mark(_:index:)`).
    var markFolds = [MarkID: JournalMark?]()
    private(set) var versionsRead = [String: UInt64]()
    /// Staff roles by account and date, worked out from the school's stream
    /// once per call (every entry's rights ask); an entry of the call in that
    /// stream clears them.
    var rolesOn = [AccountID: [CivilDate: Set<StaffRole>]]()
    private var yearsLoaded = false
    private var prefixesListed = [String: [String]]()
    /// Streams with no stored event that entries of this call begin.
    private var streamsBegun = Set<String>()
    private var registerRead: CompromiseRegister?
    /// Whether an entry of this call changed the register (then the
    /// school's stream is not taken from, or left in, ``sharedDecodes``).
    private var registerChangedByCall = false
    /// The school's signature settings, worked out once per call (every
    /// entry asks); an entry of the call in the school's stream clears them.
    var signaturePolicy: SignaturePolicy?
    /// Where the register comes from.
    let compromiseRegister: CompromiseRegisterCache

    /// The records decoded by earlier checks (see ``SharedRecordDecodes``):
    /// the journal's, for the rules; `nil` for a query, which reads the
    /// journal index and decodes for itself.
    let sharedDecodes: SharedRecordDecodes?

    init(compromiseRegister: CompromiseRegisterCache = CompromiseRegisterCache(), sharedDecodes: SharedRecordDecodes? = nil) {
        self.compromiseRegister = compromiseRegister
        self.sharedDecodes = sharedDecodes
    }
    /// The ledger's clock when the check started, for rules about the future.
    var now: Instant? {
        didSet { nowDay = nil }
    }
    /// The school's date at ``now``, once asked (see ``currentDay(reader:)``).
    private var nowDay: CivilDate??
    /// The last stored record's stamp, once asked (see ``lastStamp(reader:)``).
    private var headStamp: Instant??

    /// The last stored record's stamp (`nil`: no record), read once per
    /// check: the reader's snapshot does not move.
    mutating func lastStamp(reader: borrowing LedgerReader) throws -> Instant? {
        if let known = headStamp { return known }
        let stamp = try reader.head().recordedAt
        headStamp = .some(stamp)
        return stamp
    }

    /// The school's date at ``now`` (`nil` without a clock), worked out once
    /// per check: the rights of one call are judged on one today.
    mutating func currentDay(reader: borrowing LedgerReader) throws -> CivilDate? {
        if let known = nowDay { return known }
        let day = try now.map { try today(at: $0, reader: reader) }
        nowDay = .some(day)
        return day
    }

    /// The facts of `stream`: the stored ones that are not voided by a breach
    /// notice (the rules see the school as the read models do), then those of
    /// this call.
    mutating func facts(in stream: String, reader: borrowing some FoldSource & ~Copyable) throws -> [Fact] {
        if let cached = streams[stream] { return cached }
        var wholeKey: SharedRecordDecodes.WholeKey?
        if let sharedDecodes, stream == SchoolStream.school, !registerChangedByCall,
            let key = try reader.wholeKey(ofStream: stream, facts: &self)
        {
            // Read from the ledger: the school's stream as the last check made it, if neither it nor the register has grown.
            if let whole = sharedDecodes.school(key) {
                streams[stream] = whole.facts
                streamEvents[stream] = whole.events
                versionsRead[stream] = whole.key.version
                return whole.facts
            }
            wholeKey = key
        }
        var facts = [Fact]()
        let shared = SharedRecordDecodes.keeps(stream) ? sharedDecodes : nil
        let kept = shared?.kept() ?? [:]
        var decoded = [UInt64: SharedRecordDecodes.Decoded]()
        let version = try reader.forEachCounted(inStream: stream, facts: &self) { view in
            let recorded: RecordedJournalEntry?
            if shared == nil {
                recorded = EventCoding.decodedEntry(view)
            } else if let hit = kept[view.position], hit.hash == view.hash {
                recorded = hit.entry
            } else {
                recorded = EventCoding.decodedEntry(view)
                if let recorded { decoded[view.position] = .init(hash: view.hash, entry: recorded) }
            }
            guard let recorded else { return }
            facts.append(
                Fact(
                    event: recorded.entry.event, actor: recorded.entry.actor, position: recorded.position,
                    recordedAt: recorded.recordedAt, id: recorded.entry.id))
        }
        shared?.keep(decoded)
        streams[stream] = facts
        let events = facts.map(\.event)
        streamEvents[stream] = events
        versionsRead[stream] = version
        if let wholeKey, wholeKey.version == version {
            sharedDecodes?.keepSchool(.init(key: wholeKey, facts: facts, events: events))
        }
        return facts
    }

    /// The register of breach notices (read once, through the journal's
    /// cache; its stream is pinned like any other).
    mutating func register(reader: borrowing LedgerReader) throws -> CompromiseRegister {
        if let registerRead { return registerRead }
        let (register, version) = try compromiseRegister.register(reader)
        versionsRead[SchoolStream.compromise] = version
        registerRead = register
        return register
    }

    /// The version of the breach register's stream the facts hold the register at.
    mutating func registerVersion(reader: borrowing LedgerReader) throws -> UInt64 {
        _ = try register(reader: reader)
        return versionsRead[SchoolStream.compromise] ?? 0
    }

    /// How many events `stream` holds, voided ones included, with those of
    /// this call: 0 only for a stream nothing was ever appended to.
    mutating func rawCount(of stream: String, reader: borrowing LedgerReader) throws -> UInt64 {
        let pending = try facts(in: stream, reader: reader).filter { $0.position == nil }.count
        return (versionsRead[stream] ?? 0) + UInt64(pending)
    }

    /// The events of `stream`: the stored ones, then those of this call.
    mutating func events(in stream: String, reader: borrowing some FoldSource & ~Copyable) throws -> [SchoolEvent] {
        if let cached = streamEvents[stream] { return cached }
        _ = try facts(in: stream, reader: reader)
        return streamEvents[stream] ?? []
    }

    /// The names of the streams that start with `prefix` (`class/`, `student/`, …),
    /// in byte order: the stored ones and those begun by earlier entries of
    /// this call, so one call that links a parent and then issues the
    /// parent's credentials is judged as two calls would be.
    mutating func streamNames(withPrefix prefix: String, reader: borrowing some FoldSource & ~Copyable) throws -> [String] {
        if let cached = prefixesListed[prefix] { return cached }
        var names = [String]()
        try reader.forEachStreamName(withPrefix: prefix) { names.append($0) }
        let begun = streamsBegun.filter { $0.hasPrefix(prefix) }
        if !begun.isEmpty { names = Self.byteOrdered(Set(names).union(begun)) }
        prefixesListed[prefix] = names
        return names
    }

    /// Names in the order the ledger lists streams (their UTF-8 bytes).
    private static func byteOrdered(_ names: Set<String>) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Adds an entry of this call, so later entries of the call see it.
    mutating func apply(_ entry: JournalEntry, reader: borrowing LedgerReader) throws {
        let stream = entry.event.stream
        if try facts(in: stream, reader: reader).isEmpty, !streamsBegun.contains(stream) {
            // A stream this call begins: the listings already made include it from now on.
            streamsBegun.insert(stream)
            for (prefix, names) in prefixesListed where stream.hasPrefix(prefix) {
                prefixesListed[prefix] = Self.byteOrdered(Set(names).union([stream]))
            }
        }
        streams[stream, default: []].append(Fact(event: entry.event, actor: entry.actor, position: nil, recordedAt: nil, id: entry.id))
        streamEvents[stream, default: []].append(entry.event)
        // A lesson is folded again with this entry when asked, if the entry
        // changes it (a roll-call fact or a mark in its stream does not).
        if SchoolFolds.changesLesson(entry.event) { lessonFolds[stream] = nil }
        if stream == SchoolStream.school {
            rolesOn = [:]
            signaturePolicy = nil
        }
        if stream == SchoolStream.compromise {
            // Later entries of the call see this notice or withdrawal (position 0: not appended yet).
            var register = try register(reader: reader)
            register.apply(entry.event, position: 0, eventID: entry.id, recordedAt: now ?? .epoch)
            registerRead = register
            registerChangedByCall = true
        }
    }

    /// Every academic year's events (the year, its periods and holidays).
    mutating func yearEvents(reader: borrowing some FoldSource & ~Copyable) throws -> [SchoolEvent] {
        if !yearsLoaded {
            for name in try streamNames(withPrefix: "year/", reader: reader) { _ = try events(in: name, reader: reader) }
            yearsLoaded = true
        }
        return streamEvents.filter { $0.key.hasPrefix("year/") }.values.flatMap { $0 }
    }

    // MARK: Folds (see SchoolFolds)

    /// The lesson as it stands (moved, substituted, cancelled), from its
    /// stream; when the stream was not read whole, only its lesson events
    /// are decoded (not the attendance beside them).
    mutating func lesson(_ id: LessonID, reader: borrowing some FoldSource & ~Copyable) throws -> SchoolFolds.Lesson? {
        let stream = SchoolStream.lesson(id)
        if let folded = lessonFolds[stream] { return folded }
        if let whole = streamEvents[stream] {
            let lesson = SchoolFolds.lesson(whole)
            lessonFolds[stream] = lesson
            return lesson
        }
        var events = [SchoolEvent]()
        let version = try reader.forEachCounted(inStream: stream, facts: &self) { view in
            let type = view.typeBytes
            if SchoolFolds.isLessonEventType(type), let event = EventCoding.decodedEvent(view) {
                events.append(event)
            }
        }
        versionsRead[stream] = version
        let lesson = SchoolFolds.lesson(events)
        lessonFolds[stream] = lesson
        return lesson
    }

    /// Whether the student was ever enrolled.
    mutating func studentExists(_ id: StudentID, reader: borrowing some FoldSource & ~Copyable) throws -> Bool {
        SchoolFolds.isEnrolled(try events(in: SchoolStream.student(id), reader: reader))
    }

    mutating func classOf(_ id: StudentID, on date: CivilDate, reader: borrowing some FoldSource & ~Copyable) throws -> ClassID? {
        SchoolFolds.classOf(try events(in: SchoolStream.student(id), reader: reader), on: date)
    }

    mutating func members(of group: StudyGroupID, on date: CivilDate, reader: borrowing some FoldSource & ~Copyable) throws -> Set<
        StudentID
    > {
        SchoolFolds.members(try events(in: SchoolStream.group(group), reader: reader), on: date)
    }

    /// The classes of a study group or teaching stream, or the class itself.
    mutating func classes(of target: TeachingTarget, on date: CivilDate, reader: borrowing some FoldSource & ~Copyable) throws -> [ClassID]
    {
        switch target {
        case .class(let id): return [id]
        case .group(let id): return SchoolFolds.classes(ofFormation: try events(in: SchoolStream.group(id), reader: reader))
        case .teachingStream(let id):
            return SchoolFolds.classes(ofFormation: try events(in: SchoolStream.teachingStream(id), reader: reader))
        case .student(let id): return try classOf(id, on: date, reader: reader).map { [$0] } ?? []
        }
    }

    /// Whether `target` names something the ledger knows.
    mutating func exists(_ target: TeachingTarget, reader: borrowing some FoldSource & ~Copyable) throws -> Bool {
        switch target {
        case .class(let id): return try !events(in: SchoolStream.class(id), reader: reader).isEmpty
        case .group(let id): return try !events(in: SchoolStream.group(id), reader: reader).isEmpty
        case .teachingStream(let id): return try !events(in: SchoolStream.teachingStream(id), reader: reader).isEmpty
        case .student(let id): return try studentExists(id, reader: reader)
        }
    }

    mutating func gradeLevel(of id: ClassID, reader: borrowing some FoldSource & ~Copyable) throws -> Int? {
        SchoolFolds.gradeLevel(try events(in: SchoolStream.class(id), reader: reader))
    }
}
