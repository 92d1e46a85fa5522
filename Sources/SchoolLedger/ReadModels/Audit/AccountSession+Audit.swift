import EventLedger
public import Foundation
import SwiftProtobuf

extension AccountSession {
    /// The breach notices (of one account, or all) as the auditor sees them
    /// (see ``CompromiseNoticeAudit``), each with its exposure: the reads of
    /// the compromised account inside its window and suspect span. For the
    /// roles admin, head, deputy head.
    public func compromiseAudit(account compromised: AccountID? = nil, asOf: AsOf = .now) throws -> [CompromiseNoticeAudit] {
        try read(
            .audit, detail: "compromise audit \(compromised.map(\.rawValue) ?? "all")",
            subjects: { $0.flatMap { $0.exposure?.exposedSubjects ?? [] } }
        ) {
            var audits = try journal.compromiseAudit(account: compromised, asOf: asOf)
            let exposures = try journal.exposure(of: audits)
            for i in audits.indices { audits[i].exposure = exposures[i] }
            return audits
        }
    }

    /// The exposure of every breach notice of `compromised` (see
    /// ``NoticeExposure``), oldest notice first. For the roles admin, head, deputy head.
    public func exposure(of compromised: AccountID) throws -> [NoticeExposure] {
        try compromiseAudit(account: compromised).compactMap(\.exposure)
    }

    /// Who read `subject`'s data: every read log entry that names the
    /// subject, oldest first. For the roles admin, head, deputy head.
    public func reads(of subject: DataSubject) throws -> [ReadLogEntry] {
        try read(.audit, detail: "reads of \(subject)", subjects: { _ in [subject] }) {
            try journal.readLog().entries { $0.subjects.contains(subject) }
        }
    }

    /// The history of a student, an account or a lesson as the auditor sees
    /// it (see ``HistoryEntry``). For the roles admin, head, deputy head.
    public func auditHistory(of subject: AuditSubject, asOf: AsOf = .now) throws -> [HistoryEntry] {
        let subjects: [DataSubject] = if case .student(let id) = subject { [.student(id)] } else { [] }
        return try read(.audit, detail: "history of \(subject)", subjects: { _ in subjects }) {
            try journal.auditHistory(of: subject, asOf: asOf)
        }
    }
}

extension AccountSession {
    /// Exports the records from `first` through `last` to `output` as JSON
    /// Lines (see ``JournalExport``); returns how many. For the roles admin,
    /// head, deputy head; logged in the read log with every student and
    /// parent the ledger holds as the data subjects (names stay sealed in
    /// the file, but marks and attendance are there in clear).
    public func export(from first: UInt64 = 1, through last: UInt64 = .max, to output: FileHandle) throws -> Int {
        try read(.audit, detail: "export \(first)...\(last == .max ? "head" : "\(last)")", subjects: { _ in try journal.allDataSubjects() })
        {
            try JournalExport.write(journal.ledger, from: first, through: last, to: output)
        }
    }
}
