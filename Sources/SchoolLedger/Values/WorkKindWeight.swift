/// One kind of work the school uses and the default weight of its marks
/// (вид работы и его вес), part of ``JournalSettingsChanged``.
///
/// For example, a test weighs 5, classwork 3, homework 1.
public struct WorkKindWeight: Hashable, Sendable {
    /// The structured kind (вид работы).
    public var workKind: WorkKind
    /// The school's name for it, e.g. `Контрольная работа`, 1...200 bytes.
    public var name: String
    /// The default weight of a mark for this kind of work (вес), 1...10.
    public var defaultWeight: Int

    /// A kind of work with its name and default weight.
    public init(workKind: WorkKind, name: String, defaultWeight: Int) {
        self.workKind = workKind
        self.name = name
        self.defaultWeight = defaultWeight
    }
}
