import EventLedger

extension SchoolJournal {
    /// The analytical report of a class for a reporting period: per subject
    /// and overall the weighted and plain averages, успеваемость, качество
    /// знаний, the distribution of marks, attendance, students at risk and
    /// the change against the previous period; and a row per student. See
    /// ``ClassReport`` and ``ReportFigures`` for the definitions.
    ///
    /// - Throws: ``SchoolValidationError`` naming `class` for a class never
    ///   formed, `period` for a period never defined.
    func analyticalReport(ofClass classID: ClassID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> ClassReport {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            let (current, previous) = try AnalyticalReportBuilder.periods(period, index: index)
            guard try !index.journalEntries(SchoolStream.class(classID), ofType: ClassFormed.eventType).isEmpty else {
                throw SchoolValidationError(
                    eventType: "query", field: "class", value: classID.rawValue, rule: "must name a class formed with ClassFormed")
            }
            let grid = try AnalyticalReportBuilder.classGrid(classID, period: current, folds: &folds, index: index)
            let before = try previous.map { try AnalyticalReportBuilder.classGrid(classID, period: $0, folds: &folds, index: index) }
            let (subjects, overall) = AnalyticalReportBuilder.figures(grid, previous: before, previousID: previous?.periodID)
            let sorted = grid.cells.keys.sorted()
            return ClassReport(
                classID: classID, period: AnalyticalReportBuilder.reportPeriod(current),
                previousPeriod: previous.map(AnalyticalReportBuilder.reportPeriod), studentIDs: grid.students,
                subjects: subjects, students: grid.students.map { AnalyticalReportBuilder.row($0, grid, subjects: sorted) },
                overall: overall, asOfPosition: index.checkpoint)
        }
    }

    /// The analytical report of a student for a reporting period: the same
    /// figures as ``analyticalReport(ofClass:period:asOf:)`` for that
    /// student alone, with the student's marks, final marks, attendance and
    /// risk per subject. See ``StudentReport`` and ``ReportFigures``.
    ///
    /// - Throws: ``SchoolValidationError`` naming `student` for a student
    ///   never enrolled, `period` for a period never defined.
    func analyticalReport(ofStudent student: StudentID, period: ReportingPeriodID, asOf: AsOf = .now) throws -> StudentReport {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            let (current, previous) = try AnalyticalReportBuilder.periods(period, index: index)
            guard try folds.studentExists(student, reader: index) else {
                throw SchoolValidationError(
                    eventType: "query", field: "student", value: student.rawValue,
                    rule: "must name a student enrolled with StudentEnrolled")
            }
            let grid = try AnalyticalReportBuilder.studentGrid(student, period: current, folds: &folds, index: index)
            let before = try previous.map {
                try AnalyticalReportBuilder.studentGrid(student, period: $0, folds: &folds, index: index)
            }
            let (subjects, overall) = AnalyticalReportBuilder.figures(grid, previous: before, previousID: previous?.periodID)
            return StudentReport(
                studentID: student, period: AnalyticalReportBuilder.reportPeriod(current),
                previousPeriod: previous.map(AnalyticalReportBuilder.reportPeriod), subjects: subjects,
                results: AnalyticalReportBuilder.row(student, grid).subjects, overall: overall, asOfPosition: index.checkpoint)
        }
    }
}

/// The facts the report is computed from, and the computation.
enum AnalyticalReportBuilder {
    /// Below this weighted average a student is at risk.
    static let lowAverage = 2.5
    /// Above this share of unexcused absences a student is at risk.
    static let unexcusedShare = 0.3

    /// A mark as the report counts it: value, weight, and what orders it
    /// (its lesson's date, then the position that first recorded it).
    struct Mark {
        var value: MarkValue
        var weight: Int
        var date: CivilDate
        var firstPosition: UInt64
    }

    /// One student in one subject over a period.
    struct Cell {
        var marks: [Mark] = []
        var finals: [MarkValue] = []
        var lessons = 0
        var excused = 0
        var unexcused = 0
        var late = 0

        /// Counts a lesson the student was taught, with their attendance in it.
        mutating func count(_ attendance: AttendanceStatus?) {
            lessons += 1
            switch attendance {
            case .absent: unexcused += 1
            case .absentExcused: excused += 1
            case .late: late += 1
            case .present, nil: break
            }
        }

        /// The final marks when any is set, else the current marks.
        var counting: [MarkValue] { finals.isEmpty ? marks.map(\.value) : finals }

        var averages: (weighted: Double?, plain: Double?) {
            var sums = Averages.Sums()
            for mark in marks { sums.add(mark.value, weight: mark.weight) }
            return sums.averages
        }

        /// Why the student is at risk in this cell, given its weighted
        /// average (which the caller works out once).
        func riskReasons(weighted average: Double?) -> [RiskReason] {
            var reasons = [RiskReason]()
            if let weighted = average, weighted < AnalyticalReportBuilder.lowAverage { reasons.append(.lowAverage) }
            if finals.contains(where: \.isFailing) { reasons.append(.failingFinalMark) }
            if lessons > 0, Double(unexcused) / Double(lessons) > AnalyticalReportBuilder.unexcusedShare {
                reasons.append(.unexcusedAbsences)
            }
            return reasons
        }
    }

    /// The facts of a class or a student over a period.
    struct Grid {
        /// The class list, or the one student.
        var students: [StudentID]
        var cells = [SubjectID: [StudentID: Cell]]()
        var lessons = [SubjectID: Set<LessonID>]()

        /// Counts a lesson, with their attendance in it, for the students taught in it.
        mutating func add(
            _ lesson: SchoolFolds.Lesson, taught: Set<StudentID>, folds: inout JournalFacts, index: borrowing ProjectionReader
        ) throws {
            guard !taught.isEmpty else { return }
            let subject = lesson.subjectID
            lessons[subject, default: []].insert(lesson.lessonID)
            let attendance = try folds.attendance(lesson.lessonID, index: index)
            for student in taught { cells[subject, default: [:]][student, default: Cell()].count(attendance[student]) }
        }

        /// Sorts each cell's marks by date and first position.
        mutating func sortMarks() {
            for (subject, students) in cells {
                for (student, cell) in students {
                    cells[subject]![student]!.marks = cell.marks.sorted { ($0.date, $0.firstPosition) < ($1.date, $1.firstPosition) }
                }
            }
        }
    }

    /// The period asked for and the previous one of its kind: same academic
    /// year, same kind, ordinal one less, for grade levels that overlap
    /// (either applying to the whole school counts as overlapping).
    static func periods(_ id: ReportingPeriodID, index: borrowing ProjectionReader) throws -> (
        ReportingPeriodDefined, ReportingPeriodDefined?
    ) {
        let (current, defined) = try JournalFacts.period(id, index: index)
        let previous = defined.filter { candidate in
            candidate.periodID != id && candidate.academicYearID == current.academicYearID && candidate.kind == current.kind
                && candidate.ordinal == current.ordinal - 1
                && (candidate.gradeLevels.isEmpty || current.gradeLevels.isEmpty
                    || !Set(candidate.gradeLevels).isDisjoint(with: current.gradeLevels))
        }.min { $0.periodID < $1.periodID }
        return (current, previous)
    }

    static func reportPeriod(_ e: ReportingPeriodDefined) -> ReportPeriod {
        ReportPeriod(
            periodID: e.periodID, academicYearID: e.academicYearID, title: e.title, kind: String(describing: e.kind),
            ordinal: e.ordinal, from: e.dates.start, to: e.dates.end)
    }

    /// A student's final marks of a period, by subject.
    static func finals(
        of student: StudentID, period: ReportingPeriodID, folds: inout JournalFacts,
        index: borrowing ProjectionReader
    ) throws -> [(SubjectID, MarkValue)] {
        var out = [(SubjectID, MarkValue)]()
        try index.forEach("finals-by-student", prefix: RowKey.prefix(student.rawValue, period.rawValue)) { key, _ in
            let parts = RowKey.parts(key)
            if parts.count == 4, let final = try folds.finalMark(FinalMarkID(parts[3]), index: index) {
                out.append((final.subjectID, final.value))
            }
            return true
        }
        return out
    }

    /// A class over a period: the class list, and for each lesson of the
    /// class, its groups and its streams, the students of the class taught in it.
    static func classGrid(
        _ classID: ClassID, period: ReportingPeriodDefined, folds: inout JournalFacts,
        index: borrowing ProjectionReader
    ) throws -> Grid {
        let (from, to) = (period.dates.start, period.dates.end)
        // The class's students with their class histories, read once, in the
        // byte order of their ids: each lesson's placements, attendance and
        // marks (rows keyed by lesson, then student) are merged with them.
        let members = try JournalRows.classMembers(classID, rows: index)
        let sorted = members.histories.sorted { $0.0.rawValue.utf8.lexicographicallyPrecedes($1.0.rawValue.utf8) }
        let ids = sorted.map { Array($0.0.rawValue.utf8) }
        var grid = Grid(students: members.students(on: SchoolJournal.days(from, to)).sorted())
        var inClass = [CivilDate: [Bool]]()
        // A row of cells (by student) for each subject met, and the lesson's
        // buffers, made once and cleared for each lesson.
        var subjects = [SubjectID]()
        var subjectRow = [SubjectID: Int]()
        var cells = [[Cell?]]()
        var taught = [Bool](repeating: false, count: ids.count)
        var status = [AttendanceStatus?](repeating: nil, count: ids.count)
        var changedSince = [Int]()
        var lessonMarks = [(Int, Mark)]()
        for target in try folds.targets(ofClass: classID, index: index) {
            for lesson in try folds.lessons(of: target, from: from, to: to, index: index, includeCancelled: false) {
                // The closures below take the date alone: capturing the lesson
                // copied it (and retained its strings) for every row walked.
                let date = lesson.date
                if inClass[date] == nil {
                    inClass[date] = sorted.map { SchoolFolds.classOf($0.1, on: date) == classID }
                }
                let present = inClass[date] ?? []
                // Who a lesson reaches is its placement rows, each holding the
                // student's marks in it and ending with their attendance; of
                // them, those in the class that day. As of the past a placement
                // changed since comes empty (its history keeps only when it
                // existed): the attendance and marks rows say.
                for n in ids.indices {
                    taught[n] = false
                    status[n] = nil
                }
                changedSince.removeAll(keepingCapacity: true)
                lessonMarks.removeAll(keepingCapacity: true)
                try JournalRows.walk("lesson-students", lesson: lesson.lessonID, students: ids, rows: index) { n, _, value in
                    taught[n] = present[n]
                    guard !value.isEmpty else { return changedSince.append(n) }
                    status[n] = JournalRows.attendance(endingWith: value)
                    guard present[n] else { return }
                    JournalRows.marks(inPlacement: value) { mark, weight, first in
                        lessonMarks.append((n, Mark(value: mark, weight: weight, date: date, firstPosition: first)))
                    }
                }
                if !changedSince.isEmpty {
                    var changed = [Bool](repeating: false, count: ids.count)
                    for n in changedSince {
                        changed[n] = true
                        let cell = RowKey.make(lesson.lessonID.rawValue, String(decoding: ids[n], as: UTF8.self))
                        status[n] = try index.get("attendance", key: cell).flatMap(JournalRows.status)
                    }
                    // The cells' marks (`lesson, student, mark`): value, weight and first position.
                    try JournalRows.walkMarks(lesson: lesson.lessonID, students: ids, rows: index) { n, mark, weight, first in
                        guard changed[n], taught[n] else { return }
                        lessonMarks.append((n, Mark(value: mark, weight: weight, date: date, firstPosition: first)))
                    }
                }
                guard taught.contains(true) else { continue }
                let subject = lesson.subjectID
                grid.lessons[subject, default: []].insert(lesson.lessonID)
                let s: Int
                if let known = subjectRow[subject] {
                    s = known
                } else {
                    s = cells.count
                    subjectRow[subject] = s
                    subjects.append(subject)
                    cells.append([Cell?](repeating: nil, count: ids.count))
                }
                for n in ids.indices where taught[n] {
                    if cells[s][n] == nil { cells[s][n] = Cell() }
                    cells[s][n]!.count(status[n])
                }
                for (n, mark) in lessonMarks { cells[s][n]?.marks.append(mark) }
            }
        }
        for (s, subject) in subjects.enumerated() {
            for (n, cell) in cells[s].enumerated() {
                if let cell { grid.cells[subject, default: [:]][sorted[n].0] = cell }
            }
        }
        for student in grid.students {
            for (subject, value) in try finals(of: student, period: period.periodID, folds: &folds, index: index)
            where grid.cells[subject]?[student] != nil {
                grid.cells[subject]![student]!.finals.append(value)
            }
        }
        grid.sortMarks()
        return grid
    }

    /// A student over a period: the lessons they were taught (as in the
    /// diary), their marks (as in ``AccountSession/marks(of:period:from:to:asOf:)``)
    /// and their final marks of the period.
    static func studentGrid(
        _ student: StudentID, period: ReportingPeriodDefined, folds: inout JournalFacts,
        index: borrowing ProjectionReader
    ) throws -> Grid {
        let (from, to) = (period.dates.start, period.dates.end)
        var grid = Grid(students: [student])
        for target in try folds.targets(ofStudent: student, from: from, to: to, index: index) {
            for lesson in try folds.lessons(of: target, from: from, to: to, index: index, includeCancelled: false)
            where try index.get("lesson-students", key: RowKey.make(lesson.lessonID.rawValue, student.rawValue)) != nil {
                try grid.add(lesson, taught: [student], folds: &folds, index: index)
            }
        }
        try index.forEach("marks-by-student", prefix: RowKey.prefix(student.rawValue)) { key, _ in
            let parts = RowKey.parts(key)
            if parts.count == 3, let mark = try folds.mark(MarkID(parts[2]), index: index), !mark.isCancelled, mark.date >= from,
                mark.date <= to
            {
                grid.cells[mark.subjectID, default: [:]][student, default: Cell()].marks.append(
                    Mark(value: mark.value, weight: mark.weight, date: mark.date, firstPosition: mark.history.first?.position ?? 0))
            }
            return true
        }
        for (subject, value) in try finals(of: student, period: period.periodID, folds: &folds, index: index) {
            grid.cells[subject, default: [:]][student, default: Cell()].finals.append(value)
        }
        grid.sortMarks()
        return grid
    }

    /// The figures of cells grouped by student.
    static func figures(subject: SubjectID?, byStudent: [StudentID: [(SubjectID, Cell)]], lessons: Int) -> ReportFigures {
        // One pass over the cells, marks summed in the order a gathering
        // of them (student by student, cell by cell) would give.
        var sums = Averages.Sums()
        var distribution = MarkDistribution()
        var studentLessons = 0, excused = 0, unexcused = 0, late = 0
        var assessed = 0, succeeding = 0, graded = 0, good = 0
        var atRisk = [StudentAtRisk]()
        for (student, cells) in byStudent {
            for (subject, cell) in cells {
                for mark in cell.marks {
                    sums.add(mark.value, weight: mark.weight)
                    distribution.add(mark.value)
                }
                studentLessons += cell.lessons
                excused += cell.excused
                unexcused += cell.unexcused
                late += cell.late
                let weighted = cell.averages.weighted
                let reasons = cell.riskReasons(weighted: weighted)
                if !reasons.isEmpty {
                    atRisk.append(
                        StudentAtRisk(
                            studentID: student, subjectID: subject, reasons: reasons, weightedAverage: weighted,
                            failingFinalMarks: cell.finals.filter(\.isFailing), absentUnexcused: cell.unexcused, lessons: cell.lessons))
                }
            }
            let counting = cells.count == 1 ? cells[0].1.counting : cells.flatMap { $0.1.counting }
            if let succeeds = isSucceeding(counting) {
                assessed += 1
                if succeeds { succeeding += 1 }
            }
            if let isGood = hasOnlyGoodMarks(counting) {
                graded += 1
                if isGood { good += 1 }
            }
        }
        atRisk.sort { ($0.studentID, $0.subjectID) < ($1.studentID, $1.subjectID) }
        let averages = sums.averages
        return ReportFigures(
            subjectID: subject, students: byStudent.count, weightedAverage: averages.weighted, plainAverage: averages.plain,
            assessedStudents: assessed, succeedingStudents: succeeding,
            successRate: assessed == 0 ? nil : Double(succeeding) / Double(assessed),
            gradedStudents: graded, goodStudents: good, qualityRate: graded == 0 ? nil : Double(good) / Double(graded),
            distribution: distribution,
            attendance: AttendanceSummary(
                lessons: lessons, studentLessons: studentLessons, absentExcused: excused, absentUnexcused: unexcused, late: late),
            atRisk: atRisk, change: nil)
    }

    static func attendance(_ cells: [Cell], lessons: Int) -> AttendanceSummary {
        AttendanceSummary(
            lessons: lessons, studentLessons: cells.reduce(0) { $0 + $1.lessons }, absentExcused: cells.reduce(0) { $0 + $1.excused },
            absentUnexcused: cells.reduce(0) { $0 + $1.unexcused }, late: cells.reduce(0) { $0 + $1.late })
    }

    /// Whether none of the marks that count fails; `nil` when none counts.
    static func isSucceeding(_ counting: [MarkValue]) -> Bool? {
        counting.isEmpty ? nil : !counting.contains(where: \.isFailing)
    }

    /// Whether the marks that count are all 4s and 5s (or non-failing
    /// non-numeric marks); `nil` when none of them is numeric.
    static func hasOnlyGoodMarks(_ counting: [MarkValue]) -> Bool? {
        guard counting.contains(where: \.isNumeric) else { return nil }
        return counting.allSatisfy { !$0.isFailing && ($0.numericValue ?? 5) >= 4 }
    }

    /// Per subject and overall figures of a grid, with the change against the previous period's grid.
    static func figures(_ grid: Grid, previous: Grid?, previousID: ReportingPeriodID?) -> (
        subjects: [ReportFigures], overall: ReportFigures
    ) {
        func compute(_ grid: Grid) -> (subjects: [SubjectID: ReportFigures], overall: ReportFigures) {
            var subjects = [SubjectID: ReportFigures]()
            var byStudent = [StudentID: [(SubjectID, Cell)]]()
            for (subject, cells) in grid.cells {
                subjects[subject] = figures(
                    subject: subject, byStudent: cells.mapValues { [(subject, $0)] },
                    lessons: grid.lessons[subject]?.count ?? 0)
                for (student, cell) in cells { byStudent[student, default: []].append((subject, cell)) }
            }
            let lessons = grid.lessons.values.reduce(0) { $0 + $1.count }
            return (subjects, figures(subject: nil, byStudent: byStudent, lessons: lessons))
        }
        let now = compute(grid)
        let before = previous.map(compute)
        func change(_ current: ReportFigures, _ earlier: ReportFigures?) -> PeriodChange? {
            guard let previousID else { return nil }
            func delta(_ a: Double?, _ b: Double?) -> Double? { if let a, let b { a - b } else { nil } }
            return PeriodChange(
                previousPeriodID: previousID, weightedAverage: delta(current.weightedAverage, earlier?.weightedAverage),
                plainAverage: delta(current.plainAverage, earlier?.plainAverage),
                successRate: delta(current.successRate, earlier?.successRate),
                qualityRate: delta(current.qualityRate, earlier?.qualityRate))
        }
        let subjects = now.subjects.keys.sorted().map { subject in
            var figures = now.subjects[subject]!
            figures.change = change(figures, before?.subjects[subject])
            return figures
        }
        var overall = now.overall
        overall.change = change(overall, before?.overall)
        return (subjects, overall)
    }

    /// One student's row: results per subject and over all subjects
    /// (`subjects`: the grid's subjects sorted, when the caller has them).
    static func row(_ student: StudentID, _ grid: Grid, subjects: [SubjectID]? = nil) -> StudentRow {
        let cells = (subjects ?? grid.cells.keys.sorted()).compactMap { subject in grid.cells[subject]?[student].map { (subject, $0) } }
        let results = cells.map { subject, cell in
            let averages = cell.averages
            return StudentSubjectResult(
                subjectID: subject, marks: cell.marks.map(\.value), finalMarks: cell.finals,
                weightedAverage: averages.weighted, plainAverage: averages.plain,
                isSucceeding: isSucceeding(cell.counting), hasOnlyGoodMarks: hasOnlyGoodMarks(cell.counting),
                attendance: attendance([cell], lessons: cell.lessons), riskReasons: cell.riskReasons(weighted: averages.weighted))
        }
        let all = cells.map(\.1)
        let averages = Averages.of(all.flatMap(\.marks).map { ($0.value, $0.weight) })
        let counting = all.flatMap(\.counting)
        return StudentRow(
            studentID: student, subjects: results, weightedAverage: averages.weighted, plainAverage: averages.plain,
            isSucceeding: isSucceeding(counting), hasOnlyGoodMarks: hasOnlyGoodMarks(counting),
            attendance: attendance(all, lessons: all.reduce(0) { $0 + $1.lessons }),
            isAtRisk: results.contains { !$0.riskReasons.isEmpty })
    }
}
