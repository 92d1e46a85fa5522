import EventLedger

extension SchoolJournal {
    /// A student's diary for a date range: lessons (moves and substitutions
    /// applied and flagged, cancellations shown), topics, homework, the
    /// student's marks and attendance, recommendations, and tests coming up.
    ///
    /// Unchecked and not logged: public only as SPI for the benchmarks'
    /// baseline (`@_spi(Benchmarks) import SchoolLedger`); services read
    /// through ``AccountSession/diary(of:from:to:asOf:)``.
    @_spi(Benchmarks) public func diary(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> StudentDiary {
        let calendar = try schoolCalendar()
        return try withIndex(asOf) { index in
            // The student's lessons are a key range of `student-lessons`,
            // each value the student's own part (marks, attendance) and each
            // lesson's shared part (the lesson, its homework) one row read
            // by key. No event is decoded.
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            var lessons = [DiaryLesson]()
            let prefix = RowKey.prefix(student.rawValue)
            let last = Array(to.description.utf8)
            try index.forEach("student-lessons", prefix: prefix, from: prefix + Array(from.description.utf8)) { key, value in
                // The key's date part ends before the lesson number: compare it in place.
                guard key.count >= prefix.count + 10 else { return true }
                let date = UnsafeRawBufferPointer(rebasing: key[prefix.count..<(prefix.count + 10)])
                guard !last.lexicographicallyPrecedes(date) else { return false }
                if let lesson = try JournalRows.diaryLesson(key: key, own: value, student: student, rows: index) { lessons.append(lesson) }
                return true
            }
            let horizon = Self.days(to, to, plus: 14).last ?? to
            var tests = [ScheduledTest]()
            for target in try folds.targets(ofStudent: student, from: from, to: to, index: index) {
                tests += try folds.tests(of: target, from: from, to: horizon, index: index)
            }
            var recommendations = [DiaryRecommendation]()
            try index.forEach("recommendations", prefix: prefix, from: nil) { _, value in
                var row = RowReader(Array(value))
                let id = RecommendationID(row.string())
                let subject = row.optional().map { SubjectID($0) }
                let text = row.string()
                let day = calendar.date(at: Instant(microsecondsSinceEpoch: Int64(row.int())))
                if day >= from, day <= to {
                    recommendations.append(
                        DiaryRecommendation(
                            recommendationID: id, subjectID: subject, text: text, date: day, teacherID: AccountID(row.string())))
                }
                return true
            }
            return StudentDiary(
                studentID: student, from: from, to: to, lessons: lessons,
                tests: tests.sorted { ($0.date, $0.testID) < ($1.date, $1.testID) },
                recommendations: recommendations, asOfPosition: index.checkpoint)
        }
    }
}
