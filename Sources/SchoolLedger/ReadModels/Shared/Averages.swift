import EventLedger

enum Averages {
    /// Weighted and plain averages over the numeric values.
    static func of(_ marks: [(value: MarkValue, weight: Int)]) -> (weighted: Double?, plain: Double?) {
        let numeric = marks.compactMap { m in m.value.numericValue.map { (Double($0), Double(m.weight)) } }
        guard !numeric.isEmpty else { return (nil, nil) }
        let weightSum = numeric.reduce(0) { $0 + $1.1 }
        let weighted = numeric.reduce(0) { $0 + $1.0 * $1.1 } / weightSum
        let plain = numeric.reduce(0) { $0 + $1.0 } / Double(numeric.count)
        return (weighted, plain)
    }
}
