import EventLedger
import Foundation
import LedgerTestSupport
import Testing

// The README's embedding example, compiled and run here. The lines between
// the markers must equal the README's `swift` block that follows
// `<!-- example: embedding -->`; the test below checks that they do.

// README example begin
func recordFirstMark(ledgerDirectory: String) async throws -> [RecordedEvent] {
    let ledger = try EventLedger.open(at: ledgerDirectory)

    // Create each event once and resend the same value to retry safely:
    // its id (a time-ordered UUIDv7) makes the retry a no-op.
    let mark = NewEvent(
        stream: "student/S-1001", type: "MarkRecorded", actor: "teacher-ivanova",
        occurredAt: Instant(iso8601: "2026-09-01T08:30:00Z")!,
        payload: Array(#"{"lesson":"L-1","value":5,"weight":3}"#.utf8))

    // Returns once the commit is durable. `.noStream`: refuse if someone else
    // already wrote to this student's stream.
    let result = try await ledger.append(mark, expecting: .noStream)
    print("appended at position", result.positions[0])

    // Prove later that history was not rewritten: keep the head elsewhere.
    let head = try ledger.head()
    let report = try ledger.verify(against: head)
    print("chain intact:", report.isIntact)

    return try ledger.events(inStream: "student/S-1001")
}
// README example end

@Suite("The README")
struct ReadmeExampleTests {
    @Test func theEmbeddingExampleRuns() async throws {
        let dir = TemporaryDirectory()
        let events = try await recordFirstMark(ledgerDirectory: dir.sub("school"))
        #expect(events.map(\.type) == ["MarkRecorded"])
    }

    @Test func theREADMEShowsExactlyTheCompiledExample() throws {
        let example = try Fixture.readmeExample("embedding", compiledIn: #filePath)
        #expect(!example.compiled.isEmpty)
        #expect(example.shown == example.compiled)
    }
}
