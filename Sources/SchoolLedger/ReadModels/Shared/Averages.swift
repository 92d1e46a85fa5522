import EventLedger

enum Averages {
    /// Weighted and plain averages over the numeric values.
    static func of(_ marks: [(value: MarkValue, weight: Int)]) -> (weighted: Double?, plain: Double?) {
        // One pass, the sums taken in the marks' order (as a reduce would).
        var count = 0, sum = 0.0, weightedSum = 0.0, weightSum = 0.0
        for mark in marks {
            guard let value = mark.value.numericValue else { continue }
            count += 1
            sum += Double(value)
            weightedSum += Double(value) * Double(mark.weight)
            weightSum += Double(mark.weight)
        }
        guard count > 0 else { return (nil, nil) }
        return (weightedSum / weightSum, sum / Double(count))
    }
}
