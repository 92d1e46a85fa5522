import EventLedger
@testable import SchoolLedger
import Testing

@Suite("Folds: a lesson read from its schedule events alone")
struct SchoolFoldsTests {
    /// A lesson's stream from the sample events: scheduled, moved, substituted,
    /// conducted, and its roll call with a correction.
    static let stream = SampleEvents.all.filter { $0.stream == "lesson/L-2026-10-05-7B-3" }

    @Test func theLessonFromItsScheduleEventsEqualsTheLessonFromItsWholeStream() throws {
        let types = Set(SchoolFolds.lessonEventTypes)
        let filtered = Self.stream.filter { types.contains($0.eventType) }
        #expect(filtered.count < Self.stream.count)
        let whole = try #require(SchoolFolds.lesson(Self.stream))
        #expect(SchoolFolds.lesson(filtered) == whole)
        #expect(whole.topic != nil && whole.lessonNumber == 5 && whole.substituteID == nil)
        // Every type the fold reacts to is in the list: dropping any one changes the lesson
        // (the substitution on the stream without its cancellation).
        let uncancelled = Self.stream.filter { $0.eventType != "SubstitutionCancelled" }
        for type in types where Self.stream.contains(where: { $0.eventType == type }) {
            let base = type == "SubstitutionAssigned" ? uncancelled : Self.stream
            #expect(SchoolFolds.lesson(base.filter { $0.eventType != type }) != SchoolFolds.lesson(base), "\(type)")
        }
        // `changesLesson` (what a call's checks fold a lesson again after) names the same types.
        for event in SampleEvents.all {
            #expect(SchoolFolds.changesLesson(event) == types.contains(event.eventType), "\(event.eventType)")
        }
        #expect(Set(SampleEvents.all.filter(SchoolFolds.changesLesson).map(\.eventType)) == types)
    }
}
