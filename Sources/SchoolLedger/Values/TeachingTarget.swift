/// Whom a subject is taught to (кому преподаётся предмет): one class, one
/// study group, one teaching stream or one student on an individual plan.
///
/// Used by ``TeacherAssigned``, ``LessonScheduled`` and ``TestScheduled``.
///
/// ```swift
/// let target: TeachingTarget = .class("7Б")
/// ```
public enum TeachingTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A whole class (класс).
    case `class`(ClassID)
    /// A study group (учебная группа).
    case group(StudyGroupID)
    /// A teaching stream of several classes (учебный поток).
    case teachingStream(TeachingStreamID)
    /// One student on an individual plan (обучающийся по индивидуальному учебному плану).
    case student(StudentID)

    /// The event stream of the target: `class/<id>`, `group/<id>`,
    /// `teaching-stream/<id>` or `student/<id>` (see ``SchoolStream``).
    public var stream: String {
        switch self {
        case .class(let id): SchoolStream.class(id)
        case .group(let id): SchoolStream.group(id)
        case .teachingStream(let id): SchoolStream.teachingStream(id)
        case .student(let id): SchoolStream.student(id)
        }
    }

    /// E.g. `class 7Б`, `group G-1`, `teaching stream TS-10`, `student S-1001`.
    public var description: String {
        switch self {
        case .class(let id): "class \(id)"
        case .group(let id): "group \(id)"
        case .teachingStream(let id): "teaching stream \(id)"
        case .student(let id): "student \(id)"
        }
    }
}

extension TeachingTarget {
    /// The stored form.
    var stored: Schoolledger_V1_TeachingTarget {
        var t = Schoolledger_V1_TeachingTarget()
        switch self {
        case .class(let id): t.classID = id.rawValue
        case .group(let id): t.groupID = id.rawValue
        case .teachingStream(let id): t.streamID = id.rawValue
        case .student(let id): t.studentID = id.rawValue
        }
        return t
    }

    /// The proto field that holds the id, e.g. `class_id`.
    var storedFieldName: String {
        switch self {
        case .class: "class_id"
        case .group: "group_id"
        case .teachingStream: "stream_id"
        case .student: "student_id"
        }
    }

    /// The id's text.
    var idText: String {
        switch self {
        case .class(let id): id.rawValue
        case .group(let id): id.rawValue
        case .teachingStream(let id): id.rawValue
        case .student(let id): id.rawValue
        }
    }
}
