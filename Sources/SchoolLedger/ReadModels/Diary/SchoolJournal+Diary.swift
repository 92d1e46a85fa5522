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
            // The student's lessons are a key range of `student-lessons`;
            // each lesson's row, the student's cell and the homework are read
            // by key. No event is decoded.
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            var lessons = [DiaryLesson]()
            let prefix = RowKey.prefix(student.rawValue)
            let last = to.description
            try index.forEach("student-lessons", prefix: prefix, from: prefix + Array(from.description.utf8)) { key, _ in
                let parts = RowKey.parts(key)
                guard parts.count == 4 else { return true }
                guard parts[1] <= last else { return false }
                let id = LessonID(parts[3])
                guard let lesson = try JournalRows.lesson(id, rows: index) else { return true }
                lessons.append(
                    DiaryLesson(
                        lessonID: id, date: lesson.date, lessonNumber: lesson.lessonNumber, subjectID: lesson.subjectID,
                        teacherID: lesson.teacherID, substituteID: lesson.substituteID, isMoved: lesson.isMoved,
                        isCancelled: lesson.isCancelled, topic: lesson.topic,
                        homework: try folds.homework(inLesson: id, index: index),
                        marks: try folds.cellMarks(inLesson: id, student: student, index: index).map(\.value),
                        attendance: try index.get("attendance", key: RowKey.make(id.rawValue, student.rawValue)).flatMap(JournalRows.status)
                    ))
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
