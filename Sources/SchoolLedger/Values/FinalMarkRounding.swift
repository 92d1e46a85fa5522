/// The thresholds that turn a weighted average (средневзвешенный балл) into
/// the suggested final mark (правила выставления итоговых отметок), in
/// hundredths of a mark point (450 = 4.50). Part of ``JournalSettingsChanged``.
///
/// An average at or above a threshold suggests that mark; below
/// ``thresholdFor3``, a 2. The teacher still sets the final mark. Valid
/// thresholds hold 100 <= ``thresholdFor3`` < ``thresholdFor4`` < ``thresholdFor5`` <= 500.
public struct FinalMarkRounding: Hashable, Sendable {
    /// The lowest average that suggests 5, in hundredths; by default 450 (4.50).
    public var thresholdFor5: Int
    /// The lowest average that suggests 4, in hundredths; by default 350 (3.50).
    public var thresholdFor4: Int
    /// The lowest average that suggests 3, in hundredths; by default 250 (2.50).
    public var thresholdFor3: Int

    /// Thresholds in hundredths of a mark point.
    public init(thresholdFor5: Int, thresholdFor4: Int, thresholdFor3: Int) {
        self.thresholdFor5 = thresholdFor5
        self.thresholdFor4 = thresholdFor4
        self.thresholdFor3 = thresholdFor3
    }

    /// The usual thresholds: 4.50 → 5, 3.50 → 4, 2.50 → 3.
    public static let standard = FinalMarkRounding(thresholdFor5: 450, thresholdFor4: 350, thresholdFor3: 250)

    /// The mark suggested for a weighted average given in hundredths
    /// (e.g. 437 suggests 4 under ``standard``).
    public func suggestedMark(forAverageHundredths average: Int) -> Int {
        if average >= thresholdFor5 { 5 } else if average >= thresholdFor4 { 4 } else if average >= thresholdFor3 { 3 } else { 2 }
    }
}
