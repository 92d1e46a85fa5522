import Crypto

/// Fixed Ed25519 key pairs standing for participants' devices in tests.
enum DeviceKeys {
    /// The key whose 32 private bytes are all `seed`.
    static func fixed(seed: UInt8) -> Curve25519.Signing.PrivateKey {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: seed, count: 32)) else {
            preconditionFailure("32 bytes are always an Ed25519 private key")
        }
        return key
    }
}
