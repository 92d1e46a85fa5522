import EventLedger
import Foundation
import LedgerTestSupport
import PropertyBased
@testable import SchoolLedger
import Testing

/// The parents' rows against the obvious fold: on random histories of
/// parents linked and unlinked with dates, consent given, withdrawn and
/// refused, services told of, notification preferences, acknowledgements,
/// paper extracts, credentials issued and reset, and voids of earlier
/// operations and their lifting, appended in random batches, each student's
/// parents on each date and each parent's status read from the rows equal a
/// fold of the kept entries after every batch, a rebuild equals the live
/// model, and both read as of every earlier position equal the fold of the
/// log cut there.
@Suite("Parents' rows properties")
struct ParentRowsPropertyTests {
    static let operations = zip(Gen.int(in: 0...12), Gen.int(in: 0...3), Gen.int(in: 0...1000)).array(of: 5...60)
    static let day0 = CivilDate("2026-09-01")!
    static let students = (0...3).map { StudentID("S-\($0)") }
    static let parents = (0...2).map { ParentID("P-\($0)") }
    static let dates = [0, 5, 12, 29].map { day0.adding(days: $0) }

    static func event(kind: Int, k: Int, v: Int, appended: UInt64) -> SchoolEvent {
        let student = StudentID("S-\(k)")
        let parent = ParentID("P-\(v % 3)")
        switch kind {
        case 0:
            return .parentLinked(
                ParentLinked(parentID: parent, studentID: student, relation: .mother, effectiveDate: day0.adding(days: v % 20)))
        case 1: return .parentUnlinked(ParentUnlinked(parentID: parent, studentID: student, effectiveDate: day0.adding(days: v % 30)))
        case 2: return .consentGiven(ConsentGiven(parentID: parent, studentID: student, submittedVia: .electronic))
        case 3: return .consentWithdrawn(ConsentWithdrawn(parentID: parent, studentID: student, submittedVia: .electronic))
        case 4: return .electronicFormRefused(ElectronicFormRefused(parentID: parent, studentID: student, submittedVia: .paperForm))
        case 5:
            let services = ParentService.allCases.enumerated().filter { v >> $0.offset & 1 == 1 }.map(\.element)
            return .parentsInformedOfServices(ParentsInformedOfServices(parentID: parent, studentID: student, services: services))
        case 6:
            let enabled = v % 3 != 0
            return .notificationPreferenceSet(
                NotificationPreferenceSet(
                    parentID: parent, channel: v % 2 == 0 ? .sms : .email, enabled: enabled,
                    contact: enabled ? SchoolScenario.sealed(parent.rawValue) : nil, submittedVia: .paperForm,
                    topics: enabled ? [.marks] : []))
        case 7:
            return .diaryAcknowledged(
                v % 2 == 0
                    ? DiaryAcknowledged(parentID: parent, studentID: student, upToDate: day0.adding(days: v % 30))
                    : DiaryAcknowledged(
                        parentID: parent, studentID: student, upToPosition: v % 4 == 1 ? UInt64(v) : UInt64.max - UInt64(v)))
        case 8:
            return .paperExtractIssued(
                PaperExtractIssued(
                    extractID: ExtractID("X-\(v)"), studentID: student, parentID: parent, covers: .period("q1"), reason: .noConsent))
        case 9:
            return .credentialsIssued(
                CredentialsIssued(
                    accountID: AccountID("A-\(k)"), personID: PersonID(parent.rawValue), holder: .parent,
                    channel: v % 2 == 0 ? .paper : .sms))
        case 10: return .credentialsReset(CredentialsReset(accountID: AccountID("A-\(k)"), channel: v % 2 == 0 ? .email : .sms))
        case 11:
            return RandomHistory.void((0..<UInt64(1 + v % 3)).compactMap { d in appended > d ? appended - d : nil }, appended: appended)
        default: return RandomHistory.lift(v, appended: appended)
        }
    }

    /// What the rows answer: each student's parents on each date, and each parent's status for all the students.
    struct Answer: Equatable {
        var parents: [[ParentID]]
        var statuses: [ParentStatus]
    }

    static func fromRows(_ journal: SchoolJournal, asOf: AsOf) throws -> Answer {
        try journal.withIndex(asOf) { index in
            let folds = JournalFacts()
            return Answer(
                parents: try students.flatMap { s in try dates.map { try folds.parents(of: s, on: $0, index: index) } },
                statuses: try parents.map { try folds.status(of: $0, children: students, index: index) })
        }
    }

    /// The same, folded from the kept entries of the log through `position`.
    static func oracle(_ journal: SchoolJournal, through position: UInt64 = .max) throws -> Answer {
        let log = JournalOracle(try journal.entries(through: position))
        let kept = log.kept
        func linked(_ student: StudentID, _ date: CivilDate) -> [ParentID] {
            var on = [ParentID: Bool]()
            for recorded in kept {
                switch recorded.entry.event {
                case .parentLinked(let e) where e.studentID == student && e.effectiveDate <= date: on[e.parentID] = true
                case .parentUnlinked(let e) where e.studentID == student && e.effectiveDate <= date: on[e.parentID] = false
                default: break
                }
            }
            return on.filter(\.value).keys.sorted()
        }
        func status(_ parent: ParentID) -> ParentStatus {
            // Accounts are listed by every credentials issue the log holds, voided or not (the index only grows).
            var accounts = [AccountID]()
            for case .credentialsIssued(let e) in log.all.map(\.entry.event) where e.personID.rawValue == parent.rawValue {
                if !accounts.contains(e.accountID) { accounts.append(e.accountID) }
            }
            let credentials = accounts.sorted().compactMap { account -> CredentialState? in
                var state: CredentialState?
                for recorded in kept {
                    switch recorded.entry.event {
                    case .credentialsIssued(let e) where e.accountID == account:
                        state = CredentialState(accountID: account, issuedAt: recorded.recordedAt, lastResetAt: nil, channel: e.channel)
                    case .credentialsReset(let e) where e.accountID == account:
                        state?.lastResetAt = recorded.recordedAt
                        state?.channel = e.channel
                    default: break
                    }
                }
                return state
            }
            var notifications = [NotificationChannel: Bool]()
            let children = students.map { student -> ParentChildStatus in
                var informed = Set<ParentService>()
                var given = false, refused = false, upToDate: CivilDate?, upToPosition: UInt64?
                var extracts = [ExtractID]()
                for recorded in kept {
                    switch recorded.entry.event {
                    case .parentsInformedOfServices(let e) where e.parentID == parent && e.studentID == student:
                        informed.formUnion(e.services)
                    case .consentGiven(let e) where e.parentID == parent && e.studentID == student: (given, refused) = (true, false)
                    case .consentWithdrawn(let e) where e.parentID == parent && e.studentID == student: given = false
                    case .electronicFormRefused(let e) where e.parentID == parent && e.studentID == student:
                        (given, refused) = (false, true)
                    case .diaryAcknowledged(let e) where e.parentID == parent && e.studentID == student:
                        if let d = e.upToDate { upToDate = max(upToDate ?? d, d) }
                        if let p = e.upToPosition { upToPosition = max(upToPosition ?? p, p) }
                    case .paperExtractIssued(let e) where e.parentID == parent && e.studentID == student: extracts.append(e.extractID)
                    case .notificationPreferenceSet(let e) where e.parentID == parent: notifications[e.channel] = e.enabled
                    default: break
                    }
                }
                return ParentChildStatus(
                    studentID: student, hasConsent: given, refusedElectronicForm: refused,
                    informedOf: informed.sorted { "\($0)" < "\($1)" }, acknowledgedUpToDate: upToDate,
                    acknowledgedUpToPosition: upToPosition,
                    paperExtractReason: refused ? .refusedElectronicForm : !given ? .noConsent : credentials.isEmpty ? .noInternet : nil,
                    extractsIssued: extracts)
            }
            return ParentStatus(
                parentID: parent, children: children, notificationsOn: notifications.filter(\.value).keys.sorted { "\($0)" < "\($1)" },
                credentials: credentials)
        }
        return Answer(
            parents: students.flatMap { s in dates.map { linked(s, $0) } },
            statuses: parents.map(status))
    }

    @Test func parentRowsEqualTheFoldAfterEveryBatchAndAsOfEveryEarlierPosition() async throws {
        await propertyCheck(count: Fixture.samples(quick: 30, stress: 60), input: Self.operations, Gen.int(in: 1...6)) { ops, batchSize in
            // propertyCheck drops an error its body throws: a sample that throws must fail.
            await #expect(throws: Never.self) {
                let journal = try RandomHistory.journal(in: TemporaryDirectory("parent-rows-property"))
                let appended = try await RandomHistory.append(
                    ops, batchSize: batchSize, to: journal,
                    event: { Self.event(kind: $0.0, k: $0.1, v: $0.2, appended: $2) },
                    afterBatch: { () throws in #expect(try Self.fromRows(journal, asOf: .now) == Self.oracle(journal)) })
                guard appended > 0 else { return }
                #expect(try Self.fromRows(journal, asOf: .now) == Self.oracle(journal))
                #expect(try await journal.ledger.check(JournalIndexProjection().name).isEmpty)
                for position in 1...appended {
                    #expect(try Self.fromRows(journal, asOf: .position(position)) == Self.oracle(journal, through: position))
                }
            }
        }
    }
}
