public import EventLedger
import Foundation

extension SchoolJournal {
    /// Writes a consistent, compacted, verified copy of the journal into
    /// `directory` while appends go on: the ledger (its log and read models,
    /// one snapshot) through `EventLedger.backup(to:with:)`,
    /// then the read log into `read-log/` and the personal-data vault into
    /// `vault/`, where ``open(at:options:vaultDirectory:vaultKeys:readLogDirectory:)``
    /// finds them by default. Restoring is opening the copy.
    ///
    /// The vault is copied last, so an erasure finished before the backup
    /// ends is in it. The vault's key file is not copied (it is never inside
    /// the ledger): keep its own copy apart from the backups, since the
    /// vault's wrapped keys open nothing without it.
    ///
    /// - Throws: `LedgerError` as the ledger's backup does; on any failure
    ///   nothing of the copy is left in `directory`.
    public func backup(to directory: String) throws -> BackupReport {
        var stores = [String: KeyValueStore]()
        let fm = FileManager.default
        if fm.fileExists(atPath: readLogDirectory + "/data.mdb") {
            stores["read-log"] = try readLog().store
        }
        // A store opened here only for the copy is closed when it returns.
        if let vault {
            stores["vault"] = vault.storeForBackup
        } else {
            let path = PersonalDataVault.defaultDirectory(forLedger: ledger.directory)
            if fm.fileExists(atPath: path + "/data.mdb") {
                var options = KeyValueStore.Options(tables: [])
                options.readOnly = true
                stores["vault"] = try KeyValueStore.open(directory: path, options: options)
            }
        }
        return try ledger.backup(to: directory, with: stores)
    }
}
