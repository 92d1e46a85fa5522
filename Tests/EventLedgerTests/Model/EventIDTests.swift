import EventLedger
import Testing

@Suite("Event ids")
struct EventIDTests {
    @Test func generatedIDsAreVersion7AndStrictlyIncreasing() {
        let ids = (0..<10_000).map { _ in EventID.generate() }
        #expect(ids.allSatisfy { $0.version == 7 })
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func randomIDsAreVersion4() {
        #expect(EventID.random().version == 4)
    }

    @Test func textFormRoundTrips() {
        for id in [EventID.generate(), .random()] {
            #expect(EventID(id.description) == id)
            #expect(EventID(id.description.uppercased()) == id)
            #expect(EventID(bytes: id.bytes) == id)
        }
        #expect(EventID("0192f0c1-2a3b-7c4d-8e5f-0123456789ab")?.description == "0192f0c1-2a3b-7c4d-8e5f-0123456789ab")
    }

    @Test(arguments: [
        "", "0192f0c12a3b7c4d8e5f0123456789ab", "0192f0c1-2a3b-7c4d-8e5f-0123456789a",
        "0192f0c1-2a3b-7c4d-8e5f-0123456789ag", "0192f0c1-2a3b-7c4d-8e5f0-123456789ab",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(EventID(text) == nil)
    }
}
