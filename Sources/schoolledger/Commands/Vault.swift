import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

extension SchoolLedgerCommand {
    /// `schoolledger vault`: the personal-data vault's keys.
    struct Vault: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The personal-data vault's key-encryption key.",
            subcommands: [Rotate.self])

        /// `schoolledger vault rotate`: a new key-encryption key.
        struct Rotate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Re-wrap every person's key under a new key-encryption key and destroy the old one.",
                discussion: """
                    Makes a new key file, re-wraps the live keys in one transaction, compacts the vault's file, then \
                    puts the new key file in place of the old one (the old key is gone). Backups of the vault taken \
                    before the rotation need the old key, so they unwrap nothing once every copy of the old key file \
                    is destroyed: an erased person's key in such a backup is unreadable for good. Take a new backup \
                    after rotating. Stop services that have the vault open first.
                    """)

            @OptionGroup var options: LedgerOptions

            func run() throws {
                let ledger = try options.address().localDirectory
                let keyPath = options.vaultKeyPath
                let vaultPath = PersonalDataVault.defaultDirectory(forLedger: ledger)
                guard FileManager.default.fileExists(atPath: vaultPath + "/data.mdb") else {
                    throw ValidationError("No personal-data vault at \(vaultPath): nothing to rotate.")
                }
                let current = try KeyFile.load(at: keyPath, ledgerDirectory: ledger)
                let vault = try PersonalDataVault.open(at: vaultPath, keys: .provider(current))
                let newPath = keyPath + ".new"
                if FileManager.default.fileExists(atPath: newPath) {
                    throw ValidationError(
                        "\(newPath) exists: an earlier rotation stopped half way. If the vault opens with it, move it to \(keyPath); otherwise remove it and rotate again."
                    )
                }
                let next = try KeyFile.load(at: newPath, creating: true, ledgerDirectory: ledger)
                try vault.rotate(to: next)
                guard rename(newPath, keyPath) == 0 else {
                    throw ValidationError(
                        "The vault is re-wrapped under the key in \(newPath), but it could not replace \(keyPath) (errno \(errno)): move it there by hand."
                    )
                }
                print(
                    "Rotated the vault's key-encryption key \(current.keyID) -> \(next.keyID); \(keyPath) holds the new key, the old one is destroyed."
                )
                print(
                    "Destroy every other copy of the old key file; backups taken before now unwrap nothing without it. Take a new backup.")
            }
        }
    }
}
