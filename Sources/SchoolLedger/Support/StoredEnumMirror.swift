import SwiftProtobuf

/// A Swift enum that mirrors a proto enum case for case, without the
/// proto's `…_UNSPECIFIED` value and without room for unknown numbers.
protocol StoredEnumMirror: StoredField, CaseIterable, Hashable, Sendable where AllCases == [Self], Stored: SwiftProtobuf.Enum {
    /// The stored value of this case.
    var stored: Stored { get }
}

extension StoredEnumMirror {
    /// The case stored as `stored`, or `nil` for the unspecified value or an unknown number.
    init?(stored: Stored) {
        guard let match = Self.allCases.first(where: { $0.stored == stored }) else { return nil }
        self = match
    }
}
