/// A Swift enum that mirrors a proto enum case for case, without the
/// proto's `…_UNSPECIFIED` value and without room for unknown numbers.
protocol StoredEnumMirror: CaseIterable, Hashable, Sendable where AllCases == [Self] {
    /// The generated (stored) enum.
    associatedtype Stored: StoredEnum
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

/// What a mirror needs of a generated proto enum: its number and its zero
/// (`…_UNSPECIFIED`) value. Not SwiftProtobuf's `Enum` itself: public enums
/// conform to ``StoredField`` through ``StoredEnumMirror``, and the
/// symbol-graph tool that `make docs` and `make api` run cannot read a
/// conformance whose requirements need an internally imported module.
protocol StoredEnum: Equatable {
    /// The enum's number on the wire.
    var rawValue: Int { get }
    /// The zero value.
    init()
}

extension Schoolledger_V1_AccountHolder: StoredEnum {}
extension Schoolledger_V1_AttendanceStatus: StoredEnum {}
extension Schoolledger_V1_CompromiseReporter: StoredEnum {}
extension Schoolledger_V1_CompromisedSecret: StoredEnum {}
extension Schoolledger_V1_CredentialChannel: StoredEnum {}
extension Schoolledger_V1_ExtractReason: StoredEnum {}
extension Schoolledger_V1_NotificationChannel: StoredEnum {}
extension Schoolledger_V1_NotificationTopic: StoredEnum {}
extension Schoolledger_V1_ParentRelation: StoredEnum {}
extension Schoolledger_V1_ParentService: StoredEnum {}
extension Schoolledger_V1_PersonalDataField: StoredEnum {}
extension Schoolledger_V1_ReportingPeriodKind: StoredEnum {}
extension Schoolledger_V1_SignatureAlgorithm: StoredEnum {}
extension Schoolledger_V1_StaffRole: StoredEnum {}
extension Schoolledger_V1_SubmissionMedium: StoredEnum {}
extension Schoolledger_V1_WithdrawalReason: StoredEnum {}
extension Schoolledger_V1_WorkKind: StoredEnum {}
