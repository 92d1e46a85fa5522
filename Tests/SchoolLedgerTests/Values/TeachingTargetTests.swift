import Foundation
import SchoolLedger
import Testing

/// A teaching target in JSON (an extract, a view) as its protobuf JSON has it.
@Suite("Teaching targets in JSON")
struct TeachingTargetTests {
    @Test func eachKindIsOneKeyAndReadsBack() throws {
        let cases: [(TeachingTarget, String)] = [
            (.class("7Б"), #"{"class_id":"7Б"}"#), (.group("G-1"), #"{"group_id":"G-1"}"#),
            (.teachingStream("TS-10"), #"{"stream_id":"TS-10"}"#), (.student("S-1"), #"{"student_id":"S-1"}"#),
        ]
        for (target, json) in cases {
            #expect(String(decoding: try JSONEncoder().encode(target), as: UTF8.self) == json)
            #expect(try JSONDecoder().decode(TeachingTarget.self, from: Data(json.utf8)) == target)
        }
    }

    @Test func noKindOrTwoKindsAreRefused() {
        for json in [#"{}"#, #"{"class_id":"7Б","group_id":"G-1"}"#, #"{"room":"12"}"#] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(TeachingTarget.self, from: Data(json.utf8)) }
        }
    }
}
