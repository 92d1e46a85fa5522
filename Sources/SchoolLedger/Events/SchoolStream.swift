/// The names of the event streams the school's events are appended to,
/// `"<kind>/<id>"` (see ``SchoolEvent`` for which event goes where).
///
/// ```swift
/// SchoolStream.student("S-1001")   // "student/S-1001"
/// SchoolStream.school              // "school"
/// ```
///
/// A stream is the ledger's unit of ordering and of optimistic concurrency
/// (an append may expect a stream's version); it is not a teaching stream
/// (учебный поток), whose events go to ``teachingStream(_:)``.
public enum SchoolStream {
    /// `school`: the school itself, its settings and its staff roles.
    public static let school = "school"
    /// `compromise`: the register of credential-breach notices and the invalidator's voids.
    public static let compromise = "compromise"

    /// `year/<id>`: an academic year, its reporting periods and holidays.
    public static func year(_ id: AcademicYearID) -> String { "year/\(id.rawValue)" }
    /// `subject/<id>`: a subject.
    public static func subject(_ id: SubjectID) -> String { "subject/\(id.rawValue)" }
    /// `class/<id>`: a class, its class teacher and the teachers assigned to it.
    public static func `class`(_ id: ClassID) -> String { "class/\(id.rawValue)" }
    /// `group/<id>`: a study group, its list and its teachers.
    public static func group(_ id: StudyGroupID) -> String { "group/\(id.rawValue)" }
    /// `teaching-stream/<id>`: a teaching stream (учебный поток) and its teachers.
    public static func teachingStream(_ id: TeachingStreamID) -> String { "teaching-stream/\(id.rawValue)" }
    /// `student/<id>`: a student's enrolment, data, moves, plan, parents,
    /// individual teachers, recommendations and paper extracts.
    public static func student(_ id: StudentID) -> String { "student/\(id.rawValue)" }
    /// `parent/<id>`: a parent's consent, refusal, preferences, being informed and acknowledgements.
    public static func parent(_ id: ParentID) -> String { "parent/\(id.rawValue)" }
    /// `account/<id>`: an account's credentials.
    public static func account(_ id: AccountID) -> String { "account/\(id.rawValue)" }
    /// `lesson/<id>`: a lesson, its moves, cancellation, substitutions, conduct and attendance.
    public static func lesson(_ id: LessonID) -> String { "lesson/\(id.rawValue)" }
    /// `mark/<id>`: a mark, its corrections and its cancellation.
    public static func mark(_ id: MarkID) -> String { "mark/\(id.rawValue)" }
    /// `final-mark/<id>`: a final mark and its corrections.
    public static func finalMark(_ id: FinalMarkID) -> String { "final-mark/\(id.rawValue)" }
    /// `test/<id>`: a scheduled test, its moves and cancellation.
    public static func test(_ id: TestID) -> String { "test/\(id.rawValue)" }
    /// `homework/<id>`: a homework and its amendments.
    public static func homework(_ id: HomeworkID) -> String { "homework/\(id.rawValue)" }
    /// `notification/<id>`: the delivery reports of a notification.
    public static func notification(_ id: NotificationID) -> String { "notification/\(id.rawValue)" }
    /// `personal-data/<id>`: the erasure of a data subject's personal data.
    public static func personalData(_ id: PersonID) -> String { "personal-data/\(id.rawValue)" }
}
