/// A scheduled test will not take place (отмена контрольной работы).
///
/// Who may record it: the subject teacher assigned to that subject and
/// target. Stream: `test/<testID>`.
public struct TestCancelled: CatalogEvent {
    /// The test.
    public var testID: TestID
    /// Why (причина отмены), 1...1000 bytes; `nil`: not given.
    public var reason: String?

    /// Creates the event.
    public init(testID: TestID, reason: String? = nil) {
        self.testID = testID
        self.reason = reason
    }

    /// `test/<testID>`.
    package var stream: String { SchoolStream.test(testID) }

    /// Checks the id and the reason (1...1000 bytes).
    package func validate() throws(SchoolValidationError) {
        let check = Self.check
        try check.id(testID, "test_id")
        try check.text(reason, "reason", maxBytes: 1000, .paragraph)
    }
}
