/// A participant is told the rules of access when credentials are handed
/// over (clause 9): never to hand the login, the password or the signature
/// key to anyone, and to report a breach at once.
///
/// Recorded at each handover: the class teacher's control list
/// (``AccountSession/accessControlList(ofClass:on:asOf:)``) names the
/// accounts not told since their last issue or reset.
///
/// Who may record it: for a student or parent, the class teacher of the
/// student's class, or support; for a staff account, admin or support.
/// Stream: `account/<accountID>`.
public struct AccessRulesExplained: CatalogEvent {
    /// The account whose holder was told, 1...64 bytes.
    public var accountID: AccountID
    /// The reference of the form the holder signed to confirm it, 1...200
    /// bytes; `nil`: told without a form.
    public var signedFormReference: String?

    /// Creates the event.
    public init(accountID: AccountID, signedFormReference: String? = nil) {
        self.accountID = accountID
        self.signedFormReference = signedFormReference
    }

    /// `account/<accountID>`.
    package var stream: String { SchoolStream.account(accountID) }

    /// Checks the account id and the form's reference (1...200 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.text(signedFormReference, "signed_form_reference", maxBytes: 200)
    }
}
