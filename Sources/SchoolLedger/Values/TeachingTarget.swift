/// Whom a subject is taught to (кому преподаётся предмет): one class, one
/// study group, one teaching stream or one student on an individual plan.
///
/// Used by ``TeacherAssigned``, ``LessonScheduled`` and ``TestScheduled``.
///
/// ```swift
/// let target: TeachingTarget = .class("7Б")
/// ```
public enum TeachingTarget: Hashable, Sendable, CustomStringConvertible {
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

extension TeachingTarget: Codable {
    private enum CodingKeys: String, CodingKey {
        case classID = "class_id", groupID = "group_id", streamID = "stream_id", studentID = "student_id"
    }

    /// Encodes the target as its protobuf JSON (`schoolledger.v1.TeachingTarget`)
    /// has it: one key naming the kind, e.g. `{"class_id":"7Б"}` or
    /// `{"stream_id":"TS-10"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .class(let id): try container.encode(id.rawValue, forKey: .classID)
        case .group(let id): try container.encode(id.rawValue, forKey: .groupID)
        case .teachingStream(let id): try container.encode(id.rawValue, forKey: .streamID)
        case .student(let id): try container.encode(id.rawValue, forKey: .studentID)
        }
    }

    /// Decodes the form ``encode(to:)`` writes: exactly one of `class_id`,
    /// `group_id`, `stream_id` and `student_id`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription:
                        "A teaching target has exactly one of class_id, group_id, stream_id and student_id; this one has \(container.allKeys.count)."
                ))
        }
        let id = try container.decode(String.self, forKey: key)
        switch key {
        case .classID: self = .class(ClassID(id))
        case .groupID: self = .group(StudyGroupID(id))
        case .streamID: self = .teachingStream(TeachingStreamID(id))
        case .studentID: self = .student(StudentID(id))
        }
    }
}
