import EventLedger
import SchoolLedger
import Testing

/// The error `payload.validate()` throws, or `nil` when it is valid.
func validationError<P: CatalogEvent>(_ payload: P) -> SchoolValidationError? {
    do {
        try payload.validate()
        return nil
    } catch {
        return error
    }
}

/// Expects `payload` to be refused with an error that names its event type and `field`.
func expectRejected<P: CatalogEvent>(
    _ payload: P, field: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = validationError(payload)
    #expect(error != nil, "\(P.eventType) should be refused for \(field)", sourceLocation: sourceLocation)
    #expect(error?.eventType == P.eventType, sourceLocation: sourceLocation)
    #expect(error?.field == field, "\(error?.message ?? "no error")", sourceLocation: sourceLocation)
}

/// One test per field rule of the catalog ("Bad input" in the domain): each
/// breaks one rule of a valid sample and checks the error names the event
/// type and the field.
@Suite("Field rules: each refused with the event type and the field")
struct SchoolValidationRuleTests {
    let s = SampleEvents.self

    // MARK: Identifiers

    @Test func anEmptyIdentifierIsRefused() {
        var e = s.markRecorded
        e.studentID = ""
        expectRejected(e, field: "student_id")
    }

    @Test func anIdentifierLongerThan64BytesIsRefused() {
        var e = s.lessonScheduled
        e.lessonID = LessonID(String(repeating: "у", count: 33))  // 66 bytes in UTF-8
        expectRejected(e, field: "lesson_id")
        e.lessonID = LessonID(String(repeating: "a", count: 64))
        #expect(validationError(e) == nil)
    }

    @Test func anIdentifierWithAControlCharacterIsRefused() {
        var e = s.classFormed
        e.classID = "7\tB"
        expectRejected(e, field: "class_id")
    }

    @Test func aTeachingTargetsIdentifierIsCheckedUnderItsFieldPath() {
        var e = s.teacherAssignedToClass
        e.target = .class("")
        expectRejected(e, field: "target.class_id")
        e.target = .teachingStream(TeachingStreamID(String(repeating: "x", count: 65)))
        expectRejected(e, field: "target.stream_id")
    }

    @Test func anOptionalIdentifierGivenEmptyIsRefused() {
        var e = s.markRecordedMinimal
        e.testID = ""
        expectRejected(e, field: "test_id")
    }

    @Test func identifiersInAListAreCheckedOneByOneAndNotRepeated() {
        var e = s.studyGroupFormed
        e.studentIDs = ["S-1001", "", "S-1003"]
        expectRejected(e, field: "student_ids[1]")
        e.studentIDs = ["S-1001", "S-1002", "S-1001"]
        expectRejected(e, field: "student_ids[2]")
    }

    @Test func aListThatNeedsMembersMustHaveThem() {
        var group = s.studyGroupFormed
        group.classIDs = []
        expectRejected(group, field: "class_ids")
        var stream = s.streamFormed
        stream.classIDs = ["10A"]
        expectRejected(stream, field: "class_ids")
        var plan = s.individualPlanAssigned
        plan.subjectIDs = []
        expectRejected(plan, field: "subject_ids")
    }

    // MARK: Texts

    @Test func aTextLongerThanTheSchemaAllowsInBytesIsRefused() {
        var e = s.lessonConducted
        e.topic = String(repeating: "д", count: 501)  // 1002 bytes: a Cyrillic letter takes 2
        expectRejected(e, field: "topic")
        e.topic = String(repeating: "д", count: 500)
        #expect(validationError(e) == nil)
        var hw = s.homeworkAssigned
        hw.text = String(repeating: "x", count: 8001)
        expectRejected(hw, field: "text")
    }

    @Test func aRequiredTextMustNotBeEmpty() {
        var e = s.markCorrected
        e.reason = ""
        expectRejected(e, field: "reason")
    }

    @Test func anOptionalTextGivenEmptyIsRefused() {
        var e = s.lessonCancelled
        e.reason = ""
        expectRejected(e, field: "reason")
    }

    @Test func aOneLineTextMustNotHoldControlCharactersOrLineBreaks() {
        var e = s.subjectDefined
        e.name = "Алгебра\n"
        expectRejected(e, field: "name")
    }

    @Test func aLongTextMayHoldNewlinesAndTabsButNoOtherControlCharacters() {
        var e = s.homeworkAssigned
        e.text = "§ 12\n\tзадачи 1–5"
        #expect(validationError(e) == nil)
        e.text = "§ 12\u{7}"
        expectRejected(e, field: "text")
        e.text = "§ 12\r\n"
        expectRejected(e, field: "text")
    }

    @Test func theTimeZoneMustBeAnIANAName() {
        var e = s.schoolRegistered
        e.timeZone = "Moscow time"
        expectRejected(e, field: "time_zone")
        e.timeZone = "UTC"
        #expect(validationError(e) == nil)
    }

    // MARK: Marks and weights

    @Test func aNumericMarkOutside1To5IsRefused() {
        for bad in [0, 6, -1, 12] {
            var e = s.markRecorded
            e.value = .numeric(bad)
            expectRejected(e, field: "value")
        }
        var corrected = s.finalMarkCorrected
        corrected.newValue = .numeric(7)
        expectRejected(corrected, field: "new_value")
    }

    @Test func aWeightOutside1To10IsRefused() {
        var e = s.markRecorded
        e.weight = 11
        expectRejected(e, field: "weight")
        e.weight = 0
        expectRejected(e, field: "weight")
        var settings = s.journalSettingsChanged
        settings.kindsOfWork[1].defaultWeight = 0
        expectRejected(settings, field: "kinds_of_work[1].default_weight")
    }

    @Test func notAttestedIsOnlyForFinalMarks() {
        var mark = s.markRecorded
        mark.value = .notAttested
        expectRejected(mark, field: "value")
        var corrected = s.markCorrected
        corrected.newValue = .notAttested
        expectRejected(corrected, field: "new_value")
        #expect(validationError(s.finalMarkSetNotAttested) == nil)
        var finalCorrected = s.finalMarkCorrected
        finalCorrected.newValue = .notAttested
        #expect(validationError(finalCorrected) == nil)
    }

    @Test func aWeightedAverageIsInHundredthsFrom100To500() {
        var e = s.finalMarkSet
        e.weightedAverageHundredths = 501
        expectRejected(e, field: "weighted_average_hundredths")
        e.weightedAverageHundredths = 99
        expectRejected(e, field: "weighted_average_hundredths")
    }

    // MARK: Settings

    @Test func theEditWindowIs0To365Days() {
        var e = s.journalSettingsChanged
        e.editWindowDays = 366
        expectRejected(e, field: "edit_window_days")
        e.editWindowDays = 0
        #expect(validationError(e) == nil)
    }

    @Test func aStructuredKindOfWorkIsListedOnceAndOtherKindsHaveDistinctNames() {
        var e = s.journalSettingsChanged
        e.kindsOfWork.append(WorkKindWeight(workKind: .test, name: "Контрольная", defaultWeight: 4))
        expectRejected(e, field: "kinds_of_work[5].work_kind")
        e = s.journalSettingsChanged
        e.kindsOfWork.append(WorkKindWeight(workKind: .other, name: "сочинение", defaultWeight: 2))
        expectRejected(e, field: "kinds_of_work[5].name")
    }

    @Test func roundingThresholdsRiseFrom3To5Within100To500() {
        var e = s.journalSettingsChanged
        e.finalMarkRounding = FinalMarkRounding(thresholdFor5: 450, thresholdFor4: 350, thresholdFor3: 90)
        expectRejected(e, field: "final_mark_rounding.threshold_for_3")
        e.finalMarkRounding = FinalMarkRounding(thresholdFor5: 450, thresholdFor4: 250, thresholdFor3: 250)
        expectRejected(e, field: "final_mark_rounding.threshold_for_4")
        e.finalMarkRounding = FinalMarkRounding(thresholdFor5: 510, thresholdFor4: 350, thresholdFor3: 250)
        expectRejected(e, field: "final_mark_rounding.threshold_for_5")
    }

    // MARK: Dates and numbers of the calendar

    @Test func aDateRangeMustNotEndBeforeItStarts() {
        var year = s.academicYearOpened
        year.dates = DateRange(start: CivilDate("2026-09-01")!, end: CivilDate("2026-08-31")!)
        expectRejected(year, field: "dates.end_date")
        var extract = s.paperExtractIssuedForDates
        extract.covers = .dates(DateRange(start: CivilDate("2026-10-31")!, end: CivilDate("2026-10-01")!))
        expectRejected(extract, field: "date_range.end_date")
        var assignment = s.teacherAssignedToStream
        assignment.endDate = CivilDate("2026-08-01")
        expectRejected(assignment, field: "end_date")
        var plan = s.individualPlanAssigned
        plan.endDate = CivilDate("2026-09-14")
        expectRejected(plan, field: "dates.end_date")
        year.dates = DateRange(start: CivilDate("2026-09-01")!, end: CivilDate("2026-09-01")!)
        #expect(validationError(year) == nil)
    }

    @Test func aLessonNumberIs1To12() {
        var e = s.lessonScheduled
        e.lessonNumber = 13
        expectRejected(e, field: "lesson_number")
        e.lessonNumber = 0
        expectRejected(e, field: "lesson_number")
        var moved = s.lessonRescheduled
        moved.newLessonNumber = 13
        expectRejected(moved, field: "new_lesson_number")
        var test = s.testScheduled
        test.lessonNumber = 0
        expectRejected(test, field: "lesson_number")
    }

    @Test func aGradeLevelIs1To11AndListedOnce() {
        var e = s.reportingPeriodDefinedHalfYear
        e.gradeLevels = [10, 12]
        expectRejected(e, field: "grade_levels[1]")
        e.gradeLevels = [10, 10]
        expectRejected(e, field: "grade_levels[1]")
        var c = s.classFormed
        c.gradeLevel = 0
        expectRejected(c, field: "grade_level")
    }

    @Test func aReportingPeriodsNumberFitsItsKind() {
        var e = s.reportingPeriodDefined
        e.ordinal = 5
        expectRejected(e, field: "ordinal")
        e.kind = .year
        e.ordinal = 2
        expectRejected(e, field: "ordinal")
    }

    // MARK: Instants and positions

    @Test func anInstantMustBeValidUTCFrom1970Through9999() {
        var e = s.compromiseReported
        e.receivedByHeadAt = Instant(microsecondsSinceEpoch: -1)
        expectRejected(e, field: "received_by_head_at")
        e = s.compromiseReported
        e.discoveredAt = Instant.latestValid.adding(microseconds: 1)
        expectRejected(e, field: "discovered_at")
        var voided = s.operationsVoided
        voided.window.opensAt = Instant(microsecondsSinceEpoch: -86_400_000_000)
        expectRejected(voided, field: "window.opens_at")
        var issued = s.credentialsIssued
        issued.activationCode?.expiresAt = Instant(microsecondsSinceEpoch: .min)
        expectRejected(issued, field: "activation_code_expires_at")
    }

    @Test func aCompromiseNoticeNeedsAtLeastOneReceipt() {
        var e = s.compromiseReported
        e.receivedByHeadAt = nil
        #expect(validationError(e) == nil)
        e.receivedBySupportAt = nil
        expectRejected(e, field: "received_by_head_at")
    }

    @Test func aParticipantReportsFromTheirOwnAccount() {
        var e = s.compromiseReported
        e.reportedBy = "someone-else"
        expectRejected(e, field: "reported_by")
    }

    @Test func aWindowClosesNotBeforeItOpensAndNamesItsClosingPosition() {
        var e = s.operationsVoidedClosed
        e.window.closesAt = SampleEvents.instant("2026-10-05T08:00:00Z")
        expectRejected(e, field: "window.closes_at")
        e = s.operationsVoidedClosed
        e.window.closedByPosition = nil
        expectRejected(e, field: "window.closed_by_position")
    }

    @Test func aLedgerPositionStartsAt1() {
        var e = s.notificationDelivered
        e.aboutPosition = 0
        expectRejected(e, field: "about_position")
        var withdrawn = s.compromiseNoticeWithdrawn
        withdrawn.noticePosition = 0
        expectRejected(withdrawn, field: "notice_position")
        var ack = s.diaryAcknowledged
        ack.upToPosition = 0
        expectRejected(ack, field: "up_to_position")
    }

    @Test func positionListsAreStrictlyAscending() {
        var e = s.operationsVoided
        e.voidedPositions = [1_540, 1_540]
        expectRejected(e, field: "voided_positions[1]")
        var lifted = s.voidsLifted
        lifted.liftedPositions = [1_599, 1_540]
        expectRejected(lifted, field: "lifted_positions[1]")
        lifted = s.voidsLifted
        lifted.withdrawalPosition = 1_500
        expectRejected(lifted, field: "withdrawal_position")
    }

    // MARK: Attendance

    @Test func minutesLateAre1To90AndOnlyForALateStudent() {
        var e = s.attendanceMarkedLate
        e.minutesLate = 91
        expectRejected(e, field: "minutes_late")
        e.minutesLate = nil
        expectRejected(e, field: "minutes_late")
        var absent = s.attendanceMarked
        absent.minutesLate = 5
        expectRejected(absent, field: "minutes_late")
        var corrected = s.attendanceCorrected
        corrected.newStatus = .late
        expectRejected(corrected, field: "new_minutes_late")
    }

    // MARK: Personal data and credentials

    @Test func sealedPersonalDataBelongsToItsPersonAndHasAGCMNonceAndTag() {
        var e = s.studentEnrolled
        e.personalData.subjectID = "S-9999"
        expectRejected(e, field: "personal_data.subject_id")
        e = s.studentEnrolled
        e.personalData.nonce = Array(e.personalData.nonce.prefix(8))
        expectRejected(e, field: "personal_data.nonce")
        var parent = s.parentLinked
        parent.personalData?.tag = []
        expectRejected(parent, field: "personal_data.tag")
        var corrected = s.studentDataCorrected
        corrected.after.subjectID = "P-2001"
        expectRejected(corrected, field: "after.subject_id")
    }

    @Test func aCorrectionNamesTheFieldsItChangedOnce() {
        var e = s.studentDataCorrected
        e.changedFields = []
        expectRejected(e, field: "changed_fields")
        e.changedFields = [.phone, .phone]
        expectRejected(e, field: "changed_fields[1]")
    }

    @Test func anActivationCodeHasA16ByteSaltAndA32ByteHash() {
        var e = s.credentialsIssued
        e.activationCode?.salt = [1, 2, 3]
        expectRejected(e, field: "activation_code_salt")
        var reset = s.credentialsReset
        reset.activationCode?.hash = Array(repeating: 0, count: 31)
        expectRejected(reset, field: "activation_code_hash")
    }

    @Test func aStaffAccountIsHeldByItself() {
        var e = s.credentialsIssuedStaff
        e.personID = "someone-else"
        expectRejected(e, field: "person_id")
    }

    @Test func aContactIsGivenOnlyWhenTurningNotificationsOn() {
        var e = s.notificationPreferenceSet
        e.enabled = false
        expectRejected(e, field: "contact")
        e = s.notificationPreferenceSet
        e.contact?.subjectID = "P-9999"
        expectRejected(e, field: "contact.subject_id")
    }

    @Test func aPaperFormReferenceIsOnlyForAPaperForm() {
        var e = s.consentGivenElectronically
        e.paperFormReference = "Вх. № 1"
        expectRejected(e, field: "paper_form_reference")
        var refused = s.electronicFormRefused
        refused.paperFormReference = String(repeating: "№", count: 101)
        expectRejected(refused, field: "paper_form_reference")
    }

    // MARK: Cross-field rules

    @Test func anAcknowledgementGivesADateOrAPosition() {
        var e = s.diaryAcknowledged
        e.upToDate = nil
        e.upToPosition = nil
        expectRejected(e, field: "up_to_date")
    }

    @Test func aRecommendationIsShownToSomeone() {
        var e = s.recommendationIssued
        e.toStudent = false
        e.toParents = false
        expectRejected(e, field: "to_parents")
    }

    @Test func aMembershipChangeMovesSomeoneAndNobodyBothWays() {
        var e = s.studyGroupMembershipChanged
        e.addedStudentIDs = []
        e.removedStudentIDs = []
        expectRejected(e, field: "added_student_ids")
        e = s.studyGroupMembershipChanged
        e.removedStudentIDs = ["S-1004"]
        expectRejected(e, field: "removed_student_ids[0]")
    }

    @Test func aTransferGoesToAnotherClassAndASubstituteIsAnotherTeacher() {
        var transfer = s.studentTransferred
        transfer.toClassID = transfer.fromClassID
        expectRejected(transfer, field: "to_class_id")
        var substitution = s.substitutionAssigned
        substitution.substituteTeacherID = substitution.replacedTeacherID
        expectRejected(substitution, field: "substitute_teacher_id")
    }

    @Test func informedServicesAreAtLeastOneAndNotRepeated() {
        var e = s.parentsInformedOfServices
        e.services = []
        expectRejected(e, field: "services")
        e.services = [.email, .smsMarks, .email]
        expectRejected(e, field: "services[2]")
        var notice = s.compromiseReported
        notice.compromised = [.password, .password]
        expectRejected(notice, field: "compromised[1]")
    }

    // MARK: Through SchoolEvent

    @Test func schoolEventValidatesItsPayload() {
        var mark = s.markRecorded
        mark.weight = 12
        #expect(throws: SchoolValidationError.self) { try SchoolEvent.markRecorded(mark).validate() }
        do {
            try SchoolEvent.markRecorded(mark).validate()
        } catch {
            #expect(error.eventType == "MarkRecorded")
            #expect(error.field == "weight")
            #expect(error.value == "12")
            #expect(error.rule == "must be 1...10")
            #expect(
                error.message == "MarkRecorded: weight is \"12\", but it must be 1...10. Correct weight and submit the event again.")
        }
    }

    @Test func theOffendingValueIsCutTo80CharactersAndItsControlCharactersShown() {
        var e = s.lessonConducted
        e.topic = String(repeating: "ж", count: 600)
        let error = validationError(e)
        #expect(error?.value.count == 80)
        #expect(error?.value.hasSuffix("…") == true)
        e.topic = "Тема\u{1}"
        #expect(validationError(e)?.value == "Тема\\u{1}")
    }
}
