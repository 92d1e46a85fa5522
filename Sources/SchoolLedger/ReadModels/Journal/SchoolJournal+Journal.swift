import EventLedger

extension SchoolJournal {
    /// A student's marks by subject (with weighted and plain averages, each
    /// mark's history, and the final marks) for a reporting period or a date range.
    ///
    /// - Parameters:
    ///   - period: a reporting period (its dates are the range); or give `from` and `to`.
    ///   - asOf: ledger time to answer at (see ``AsOf``).
    func marks(
        of student: StudentID, period: ReportingPeriodID? = nil, from: CivilDate? = nil, to: CivilDate? = nil,
        asOf: AsOf = .now
    ) throws -> StudentMarks {
        try withIndex(asOf) { index in
            var folds = JournalFacts()
            let (start, end) = try folds.range(period: period, from: from, to: to, index: index)
            var bySubject = [SubjectID: [JournalMark]]()
            try index.forEach("marks-by-student", prefix: RowKey.prefix(student.rawValue)) { key, _ in
                let parts = RowKey.parts(key)
                if parts.count == 3, let mark = try folds.mark(MarkID(parts[2]), index: index), !mark.isCancelled,
                    mark.date >= start, mark.date <= end
                {
                    bySubject[mark.subjectID, default: []].append(mark)
                }
                return true
            }
            var finals = [SubjectID: [FinalMarkEntry]]()
            try index.forEach("finals-by-student", prefix: RowKey.prefix(student.rawValue)) { key, _ in
                let parts = RowKey.parts(key)
                guard parts.count == 4, period == nil || parts[1] == period!.rawValue,
                    let final = try folds.finalMark(FinalMarkID(parts[3]), index: index)
                else { return true }
                finals[final.subjectID, default: []].append(final)
                return true
            }
            let subjects = Set(bySubject.keys).union(finals.keys).sorted()
            return StudentMarks(
                studentID: student, from: start, to: end,
                subjects: subjects.map { subject in
                    let marks = (bySubject[subject] ?? []).sorted {
                        ($0.date, $0.history.first?.position ?? 0) < ($1.date, $1.history.first?.position ?? 0)
                    }
                    let averages = Averages.of(marks.map { ($0.value, $0.weight) })
                    return SubjectMarks(
                        subjectID: subject, marks: marks, weightedAverage: averages.weighted, plainAverage: averages.plain,
                        finalMarks: finals[subject] ?? [])
                }, asOfPosition: index.checkpoint)
        }
    }

    /// The journal page of a class, study group, teaching stream or
    /// individual student in a subject for a period or date range: lessons as
    /// columns, students as rows, marks and attendance in the cells.
    ///
    /// Unchecked and not logged: public only as SPI for the benchmarks'
    /// baseline (`@_spi(Benchmarks) import SchoolLedger`); services read
    /// through ``AccountSession/journalPage(subject:target:period:from:to:asOf:)``.
    @_spi(Benchmarks) public func journalPage(
        subject: SubjectID, target: TeachingTarget, period: ReportingPeriodID? = nil,
        from: CivilDate? = nil, to: CivilDate? = nil, asOf: AsOf = .now
    ) throws -> JournalPage {
        try withIndex(asOf) { index in
            let folds = JournalFacts()
            let (start, end) = try folds.range(period: period, from: from, to: to, index: index)
            // The page's lessons are a key range of the target's lessons in the subject.
            var lessons = [SchoolFolds.Lesson]()
            let prefix = RowKey.prefix(JournalIndexProjection.targetKey(target), subject.rawValue)
            let last = Array(end.description.utf8)
            try index.forEach("lessons-by-subject", prefix: prefix, from: prefix + Array(start.description.utf8)) { key, _ in
                guard key.count > prefix.count + 10 else { return true }
                guard !last.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: key[prefix.count..<(prefix.count + 10)])) else {
                    return false
                }
                if let lesson = try JournalRows.lesson(LessonID(RowKey.parts(key).last ?? ""), rows: index), !lesson.isCancelled {
                    lessons.append(lesson)
                }
                return true
            }
            let dates = lessons.isEmpty ? [start] : lessons.map(\.date)
            let students = try folds.students(of: target, on: dates, index: index).sorted()
            // The page's rows by index: each lesson's attendance and marks
            // (rows keyed by lesson, then student) are merged with the
            // students in the byte order of their ids, no id made or hashed.
            let merged = students.indices.map { (Array(students[$0].rawValue.utf8), $0) }.sorted {
                $0.0.lexicographicallyPrecedes($1.0)
            }
            let ids = merged.map(\.0)
            var cells = [[JournalCell]](
                repeating: [JournalCell](repeating: JournalCell(marks: [], attendance: nil), count: lessons.count), count: students.count)
            var rowMarks = [[(value: MarkValue, weight: Int)]](repeating: [], count: students.count)
            for (column, lesson) in lessons.enumerated() {
                try JournalRows.walk("attendance", lesson: lesson.lessonID, students: ids, rows: index) { n, rest, value in
                    // `lesson, student`: nothing after the student.
                    guard rest.isEmpty else { return }
                    cells[merged[n].1][column].attendance = JournalRows.status(Array(value))
                }
                try JournalRows.walkMarks(lesson: lesson.lessonID, students: ids, rows: index) { n, mark, weight, _ in
                    cells[merged[n].1][column].marks.append(mark)
                    rowMarks[merged[n].1].append((mark, weight))
                }
            }
            return JournalPage(
                subjectID: subject, target: target.description, from: start, to: end,
                lessons: lessons.map {
                    JournalLesson(
                        lessonID: $0.lessonID, date: $0.date, lessonNumber: $0.lessonNumber, topic: $0.topic,
                        isMoved: $0.isMoved, substituteID: $0.substituteID)
                },
                rows: students.indices.map { row in
                    JournalRow(
                        studentID: students[row], cells: cells[row], weightedAverage: Averages.of(rowMarks[row]).weighted)
                },
                asOfPosition: index.checkpoint)
        }
    }

    /// The students of a class on `date` (список класса), by id.
    func classList(_ classID: ClassID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try withIndex(asOf) { index in
            try JournalFacts().students(of: .class(classID), on: [date], index: index).sorted()
        }
    }

    /// The members of a study group on `date` (список группы), by id.
    func groupList(_ groupID: StudyGroupID, on date: CivilDate, asOf: AsOf = .now) throws -> [StudentID] {
        try withIndex(asOf) { index in
            try JournalFacts().students(of: .group(groupID), on: [date], index: index).sorted()
        }
    }
}
