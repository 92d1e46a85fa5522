import EventLedger

/// A mark as a paper extract prints it.
public struct ExtractMark: Sendable, Hashable, Codable {
    /// The lesson's date.
    public var date: CivilDate
    /// The mark.
    public var value: MarkValue
    /// The weight of the kind of work (1...10).
    public var weight: Int
    /// The kind of work.
    public var workKind: WorkKind
}

/// A final mark (итоговая отметка) of a reporting period that ends within the extract's dates.
public struct ExtractFinalMark: Sendable, Hashable, Codable {
    /// The reporting period.
    public var periodID: ReportingPeriodID
    /// The period's title, e.g. `1 четверть`, when the ledger holds it.
    public var periodTitle: String?
    /// The final mark.
    public var value: MarkValue
}

/// One subject of a paper extract: the marks and their averages.
public struct ExtractSubject: Sendable, Hashable, Codable {
    /// The subject.
    public var subjectID: SubjectID
    /// The marks that count (voided and cancelled ones left out), by date.
    public var marks: [ExtractMark]
    /// Σ(mark × weight) / Σ weight over the numeric marks; `nil` without any.
    public var weightedAverage: Double?
    /// The plain mean of the numeric marks.
    public var plainAverage: Double?
    /// Final marks of reporting periods ending within the extract's dates.
    public var finalMarks: [ExtractFinalMark]
}

/// A lesson the student missed or was late to.
public struct ExtractAbsence: Sendable, Hashable, Codable {
    /// The lesson's date.
    public var date: CivilDate
    /// Its number in the day.
    public var lessonNumber: Int
    /// The subject.
    public var subjectID: SubjectID
    /// Absent (unexcused), absent for a valid reason, or late.
    public var status: AttendanceStatus
}

/// The attendance (посещаемость) part of a paper extract.
public struct ExtractAttendance: Sendable, Hashable, Codable {
    /// Lessons (not cancelled) with the student's attendance recorded.
    public var lessonsRecorded: Int
    /// Lessons missed for a valid reason (по уважительной причине).
    public var absentExcused: Int
    /// Lessons missed without a valid reason (без уважительной причины).
    public var absentUnexcused: Int
    /// Lessons the student was late to.
    public var late: Int
    /// The absences and latenesses, by date.
    public var entries: [ExtractAbsence]
}

/// Homework (домашнее задание) as a paper extract prints it.
public struct ExtractHomework: Sendable, Hashable, Codable {
    /// The date of the lesson it was set in.
    public var date: CivilDate
    /// The subject.
    public var subjectID: SubjectID
    /// What to do.
    public var text: String
    /// When it is due.
    public var dueDate: CivilDate
}

/// Whom the student is taught as within an extract's dates (the class, one
/// of its teaching streams, a study group, or the student on an individual
/// plan) and the teachers who work with it there.
public struct ExtractTeaching: Sendable, Hashable, Codable {
    /// The class, stream, group or student.
    public var target: TeachingTarget
    /// Its name (`7А`, `Английский, группа 1`); `nil` for the student.
    public var name: String?
    /// The class teacher and the subject teachers assigned on at least one
    /// of the extract's dates, the class teacher first.
    public var teachers: [AssignedTeacher]
}

/// A paper extract of a student's diary (выписка из электронного дневника)
/// for a parent who has no internet access or refused the electronic form,
/// with what clause 2 lists: the school, the class, the period, marks by
/// subject with weighted and plain averages, attendance, the timetable with
/// its moves, substitutions and cancellations, tests, the teachers of the
/// class, its streams and the student's groups, holidays, homework and
/// teachers' recommendations, as the read models have them (void operations
/// left out). Print it with ``renderHTML(proofs:)`` or ``renderText(proofs:)``.
public struct PaperExtract: Sendable, Hashable, Codable {
    /// The school's full name (`SchoolRegistered`), if recorded.
    public var schoolName: String?
    /// The student.
    public var studentID: StudentID
    /// The student's name read through the personal-data vault (or the
    /// erased marker); `nil` when none can be read, and the extract shows the
    /// student id.
    public var studentName: String?
    /// The student's class on the last date (or else the first date) of the extract.
    public var classID: ClassID?
    /// The class's name, e.g. `7А`.
    public var className: String?
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// Marks by subject, in subject-id order.
    public var subjects: [ExtractSubject]
    /// Attendance.
    public var attendance: ExtractAttendance
    /// Homework set in the range, by date.
    public var homework: [ExtractHomework]
    /// Tests in the range and in the two weeks after it.
    public var tests: [ScheduledTest]
    /// Teachers' recommendations given in the range.
    public var recommendations: [DiaryRecommendation]
    /// The student's lessons in the range, by date and number, as they
    /// stand: moved (перенос), substituted (замена) and cancelled ones
    /// flagged.
    public var timetable: [TimetableEntry]
    /// Whom the student is taught as in the range, with their teachers: the
    /// class, its teaching streams, the student's study groups, and an
    /// individual plan's teachers.
    public var teaching: [ExtractTeaching]
    /// The holidays (каникулы) overlapping the range, for the student's grade.
    public var holidays: [Holiday]
    /// Subject names by subject id, as the ledger defines them.
    public var subjectNames: [String: String]
    /// The log position the extract reflects.
    public var asOfPosition: UInt64
    /// The records its lines come from, which its proofs cover.
    package var sources = ExtractSources()

    /// The id of the extract of `student` for `parent` covering `covers`:
    /// `S-1/P-1/2026-09-01..2026-09-30` (or `…/Q1` for a period), or, when
    /// that is longer than 64 bytes, `PE-` and a name-based UUID of it. The
    /// same extract always gets the same id.
    public static func extractID(student: StudentID, parent: ParentID, covers: ExtractCoverage) -> ExtractID {
        let readable = "\(student.rawValue)/\(parent.rawValue)/\(coverKey(covers))"
        if readable.utf8.count <= 64 { return ExtractID(readable) }
        return ExtractID("PE-\(EventID.derived(from: "paper-extract-id/\(readable)"))")
    }

    static func coverKey(_ covers: ExtractCoverage) -> String {
        switch covers {
        case .period(let id): id.rawValue
        case .dates(let range): "\(range.start)..\(range.end)"
        }
    }

    /// The subject's name, or its id when the ledger has no name for it.
    public func subjectTitle(_ id: SubjectID) -> String { subjectNames[id.rawValue] ?? id.rawValue }

    /// The student's name when known, else `ученик <id>`.
    var studentTitle: String { studentName ?? "ученик \(studentID.rawValue)" }
}

/// The records a paper extract's lines come from: the streams of its marks,
/// final marks and homework, the lessons whose attendance facts of the
/// student it counts, the lessons of its timetable, and the records of its
/// teachers' assignments and holidays (``SchoolJournal/proofs(of:against:)``).
package struct ExtractSources: Sendable, Hashable, Codable {
    /// `mark/…`, `final-mark/…`, `homework/…`.
    var streams = [String]()
    /// Lessons with the student's attendance recorded.
    var attendanceLessons = [LessonID]()
    /// The timetable's lessons: their scheduling, moves, substitutions,
    /// cancellations and conduct.
    var timetableLessons = [LessonID]()
    /// Single records: the assignments of the teachers and the holidays.
    var records = [UInt64]()
}
