/// What a writer believes a stream's version to be (optimistic concurrency).
///
/// A stream's version is the number of events in it: 0 for a stream that
/// does not exist yet, 1 after its first event.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's version is.
    case any
    /// The stream must not exist yet (version 0).
    case noStream
    /// The stream must exist (version 1 or more).
    case streamExists
    /// The stream must be at exactly this version.
    case exactly(UInt64)

    /// Whether a stream at `actual` satisfies this expectation.
    public func isSatisfied(by actual: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == 0
        case .streamExists: actual > 0
        case .exactly(let v): actual == v
        }
    }

    /// A short description, e.g. `exactly 3`.
    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .streamExists: "stream exists"
        case .exactly(let v): "exactly \(v)"
        }
    }
}
