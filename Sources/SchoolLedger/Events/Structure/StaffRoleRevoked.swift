/// A staff role is revoked from an account (снятие с роли).
///
/// Who may record it: admin. Stream: `school`.
public struct StaffRoleRevoked: CatalogEvent {
    /// The staff member's account.
    public var accountID: AccountID
    /// The role revoked.
    public var role: StaffRole
    /// The first day the account no longer holds it.
    public var effectiveDate: CivilDate
    /// Why (причина), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(accountID: AccountID, role: StaffRole, effectiveDate: CivilDate, reason: String? = nil) {
        self.accountID = accountID
        self.role = role
        self.effectiveDate = effectiveDate
        self.reason = reason
    }

    /// `school`.
    package var stream: String { SchoolStream.school }

    /// Checks the account id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
