public import EventLedger

/// One change in a mark's life (the mark's history, история отметки).
public struct MarkChange: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable { case recorded, corrected, cancelled }
    /// What happened.
    public var kind: Kind
    /// The log position of the change.
    public var position: UInt64
    /// When the ledger recorded it.
    public var recordedAt: Instant
    /// Who made it.
    public var actor: AccountID
    /// The value before (nil for the first record).
    public var before: MarkValue?
    /// The value after (nil for a cancellation).
    public var after: MarkValue?
    /// The reason given for a correction or cancellation.
    public var reason: String?
}

/// A mark (отметка) as the journal shows it, with its history.
public struct JournalMark: Sendable, Hashable, Codable {
    /// The mark's id.
    public var markID: MarkID
    /// The student.
    public var studentID: StudentID
    /// The lesson it was given in.
    public var lessonID: LessonID
    /// The subject.
    public var subjectID: SubjectID
    /// The lesson's date (after any move).
    public var date: CivilDate
    /// The current value.
    public var value: MarkValue
    /// The weight of the kind of work (1...10).
    public var weight: Int
    /// The kind of work.
    public var workKind: WorkKind
    /// Whether the mark was cancelled (it then counts nowhere).
    public var isCancelled: Bool
    /// Every change, oldest first.
    public var history: [MarkChange]
}

/// A final mark (итоговая отметка) for a reporting period.
public struct FinalMarkEntry: Sendable, Hashable, Codable {
    /// The final mark's id.
    public var finalMarkID: FinalMarkID
    /// The subject.
    public var subjectID: SubjectID
    /// The reporting period.
    public var periodID: ReportingPeriodID
    /// The current value.
    public var value: MarkValue
}

/// A student's marks in one subject over a date range.
public struct SubjectMarks: Sendable, Hashable, Codable {
    /// The subject.
    public var subjectID: SubjectID
    /// The marks that count (not cancelled), by date.
    public var marks: [JournalMark]
    /// Σ(mark × weight) / Σ weight over numeric marks (средневзвешенный балл); nil without numeric marks.
    public var weightedAverage: Double?
    /// The plain mean of the numeric marks.
    public var plainAverage: Double?
    /// Final marks set for the period asked about.
    public var finalMarks: [FinalMarkEntry]
}

/// A student's marks by subject for a period (отметки ученика).
public struct StudentMarks: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// Per subject, in subject-id order.
    public var subjects: [SubjectMarks]
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}

/// A column of the journal page: one lesson.
public struct JournalLesson: Sendable, Hashable, Codable {
    /// The lesson.
    public var lessonID: LessonID
    /// Its date (after any move).
    public var date: CivilDate
    /// Its number in the day.
    public var lessonNumber: Int
    /// The topic, once conducted.
    public var topic: String?
    /// Whether it was moved from its scheduled date or slot.
    public var isMoved: Bool
    /// The substitute teacher, if one was assigned.
    public var substituteID: AccountID?
}

/// One cell of the journal page: a student in a lesson.
public struct JournalCell: Sendable, Hashable, Codable {
    /// The marks given in the lesson.
    public var marks: [MarkValue]
    /// The attendance fact (`н` for absent), if recorded.
    public var attendance: AttendanceStatus?
}

/// A row of the journal page: one student.
public struct JournalRow: Sendable, Hashable, Codable {
    /// The student.
    public var studentID: StudentID
    /// One cell per lesson column, in column order.
    public var cells: [JournalCell]
    /// The weighted average over the page's marks.
    public var weightedAverage: Double?
}

/// The journal page (страница журнала) of a class or group in a subject for
/// a period: the grid the teacher sees.
public struct JournalPage: Sendable, Hashable, Codable {
    /// The subject.
    public var subjectID: SubjectID
    /// The class, group, teaching stream or individual student taught.
    public var target: String
    /// The first date included.
    public var from: CivilDate
    /// The last date included.
    public var to: CivilDate
    /// The lessons, by date and number.
    public var lessons: [JournalLesson]
    /// The students who were taught on any of those dates, by id.
    public var rows: [JournalRow]
    /// The log position the answer reflects.
    public var asOfPosition: UInt64
}
