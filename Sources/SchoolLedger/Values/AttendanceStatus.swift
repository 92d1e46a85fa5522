/// A student's presence at a lesson (посещаемость).
///
/// Recorded by ``AttendanceMarked`` and changed by ``AttendanceCorrected``.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum AttendanceStatus: Hashable, Sendable, CaseIterable {
    /// Present (присутствовал).
    case present

    /// Absent without a valid reason (отсутствовал без уважительной причины), shown as `н`.
    case absent

    /// Absent for a valid reason (отсутствовал по уважительной причине), shown as `у`.
    case absentExcused

    /// Late (опоздал), shown as `оп`; the event gives the minutes late.
    case late

    /// The Russian the journal shows a parent, with the journal's letter,
    /// e.g. `н — без уважительной причины`.
    public var russianName: String {
        switch self {
        case .present: "присутствовал(а)"
        case .absent: "н — без уважительной причины"
        case .absentExcused: "у — по уважительной причине"
        case .late: "оп — опоздание"
        }
    }
}

extension AttendanceStatus: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_AttendanceStatus

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_AttendanceStatus {
        switch self {
        case .present: .present
        case .absent: .absent
        case .absentExcused: .absentExcused
        case .late: .late
        }
    }
}
