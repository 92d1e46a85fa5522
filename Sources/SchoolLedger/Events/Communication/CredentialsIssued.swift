#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import SwiftProtobuf

/// Access credentials for the personal cabinet are handed out (выдача
/// реквизитов доступа). Never carries the password or the code itself.
/// Closes any open compromise window of the account (clause 11).
///
/// Who may record it: for a student or parent, the class teacher of the
/// student's class, or support; for a staff account, admin or support.
/// Stream: `account/<accountID>`.
public struct CredentialsIssued: CatalogEvent {
    /// The account (login) the credentials open, 1...64 bytes.
    public var accountID: AccountID
    /// The person who holds the account: a student id, a parent id or, for
    /// staff, the account id itself.
    public var personID: PersonID
    /// Whether the holder is a student, a parent or staff.
    public var holder: AccountHolder
    /// How the credentials were handed over (способ передачи).
    public var channel: CredentialChannel
    /// What is kept of the one-time activation code (код активации); `nil`: no code is stored.
    public var activationCode: ActivationCodeDigest?

    /// Creates the event.
    public init(
        accountID: AccountID, personID: PersonID, holder: AccountHolder, channel: CredentialChannel,
        activationCode: ActivationCodeDigest? = nil
    ) {
        self.accountID = accountID
        self.personID = personID
        self.holder = holder
        self.channel = channel
        self.activationCode = activationCode
    }

    /// `account/<accountID>`.
    package var stream: String { SchoolStream.account(accountID) }

    /// Reads the stored form; the holder and the channel are required, and
    /// an activation code's salt and hash come together.
    package init(stored: Schoolledger_V1_CredentialsIssued, schemaVersion: UInt32) throws(SchoolSchemaError) {
        let read = try Self.reader(version: schemaVersion)
        self.init(
            accountID: AccountID(stored.accountID), personID: PersonID(stored.personID),
            holder: try read.enumCase(stored.holder, "holder"), channel: try read.enumCase(stored.channel, "channel"),
            activationCode: try read.activationCode(
                salt: stored.activationCodeSalt, hash: stored.activationCodeHash, hasExpiry: stored.hasActivationCodeExpiresAt,
                expiry: stored.activationCodeExpiresAt, prefix: "activation_code_"))
    }

    /// The stored form.
    package var stored: Schoolledger_V1_CredentialsIssued {
        var s = Schoolledger_V1_CredentialsIssued()
        s.accountID = accountID.rawValue
        s.personID = personID.rawValue
        s.holder = holder.stored
        s.channel = channel.stored
        if let code = activationCode {
            s.activationCodeSalt = Data(code.salt)
            s.activationCodeHash = Data(code.hash)
            if let expiry = code.expiresAt { s.activationCodeExpiresAt = Google_Protobuf_Timestamp(storing: expiry) }
        }
        return s
    }

    /// Checks the ids (a staff account is held by itself) and the activation
    /// code (16-byte salt, 32-byte hash, valid expiry).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(accountID, "account_id")
        try check.id(personID, "person_id")
        if holder == .staff {
            try check.require(
                personID.rawValue == accountID.rawValue, "person_id", personID.rawValue,
                "must equal account_id for a staff account (staff are identified by their account)")
        }
        try check.activationCode(activationCode, prefix: "activation_code_")
    }
}
