import EventLedger

enum Averages {
    /// The running sums behind both averages, taken in the order marks are
    /// added (as a reduce would), so a caller can add marks where it meets
    /// them instead of gathering them first.
    struct Sums {
        private var count = 0, sum = 0.0, weightedSum = 0.0, weightSum = 0.0

        /// Adds a mark; non-numeric values do not count.
        mutating func add(_ value: MarkValue, weight: Int) {
            guard let value = value.numericValue else { return }
            count += 1
            sum += Double(value)
            weightedSum += Double(value) * Double(weight)
            weightSum += Double(weight)
        }

        /// The weighted and plain averages; `nil` when no numeric mark was added.
        var averages: (weighted: Double?, plain: Double?) {
            guard count > 0 else { return (nil, nil) }
            return (weightedSum / weightSum, sum / Double(count))
        }
    }

    /// Weighted and plain averages over the numeric values.
    static func of(_ marks: [(value: MarkValue, weight: Int)]) -> (weighted: Double?, plain: Double?) {
        var sums = Sums()
        for mark in marks { sums.add(mark.value, weight: mark.weight) }
        return sums.averages
    }
}
