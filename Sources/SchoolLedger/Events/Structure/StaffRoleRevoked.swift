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

    /// Reads the stored form; the role and the effective date are required.
    package init(stored: Schoolledger_V1_StaffRoleRevoked, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            accountID: AccountID(stored.accountID), role: try read.enumCase(stored.role, "role"),
            effectiveDate: try read.date(stored.effectiveDate, "effective_date"), reason: stored.reason.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_StaffRoleRevoked {
        var s = Schoolledger_V1_StaffRoleRevoked()
        s.accountID = accountID.rawValue
        s.role = role.stored
        s.effectiveDate = effectiveDate.description
        s.reason = reason ?? ""
        return s
    }

    /// Checks the account id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
