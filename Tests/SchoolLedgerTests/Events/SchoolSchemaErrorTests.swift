import SchoolLedger
import SwiftProtobuf
import Testing

/// The error reading `stored` throws, or `nil` when it reads.
func schemaError<P: CatalogEvent>(_ type: P.Type, _ stored: P.Stored, version: UInt32 = P.schemaVersion) -> SchoolSchemaError? {
    do {
        _ = try P(stored: stored, schemaVersion: version)
        return nil
    } catch {
        return error
    }
}

/// Expects reading `stored` to fail with an error naming the type, `field` and `problem`.
func expectUnreadable<P: CatalogEvent>(
    _ type: P.Type, _ stored: P.Stored, version: UInt32 = P.schemaVersion, field: String, problem: SchoolSchemaError.Problem,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = schemaError(type, stored, version: version)
    #expect(error != nil, "\(P.eventType) should not read for \(field)", sourceLocation: sourceLocation)
    #expect(error?.eventType == P.eventType, sourceLocation: sourceLocation)
    #expect(error?.field == field, "\(error?.message ?? "no error")", sourceLocation: sourceLocation)
    #expect(error?.problem == problem, sourceLocation: sourceLocation)
}

/// Stored data that does not fit the Swift types is refused when read,
/// with the event type and the field.
@Suite("Stored data that does not decode")
struct SchoolSchemaErrorTests {
    let s = SampleEvents.self

    @Test func anUnspecifiedEnumValueDoesNotDecode() {
        var stored = s.attendanceMarked.stored
        stored.status = .unspecified
        expectUnreadable(AttendanceMarked.self, stored, field: "status", problem: .unspecifiedEnumValue)
        var mark = s.markRecorded.stored
        mark.value.nonNumeric = .unspecified
        expectUnreadable(MarkRecorded.self, mark, field: "value.non_numeric", problem: .unspecifiedEnumValue)
    }

    @Test func anEnumValueUnknownToThisLibraryDoesNotDecode() {
        var stored = s.staffRoleGranted.stored
        stored.role = .UNRECOGNIZED(42)
        expectUnreadable(StaffRoleGranted.self, stored, field: "role", problem: .unknownEnumValue)
        var informed = s.parentsInformedOfServices.stored
        informed.services = [.email, .UNRECOGNIZED(9)]
        expectUnreadable(ParentsInformedOfServices.self, informed, field: "services[1]", problem: .unknownEnumValue)
        var settings = s.journalSettingsChanged.stored
        settings.kindsOfWork[2].workKind = .unspecified
        expectUnreadable(JournalSettingsChanged.self, settings, field: "kinds_of_work[2].work_kind", problem: .unspecifiedEnumValue)
    }

    @Test func aMissingRequiredMessageDoesNotDecode() {
        var mark = s.markRecorded.stored
        mark.clearValue()
        expectUnreadable(MarkRecorded.self, mark, field: "value", problem: .missingField)
        var year = s.academicYearOpened.stored
        year.clearDates()
        expectUnreadable(AcademicYearOpened.self, year, field: "dates", problem: .missingField)
        var assignment = s.teacherAssignedToClass.stored
        assignment.target = Schoolledger_V1_TeachingTarget()
        expectUnreadable(TeacherAssigned.self, assignment, field: "target", problem: .missingField)
        var extract = s.paperExtractIssued.stored
        extract.covers = nil
        expectUnreadable(PaperExtractIssued.self, extract, field: "covers", problem: .missingField)
        var enrolled = s.studentEnrolled.stored
        enrolled.clearPersonalData()
        expectUnreadable(StudentEnrolled.self, enrolled, field: "personal_data", problem: .missingField)
        var voided = s.operationsVoided.stored
        voided.window.clearOpensAt()
        expectUnreadable(OperationsVoided.self, voided, field: "window.opens_at", problem: .missingField)
        var settings = s.journalSettingsChanged.stored
        settings.clearFinalMarkRounding()
        expectUnreadable(JournalSettingsChanged.self, settings, field: "final_mark_rounding", problem: .missingField)
    }

    @Test func aMissingRequiredDateDoesNotDecode() {
        var stored = s.classTeacherAssigned.stored
        stored.effectiveDate = ""
        expectUnreadable(ClassTeacherAssigned.self, stored, field: "effective_date", problem: .missingField)
    }

    @Test func aDateThatIsNotYYYYMMDDOrNotARealDayDoesNotDecode() {
        for bad in ["2026-02-30", "01.09.2026", "2026-9-1", "2026-09-01T00:00:00Z", "0000-01-01"] {
            var stored = s.classTeacherAssigned.stored
            stored.effectiveDate = bad
            expectUnreadable(ClassTeacherAssigned.self, stored, field: "effective_date", problem: .badDate)
        }
        var year = s.academicYearOpened.stored
        year.dates.startDate = "2026-13-01"
        expectUnreadable(AcademicYearOpened.self, year, field: "dates.start_date", problem: .badDate)
        var ack = s.diaryAcknowledged.stored
        ack.upToDate = "2027-02-29"
        expectUnreadable(DiaryAcknowledged.self, ack, field: "up_to_date", problem: .badDate)
    }

    @Test func aTimestampWithNanosOutOfRangeOrFinerThanMicrosecondsDoesNotDecode() {
        for nanos: Int32 in [-1, 1_000_000_000, 500] {
            var stored = s.compromiseReported.stored
            stored.receivedByHeadAt.nanos = nanos
            expectUnreadable(CompromiseReported.self, stored, field: "received_by_head_at", problem: .badInstant)
        }
        var stored = s.compromiseReported.stored
        stored.discoveredAt.seconds = .max
        expectUnreadable(CompromiseReported.self, stored, field: "discovered_at", problem: .badInstant)
    }

    @Test func aTimestampOutside1970Through9999DecodesButIsRefusedByValidation() throws {
        var stored = s.compromiseReported.stored
        stored.receivedBySupportAt.seconds = -10
        let notice = try CompromiseReported(stored: stored, schemaVersion: 1)
        expectRejected(notice, field: "received_by_support_at")
    }

    @Test func aNoticeEventIDMustBeUUIDText() {
        var stored = s.compromiseNoticeWithdrawn.stored
        stored.noticeEventID = "notice-1"
        expectUnreadable(CompromiseNoticeWithdrawn.self, stored, field: "notice_event_id", problem: .badEventID)
        var lifted = s.voidsLifted.stored
        lifted.noticeEventID = ""
        expectUnreadable(VoidsLifted.self, lifted, field: "notice_event_id", problem: .missingField)
    }

    @Test func anActivationCodeSaltWithoutItsHashDoesNotDecode() {
        var stored = s.credentialsIssued.stored
        stored.activationCodeHash = .init()
        expectUnreadable(CredentialsIssued.self, stored, field: "activation_code_hash", problem: .missingField)
    }

    @Test func aSchemaVersionThisLibraryDoesNotKnowDoesNotDecode() {
        expectUnreadable(
            LessonConducted.self, s.lessonConducted.stored, version: 2, field: "schema_version", problem: .unsupportedSchemaVersion)
        expectUnreadable(
            LessonConducted.self, s.lessonConducted.stored, version: 0, field: "schema_version", problem: .unsupportedSchemaVersion)
        expectUnreadable(MarkRecorded.self, s.markRecorded.stored, version: 3, field: "schema_version", problem: .unsupportedSchemaVersion)
        #expect(throws: SchoolSchemaError.self) { try SchoolEvent(payload: .lessonConducted(s.lessonConducted.stored), schemaVersion: 2) }
    }

    @Test func theMessageNamesTheEventTheFieldAndWhatToDo() {
        var stored = s.attendanceMarked.stored
        stored.status = .UNRECOGNIZED(7)
        let error = schemaError(AttendanceMarked.self, stored)
        #expect(
            error?.message
                == "Stored AttendanceMarked: status (\"7\") is not a value this library knows. "
                + "It was written by a newer version of the schema: read it with a newer SchoolLedger.")
    }
}
