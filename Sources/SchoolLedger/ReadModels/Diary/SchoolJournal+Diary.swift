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
            var folds = JournalFacts()
            _ = try folds.range(period: nil, from: from, to: to, index: index)
            let studentEvents = try index.journalEntries(SchoolStream.student(student))
            let targets = try folds.targets(ofStudent: student, from: from, to: to, index: index)
            var lessons = [DiaryLesson]()
            for target in targets {
                for lesson in try folds.lessons(of: target, from: from, to: to, index: index, includeCancelled: true)
                where try folds.students(of: target, on: [lesson.date], index: index).contains(student) {
                    let marks = try folds.marks(inLesson: lesson.lessonID, index: index).filter { $0.studentID == student }
                    lessons.append(
                        DiaryLesson(
                            lessonID: lesson.lessonID, date: lesson.date, lessonNumber: lesson.lessonNumber, subjectID: lesson.subjectID,
                            teacherID: lesson.teacherID, substituteID: lesson.substituteID, isMoved: lesson.isMoved,
                            isCancelled: lesson.isCancelled,
                            topic: lesson.topic, homework: try folds.homework(inLesson: lesson.lessonID, index: index),
                            marks: marks.map(\.value),
                            attendance: try folds.attendance(lesson.lessonID, index: index)[student]))
                }
            }
            lessons.sort { ($0.date, $0.lessonNumber, $0.lessonID) < ($1.date, $1.lessonNumber, $1.lessonID) }
            let horizon = Self.days(to, to, plus: 14).last ?? to
            var tests = [ScheduledTest]()
            for target in targets {
                tests += try folds.tests(of: target, from: from, to: horizon, index: index)
            }
            let recommendations = studentEvents.compactMap { recorded -> DiaryRecommendation? in
                guard case .recommendationIssued(let r) = recorded.entry.event else { return nil }
                let day = calendar.date(at: recorded.entry.occurredAt)
                guard day >= from, day <= to else { return nil }
                return DiaryRecommendation(
                    recommendationID: r.recommendationID, subjectID: r.subjectID, text: r.text, date: day,
                    teacherID: recorded.entry.actor)
            }
            return StudentDiary(
                studentID: student, from: from, to: to, lessons: lessons,
                tests: tests.sorted { ($0.date, $0.testID) < ($1.date, $1.testID) },
                recommendations: recommendations, asOfPosition: index.checkpoint)
        }
    }
}
