#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import SwiftProtobuf

/// An account's credentials are replaced (сброс пароля, перевыпуск
/// реквизитов доступа), e.g. after a breach. Closes any open compromise
/// window of the account (clause 11).
///
/// Who may record it: for a student or parent, the class teacher of the
/// student's class, or support; for a staff account, admin or support.
/// Stream: `account/<accountID>`.
public struct CredentialsReset: CatalogEvent {
    /// The account whose credentials are reset, 1...64 bytes.
    public var accountID: AccountID
    /// How the new credentials were handed over.
    public var channel: CredentialChannel
    /// What is kept of the new one-time activation code; `nil`: no code is stored.
    public var activationCode: ActivationCodeDigest?
    /// Why (причина), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(
        accountID: AccountID, channel: CredentialChannel, activationCode: ActivationCodeDigest? = nil, reason: String? = nil
    ) {
        self.accountID = accountID
        self.channel = channel
        self.activationCode = activationCode
        self.reason = reason
    }

    /// `account/<accountID>`.
    package var stream: String { SchoolStream.account(accountID) }

    /// Reads the stored form; the channel is required, and an activation
    /// code's salt and hash come together.
    package init(stored: Schoolledger_V1_CredentialsReset, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            accountID: AccountID(stored.accountID), channel: try read.enumCase(stored.channel, "channel"),
            activationCode: try read.activationCode(
                salt: stored.activationCodeSalt, hash: stored.activationCodeHash, hasExpiry: stored.hasActivationCodeExpiresAt,
                expiry: stored.activationCodeExpiresAt, prefix: "activation_code_"),
            reason: stored.reason.nonEmpty)
    }

    /// The stored form.
    package var stored: Schoolledger_V1_CredentialsReset {
        var s = Schoolledger_V1_CredentialsReset()
        s.accountID = accountID.rawValue
        s.channel = channel.stored
        if let code = activationCode {
            s.activationCodeSalt = Data(code.salt)
            s.activationCodeHash = Data(code.hash)
            if let expiry = code.expiresAt { s.activationCodeExpiresAt = Google_Protobuf_Timestamp(storing: expiry) }
        }
        s.reason = reason ?? ""
        return s
    }

    /// Checks the id, the activation code (16-byte salt, 32-byte hash, valid
    /// expiry) and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.activationCode(activationCode, prefix: "activation_code_")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
