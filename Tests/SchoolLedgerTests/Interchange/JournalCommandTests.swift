import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import SwiftProtobuf
import Testing

@Suite("Interchange: commands decoded from binary and JSON envelopes")
struct JournalCommandTests {
    static let when = Instant(iso8601: "2026-09-01T08:00:00Z")!

    /// The command envelope a service would send for `entry`.
    static func command(_ entry: JournalEntry) -> Schoolledger_V1_Envelope {
        var envelope = Schoolledger_V1_Envelope()
        envelope.eventID = entry.id.description
        envelope.actor = entry.actor.rawValue
        envelope.occurredAt = Google_Protobuf_Timestamp(
            seconds: entry.occurredAt.microsecondsSinceEpoch / 1_000_000,
            nanos: Int32(entry.occurredAt.microsecondsSinceEpoch % 1_000_000) * 1000)
        envelope.payload = entry.event.payload
        if let c = entry.correlationID { envelope.correlationID = c.description }
        return envelope
    }

    @Test func everySampleEventRoundTripsInBothEncodings() throws {
        for (n, event) in SampleEvents.all.enumerated() {
            let entry = JournalEntry(
                event: event, actor: "account-\(n % 3)", occurredAt: Self.when.adding(microseconds: Int64(n) * 1_000_123),
                correlationID: n % 2 == 0 ? .generate() : nil)
            let envelope = Self.command(entry)
            #expect(try JournalEntry(commandBytes: envelope.serializedBytes() as [UInt8], actor: entry.actor) == entry)
            #expect(try JournalEntry(commandJSON: envelope.jsonString(), actor: entry.actor) == entry)
        }
    }

    @Test func theCurrentSchemaVersionOfEveryEventIsKnownFromItsPayload() {
        for event in SampleEvents.all {
            #expect(SchoolEvent.currentSchemaVersion(of: event.payload) == event.schemaVersion, "\(event.eventType)")
        }
    }

    @Test func anEmptyEventIDGetsANewOneAndTheSameIDIsKeptForRetries() throws {
        var envelope = Self.command(JournalEntry(event: SampleEvents.all[0], actor: "account-1", occurredAt: Self.when))
        let kept = try JournalEntry(command: envelope, actor: "account-1")
        #expect(try JournalEntry(command: envelope, actor: "account-1").id == kept.id)
        envelope.eventID = ""
        let first = try JournalEntry(command: envelope, actor: "account-1")
        let second = try JournalEntry(command: envelope, actor: "account-1")
        #expect(first.id != second.id)
        #expect(first.event == kept.event)
    }

    /// The refusal of `envelope` after `damage`.
    func refusal(_ damage: (inout Schoolledger_V1_Envelope) -> Void) -> InterchangeError? {
        var envelope = Self.command(JournalEntry(event: SampleEvents.all[0], actor: "account-1", occurredAt: Self.when))
        damage(&envelope)
        do {
            _ = try JournalEntry(command: envelope, actor: "account-1")
            return nil
        } catch {
            return error
        }
    }

    @Test func fieldsTheLedgerSetsAreRefused() {
        #expect(refusal { $0.position = 7 }?.field == "position")
        #expect(refusal { $0.streamVersion = 2 }?.field == "stream_version")
        #expect(refusal { $0.recordedAt = Google_Protobuf_Timestamp(seconds: 1) }?.field == "recorded_at")
        #expect(refusal { $0.hash = "00" }?.field == "hash")
        #expect(refusal { $0.previousHash = "00" }?.field == "previous_hash")
        #expect(refusal { $0.previousInStream = 1 }?.field == "previous_in_stream")
        #expect(refusal { $0.previousByActor = 1 }?.field == "previous_by_actor")
        Fixture.reportStress("hostile inputs", 7)
    }

    @Test func incompleteOrContradictoryCommandsNameTheField() {
        #expect(refusal { $0.payload = nil }?.field == "payload")
        #expect(refusal { $0.actor = "someone-else" }?.field == "actor")
        #expect(refusal { $0.clearOccurredAt() }?.field == "occurred_at")
        #expect(refusal { $0.occurredAt = Google_Protobuf_Timestamp(seconds: -5) }?.field == "occurred_at")
        #expect(refusal { $0.occurredAt = Google_Protobuf_Timestamp(seconds: 300_000_000_000) }?.field == "occurred_at")
        #expect(refusal { $0.eventID = "not-a-uuid" }?.field == "event_id")
        #expect(refusal { $0.correlationID = "x" }?.field == "correlation_id")
        #expect(refusal { $0.type = "SomethingElse" }?.field == "type")
        #expect(refusal { $0.stream = "student-0" }?.field == "stream")
        Fixture.reportStress("hostile inputs", 9)
    }

    @Test func bytesThatAreNoEnvelopeAndOversizedCommandsAreRefused() {
        #expect(throws: InterchangeError.self) { try JournalEntry(commandBytes: [0xFF, 0xFF, 0xFF], actor: "account-1") }
        #expect(throws: InterchangeError.self) { try JournalEntry(commandJSON: "{\"actor\": 1, ", actor: "account-1") }
        #expect(throws: InterchangeError.self) { try JournalEntry(commandJSON: "{\"no_such_field\": true}", actor: "account-1") }
        do {
            _ = try JournalEntry(commandBytes: [UInt8](repeating: 0, count: JournalEntry.maxCommandBytes + 1), actor: "account-1")
            Issue.record("an oversized command was accepted")
        } catch {
            #expect(error.field == "command")
            #expect(error.rule.contains("more than"))
        }
        Fixture.reportStress("hostile inputs", 4)
    }

    @Test func aStoredRecordDecodesFromItsRawBytesAndDamageIsNamed() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await InterchangeTests.ledgerWithSamples(dir)
        try ledger.read { reader in
            try reader.forEach(from: 1, through: 3) { view in
                let raw = Array(view.bytes)
                try raw.withUnsafeBytes { bytes in
                    let copy = try RecordView(decoding: bytes, storedAt: view.position)
                    let previous = try #require(try reader.chainHash(before: view.position))
                    #expect(copy.id == view.id)
                    #expect(copy.hashIsIntact(after: previous))
                    // Read under another key, the record's hash no longer holds: it covers the position.
                    let moved = try RecordView(decoding: bytes, storedAt: view.position + 1)
                    #expect(!moved.hashIsIntact(after: view.hash))
                    #expect(throws: LedgerError.self) {
                        try RecordView(decoding: UnsafeRawBufferPointer(rebasing: bytes.prefix(bytes.count - 5)), storedAt: view.position)
                    }
                }
                return true
            }
        }
    }
}
