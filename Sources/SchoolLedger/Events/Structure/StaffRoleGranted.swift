/// A staff role is granted to an account (назначение на роль).
///
/// Who may record it: admin; the very first grant (the admin role) is
/// recorded by the account that registered the school. Stream: `school`.
public struct StaffRoleGranted: CatalogEvent {
    /// The staff member's account.
    public var accountID: AccountID
    /// The role granted.
    public var role: StaffRole
    /// The first day the role holds.
    public var effectiveDate: CivilDate

    /// Creates the event.
    public init(accountID: AccountID, role: StaffRole, effectiveDate: CivilDate) {
        self.accountID = accountID
        self.role = role
        self.effectiveDate = effectiveDate
    }

    /// `school`.
    package var stream: String { SchoolStream.school }

    /// Checks the account id.
    package func validate() throws(SchoolValidationError) {
        try Self.check.id(accountID, "account_id")
    }
}
