import Crypto
public import EventLedger

/// A one-time activation code (код активации) for new or reset credentials:
/// the library makes it, hands it to the caller once, and records only a
/// salted SHA-256 hash (``ActivationCodeDigest``).
///
/// The code has 12 characters from a 32-letter alphabet without look-alikes
/// (no 0/O, 1/I): 60 random bits, so a salted hash cannot be reversed by
/// trying codes, and it reads well over the phone, e.g. `K7QM-9XWD-3RTA`.
public struct ActivationCode: Sendable, Hashable, CustomStringConvertible {
    /// The code as handed to the person, in groups of four: `K7QM-9XWD-3RTA`.
    public let text: String

    /// The letters a code is made of.
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// Characters in a code.
    static let length = 12

    /// A new random code from the system's secure random generator.
    public static func generate() -> ActivationCode {
        var rng = SystemRandomNumberGenerator()
        let letters = (0..<length).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] }
        return ActivationCode(normalized: String(letters))
    }

    private init(normalized: String) {
        let groups = stride(from: 0, to: normalized.count, by: 4).map { start -> String in
            let from = normalized.index(normalized.startIndex, offsetBy: start)
            return String(normalized[from..<normalized.index(from, offsetBy: min(4, normalized.count - start))])
        }
        self.text = groups.joined(separator: "-")
    }

    /// The code without separators, upper-cased: what the hash is taken over,
    /// so `k7qm 9xwd-3rta` typed by a parent matches.
    static func normalize(_ typed: String) -> String {
        String(typed.uppercased().filter { $0 != "-" && $0 != " " })
    }

    /// A digest to record: a fresh 16-byte salt and SHA-256(salt ‖ code).
    func digest(expiresAt: Instant?) -> ActivationCodeDigest {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<ActivationCodeDigest.saltByteCount).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return ActivationCodeDigest(salt: salt, hash: Self.hash(Self.normalize(text), salt: salt), expiresAt: expiresAt)
    }

    static func hash(_ normalized: String, salt: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(normalized.utf8))
        return Array(hasher.finalize())
    }

    /// Whether `typed` is the code `digest` was made from (compared in
    /// constant time) and, at `now`, not expired.
    static func matches(_ typed: String, _ digest: ActivationCodeDigest, now: Instant) -> Bool {
        if let expiry = digest.expiresAt, now >= expiry { return false }
        let candidate = hash(normalize(typed), salt: digest.salt)
        guard candidate.count == digest.hash.count else { return false }
        return zip(candidate, digest.hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The code.
    public var description: String { text }
}

/// Credentials just issued or reset: the result of the append and the
/// one-time activation code to hand to the person. The ledger keeps only
/// the code's salted hash; this value is the only place the code exists.
public struct IssuedCredentials: Sendable {
    /// Where the credentials event was appended.
    public var result: AppendResult
    /// The code to hand over through the channel recorded.
    public var activationCode: ActivationCode
    /// When the code stops working.
    public var expiresAt: Instant
}

extension SchoolJournal {
    /// Whether `typed` is the activation code of `account`'s latest issue or
    /// reset and has not expired: what the embedding service asks when a
    /// person activates their personal cabinet. A code from a reset voided
    /// by a breach notice does not count, and no code works while the
    /// account is locked by an open notice.
    public func verifyActivationCode(_ typed: String, for account: AccountID) throws -> Bool {
        let now = ledger.options.clock.now()
        return try ledger.read { reader in
            var facts = JournalFacts(compromiseRegister: compromiseRegister)
            if try facts.openNotice(of: account, reader: reader) != nil { return false }
            var digest: ActivationCodeDigest?
            for fact in try facts.facts(in: SchoolStream.account(account), reader: reader) {
                switch fact.event {
                case .credentialsIssued(let e): digest = e.activationCode
                case .credentialsReset(let e): digest = e.activationCode
                default: break
                }
            }
            return digest.map { ActivationCode.matches(typed, $0, now: now) } ?? false
        }
    }
}

extension EventID {
    /// A name-based id (UUID version 8 over SHA-256 of `name`): the same name
    /// always gives the same id, so a report derived from a message is
    /// idempotent however often it is resent.
    static func derived(from name: String) -> EventID {
        var bytes = Array(SHA256.hash(data: Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return EventID(bytes: bytes)!
    }
}
