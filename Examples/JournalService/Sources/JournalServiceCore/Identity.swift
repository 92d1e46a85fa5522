import EventLedger
import Foundation
import JWTKit
import SchoolLedger
import Synchronization

/// Who a request speaks for: the seam where a school puts its own identity
/// provider. The reference service reads bearer tokens it can verify
/// itself (``JWTAccountResolver``); a school on ESIA (Госуслуги) or a
/// regional SSO writes a resolver that checks that provider's token or
/// session and answers with the journal's account id for it. The journal
/// itself never sees a password or a token: it judges every read and write
/// by the account this returns.
public protocol AccountResolver: Sendable {
    /// The account `token` (the `Authorization: Bearer` value) stands for.
    ///
    /// - Throws: ``ServiceError/unauthenticated(_:)`` when the token is
    ///   malformed, forged or expired.
    func account(forBearerToken token: String) async throws -> AccountID
}

/// The claims of the reference service's tokens: the account id as the
/// subject, and an expiry.
struct AccountClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Bearer tokens as JSON Web Tokens (RFC 7519) signed with HS256 and a
/// secret read from a file: the token's `sub` is the account id. Through
/// `vapor/jwt-kit`. It also makes tokens, for `make service`, the load
/// test and the tests; a school's identity provider makes them in
/// production.
///
/// A token that verified is remembered, by its exact text, with its account
/// and expiry (``VerifiedTokens``): a parent's app sends the same token with
/// every request, and checking its signature again each time was 3% of the
/// service's CPU under `make load`. The expiry is still checked at every use.
public struct JWTAccountResolver: AccountResolver {
    private let keys: JWTKeyCollection
    private let verified = VerifiedTokens()

    /// A resolver with the HS256 secret `secret` (at least 32 bytes).
    public init(secret: [UInt8]) async throws {
        guard secret.count >= 32 else {
            throw ServiceError.configuration("the JWT secret has \(secret.count) bytes; use at least 32 random bytes")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// A resolver with the secret in the file at `path`, made with 32
    /// random bytes (mode 0600) when `create` is set and it is missing.
    public static func load(secretFile path: String, create: Bool = false) async throws -> JWTAccountResolver {
        if create, !FileManager.default.fileExists(atPath: path) {
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            guard FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600]) else {
                throw ServiceError.configuration("cannot write the JWT secret file \(path)")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError.configuration(
                "cannot read the JWT secret file \(path): make one with 32 random bytes, or pass --create-secret")
        }
        return try await JWTAccountResolver(secret: Array(data))
    }

    /// The account in the token's `sub`, once its signature and expiry hold.
    public func account(forBearerToken token: String) async throws -> AccountID {
        if let account = verified.account(for: token, at: Date()) { return account }
        do {
            let claims = try await keys.verify(token, as: AccountClaims.self)
            let subject = claims.sub.value
            guard (1...64).contains(subject.utf8.count), !subject.contains(where: \.isWhitespace) else {
                throw ServiceError.unauthenticated("the token's subject is not an account id (1 to 64 bytes, no spaces)")
            }
            let account = AccountID(rawValue: subject)
            verified.keep(token, account: account, expiresAt: claims.exp.value)
            return account
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError.unauthenticated("the bearer token is not one this service signed, or it has expired")
        }
    }

    /// A token for `account`, valid for `lifetime`.
    public func token(for account: AccountID, lifetime: TimeInterval = 3_600) async throws -> String {
        try await keys.sign(AccountClaims(sub: SubjectClaim(value: account.rawValue), exp: ExpirationClaim(value: Date() + lifetime)))
    }
}

/// Tokens that verified, by their exact text, with the account and the
/// expiry they carry: only a token whose signature held is kept, so a
/// forged or altered one (other text) is verified in full. At most
/// ``limit`` are kept; when full, the expired ones go, and if none has, all.
final class VerifiedTokens: Sendable {
    private struct Verified {
        var account: AccountID
        var expiresAt: Date
    }
    private let tokens = Mutex<[String: Verified]>([:])
    /// How many tokens are kept at most.
    let limit: Int

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    /// The account of `token` if it verified before and has not expired at `now`.
    func account(for token: String, at now: Date) -> AccountID? {
        tokens.withLock { tokens in
            guard let known = tokens[token] else { return nil }
            guard known.expiresAt > now else {
                tokens[token] = nil
                return nil
            }
            return known.account
        }
    }

    /// Keeps `token`, which has just verified.
    func keep(_ token: String, account: AccountID, expiresAt: Date) {
        tokens.withLock { tokens in
            if tokens.count >= limit {
                let now = Date()
                tokens = tokens.filter { $0.value.expiresAt > now }
                if tokens.count >= limit { tokens.removeAll() }
            }
            tokens[token] = Verified(account: account, expiresAt: expiresAt)
        }
    }

    /// How many tokens are kept now.
    var count: Int { tokens.withLock { $0.count } }
}
