import EventLedger

// The analytical report (аналитический отчёт) of a class or a student for a
// reporting period: what the deputy head gives the class teacher (clause 5).
//
// Everything is read through the journal index as of the time asked for, so
// operations a breach notice voided never count, cancelled marks never
// count, and corrected marks count with their current value.

/// A reporting period as the report names it (отчётный период).
public struct ReportPeriod: Sendable, Hashable, Codable {
    /// The period's id.
    public var periodID: ReportingPeriodID
    /// The academic year it belongs to.
    public var academicYearID: AcademicYearID
    /// Its title, e.g. `1 четверть`.
    public var title: String
    /// Its kind by case name: `quarter`, `trimester`, `halfYear` or `year`.
    public var kind: String
    /// Its number within the year (номер периода).
    public var ordinal: Int
    /// Its first day.
    public var from: CivilDate
    /// Its last day (inclusive).
    public var to: CivilDate

    /// A period as the report names it.
    package init(
        periodID: ReportingPeriodID, academicYearID: AcademicYearID, title: String, kind: String, ordinal: Int,
        from: CivilDate, to: CivilDate
    ) {
        self.periodID = periodID
        self.academicYearID = academicYearID
        self.title = title
        self.kind = kind
        self.ordinal = ordinal
        self.from = from
        self.to = to
    }
}

/// How many marks of each value were given (распределение отметок): the
/// current marks of the period, cancelled ones left out, corrected ones at
/// their current value. Final marks are not included.
public struct MarkDistribution: Sendable, Hashable, Codable {
    /// Marks `5` (отлично).
    public var fives: Int
    /// Marks `4` (хорошо).
    public var fours: Int
    /// Marks `3` (удовлетворительно).
    public var threes: Int
    /// Marks `2` (неудовлетворительно).
    public var twos: Int
    /// Marks `1`.
    public var ones: Int
    /// Non-numeric marks: `зач`, `незач`, `осв` (and `н/а`, which the
    /// journal allows only in final marks).
    public var nonNumeric: Int

    /// A distribution with the counts given (all zero by default).
    package init(fives: Int = 0, fours: Int = 0, threes: Int = 0, twos: Int = 0, ones: Int = 0, nonNumeric: Int = 0) {
        self.fives = fives
        self.fours = fours
        self.threes = threes
        self.twos = twos
        self.ones = ones
        self.nonNumeric = nonNumeric
    }

    /// All the marks counted.
    public var total: Int { fives + fours + threes + twos + ones + nonNumeric }

    mutating func add(_ value: MarkValue) {
        switch value.numericValue {
        case 5: fives += 1
        case 4: fours += 1
        case 3: threes += 1
        case 2: twos += 1
        case 1: ones += 1
        default: nonNumeric += 1
        }
    }
}

/// Attendance (посещаемость) over the lessons of a period.
///
/// The lessons counted are those scheduled in the period (dated in it after
/// any move) and not cancelled. A student is counted in a lesson when taught
/// in it on its date (a member of its class, study group, stream or
/// individual plan that day; in a class report, also in the class that
/// day). The status is the last `AttendanceMarked` / `AttendanceCorrected`
/// of that student in that lesson; a student with no attendance fact counts
/// as present, and a late student (`оп`) is present.
public struct AttendanceSummary: Sendable, Hashable, Codable {
    /// The lessons held: distinct lessons for a subject or a whole report;
    /// for one student, the lessons that student was taught.
    public var lessons: Int
    /// Student-lessons (ученико-уроки): over the lessons, the students taught
    /// in each, summed; the cells of the journal's grid.
    public var studentLessons: Int
    /// Absences for a valid reason (`у`, пропуски по уважительной причине).
    public var absentExcused: Int
    /// Absences without a valid reason (`н`, пропуски без уважительной причины).
    public var absentUnexcused: Int
    /// Lateness (`оп`, опоздания).
    public var late: Int
    /// The attendance rate: `(studentLessons − absentExcused − absentUnexcused) / studentLessons`,
    /// from 0 to 1; `nil` without student-lessons.
    public var attendanceRate: Double?

    /// A summary with the counts given; the rate is computed from them.
    package init(lessons: Int, studentLessons: Int, absentExcused: Int, absentUnexcused: Int, late: Int) {
        self.lessons = lessons
        self.studentLessons = studentLessons
        self.absentExcused = absentExcused
        self.absentUnexcused = absentUnexcused
        self.late = late
        attendanceRate = studentLessons == 0 ? nil : Double(studentLessons - absentExcused - absentUnexcused) / Double(studentLessons)
    }
}

/// Why a student is at risk (в группе риска) in a subject for the period.
public enum RiskReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The weighted average of the period's current marks is below 2.5 (it
    /// would round to 2 with the default thresholds).
    case lowAverage
    /// A final mark of the period is failing: `2`, `1`, `незач` or `н/а`
    /// (``MarkValue/isFailing``).
    case failingFinalMark
    /// Absences without a valid reason are more than 30% of the lessons the
    /// student was taught in the subject.
    case unexcusedAbsences
}

/// A student at risk in a subject (ученик группы риска), with the figures behind it.
public struct StudentAtRisk: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// The subject.
    public var subjectID: SubjectID
    /// Why, in the order of ``RiskReason``'s cases.
    public var reasons: [RiskReason]
    /// The student's weighted average in the subject for the period.
    public var weightedAverage: Double?
    /// The student's failing final marks of the period in the subject.
    public var failingFinalMarks: [MarkValue]
    /// The student's absences without a valid reason in the subject.
    public var absentUnexcused: Int
    /// The lessons the student was taught in the subject.
    public var lessons: Int
}

/// The change against the previous period (динамика): each figure of this
/// period minus the same figure of the previous period (same academic year,
/// same kind, ordinal one less); `nil` where either side has no value.
public struct PeriodChange: Sendable, Hashable, Codable {
    /// The previous period.
    public var previousPeriodID: ReportingPeriodID
    /// Change of the weighted average, in mark points.
    public var weightedAverage: Double?
    /// Change of the plain average, in mark points.
    public var plainAverage: Double?
    /// Change of успеваемость, as a fraction (0.25 = 25 percentage points).
    public var successRate: Double?
    /// Change of качество знаний, as a fraction.
    public var qualityRate: Double?
}

/// The figures of a report for one subject, or for all subjects together
/// (показатели успеваемости).
///
/// Formulas, over the students and marks in the figures' scope (one subject
/// or all of them; a class's students, or one student):
/// - **weighted average** (средневзвешенный балл) = Σ(mark × weight) / Σ weight
///   over the numeric current marks of the period (as ``AccountSession/marks(of:period:from:to:asOf:)``);
///   all the marks of all the students in scope are pooled; `nil` without numeric marks;
/// - **plain average** (средний балл) = Σ mark / number of marks over the same marks;
/// - a student's **marks that count** in a subject are the subject's final
///   marks of the period when any is set (the teacher's verdict for the
///   period replaces the current marks), otherwise the current marks of the
///   period; over all subjects, the union of each subject's marks that count;
/// - a student is **assessed** when they have a mark that counts, and
///   **succeeding** (успевающий) when assessed with no failing mark that
///   counts (`2`, `1`, `незач`, `н/а`; ``MarkValue/isFailing``);
///   **успеваемость** = succeeding / assessed (`nil` when nobody is assessed;
///   students without marks count in neither);
/// - a student is **graded** when a mark that counts is numeric, and **good**
///   (на «4» и «5») when graded and every mark that counts is a `4`, a `5` or
///   a non-failing non-numeric mark (`зач`, `осв`);
///   **качество знаний** = good / graded (`nil` when nobody is graded;
///   students without numeric marks count in neither);
/// - the **distribution** counts the current marks (``MarkDistribution``);
///   attendance is ``AttendanceSummary``; students at risk are those with a
///   ``RiskReason`` in a subject.
public struct ReportFigures: Sendable, Hashable, Codable {
    /// The subject; `nil` for all subjects together (итого).
    public var subjectID: SubjectID?
    /// The students in scope: taught the subject in the period or given a mark in it.
    public var students: Int
    /// Σ(mark × weight) / Σ weight over the numeric current marks.
    public var weightedAverage: Double?
    /// Σ mark / number of marks over the numeric current marks.
    public var plainAverage: Double?
    /// Students with a mark that counts.
    public var assessedStudents: Int
    /// Assessed students with no failing mark that counts.
    public var succeedingStudents: Int
    /// Успеваемость: succeedingStudents / assessedStudents, 0...1.
    public var successRate: Double?
    /// Students with a numeric mark that counts.
    public var gradedStudents: Int
    /// Graded students whose marks that count are all 4s and 5s (or `зач` / `осв`).
    public var goodStudents: Int
    /// Качество знаний: goodStudents / gradedStudents, 0...1.
    public var qualityRate: Double?
    /// The current marks by value.
    public var distribution: MarkDistribution
    /// Lessons, absences and lateness.
    public var attendance: AttendanceSummary
    /// The students at risk, by student then subject.
    public var atRisk: [StudentAtRisk]
    /// The change against the previous period; `nil` when the year defines
    /// no previous period of the same kind.
    public var change: PeriodChange?
}

/// One student's results in one subject for the period.
public struct StudentSubjectResult: Sendable, Hashable, Codable {
    /// The subject.
    public var subjectID: SubjectID
    /// The current marks of the period (not cancelled), by date.
    public var marks: [MarkValue]
    /// The final marks of the period.
    public var finalMarks: [MarkValue]
    /// Σ(mark × weight) / Σ weight over the numeric current marks.
    public var weightedAverage: Double?
    /// Σ mark / number of marks over the numeric current marks.
    public var plainAverage: Double?
    /// Whether no mark that counts is failing; `nil` when no mark counts (see ``ReportFigures``).
    public var isSucceeding: Bool?
    /// Whether all marks that count are 4s and 5s; `nil` without a numeric mark that counts.
    public var hasOnlyGoodMarks: Bool?
    /// The student's attendance in the subject.
    public var attendance: AttendanceSummary
    /// Why the student is at risk in the subject; empty when not.
    public var riskReasons: [RiskReason]
}

/// A row of a class's report: one student over all subjects.
public struct StudentRow: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// Per subject, in subject-id order.
    public var subjects: [StudentSubjectResult]
    /// Σ(mark × weight) / Σ weight over the student's numeric current marks of all subjects.
    public var weightedAverage: Double?
    /// Σ mark / number of marks over the same marks.
    public var plainAverage: Double?
    /// Whether no mark that counts, in any subject, is failing; `nil` when no mark counts.
    public var isSucceeding: Bool?
    /// Whether all marks that count, in all subjects, are 4s and 5s; `nil` without a numeric one.
    public var hasOnlyGoodMarks: Bool?
    /// The student's attendance over all subjects.
    public var attendance: AttendanceSummary
    /// Whether the student is at risk in any subject.
    public var isAtRisk: Bool
}

/// The analytical report of a class for a reporting period (аналитический
/// отчёт по классу).
///
/// The students are the class list over the period: every student in the
/// class on any day of it. The subjects are those with lessons of the class,
/// its study groups or its teaching streams in the period that a student of
/// the class was taught. A student's marks and attendance count for the
/// class in the lessons of those where the student was taught while in the
/// class; final marks of the period count for the subjects the student was
/// taught in the class. See ``ReportFigures`` for the formulas.
public struct ClassReport: Sendable, Hashable, Codable {
    /// The class.
    public var classID: ClassID
    /// The period reported on.
    public var period: ReportPeriod
    /// The previous period (same year, same kind, ordinal one less), if the year defines one.
    public var previousPeriod: ReportPeriod?
    /// The class list over the period, by id.
    public var studentIDs: [StudentID]
    /// Per subject, in subject-id order.
    public var subjects: [ReportFigures]
    /// Per student of the class list, by id.
    public var students: [StudentRow]
    /// All subjects together (итого по классу).
    public var overall: ReportFigures
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}

/// The analytical report of one student for a reporting period
/// (аналитический отчёт по ученику): the class report's figures for that
/// student alone.
///
/// The subjects are those the student was taught in the period (lessons of
/// their class on the day, its teaching streams, their study groups, their
/// individual plan), given a current mark in, or given a final mark of the
/// period in. The marks are the student's as ``AccountSession/marks(of:period:from:to:asOf:)``
/// gives them. See ``ReportFigures`` for the formulas; the shares are 0 or 1 here.
public struct StudentReport: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// The period reported on.
    public var period: ReportPeriod
    /// The previous period (same year, same kind, ordinal one less), if the year defines one.
    public var previousPeriod: ReportPeriod?
    /// Per subject, in subject-id order.
    public var subjects: [ReportFigures]
    /// The student's results per subject, in subject-id order.
    public var results: [StudentSubjectResult]
    /// All subjects together.
    public var overall: ReportFigures
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}
