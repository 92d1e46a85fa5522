/// The algorithm of a participant's electronic-signature key (алгоритм
/// электронной подписи, clause 10).
///
/// Used by ``SignatureKeyRegistered``. The library checks Ed25519
/// signatures; the ГОСТ Р 34.10-2012 cases are named so that such keys can
/// follow, and a registration of one is refused until the library checks
/// them.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum SignatureAlgorithm: Hashable, Sendable, CaseIterable {
    /// Ed25519 (RFC 8032): a 32-byte public key, 64-byte signatures.
    case ed25519

    /// ГОСТ Р 34.10-2012 with a 256-bit key (not yet checked: refused).
    case gost2012_256

    /// ГОСТ Р 34.10-2012 with a 512-bit key (not yet checked: refused).
    case gost2012_512

    /// Whether this library checks signatures made with the algorithm.
    var isChecked: Bool { self == .ed25519 }
}

extension SignatureAlgorithm: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_SignatureAlgorithm

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_SignatureAlgorithm {
        switch self {
        case .ed25519: .ed25519
        case .gost2012_256: .gost2012256
        case .gost2012_512: .gost2012512
        }
    }
}
