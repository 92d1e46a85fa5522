import SchoolLedger
import Testing

@Suite("MarkValue: the journal's marks")
struct MarkValueTests {
    @Test(
        arguments: [
            (MarkValue.numeric(5), "5"), (.numeric(4), "4"), (.numeric(3), "3"), (.numeric(2), "2"), (.numeric(1), "1"),
            (.pass, "зач"), (.fail, "незач"), (.exempt, "осв"), (.notAttested, "н/а"),
        ])
    func printsAndParsesTheRussianText(mark: MarkValue, text: String) {
        #expect(mark.text == text)
        #expect(mark.description == text)
        #expect(MarkValue(text: text) == mark)
    }

    @Test func parsesCommonSpellings() {
        #expect(MarkValue(text: " Зачёт ") == .pass)
        #expect(MarkValue(text: "незачет") == .fail)
        #expect(MarkValue(text: "Н/А") == .notAttested)
        #expect(MarkValue(text: "освобождён") == .exempt)
    }

    @Test func refusesWhatIsNotAMark() {
        #expect(MarkValue(text: "н") == nil)  // absence is attendance, not a mark
        #expect(MarkValue(text: "6") == nil)
        #expect(MarkValue(text: "0") == nil)
        #expect(MarkValue(text: "4+") == nil)
        #expect(MarkValue(text: "") == nil)
    }

    @Test func onlyNumericMarksAreNumeric() {
        #expect(MarkValue.numeric(3).isNumeric)
        #expect(MarkValue.numeric(3).numericValue == 3)
        for mark in [MarkValue.pass, .fail, .exempt, .notAttested] {
            #expect(!mark.isNumeric)
            #expect(mark.numericValue == nil)
        }
    }

    @Test func failingMarksAreTwoOneFailAndNotAttested() {
        let failing = [MarkValue.numeric(1), .numeric(2), .fail, .notAttested].filter { $0.isFailing }
        let passing = [MarkValue.numeric(3), .numeric(5), .pass, .exempt].filter { !$0.isFailing }
        #expect(failing.count == 4)
        #expect(passing.count == 4)
    }
}
