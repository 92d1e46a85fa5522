import Testing

@testable import SchoolLedger

/// The journal takes a signed entry's unsigned payload from the bytes it
/// encoded, not from a second encoding: the two must be the same bytes.
@Suite("A signed payload without its signature")
struct UnsignedPayloadTests {
    @Test func strippingTheSignatureGivesTheBytesOfTheEnvelopeWithoutOne() throws {
        let signature = OperationSignature(keyID: "0123456789abcdef0123456789abcdef", signature: (0..<64).map { UInt8($0) })
        for event in SampleEvents.all {
            let signed = try EventCoding.payloadBytes(event, signature: signature)
            let unsigned = try EventCoding.payloadBytes(event)
            #expect(signed != unsigned, "\(event.eventType)")
            #expect(EventCoding.withoutSignature(signed) == unsigned, "\(event.eventType)")
            #expect(EventCoding.withoutSignature(unsigned) == unsigned, "\(event.eventType)")
            #expect(signed.withUnsafeBytes { EventCoding.carriesSignature($0) })
            #expect(!unsigned.withUnsafeBytes { EventCoding.carriesSignature($0) })
        }
        // Bytes that are not a message: a length past the end.
        #expect(EventCoding.withoutSignature([0x0A, 0x05, 0x01]) == nil)
    }
}
