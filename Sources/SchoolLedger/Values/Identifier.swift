/// An opaque identifier of one kind of thing in the school: a student, a
/// lesson, a class, an account.
///
/// Identifiers are the school's own ids (as written in its documents or
/// exported from another system), stored as UTF-8 text of 1...64 bytes with
/// no control characters (``maxBytes``). The `Kind` parameter is a phantom
/// type: it keeps a ``StudentID`` from being passed where a ``ParentID`` is
/// expected, and costs nothing at run time.
///
/// ```swift
/// let student: StudentID = "S-1001"
/// let lesson = LessonID("L-2026-09-01-7B-3")
/// let account: AccountID = "parent-\(n)"  // interpolation works too
/// print(student)               // S-1001
/// let person = PersonID(student) // the same text, as a personal-data subject
/// ```
///
/// Constructing an identifier never fails; an event's `validate()` checks
/// the length and the characters.
public struct Identifier<Kind>: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringInterpolation,
    CustomStringConvertible, Codable
{
    /// The identifier's text.
    public var rawValue: String

    /// The most UTF-8 bytes an identifier may have: 64.
    public static var maxBytes: Int { 64 }

    /// An identifier with the given text.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An identifier with the given text.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// An identifier written as a string literal, e.g. `let s: StudentID = "S-1001"`
    /// (also with interpolation, `"S-\(n)"`).
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// The same text as an identifier of another kind, e.g. a ``StudentID``
    /// as the ``PersonID`` of a personal-data subject.
    public init<Other>(_ other: Identifier<Other>) {
        self.rawValue = other.rawValue
    }

    /// Orders identifiers by their UTF-8 bytes (the order the ledger's keys sort in).
    public static func < (a: Self, b: Self) -> Bool {
        a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8)
    }

    /// The identifier's text.
    public var description: String { rawValue }

    /// Decodes from a JSON string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.rawValue = try container.decode(String.self)
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The phantom kinds that tell identifiers apart; used only as the
/// `Kind` of ``Identifier``.
public enum IdentifierKind {
    /// A school (образовательная организация, ОО).
    public enum School {}
    /// An academic year (учебный год).
    public enum AcademicYear {}
    /// A reporting period (отчётный период): a quarter, trimester, half-year or the year.
    public enum ReportingPeriod {}
    /// A holiday period (каникулы).
    public enum Holiday {}
    /// A subject (учебный предмет).
    public enum Subject {}
    /// A class (класс), e.g. 7Б.
    public enum Class {}
    /// A study group (учебная группа).
    public enum StudyGroup {}
    /// A teaching stream of several classes (учебный поток); not an event stream.
    public enum TeachingStream {}
    /// An individual plan (индивидуальный учебный план).
    public enum IndividualPlan {}
    /// A student (обучающийся).
    public enum Student {}
    /// A parent or other legal representative (родитель, законный представитель).
    public enum Parent {}
    /// An account, the login of a person (учётная запись); staff members are identified by theirs.
    public enum Account {}
    /// A person whose personal data is sealed, or who holds an account: a student, a parent or a staff account.
    public enum Person {}
    /// A lesson in the timetable (урок).
    public enum Lesson {}
    /// A scheduled test (контрольная работа).
    public enum Test {}
    /// A piece of homework (домашнее задание).
    public enum Homework {}
    /// A mark given at a lesson (отметка).
    public enum Mark {}
    /// A final mark for a period or the year (итоговая отметка).
    public enum FinalMark {}
    /// A teacher's recommendation (рекомендация педагога).
    public enum Recommendation {}
    /// A notification in the outbox (уведомление).
    public enum Notification {}
    /// A paper extract of the diary (выписка).
    public enum Extract {}
}

/// A school's id (идентификатор ОО).
public typealias SchoolID = Identifier<IdentifierKind.School>
/// An academic year's id (учебный год).
public typealias AcademicYearID = Identifier<IdentifierKind.AcademicYear>
/// A reporting period's id (отчётный период).
public typealias ReportingPeriodID = Identifier<IdentifierKind.ReportingPeriod>
/// A holiday period's id (каникулы).
public typealias HolidayID = Identifier<IdentifierKind.Holiday>
/// A subject's id (учебный предмет).
public typealias SubjectID = Identifier<IdentifierKind.Subject>
/// A class's id (класс).
public typealias ClassID = Identifier<IdentifierKind.Class>
/// A study group's id (учебная группа).
public typealias StudyGroupID = Identifier<IdentifierKind.StudyGroup>
/// A teaching stream's id (учебный поток); not the name of an event stream.
public typealias TeachingStreamID = Identifier<IdentifierKind.TeachingStream>
/// An individual plan's id (индивидуальный учебный план).
public typealias IndividualPlanID = Identifier<IdentifierKind.IndividualPlan>
/// A student's id (обучающийся); also the subject id of the student's personal data.
public typealias StudentID = Identifier<IdentifierKind.Student>
/// A parent's id (законный представитель); also the subject id of the parent's personal data.
public typealias ParentID = Identifier<IdentifierKind.Parent>
/// An account's id (логин, учётная запись). Staff members (teachers, class
/// teachers, head, deputy head, admin, support) are identified by it; it is
/// the envelope's `actor`.
public typealias AccountID = Identifier<IdentifierKind.Account>
/// A person: a student id, a parent id or a staff account id (субъект персональных данных, владелец учётной записи).
public typealias PersonID = Identifier<IdentifierKind.Person>
/// A lesson's id (урок).
public typealias LessonID = Identifier<IdentifierKind.Lesson>
/// A scheduled test's id (контрольная работа).
public typealias TestID = Identifier<IdentifierKind.Test>
/// A homework's id (домашнее задание).
public typealias HomeworkID = Identifier<IdentifierKind.Homework>
/// A mark's id (отметка).
public typealias MarkID = Identifier<IdentifierKind.Mark>
/// A final mark's id (итоговая отметка).
public typealias FinalMarkID = Identifier<IdentifierKind.FinalMark>
/// A recommendation's id (рекомендация педагога).
public typealias RecommendationID = Identifier<IdentifierKind.Recommendation>
/// A notification's id in the outbox (уведомление).
public typealias NotificationID = Identifier<IdentifierKind.Notification>
/// A paper extract's id (выписка).
public typealias ExtractID = Identifier<IdentifierKind.Extract>

extension Identifier where Kind == IdentifierKind.Account {
    /// The prefix of the library's own actors (`system:invalidator`): no
    /// account with it gets credentials or a role, and no append but the
    /// library's own carries it.
    public static var reservedPrefix: String { "system:" }

    /// Whether this is one of the library's own actors.
    public var isReserved: Bool { rawValue.hasPrefix(Self.reservedPrefix) }
}
