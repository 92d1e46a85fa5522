/// A participant's electronic-signature key is revoked (отзыв ключа
/// электронной подписи): it signs nothing appended after this event.
///
/// Who may record it: the participant themself, admin or support. Stream:
/// `account/<accountID>`.
public struct SignatureKeyRevoked: CatalogEvent {
    /// The account whose key it is, 1...64 bytes.
    public var accountID: AccountID
    /// The revoked key's id (``SignatureKeyRegistered/keyID``).
    public var keyID: String
    /// Why (причина), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(accountID: AccountID, keyID: String, reason: String? = nil) {
        self.accountID = accountID
        self.keyID = keyID
        self.reason = reason
    }

    /// `account/<accountID>`.
    package var stream: String { SchoolStream.account(accountID) }

    /// Checks the account id, the key id's form (32 lower-case hex digits)
    /// and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.require(
            keyID.utf8.count == 32 && keyID.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }, "key_id", keyID,
            "must be a key id: 32 lower-case hex digits (SignatureKeyRegistered.key_id)")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
