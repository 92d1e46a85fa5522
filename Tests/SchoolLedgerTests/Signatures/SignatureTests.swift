import Crypto
import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import SwiftProtobuf
import Testing

/// Clause 10: participants sign their operations with keys the ledger
/// registered; the ledger checks each signature at append on every path in,
/// keeps it in the chain, and `verify --signatures` checks them all again.
@Suite("Signatures (clause 10): device keys, refusals, breach, every path")
struct SignatureTests {
    static let teacher: AccountID = "t-math"

    static func mark(_ id: String) -> SchoolEvent {
        .markRecorded(
            MarkRecorded(
                markID: MarkID(id), studentID: "S-2", lessonID: "L-2", subjectID: "MATH", value: .numeric(4), weight: 2,
                workKind: .classwork))
    }

    static func entry(_ id: String, at instant: Instant = AccessSchool.today) -> JournalEntry {
        JournalEntry(event: mark(id), actor: teacher, occurredAt: instant)
    }

    /// The school of the access tests with signatures required on the default operations.
    static func signingSchool() async throws -> AccessSchool {
        let school = try await AccessSchool()
        try await school.session(.admin).record(
            .journalSettingsChanged(
                JournalSettingsChanged(
                    schoolID: "school-1", kindsOfWork: [WorkKindWeight(workKind: .classwork, name: "Работа на уроке", defaultWeight: 2)],
                    signaturesRequired: true)), occurredAt: AccessSchool.today)
        return school
    }

    @Test func aMarkSignedWithTheTeachersDeviceKeyIsAcceptedKeptInTheChainAndShownInTheAudit() async throws {
        let school = try await Self.signingSchool()
        let signed = try Self.entry("M-SIGNED").signed(school: "school-1", with: AccessSchool.mathKey)
        #expect(signed.signature?.keyID == AccessSchool.mathKeyID)
        #expect(signed.signature?.signature.count == 64)
        let position = try await school.journal.record([signed]).positions[0]
        let stored = try #require(try school.journal.entries(from: position, through: position).first)
        #expect(stored.entry == signed)
        // The device signed the bytes the journal names; a verifier with only the public key agrees.
        let bytes = try signed.bytesToSign(school: "school-1", keyID: AccessSchool.mathKeyID)
        #expect(AccessSchool.mathKey.publicKey.isValidSignature(signed.signature!.signature, for: bytes))
        let report = try SchoolJournal.verifySignatures(school.journal.ledger)
        #expect(report.holds, "\(report.findings)")
        #expect(report.signed == 1 && report.required == 1)
        let history = try school.session(.deputy).auditHistory(of: .account(Self.teacher))
        #expect(history.first { $0.position == position }?.signatureKeyID == AccessSchool.mathKeyID)
        #expect(history.filter { $0.position != position }.allSatisfy { $0.signatureKeyID == nil })
    }

    @Test func unsignedForgedUnknownExpiredAndRevokedMarksAreRefusedWithTheHeadUnchanged() async throws {
        let school = try await Self.signingSchool()
        let other = Curve25519.Signing.PrivateKey()
        var forged = try Self.entry("M-FORGED").signed(school: "school-1", with: other)
        forged.signature?.keyID = AccessSchool.mathKeyID
        var altered = try Self.entry("M-ALTERED").signed(school: "school-1", with: AccessSchool.mathKey)
        altered.event = Self.mark("M-ALTERED-5")
        let otherSchool = try Self.entry("M-ELSEWHERE").signed(school: "school-2", with: AccessSchool.mathKey)
        let cases: [(JournalEntry, SignatureRefused.Reason)] = [
            (Self.entry("M-UNSIGNED"), .unsigned),
            (forged, .badSignature),
            (altered, .badSignature),
            (otherSchool, .badSignature),
            (try Self.entry("M-UNKNOWN").signed(school: "school-1", with: other), .unknownKey),
        ]
        for (entry, reason) in cases {
            let head = try school.head
            let refused = await #expect(throws: SignatureRefused.self) { try await school.journal.record([entry]) }
            #expect(refused?.reason == reason, "\(entry.id): \(String(describing: refused))")
            #expect(refused?.actor == Self.teacher && refused?.eventType == "MarkRecorded")
            #expect(try school.head == head)
        }
        // A key valid only until yesterday signs nothing today.
        let expiring = Curve25519.Signing.PrivateKey()
        try await school.session(.admin).record(
            .signatureKeyRegistered(
                SignatureKeyRegistered(
                    accountID: Self.teacher, publicKey: Array(expiring.publicKey.rawRepresentation),
                    validFrom: Instant(iso8601: "2026-09-01T00:00:00Z")!, validUntil: Instant(iso8601: "2026-09-19T00:00:00Z")!)),
            occurredAt: AccessSchool.today)
        var head = try school.head
        let expired = await #expect(throws: SignatureRefused.self) {
            try await school.journal.record([try Self.entry("M-EXPIRED").signed(school: "school-1", with: expiring)])
        }
        #expect(expired?.reason == .keyNotValid)
        #expect(try school.head == head)
        // The teacher revokes her key from her own account: it signs nothing more.
        try await school.session(.mathTeacher).record(
            .signatureKeyRevoked(SignatureKeyRevoked(accountID: Self.teacher, keyID: AccessSchool.mathKeyID, reason: "телефон утерян")),
            occurredAt: AccessSchool.today)
        head = try school.head
        let revoked = await #expect(throws: SignatureRefused.self) {
            try await school.journal.record([try Self.entry("M-REVOKED").signed(school: "school-1", with: AccessSchool.mathKey)])
        }
        #expect(revoked?.reason == .keyRevoked)
        #expect(revoked?.keyID == AccessSchool.mathKeyID)
        #expect(try school.head == head)
        // Unsigned operations of other types stand; a signed one is checked whatever the settings.
        try await school.session(.mathTeacher).record(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-2", lessonID: "L-2", text: "№ 6", dueDate: CivilDate("2026-09-22")!)),
            occurredAt: AccessSchool.today)
        #expect(try SchoolJournal.verifySignatures(school.journal.ledger).holds)
    }

    @Test func aBreachOfTheKeyVoidsTheWindowsSignedOperationsAndTheKeySignsNothingMore() async throws {
        let school = try await Self.signingSchool()
        let sign = { (id: String) in try Self.entry(id).signed(school: "school-1", with: AccessSchool.mathKey) }
        let before = try await school.journal.record([try sign("M-BEFORE")]).positions[0]
        school.clock.set(Instant(iso8601: "2026-09-20T10:00:00Z")!)
        let inside = try await school.journal.record([try sign("M-INSIDE")]).positions[0]
        school.clock.set(Instant(iso8601: "2026-09-20T11:00:00Z")!)
        let notice = CompromiseReported(
            accountID: Self.teacher, receivedByHeadAt: Instant(iso8601: "2026-09-20T09:30:00Z")!, reportedBy: "head", reporter: .head,
            compromised: [.signatureKey])
        try await school.session(.head).record(.compromiseReported(notice), occurredAt: AccessSchool.today)
        let voided = try school.journal.entries().compactMap { r -> [UInt64]? in
            if case .operationsVoided(let e) = r.entry.event, e.accountID == Self.teacher { e.voidedPositions } else { nil }
        }.flatMap { $0 }
        #expect(voided.contains(inside) && !voided.contains(before))
        let history = try school.session(.deputy).auditHistory(of: .account(Self.teacher))
        #expect(history.first { $0.position == inside }?.status == .void)
        #expect(history.first { $0.position == inside }?.signatureKeyID == AccessSchool.mathKeyID)
        // Support resets her credentials: the window closes, the account works again, the key does not.
        school.clock.set(Instant(iso8601: "2026-09-20T12:00:00Z")!)
        try await school.session(.support).record(
            .credentialsReset(CredentialsReset(accountID: Self.teacher, channel: .inPerson, reason: "компрометация")),
            occurredAt: AccessSchool.today)
        let head = try school.head
        let refused = await #expect(throws: SignatureRefused.self) { try await school.journal.record([try sign("M-AFTER")]) }
        #expect(refused?.reason == .keyCompromised)
        #expect(try school.head == head)
        // A new key, registered after the notice, signs.
        let fresh = Curve25519.Signing.PrivateKey()
        try await school.session(.mathTeacher).record(
            .signatureKeyRegistered(
                SignatureKeyRegistered(
                    accountID: Self.teacher, publicKey: Array(fresh.publicKey.rawRepresentation), validFrom: school.clock.now())),
            occurredAt: AccessSchool.today)
        try await school.journal.record([try Self.entry("M-NEWKEY").signed(school: "school-1", with: fresh)])
        // The signatures made before the notice still hold in verify: clause 11 voids, it does not unsign.
        let report = try SchoolJournal.verifySignatures(school.journal.ledger)
        #expect(report.holds, "\(report.findings)")
        #expect(report.signed == 3)
    }

    /// The bytes are verified while the writer writes, and the commit waits
    /// for them: a forged signature among appends that share a group commit
    /// is refused alone, as `SignatureRefused`, and the others stand.
    @Test func aForgedSignatureInAGroupCommitIsRefusedAloneAndTheOthersStand() async throws {
        let school = try await Self.signingSchool()
        let journal = school.journal
        let before = try school.head.position
        let stranger = Curve25519.Signing.PrivateKey()
        var entries = [JournalEntry]()
        for i in 0..<12 {
            var entry = try Self.entry("M-GROUP-\(i)").signed(school: "school-1", with: i == 5 ? stranger : AccessSchool.mathKey)
            entry.signature?.keyID = AccessSchool.mathKeyID
            entries.append(entry)
        }
        let outcomes = await withTaskGroup(of: (Int, SignatureRefused.Reason?).self) { group in
            for (i, entry) in entries.enumerated() {
                group.addTask {
                    do {
                        _ = try await journal.record([entry])
                        return (i, nil)
                    } catch let refused as SignatureRefused {
                        return (i, refused.reason)
                    } catch {
                        Issue.record("\(error)")
                        return (i, nil)
                    }
                }
            }
            var all = [Int: SignatureRefused.Reason?]()
            for await (i, reason) in group { all[i] = reason }
            return all
        }
        #expect((0..<12).map { outcomes[$0] ?? nil } == (0..<12).map { $0 == 5 ? .badSignature : nil })
        #expect(try school.head.position == before + 11)
        #expect(try school.journal.entries(inStream: SchoolStream.mark("M-GROUP-5")).isEmpty)
        #expect(try SchoolJournal.verifySignatures(school.journal.ledger).holds)
    }

    /// A key must be valid when the ledger stamps the record, which is never
    /// before the last record's stamp and comes after the journal's check.
    @Test func aKeyMustStillBeValidWhenTheLedgerStampsTheRecord() async throws {
        let school = try await Self.signingSchool()
        func register(_ key: Curve25519.Signing.PrivateKey, until: Instant) async throws {
            try await school.session(.admin).record(
                .signatureKeyRegistered(
                    SignatureKeyRegistered(
                        accountID: Self.teacher, publicKey: Array(key.publicKey.rawRepresentation),
                        validFrom: Instant(iso8601: "2026-09-01T00:00:00Z")!, validUntil: until)),
                occurredAt: AccessSchool.today)
        }
        // A clock set back: the last record is stamped 11:00, the clock reads 09:30, and a key
        // ends at 10:00. The next record would be stamped 11:00: refused, as the journal names it.
        let setBack = Curve25519.Signing.PrivateKey()
        try await register(setBack, until: Instant(iso8601: "2026-09-20T10:00:00Z")!)
        school.clock.set(Instant(iso8601: "2026-09-20T11:00:00Z")!)
        try await school.session(.mathTeacher).record(
            .homeworkAssigned(HomeworkAssigned(homeworkID: "H-2", lessonID: "L-2", text: "№ 6", dueDate: CivilDate("2026-09-22")!)),
            occurredAt: AccessSchool.today)
        school.clock.set(Instant(iso8601: "2026-09-20T09:30:00Z")!)
        let head = try school.head
        let late = await #expect(throws: SignatureRefused.self) {
            try await school.journal.record([try Self.entry("M-SET-BACK").signed(school: "school-1", with: setBack)])
        }
        #expect(late?.reason == .keyNotValid)
        #expect(try school.head == head)

        // A clock that moves on 1 ms at every read: the stamp comes after the journal's check.
        // Keys ending 0, 1, 2 … ms after the append starts are refused by the journal, then by
        // the ledger's rule (valid at the check, not at the stamp), then accepted; never
        // accepted and then found invalid by verify --signatures.
        var outcomes = [String]()
        var base = Instant(iso8601: "2026-09-20T12:00:00Z")!
        for ms in 0...10 {
            base = base.adding(microseconds: 60_000_000)
            school.clock.set(base)
            let key = Curve25519.Signing.PrivateKey()
            try await register(key, until: base.adding(microseconds: 60_000_000 + Int64(ms) * 1000))
            school.clock.set(base.adding(microseconds: 60_000_000))
            let signed = try Self.entry("M-STEP-\(ms)").signed(school: "school-1", with: key)
            school.clock.stepEachRead(microseconds: 1000)
            defer { school.clock.stepEachRead(microseconds: 0) }
            let before = try school.head
            do {
                _ = try await school.journal.record([signed])
                outcomes.append("accepted")
            } catch let refused as SignatureRefused {
                #expect(refused.reason == .keyNotValid)
                outcomes.append("journal")
            } catch let refused as LedgerError {
                #expect(refused.field == "signature" && refused.message.contains("not at"), "\(refused)")
                outcomes.append("rule")
            }
            if outcomes.last != "accepted" { #expect(try school.head == before) }
            school.clock.stepEachRead(microseconds: 0)
        }
        // In that order, each at least once.
        #expect(outcomes.first == "journal" && outcomes.last == "accepted", "\(outcomes)")
        #expect(outcomes.contains("rule"), "\(outcomes)")
        #expect(
            outcomes
                == outcomes.sorted {
                    ["journal", "rule", "accepted"].firstIndex(of: $0)! < ["journal", "rule", "accepted"].firstIndex(of: $1)!
                })
        let report = try SchoolJournal.verifySignatures(school.journal.ledger)
        #expect(report.holds, "\(report.findings)")
    }

    @Test func theRulesHoldOnJournalLedgerOnASignedCommandAndOnAnImport() async throws {
        let school = try await Self.signingSchool()
        // Straight to the journal's ledger, past the journal's own checks: the rule refuses.
        let head = try school.head
        let plainError = await #expect(throws: LedgerError.self) {
            try await school.journal.ledger.append(try EventCoding.newEvent(Self.entry("M-LEDGER")))
        }
        #expect(plainError?.field == "signature")
        #expect(plainError?.message.contains("must be signed") == true)
        var forged = try Self.entry("M-LEDGER-FORGED").signed(school: "school-1", with: AccessSchool.mathKey)
        forged.occurredAt = forged.occurredAt.adding(microseconds: 1)
        let forgedError = await #expect(throws: LedgerError.self) {
            try await school.journal.ledger.append(try EventCoding.newEvent(forged))
        }
        #expect(forgedError?.message.contains("badSignature") == true || forgedError?.message.contains("not key") == true)
        #expect(try school.head == head)
        let good = try await school.journal.ledger.append(
            try EventCoding.newEvent(try Self.entry("M-LEDGER-OK").signed(school: "school-1", with: AccessSchool.mathKey)))
        #expect(good.positions.count == 1)

        // A client's signed command (protobuf JSON) keeps its signature.
        let signed = try Self.entry("M-COMMAND").signed(school: "school-1", with: AccessSchool.mathKey)
        let command = try Self.commandJSON(signed)
        let position = try await school.session(.mathTeacher).record(commandJSON: command).positions[0]
        #expect(try school.journal.entries(from: position, through: position).first?.entry == signed)
        let unsignedCommand = await #expect(throws: InterchangeError.self) {
            try await school.session(.mathTeacher).record(commandJSON: command.replacingOccurrences(of: "\"eventId\"", with: "\"x\""))
        }
        #expect(unsignedCommand != nil)

        // Export and import: the signatures travel with the records and hold again.
        let (files, _, copy) = try await Self.exportAndImport(school, "signed")
        #expect(try copy.ledger.head() == (try school.head))
        #expect(try SchoolJournal.verifySignatures(copy.ledger).signed == 2)
        // A line whose signature was changed is refused, nothing appended.
        let lines = try String(contentsOfFile: files.sub("all.jsonl"), encoding: .utf8).split(separator: "\n")
        let n = try #require(lines.firstIndex { $0.contains("M-COMMAND") })
        let sig = try #require(signed.signature).signature
        var changed = sig
        changed[0] ^= 1
        var tampered = lines.map(String.init)
        tampered[n] = tampered[n].replacingOccurrences(of: Data(sig).base64EncodedString(), with: Data(changed).base64EncodedString())
        #expect(tampered[n] != String(lines[n]))
        try (tampered.joined(separator: "\n") + "\n").write(toFile: files.sub("tampered.jsonl"), atomically: true, encoding: .utf8)
        let other = TemporaryDirectory("signed-other")
        let fresh = try SchoolJournal.open(at: other.path, options: Fixture.options(clock: school.clock, relaxed: true))
        await #expect(throws: (any Error).self) { try await JournalImport.importFile(at: files.sub("tampered.jsonl"), into: fresh.ledger) }
        #expect(try fresh.ledger.head().position == 0)
    }

    @Test func settingsChangedEarlierInTheSameCallApplyToItsLaterEntries() async throws {
        let school = try await AccessSchool()
        let settings = JournalSettingsChanged(
            schoolID: "school-1", kindsOfWork: [WorkKindWeight(workKind: .classwork, name: "Работа на уроке", defaultWeight: 2)],
            signaturesRequired: true)
        let head = try school.head
        let refused = await #expect(throws: SignatureRefused.self) {
            try await school.journal.recordTrusted([
                JournalEntry(event: .journalSettingsChanged(settings), actor: "admin", occurredAt: AccessSchool.today),
                Self.entry("M-SAME-CALL"),
            ])
        }
        #expect(refused?.reason == .unsigned)
        #expect(try school.head == head)
    }

    @Test func aPlainLedgerThatAppendsPastTheRulesIsNamedByVerifySignatures() async throws {
        let school = try await Self.signingSchool()
        try await school.journal.record([try Self.entry("M-OK").signed(school: "school-1", with: AccessSchool.mathKey)])
        let copy = TemporaryDirectory("signed-plain")
        try await Fixture.copyDataFile(of: school.journal.ledger, to: copy.path)
        let plain = try EventLedger.open(at: copy.path, options: Fixture.options(clock: school.clock, relaxed: true))
        let unsigned = try await plain.append(try EventCoding.newEvent(Self.entry("M-PLAIN"))).positions[0]
        var forged = try Self.entry("M-PLAIN-FORGED").signed(school: "school-1", with: Curve25519.Signing.PrivateKey())
        forged.signature?.keyID = AccessSchool.mathKeyID
        let bad = try await plain.append(try EventCoding.newEvent(forged)).positions[0]
        let report = try SchoolJournal.verifySignatures(plain)
        #expect(!report.holds)
        #expect(report.findings.compactMap(\.position) == [unsigned, bad])
        #expect(report.findings.map(\.reason) == [.unsigned, .badSignature])
        #expect(report.signed == 2 && report.required == 3)
    }

    /// `school`'s log exported to JSON Lines and imported into a fresh
    /// journal: the file's folder, the copy's folder, the copy.
    static func exportAndImport(_ school: AccessSchool, _ name: String) async throws -> (
        TemporaryDirectory, TemporaryDirectory, SchoolJournal
    ) {
        let files = TemporaryDirectory("\(name)-files")
        _ = try InterchangeTests.export(school.journal.ledger, to: files.sub("all.jsonl"))
        let target = TemporaryDirectory("\(name)-target")
        let copy = try SchoolJournal.open(at: target.path, options: Fixture.options(clock: school.clock, relaxed: true))
        _ = try await JournalImport.importFile(at: files.sub("all.jsonl"), into: copy.ledger)
        return (files, target, copy)
    }

    /// The signed command a service would pass on from the teacher's device.
    static func commandJSON(_ entry: JournalEntry) throws -> String {
        var envelope = JournalCommandTests.command(entry)
        envelope.actor = ""
        if let signature = entry.signature {
            envelope.signature.keyID = signature.keyID
            envelope.signature.signature = Data(signature.signature)
            if let batch = signature.batch {
                envelope.signature.batch.index = batch.index
                envelope.signature.batch.size = batch.size
                envelope.signature.batch.path = batch.path.map { Data($0) }
            }
        }
        return try envelope.jsonString()
    }
}
