import Foundation
import LedgerTestSupport
import SchoolLedger
import SwiftProtobuf
import Testing

/// Every event type converts to its stored form and back without loss, in
/// the binary wire format and in protobuf's canonical JSON.
@Suite("SchoolEvent: the catalog and its stored forms")
struct SchoolEventTests {
    /// The stored envelope of `event`: only the payload oneof set, as in a record.
    static func envelope(_ event: SchoolEvent) -> Schoolledger_V1_Envelope {
        var envelope = Schoolledger_V1_Envelope()
        envelope.payload = event.payload
        return envelope
    }

    @Test("every sample is valid", arguments: SampleEvents.all)
    func everySampleIsValid(event: SchoolEvent) throws {
        try event.validate()
    }

    @Test("binary: event -> payload -> bytes -> payload -> event is the same event", arguments: SampleEvents.all)
    func roundTripsThroughProtobufBytes(event: SchoolEvent) throws {
        let bytes: [UInt8] = try Self.envelope(event).serializedBytes()
        let decoded = try Schoolledger_V1_Envelope(serializedBytes: bytes)
        let payload = try #require(decoded.payload)
        let back = try SchoolEvent(payload: payload, schemaVersion: event.schemaVersion)
        #expect(back == event)
        // Writing the read event again gives the same bytes: the stored form is deterministic.
        let again: [UInt8] = try Self.envelope(back).serializedBytes()
        #expect(again == bytes)
    }

    @Test("JSON: event -> payload -> canonical JSON -> payload -> event is the same event", arguments: SampleEvents.all)
    func roundTripsThroughCanonicalJSON(event: SchoolEvent) throws {
        let json = try Self.envelope(event).jsonString()
        let decoded = try Schoolledger_V1_Envelope(jsonString: json)
        let payload = try #require(decoded.payload)
        #expect(try SchoolEvent(payload: payload, schemaVersion: event.schemaVersion) == event)
    }

    @Test func theSamplesCoverEveryEventType() {
        let sampled = Set(SampleEvents.all.map(\.eventType))
        #expect(sampled == Set(SchoolEvent.allEventTypes))
    }

    @Test func thereAre59DistinctEventTypes() {
        #expect(SchoolEvent.allEventTypes.count == 59)
        #expect(Set(SchoolEvent.allEventTypes).count == 59)
    }

    @Test("each event type is the name of its stored proto message", arguments: SampleEvents.all)
    func eachEventTypeIsItsProtoMessageName(event: SchoolEvent) {
        func storedName<P: CatalogEvent>(_ payload: P) -> String { P.Stored.protoMessageName }
        #expect(storedName(event.catalogEvent) == "schoolledger.v1." + event.eventType)
    }

    /// The descriptor snapshot of Schemas/ (what `protoc` compiled).
    static func envelopeDescriptor() throws -> Google_Protobuf_DescriptorProto {
        let root = Fixture.repositoryRoot
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/snapshots/schoolledger.binpb"))
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: data)
        let file = try #require(set.file.first { $0.name == "schoolledger/v1/envelope.proto" })
        return try #require(file.messageType.first { $0.name == "Envelope" })
    }

    @Test func allEventTypesAreTheEnvelopeOneofMessagesInOrder() throws {
        let envelope = try Self.envelopeDescriptor()
        let payloadIndex = try #require(envelope.oneofDecl.firstIndex { $0.name == "payload" })
        let names = envelope.field
            .filter { $0.hasOneofIndex && Int($0.oneofIndex) == payloadIndex }
            .map { $0.typeName.split(separator: ".").last.map(String.init) ?? "" }
        #expect(names == SchoolEvent.allEventTypes)
    }

    @Test func schemaVersionIsOneExceptMarkRecordedWhichIsTwo() {
        for event in SampleEvents.all {
            #expect(event.schemaVersion == (event.eventType == "MarkRecorded" ? 2 : 1), "\(event.eventType)")
        }
    }

    @Test func streamsFollowTheConvention() {
        let s = SampleEvents.self
        #expect(SchoolEvent.schoolRegistered(s.schoolRegistered).stream == "school")
        #expect(SchoolEvent.journalSettingsChanged(s.journalSettingsChanged).stream == "school")
        #expect(SchoolEvent.staffRoleGranted(s.staffRoleGranted).stream == "school")
        #expect(SchoolEvent.reportingPeriodDefined(s.reportingPeriodDefined).stream == "year/2026-2027")
        #expect(SchoolEvent.subjectDefined(s.subjectDefined).stream == "subject/algebra")
        #expect(SchoolEvent.classTeacherAssigned(s.classTeacherAssigned).stream == "class/7B")
        #expect(SchoolEvent.teacherAssigned(s.teacherAssignedToClass).stream == "class/7B")
        #expect(SchoolEvent.teacherAssigned(s.teacherAssignedToGroup).stream == "group/7B-english-1")
        #expect(SchoolEvent.teacherAssigned(s.teacherAssignedToStream).stream == "teaching-stream/10-physics")
        #expect(SchoolEvent.teacherAssigned(s.teacherAssignedToStudent).stream == "student/S-1005")
        #expect(SchoolEvent.streamFormed(s.streamFormed).stream == "teaching-stream/10-physics")
        #expect(SchoolEvent.parentLinked(s.parentLinked).stream == "student/S-1001")
        #expect(SchoolEvent.paperExtractIssued(s.paperExtractIssued).stream == "student/S-1003")
        #expect(SchoolEvent.recommendationIssued(s.recommendationIssued).stream == "student/S-1002")
        #expect(SchoolEvent.lessonConducted(s.lessonConducted).stream == "lesson/L-2026-10-05-7B-3")
        #expect(SchoolEvent.attendanceCorrected(s.attendanceCorrected).stream == "lesson/L-2026-10-05-7B-3")
        #expect(SchoolEvent.markRecorded(s.markRecorded).stream == "mark/M-000001")
        #expect(SchoolEvent.markCorrected(s.markCorrected).stream == "mark/M-000001")
        #expect(SchoolEvent.finalMarkCorrected(s.finalMarkCorrected).stream == "final-mark/FM-S-1004-algebra-q1")
        #expect(SchoolEvent.testRescheduled(s.testRescheduled).stream == "test/T-7B-algebra-1")
        #expect(SchoolEvent.homeworkAmended(s.homeworkAmended).stream == "homework/HW-7B-algebra-12")
        #expect(SchoolEvent.consentGiven(s.consentGiven).stream == "parent/P-2001")
        #expect(SchoolEvent.credentialsReset(s.credentialsReset).stream == "account/S-1001.login")
        #expect(SchoolEvent.notificationFailed(s.notificationFailed).stream == "notification/N-2")
        #expect(SchoolEvent.personalDataErased(s.personalDataErased).stream == "personal-data/P-2002")
        #expect(SchoolEvent.compromiseReported(s.compromiseReported).stream == "compromise")
        #expect(SchoolEvent.voidsLifted(s.voidsLifted).stream == "compromise")
    }

    @Test("every stream is <kind>/<id> or a school-wide name, at most 256 bytes", arguments: SampleEvents.all)
    func everyStreamIsWellFormed(event: SchoolEvent) {
        let stream = event.stream
        #expect(stream == "school" || stream == "compromise" || stream.split(separator: "/", maxSplits: 1).count == 2)
        #expect(stream.utf8.count <= 256)
    }

    @Test func optionalFieldsUnsetStayUnsetInTheStoredForm() throws {
        let stored = SampleEvents.markRecordedMinimal.stored
        #expect(stored.comment.isEmpty && stored.testID.isEmpty && stored.workKindNote.isEmpty && stored.kindOfWork.isEmpty)
        let reread = try MarkRecorded(stored: stored, schemaVersion: 2)
        #expect(reread.comment == nil && reread.testID == nil && reread.workKindNote == nil)
    }
}
