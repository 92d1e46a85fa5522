import ArgumentParser
import Crypto
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger keygen`: an Ed25519 key for signing chain heads.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an Ed25519 signing key (file mode 0600) and print its public key.",
            discussion:
                "Keep the key outside the ledger's directory, ideally on another machine: `head --sign KEYFILE` signs the chain head with it, and `verify --against HEADFILE --public-key KEY` checks against the public key printed here."
        )

        @Option(name: .long, help: ArgumentHelp("Where to write the private key (refuses to overwrite).", valueName: "KEYFILE"))
        var out: String

        func run() throws {
            let path = URL(fileURLWithPath: out).standardizedFileURL.path
            guard !FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(path) already exists: keygen never overwrites a key; choose another --out.")
            }
            let key = Curve25519.Signing.PrivateKey()
            let text = key.rawRepresentation.base64EncodedString() + "\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("Cannot write \(path): check the directory exists and is writable.")
            }
            print("private key: \(path) (mode 0600)")
            print("public key:  \(key.publicKey.rawRepresentation.base64EncodedString())")
        }
    }
}

/// Reading keys for `head --sign` and `verify --public-key`.
enum KeyFiles {
    static func privateKey(at path: String, outside ledger: String) throws -> Curve25519.Signing.PrivateKey {
        let keyPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let ledgerPath = URL(fileURLWithPath: ledger).resolvingSymlinksInPath().standardizedFileURL.path
        guard !keyPath.hasPrefix(ledgerPath + "/") else {
            throw ValidationError(
                "The signing key \(keyPath) is inside the ledger's directory: keep it outside, where whoever can change the ledger cannot reach it."
            )
        }
        guard let text = try? String(contentsOfFile: keyPath, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else {
            throw ValidationError("\(keyPath) is not a signing key made by `schoolledger keygen`.")
        }
        return key
    }

    /// A public key given as base64 text, or as a file holding it.
    static func publicKey(_ given: String) throws -> Curve25519.Signing.PublicKey {
        let text = FileManager.default.fileExists(atPath: given) ? ((try? String(contentsOfFile: given, encoding: .utf8)) ?? "") : given
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else {
            throw ValidationError("--public-key is neither a base64 Ed25519 public key nor a file holding one (keygen prints it).")
        }
        return key
    }
}
