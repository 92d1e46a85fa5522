import SchoolLedger
import Testing

@Suite("WorkKind: kinds of work and their common names")
struct WorkKindTests {
    @Test func everyKindIsRecognisedByItsRussianName() {
        for kind in WorkKind.allCases {
            #expect(WorkKind(commonName: kind.russianName) == kind, "\(kind.russianName)")
        }
    }

    @Test func aNameMatchesOnlyAtAWordBoundary() {
        #expect(WorkKind(commonName: "кр") == .test)
        #expect(WorkKind(commonName: "кружок") == nil)
        #expect(WorkKind(commonName: "тестирование") == nil)
        #expect(WorkKind(commonName: "") == nil)
        #expect(WorkKind(commonName: "   ") == nil)
    }

    @Test func theLongestKnownNameWins() {
        #expect(WorkKind(commonName: "контрольный диктант") == .test)
        #expect(WorkKind(commonName: "диктант") == .dictation)
    }
}
