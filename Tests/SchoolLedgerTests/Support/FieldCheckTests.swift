import Testing

@testable import SchoolLedger

/// The field rules' control-character test, found by value, against
/// Unicode's own general category for every scalar.
@Suite("Field checks")
struct FieldCheckTests {
    @Test func aScalarIsAControlCharacterExactlyWhenUnicodeSaysItsCategoryIsCc() {
        var mismatches = [UInt32]()
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if FieldCheck.isControl(scalar) != (scalar.properties.generalCategory == .control) { mismatches.append(value) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
    }

    @Test(
        arguments: [
            ("plain", [], false), ("a\u{0}b", [], true), ("tab\there", [], true), ("tab\there", ["\t"], false),
            ("line\nbreak\t", ["\n", "\t"], false), ("del\u{7F}", ["\n", "\t"], true), ("Иванов", [], false),
            ("Иванов\u{85}", [], true), ("Иванов\u{85}", ["\u{85}"], false), ("Иванов\n", [], true), ("Иванов\n", ["\n"], false),
            ("é\u{9F}", [], true), ("\u{A0}nbsp", [], false), ("", [], false),
        ] as [(String, Set<Unicode.Scalar>, Bool)])
    func aTextHasAControlCharacterUnlessEachIsAllowed(text: String, allowed: Set<Unicode.Scalar>, expected: Bool) {
        #expect(FieldCheck.hasControlCharacter(text, allowing: allowed) == expected)
        // The same answer as Unicode's general category gives, scalar by scalar.
        let oracle = text.unicodeScalars.contains { $0.properties.generalCategory == .control && !allowed.contains($0) }
        #expect(oracle == expected)
    }

    @Test func aRuleIsWorkedOutOnlyWhenTheFieldFails() throws {
        let check = FieldCheck("MarkRecorded")
        var formatted = 0
        func rule() -> String {
            formatted += 1
            return "a rule"
        }
        try check.require(true, "markID", "M-1", rule())
        #expect(formatted == 0)
        let error = #expect(throws: SchoolValidationError.self) { try check.require(false, "markID", "M-1", rule()) }
        #expect(formatted == 1)
        #expect(error?.rule == "a rule" && error?.field == "markID" && error?.value == "M-1")
    }
}
