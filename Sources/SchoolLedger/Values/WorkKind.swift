/// The kind of work a mark was given for (вид работы).
///
/// Used by ``MarkRecorded``, ``TestScheduled`` and the school's weights in
/// ``JournalSettingsChanged``. The school's own name of a kind (and any
/// precision such as the topic) goes in a note beside it.
///
/// A closed set: the stored `…_UNSPECIFIED` value and numbers unknown to
/// this library do not decode (``SchoolSchemaError``).
public enum WorkKind: Hashable, Sendable, CaseIterable {
    /// Work in class (классная работа, работа на уроке).
    case classwork

    /// Homework (домашняя работа).
    case homework

    /// A test (контрольная работа), normally scheduled by ``TestScheduled``.
    case test

    /// Independent work (самостоятельная работа).
    case independentWork

    /// Dictation (диктант).
    case dictation

    /// Oral answer (устный ответ).
    case oralAnswer

    /// Laboratory work (лабораторная работа).
    case laboratoryWork

    /// Project (проект, проектная работа).
    case project

    /// Any other kind (другое); a note says which.
    case other

    /// The Russian name the journal shows, e.g. `контрольная работа`.
    public var russianName: String {
        switch self {
        case .classwork: "классная работа"
        case .homework: "домашняя работа"
        case .test: "контрольная работа"
        case .independentWork: "самостоятельная работа"
        case .dictation: "диктант"
        case .oralAnswer: "устный ответ"
        case .laboratoryWork: "лабораторная работа"
        case .project: "проект"
        case .other: "другое"
        }
    }

    /// Recognises a common Russian or English name of a kind of work, as
    /// teachers wrote it in schema version 1 of ``MarkRecorded``:
    /// `контрольная работа`, `Контрольная`, `к/р`, `самостоятельная работа`,
    /// `д/з`, `lab work`, … Letter case, `ё` / `е` and extra spaces do not
    /// matter, and a name followed by more words also matches
    /// (`контрольная работа по теме «Дроби»` is a ``test``). Returns `nil`
    /// when nothing matches.
    public init?(commonName: String) {
        let name = commonName.normalizedName
        guard !name.isEmpty else { return nil }
        // The longest known name that is the whole text or its first words wins.
        var best: (kind: WorkKind, length: Int)?
        for (known, kind) in Self.commonNames {
            let matches =
                name == known
                || (name.hasPrefix(known) && name.dropFirst(known.count).first.map { !$0.isLetter && !$0.isNumber } == true)
            if matches, known.count > (best?.length ?? 0) { best = (kind, known.count) }
        }
        guard let best else { return nil }
        self = best.kind
    }

    /// Common names of the kinds of work, normalized (lower case, `е` for `ё`).
    static let commonNames: [(String, WorkKind)] = [
        ("классная работа", .classwork), ("классная", .classwork), ("работа на уроке", .classwork),
        ("работа в классе", .classwork), ("classwork", .classwork),
        ("class work", .classwork), ("work in class", .classwork),
        ("домашняя работа", .homework), ("домашнее задание", .homework), ("домашняя", .homework), ("дз", .homework),
        ("д/з", .homework), ("д/р", .homework), ("homework", .homework), ("home work", .homework),
        ("контрольная работа", .test), ("контрольная", .test), ("к/р", .test), ("кр", .test),
        ("контрольный диктант", .test), ("test", .test), ("control work", .test),
        ("самостоятельная работа", .independentWork), ("самостоятельная", .independentWork), ("с/р", .independentWork),
        ("ср", .independentWork), ("independent work", .independentWork),
        ("диктант", .dictation), ("словарный диктант", .dictation), ("dictation", .dictation),
        ("устный ответ", .oralAnswer), ("ответ у доски", .oralAnswer), ("устно", .oralAnswer), ("oral answer", .oralAnswer),
        ("oral", .oralAnswer),
        ("лабораторная работа", .laboratoryWork), ("лабораторная", .laboratoryWork), ("л/р", .laboratoryWork),
        ("лр", .laboratoryWork), ("laboratory work", .laboratoryWork), ("lab work", .laboratoryWork), ("lab", .laboratoryWork),
        ("проект", .project), ("проектная работа", .project), ("project", .project), ("project work", .project),
        ("другое", .other), ("other", .other),
    ]
}

extension WorkKind: StoredEnumMirror, StoredField {
    typealias Stored = Schoolledger_V1_WorkKind

    /// The generated value this case is stored as.
    var stored: Schoolledger_V1_WorkKind {
        switch self {
        case .classwork: .classwork
        case .homework: .homework
        case .test: .test
        case .independentWork: .independentWork
        case .dictation: .dictation
        case .oralAnswer: .oralAnswer
        case .laboratoryWork: .laboratoryWork
        case .project: .project
        case .other: .other
        }
    }
}
