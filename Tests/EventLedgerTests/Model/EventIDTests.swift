import Foundation
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

    /// The text is each byte's two lower-case digits, as `String(format:)`
    /// writes them, with the four dashes of a UUID's usual form.
    @Test func textFormIsTheBytesInLowerCaseHexWithDashes() {
        for id in [EventID.generate(), .random(), EventID(high: 0, low: 0), EventID(high: .max, low: .max)] {
            let digits = id.bytes.map { String(format: "%02x", $0) }
            let expected = [digits[0..<4], digits[4..<6], digits[6..<8], digits[8..<10], digits[10..<16]].map { $0.joined() }.joined(
                separator: "-")
            #expect(id.description == expected)
        }
    }

    /// Hexadecimal text of any bytes (an array, a slice, a sequence that is
    /// not contiguous, none at all) is two lower-case digits a byte, and
    /// reads back to the same bytes.
    @Test func hexTextIsTwoLowerCaseDigitsAByteAndReadsBack() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for sample in [bytes, Array(bytes[1..<34]), [], [0x00, 0xff, 0x0a, 0xa0]] {
            let expected = sample.map { String(format: "%02x", $0) }.joined()
            #expect(Hex.encode(sample) == expected)
            #expect(Hex.encode(sample[...]) == expected)
            #expect(Hex.encode(sample.lazy.map { $0 }) == expected)
            #expect(Hex.decode(expected) == sample)
        }
    }

    @Test(arguments: [
        "", "0192f0c12a3b7c4d8e5f0123456789ab", "0192f0c1-2a3b-7c4d-8e5f-0123456789a",
        "0192f0c1-2a3b-7c4d-8e5f-0123456789ag", "0192f0c1-2a3b-7c4d-8e5f0-123456789ab",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(EventID(text) == nil)
    }
}
