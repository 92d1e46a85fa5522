import Foundation
import LedgerLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What ``EventLedger/backup(to:with:)`` wrote and proved.
public struct BackupReport: Sendable, Equatable, Codable {
    /// The copy's directory, resolved.
    public var directory: String
    /// The copy's head: the ledger's head at the moment the copy's snapshot
    /// was taken (appends that committed later are not in the copy).
    public var head: ChainHead
    /// The copy's hash chain, verified from position 1 after it was written
    /// and flushed.
    public var verification: VerificationReport
    /// The size of the copy's data file in bytes (compacted: free pages are
    /// left out).
    public var bytes: UInt64
    /// The stores copied beside the ledger, by subdirectory of the copy, with
    /// the size of each copy's data file in bytes.
    public var stores: [String: UInt64] = [:]
}

extension EventLedger {
    /// Writes a consistent, compacted copy of the ledger into `directory`
    /// while appends go on, flushes it to disk, and proves it: the copy's
    /// chain verifies from position 1 and its head is the record this
    /// ledger holds at that position.
    ///
    /// The copy is taken from one read snapshot (LMDB's `mdb_env_copy2`
    /// with `MDB_CP_COMPACT`): the log, its indexes and the read models
    /// folded inline, all as of the same committed transaction. Writers are
    /// not blocked. Restoring is opening the copy: it is a ledger directory
    /// like any other.
    ///
    /// Stores kept beside the ledger (a journal's read log and personal-data
    /// vault) are copied after it, each from its own snapshot, into the
    /// copy's subdirectory named by its key in `stores`.
    ///
    /// - Parameters:
    ///   - directory: a new directory, or an empty one, outside this
    ///     ledger's directory (a copy on the same disk guards against
    ///     mistakes, not against losing the disk: put it on another one).
    ///   - stores: the stores to copy with the ledger, by subdirectory name.
    /// - Returns: what was written and proved.
    /// - Throws: ``LedgerError`` with code ``LedgerError/Code/storage`` when
    ///   the destination is not new or empty, lies inside the ledger, or
    ///   cannot be written; ``LedgerError/Code/diskFull`` when its disk is
    ///   full; ``LedgerError/Code/corruptRecord`` when the copy does not
    ///   verify (the ledger itself is then damaged: run `verify` on it). On
    ///   any failure the destination's files are removed, so no copy that was
    ///   not proved is left looking like a backup. The ledger is never changed.
    public func backup(to directory: String, with stores: [String: KeyValueStore] = [:]) throws -> BackupReport {
        for name in stores.keys where name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw LedgerError(.storage, "A store beside the ledger is named '\(name)': name it as one directory, without '/'.")
        }
        guard let lmdb = storage as? LMDBLogStorage else {
            throw LedgerError(
                .storage,
                "The ledger at \(self.directory) keeps its log in \(storage.engineName), not in LMDB: back it up with that engine's own tools (see the README's backups section)."
            )
        }
        let destination = try BackupDestination.copy(
            lmdb.environment, of: "the ledger at \(self.directory)", into: directory, outside: self.directory)
        do {
            // Opened read-only only to verify it, then closed (its lock file removed).
            let verification = try EventLedger.open(at: destination.path, options: .readOnly).verify()
            unlink(destination.path + "/lock.mdb")
            guard verification.isIntact else {
                throw LedgerError(
                    .corruptRecord,
                    "The copy in \(destination.path) does not verify at position \(verification.firstBadPosition ?? 0): \(verification.problem ?? "") The ledger itself holds the same bytes: run `schoolledger verify` on it, and `export` what is intact."
                )
            }
            let head = verification.head
            if head.position > 0 {
                let own = try read { try $0.record(at: head.position)?.hash }
                guard own == head.hash else {
                    throw LedgerError(
                        .corruptRecord,
                        "The copy's head (position \(head.position), hash \(head.hash.hex)) is not the record this ledger holds there (\(own?.hex ?? "none")): the ledger changed under the copy. Run `schoolledger verify` on the ledger."
                    )
                }
            }
            var report = BackupReport(directory: destination.path, head: head, verification: verification, bytes: destination.dataBytes)
            var copied = [BackupDestination]()
            do {
                for (name, store) in stores.sorted(by: { $0.key < $1.key }) {
                    let copy = try store.withEnvironment { environment in
                        try BackupDestination.copy(
                            environment, of: "the store at \(store.directory)", into: destination.path + "/" + name,
                            outside: store.directory)
                    }
                    copied.append(copy)
                    report.stores[name] = copy.dataBytes
                }
            } catch {
                for copy in copied { copy.removeWritten() }
                throw error
            }
            return report
        } catch {
            destination.removeWritten()
            throw error
        }
    }
}

/// A backup's destination: checked, created, and cleaned up after a failure.
struct BackupDestination {
    /// The resolved path.
    let path: String
    /// Whether this backup created the directory (then a failure removes it too).
    let created: Bool

    /// Checks that `directory` is new or empty and not `source` or inside it,
    /// and creates it (owner-only: a ledger holds personal data).
    static func prepare(_ directory: String, source: String) throws -> BackupDestination {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let from = URL(fileURLWithPath: source).standardizedFileURL.resolvingSymlinksInPath().path
        if path == from || path.hasPrefix(from.hasSuffix("/") ? from : from + "/") {
            throw LedgerError(
                .storage,
                "The backup directory \(path) is inside \(from), the directory it copies: give a directory outside it, on another disk."
            )
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw LedgerError(.storage, "The backup destination \(path) is a file: give a new or empty directory.")
            }
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            guard entries.isEmpty else {
                throw LedgerError(
                    .storage,
                    "The backup directory \(path) is not empty (it holds \(entries.sorted().prefix(3).joined(separator: ", "))): a backup never overwrites; give a new or empty directory."
                )
            }
            return BackupDestination(path: path, created: false)
        }
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LedgerError(
                .storage,
                "The backup directory \(path) cannot be created (\(error.localizedDescription)): check its parent exists and is writable.")
        }
        return BackupDestination(path: path, created: true)
    }

    /// Copies `environment` (`what`, for messages) into `directory`, new or
    /// empty and outside `source`, and flushes it; on failure removes what it wrote.
    static func copy(_ environment: Environment, of what: String, into directory: String, outside source: String) throws
        -> BackupDestination
    {
        let destination = try prepare(directory, source: source)
        do {
            do {
                try environment.copyCompacted(to: destination.path)
            } catch {
                throw destination.failure(error, copying: what)
            }
            try destination.flush()
            return destination
        } catch {
            destination.removeWritten()
            throw error
        }
    }

    /// The error for a copy into this destination that failed with `error`.
    func failure(_ error: LMDBError, copying what: String) -> LedgerError {
        guard error.code == .noSpace else { return .storage(error, while: "copying \(what) into \(path)") }
        var e = LedgerError(
            .diskFull,
            "The disk holding \(path) is full: the copy of \(what) was removed and the original is unchanged; free space there, or back up to another disk."
        )
        e.underlying = error
        return e
    }

    /// The copy's data file's size in bytes.
    var dataBytes: UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb"))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Flushes the copy's data file and its directory entry to disk, so the
    /// copy survives a power loss right after the backup reports it.
    func flush() throws {
        // Owner-only, as the ledger's own files: the copy holds the same personal data.
        chmod(path + "/data.mdb", 0o600)
        for file in [path + "/data.mdb", path] {
            let fd = open(file, O_RDONLY)
            guard fd >= 0 else {
                throw LedgerError(.storage, "The backup at \(path) cannot be flushed: \(file) does not open (errno \(errno)).")
            }
            defer { close(fd) }
            guard fsync(fd) == 0 else {
                throw LedgerError(.storage, "The backup at \(path) could not be flushed to disk (fsync of \(file): errno \(errno)).")
            }
        }
    }

    /// Removes what the backup wrote (and the directory, if it made it).
    func removeWritten() {
        unlink(path + "/data.mdb")
        unlink(path + "/lock.mdb")
        if created { rmdir(path) }
    }
}
