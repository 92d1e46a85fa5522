/// The school's journal settings change (настройки журнала): the edit
/// window for marks, the kinds of work with their default weights, and the
/// rounding thresholds for final marks, and which operations participants
/// sign with their electronic-signature keys (clause 10). Each event carries
/// the complete settings after the change, not a delta.
///
/// Who may record it: admin, deputy head. Stream: `school`.
public struct JournalSettingsChanged: CatalogEvent {
    /// The school's id, 1...64 bytes.
    public var schoolID: SchoolID
    /// How many days after the lesson the teacher who entered a mark may
    /// still correct or cancel it (срок редактирования отметок), 0...365 days;
    /// usually 7. After it, only the deputy head may.
    public var editWindowDays: Int
    /// The kinds of work the school uses and their default weights (виды
    /// работ и их веса); each structured kind at most once, except
    /// ``WorkKind/other``, which may repeat under different names.
    public var kindsOfWork: [WorkKindWeight]
    /// The rounding thresholds for final marks (правила выставления итоговых отметок).
    public var finalMarkRounding: FinalMarkRounding
    /// Whether participants sign their operations (clause 10): an operation
    /// of a type these settings ask to sign is refused unsigned. `false` in settings
    /// recorded before the field existed.
    public var signaturesRequired: Bool
    /// The event types that must be signed when ``signaturesRequired``;
    /// empty: ``defaultSignedOperations``.
    public var signedOperations: [String]

    /// The operations signed when the school asks for signatures and names
    /// none: marks, their corrections and cancellations, final marks and
    /// their corrections, attendance corrections.
    public static let defaultSignedOperations = [
        "MarkRecorded", "MarkCorrected", "MarkCancelled", "FinalMarkSet", "FinalMarkCorrected", "AttendanceCorrected",
    ]

    /// The event types an operation of which must be signed under these
    /// settings (empty when signatures are not required).
    var typesToSign: Set<String> {
        guard signaturesRequired else { return [] }
        return Set(signedOperations.isEmpty ? Self.defaultSignedOperations : signedOperations)
    }

    /// Creates the event.
    public init(
        schoolID: SchoolID, editWindowDays: Int = 7, kindsOfWork: [WorkKindWeight],
        finalMarkRounding: FinalMarkRounding = .standard, signaturesRequired: Bool = false, signedOperations: [String] = []
    ) {
        self.schoolID = schoolID
        self.editWindowDays = editWindowDays
        self.kindsOfWork = kindsOfWork
        self.finalMarkRounding = finalMarkRounding
        self.signaturesRequired = signaturesRequired
        self.signedOperations = signedOperations
    }

    /// `school`.
    package var stream: String { SchoolStream.school }

    /// Checks the edit window (0...365 days), each kind of work (name
    /// 1...200 bytes, weight 1...10, a structured kind at most once, `other`
    /// not twice under one name) and the thresholds
    /// (100 <= for 3 < for 4 < for 5 <= 500), and the signed operations
    /// (each a participant's event type, none twice).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(schoolID, "school_id")
        try check.number(editWindowDays, "edit_window_days", 0...365, unit: "days")
        var seenKinds = Set<WorkKind>()
        var seenOtherNames = Set<String>()
        for (i, k) in kindsOfWork.enumerated() {
            let path = "kinds_of_work[\(i)]"
            try check.text(k.name, path + ".name", maxBytes: 200)
            try check.weight(k.defaultWeight, path + ".default_weight")
            if k.workKind == .other {
                try check.require(
                    seenOtherNames.insert(k.name.normalizedName).inserted, path + ".name", k.name,
                    "must differ from the name of every other kind of work `other`")
            } else {
                try check.require(
                    seenKinds.insert(k.workKind).inserted, path + ".work_kind", k.workKind.russianName,
                    "must not repeat a kind of work listed before (only `other` may repeat)")
            }
        }
        let r = finalMarkRounding
        try check.number(r.thresholdFor3, "final_mark_rounding.threshold_for_3", 100...500, unit: "hundredths")
        try check.require(
            r.thresholdFor4 > r.thresholdFor3 && r.thresholdFor4 <= 500, "final_mark_rounding.threshold_for_4",
            String(r.thresholdFor4), "must be above threshold_for_3 (\(r.thresholdFor3)) and at most 500 hundredths")
        try check.require(
            r.thresholdFor5 > r.thresholdFor4 && r.thresholdFor5 <= 500, "final_mark_rounding.threshold_for_5",
            String(r.thresholdFor5), "must be above threshold_for_4 (\(r.thresholdFor4)) and at most 500 hundredths")
        for (i, type) in signedOperations.enumerated() {
            try check.require(
                SchoolEvent.allEventTypes.contains(type) && !Self.neverSigned.contains(type), "signed_operations[\(i)]", type,
                "must name an event type a participant records (not the invalidator's)")
        }
        try check.unique(signedOperations, "signed_operations") { $0 }
    }

    /// The event types no participant records, which nobody can sign.
    static let neverSigned: Set<String> = ["OperationsVoided", "VoidsLifted"]
}
