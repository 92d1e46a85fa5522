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

    /// Reads the stored form; the role and the effective date are required.
    package init(stored: Schoolledger_V1_StaffRoleGranted, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            accountID: AccountID(stored.accountID), role: try read.enumCase(stored.role, "role"),
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_StaffRoleGranted {
        var s = Schoolledger_V1_StaffRoleGranted()
        s.accountID = accountID.rawValue
        s.role = role.stored
        s.effectiveDate = effectiveDate.description
        return s
    }

    /// Checks the account id.
    package func validate() throws(SchoolValidationError) {
        try Self.check.id(accountID, "account_id")
    }
}
