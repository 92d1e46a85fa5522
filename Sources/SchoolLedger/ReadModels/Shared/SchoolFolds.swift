/// Folds of one stream's events into what the school knows of one thing: a
/// lesson, a student's class, a study group's members. Pure functions, shared
/// by the reference rules (over the ledger as it is) and the queries (over
/// the events a read model keeps, without voided ones).
enum SchoolFolds {
    /// A lesson as scheduled, with its moves, cancellation, substitutions and topic applied.
    struct Lesson: Sendable, Equatable {
        var lessonID: LessonID
        var subjectID: SubjectID
        var target: TeachingTarget
        var teacherID: AccountID
        var date: CivilDate
        var lessonNumber: Int
        var scheduledDate: CivilDate
        var scheduledNumber: Int
        var isCancelled = false
        var substituteID: AccountID?
        var topic: String?

        var isMoved: Bool { date != scheduledDate || lessonNumber != scheduledNumber }
    }

    /// The event types ``lesson(_:)`` reads: a query decodes only these of a
    /// lesson's stream (not its roll call, 25 facts a lesson).
    static let lessonEventTypes = [
        "LessonScheduled", "LessonRescheduled", "LessonCancelled", "SubstitutionAssigned",
        "SubstitutionCancelled", "LessonConducted",
    ]

    /// ``lessonEventTypes`` as bytes, to match a record's type without a `String`.
    static let lessonEventTypeBytes = lessonEventTypes.map { Array($0.utf8) }

    /// Whether a record's type (its bytes) is one of ``lessonEventTypes``.
    static func isLessonEventType(_ type: some Sequence<UInt8>) -> Bool {
        lessonEventTypeBytes.contains { type.elementsEqual($0) }
    }

    /// Whether `event` is one of ``lessonEventTypes``: one that changes its lesson's fold.
    static func changesLesson(_ event: SchoolEvent) -> Bool {
        switch event {
        case .lessonScheduled, .lessonRescheduled, .lessonCancelled, .substitutionAssigned, .substitutionCancelled, .lessonConducted: true
        default: false
        }
    }

    static func lesson(_ events: [SchoolEvent]) -> Lesson? {
        var lesson: Lesson?
        for event in events {
            switch event {
            case .lessonScheduled(let e):
                lesson = Lesson(
                    lessonID: e.lessonID, subjectID: e.subjectID, target: e.target, teacherID: e.teacherID, date: e.date,
                    lessonNumber: e.lessonNumber, scheduledDate: e.date, scheduledNumber: e.lessonNumber)
            case .lessonRescheduled(let e):
                lesson?.date = e.newDate
                lesson?.lessonNumber = e.newLessonNumber
            case .lessonCancelled:
                lesson?.isCancelled = true
            case .substitutionAssigned(let e):
                lesson?.substituteID = e.substituteTeacherID
            case .substitutionCancelled:
                lesson?.substituteID = nil
            case .lessonConducted(let e):
                lesson?.topic = e.topic
            default:
                break
            }
        }
        return lesson
    }

    /// A change of a student's class: enrolment, transfer (to the class) or withdrawal (`nil`).
    struct ClassChange: Sendable, Equatable {
        var date: CivilDate
        var classID: ClassID?
    }

    /// The student's class changes, by effective date; of two on one day the
    /// later recorded comes last.
    static func classChanges(_ events: [SchoolEvent]) -> [ClassChange] {
        var changes = [(change: ClassChange, order: Int)]()
        for (n, event) in events.enumerated() {
            switch event {
            case .studentEnrolled(let e): changes.append((ClassChange(date: e.enrollmentDate, classID: e.classID), n))
            case .studentTransferred(let e): changes.append((ClassChange(date: e.effectiveDate, classID: e.toClassID), n))
            case .studentWithdrawn(let e): changes.append((ClassChange(date: e.effectiveDate, classID: nil), n))
            default: break
            }
        }
        return changes.sorted { ($0.change.date, $0.order) < ($1.change.date, $1.order) }.map(\.change)
    }

    /// The class on `date` after `changes` (in the order ``classChanges(_:)`` gives).
    static func classOf(_ changes: [ClassChange], on date: CivilDate) -> ClassID? {
        changes.last { $0.date <= date }?.classID
    }

    /// The student's class on `date`, by the effective dates of enrolment,
    /// transfers and withdrawal; of two changes on one day the later recorded wins.
    static func classOf(_ events: [SchoolEvent], on date: CivilDate) -> ClassID? {
        classOf(classChanges(events), on: date)
    }

    /// Whether the events hold an enrolment.
    static func isEnrolled(_ events: [SchoolEvent]) -> Bool {
        events.contains { if case .studentEnrolled = $0 { true } else { false } }
    }

    /// A change of a study group's members: its forming (which starts the
    /// list afresh) or a change of membership.
    struct MembershipChange: Sendable, Equatable {
        var date: CivilDate
        var startsAfresh: Bool
        var added: [StudentID]
        var removed: [StudentID]
    }

    /// The group's membership changes, by effective date; of two on one day
    /// the later recorded comes last.
    static func membershipChanges(_ events: [SchoolEvent]) -> [MembershipChange] {
        var changes = [(change: MembershipChange, order: Int)]()
        for (n, event) in events.enumerated() {
            switch event {
            case .studyGroupFormed(let e):
                changes.append((MembershipChange(date: e.effectiveDate, startsAfresh: true, added: e.studentIDs, removed: []), n))
            case .studyGroupMembershipChanged(let e):
                changes.append(
                    (
                        MembershipChange(
                            date: e.effectiveDate, startsAfresh: false, added: e.addedStudentIDs, removed: e.removedStudentIDs), n
                    ))
            default: break
            }
        }
        return changes.sorted { ($0.change.date, $0.order) < ($1.change.date, $1.order) }.map(\.change)
    }

    /// The members on `date` after `changes` (in the order ``membershipChanges(_:)`` gives).
    static func members(_ changes: [MembershipChange], on date: CivilDate) -> Set<StudentID> {
        var members = Set<StudentID>()
        for change in changes where change.date <= date {
            if change.startsAfresh { members = [] }
            members.formUnion(change.added)
            members.subtract(change.removed)
        }
        return members
    }

    /// A study group's members on `date`.
    static func members(_ events: [SchoolEvent], on date: CivilDate) -> Set<StudentID> {
        members(membershipChanges(events), on: date)
    }

    /// The classes a study group or teaching stream is formed from.
    static func classes(ofFormation events: [SchoolEvent]) -> [ClassID] {
        for event in events {
            if case .studyGroupFormed(let e) = event { return e.classIDs }
            if case .streamFormed(let e) = event { return e.classIDs }
        }
        return []
    }

    /// The grade level (parallel) a class was formed with.
    static func gradeLevel(_ events: [SchoolEvent]) -> Int? {
        for case .classFormed(let e) in events { return e.gradeLevel }
        return nil
    }

    /// What a parent registered for one child: consent to electronic
    /// delivery or refusal of the electronic form, the latest of
    /// ``ConsentGiven``, ``ConsentWithdrawn`` and ``ElectronicFormRefused`` wins.
    struct Consent: Sendable, Equatable {
        var given = false
        var refused = false
        /// The parent may see the child's diary electronically.
        var allowsElectronicAccess: Bool { given && !refused }
    }

    /// A parent's consent per child, from the parent's stream.
    static func consent(_ events: [SchoolEvent]) -> [StudentID: Consent] {
        var consent = [StudentID: Consent]()
        for event in events {
            switch event {
            case .consentGiven(let e): consent[e.studentID] = Consent(given: true, refused: false)
            case .consentWithdrawn(let e): consent[e.studentID] = Consent(given: false, refused: consent[e.studentID]?.refused ?? false)
            case .electronicFormRefused(let e): consent[e.studentID] = Consent(given: false, refused: true)
            default: break
            }
        }
        return consent
    }
}
