import EventLedger
@testable import SchoolLedger

/// The diary and the journal page worked out the slow, obvious way, straight from the log's
/// entries, with nothing of the library's read models: the reference the
/// materialised rows are compared with.
///
/// The rules it states are the domain's: a breach notice's voids take
/// records out in log order and a lifting brings them back; a lesson is its
/// scheduling with the later moves, cancellation, substitutions and topic
/// applied; a student is taught in a lesson when its target reaches them on
/// the lesson's date; of two class or membership changes on one day the
/// later recorded wins.
struct JournalOracle {
    let kept: [RecordedJournalEntry]
    /// Every entry, voided ones too: the indexes a diary lists tests by name
    /// every group a student was ever put in and every stream ever formed.
    let all: [RecordedJournalEntry]

    init(_ entries: [RecordedJournalEntry]) {
        var excluded = Set<UInt64>()
        for recorded in entries {
            switch recorded.entry.event {
            case .operationsVoided(let e): excluded.formUnion(e.voidedPositions.filter { $0 < recorded.position })
            case .voidsLifted(let e): excluded.subtract(e.liftedPositions.filter { $0 < recorded.position })
            default: break
            }
        }
        all = entries
        kept = entries.filter { !excluded.contains($0.position) }
    }

    struct Lesson {
        var id: LessonID
        var subject: SubjectID
        var target: TeachingTarget
        var teacher: AccountID
        var date: CivilDate
        var number: Int
        var scheduled: (CivilDate, Int)
        var moved: Bool { scheduled != (date, number) }
        var cancelled = false
        var substitute: AccountID?
        var topic: String?
    }

    func lessons() -> [LessonID: Lesson] {
        var lessons = [LessonID: Lesson]()
        for recorded in kept {
            switch recorded.entry.event {
            case .lessonScheduled(let e):
                lessons[e.lessonID] = Lesson(
                    id: e.lessonID, subject: e.subjectID, target: e.target, teacher: e.teacherID, date: e.date, number: e.lessonNumber,
                    scheduled: (e.date, e.lessonNumber))
            case .lessonRescheduled(let e):
                guard var l = lessons[e.lessonID] else { continue }
                l.date = e.newDate
                l.number = e.newLessonNumber
                lessons[e.lessonID] = l
            case .lessonCancelled(let e): lessons[e.lessonID]?.cancelled = true
            case .substitutionAssigned(let e): lessons[e.lessonID]?.substitute = e.substituteTeacherID
            case .substitutionCancelled(let e): lessons[e.lessonID]?.substitute = nil
            case .lessonConducted(let e): lessons[e.lessonID]?.topic = e.topic
            default: break
            }
        }
        return lessons
    }

    /// The class of `student` on `date`: the last change by (effective date, log order).
    func classOf(_ student: StudentID, on date: CivilDate) -> ClassID? {
        var best: (CivilDate, UInt64, ClassID?)?
        for recorded in kept {
            let change: (CivilDate, ClassID?)?
            switch recorded.entry.event {
            case .studentEnrolled(let e) where e.studentID == student: change = (e.enrollmentDate, e.classID)
            case .studentTransferred(let e) where e.studentID == student: change = (e.effectiveDate, e.toClassID)
            case .studentWithdrawn(let e) where e.studentID == student: change = (e.effectiveDate, nil)
            default: change = nil
            }
            guard let change, change.0 <= date else { continue }
            if best == nil || (change.0, recorded.position) > (best!.0, best!.1) { best = (change.0, recorded.position, change.1) }
        }
        return best?.2
    }

    func isMember(_ student: StudentID, of group: StudyGroupID, on date: CivilDate) -> Bool {
        var changes = [(CivilDate, UInt64, Bool, [StudentID], [StudentID])]()
        for recorded in kept {
            switch recorded.entry.event {
            case .studyGroupFormed(let e) where e.groupID == group:
                changes.append((e.effectiveDate, recorded.position, true, e.studentIDs, []))
            case .studyGroupMembershipChanged(let e) where e.groupID == group:
                changes.append((e.effectiveDate, recorded.position, false, e.addedStudentIDs, e.removedStudentIDs))
            default: break
            }
        }
        var members = Set<StudentID>()
        for c in changes.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) where c.0 <= date {
            if c.2 { members = [] }
            members.formUnion(c.3)
            members.subtract(c.4)
        }
        return members.contains(student)
    }

    func classes(ofStream stream: TeachingStreamID, in entries: [RecordedJournalEntry]) -> [ClassID] {
        for case .streamFormed(let e) in entries.map(\.entry.event) where e.teachingStreamID == stream { return e.classIDs }
        return []
    }

    func reaches(_ target: TeachingTarget, _ student: StudentID, on date: CivilDate) -> Bool {
        switch target {
        case .student(let id): id == student
        case .class(let id): classOf(student, on: date) == id
        case .teachingStream(let id): classOf(student, on: date).map { classes(ofStream: id, in: kept).contains($0) } ?? false
        case .group(let id): isMember(student, of: id, on: date)
        }
    }

    func diary(of student: StudentID, from: CivilDate, to: CivilDate) -> StudentDiary {
        var marks = [MarkID: (lesson: LessonID, student: StudentID, value: MarkValue, cancelled: Bool)]()
        var attendance = [LessonID: AttendanceStatus]()
        var homework = [HomeworkID: (lesson: LessonID, text: String, due: CivilDate)]()
        var tests = [TestID: (target: TeachingTarget, test: ScheduledTest, cancelled: Bool)]()
        var recommendations = [DiaryRecommendation]()
        for recorded in kept {
            switch recorded.entry.event {
            case .markRecorded(let e): marks[e.markID] = (e.lessonID, e.studentID, e.value, false)
            case .markCorrected(let e): marks[e.markID]?.value = e.newValue
            case .markCancelled(let e): marks[e.markID]?.cancelled = true
            case .attendanceMarked(let e) where e.studentID == student: attendance[e.lessonID] = e.status
            case .attendanceCorrected(let e) where e.studentID == student: attendance[e.lessonID] = e.newStatus
            case .homeworkAssigned(let e): homework[e.homeworkID] = (e.lessonID, e.text, e.dueDate)
            case .homeworkAmended(let e):
                homework[e.homeworkID]?.text = e.text
                homework[e.homeworkID]?.due = e.dueDate
            case .testScheduled(let e):
                tests[e.testID] = (
                    e.target, ScheduledTest(testID: e.testID, subjectID: e.subjectID, date: e.date, workKind: e.workKind, topic: e.topic),
                    false
                )
            case .testRescheduled(let e): tests[e.testID]?.test.date = e.newDate
            case .testCancelled(let e): tests[e.testID]?.cancelled = true
            case .recommendationIssued(let e) where e.studentID == student:
                let day = CivilDate(of: recorded.entry.occurredAt)
                if day >= from, day <= to {
                    recommendations.append(
                        DiaryRecommendation(
                            recommendationID: e.recommendationID, subjectID: e.subjectID, text: e.text, date: day,
                            teacherID: recorded.entry.actor))
                }
            default: break
            }
        }
        let lessons = lessons().values.filter { $0.date >= from && $0.date <= to && reaches($0.target, student, on: $0.date) }
            .sorted { ($0.date, $0.number, $0.id) < ($1.date, $1.number, $1.id) }
            .map { l in
                DiaryLesson(
                    lessonID: l.id, date: l.date, lessonNumber: l.number, subjectID: l.subject, teacherID: l.teacher,
                    substituteID: l.substitute, isMoved: l.moved, isCancelled: l.cancelled, topic: l.topic,
                    homework: homework.filter { $0.value.lesson == l.id }.sorted { $0.key < $1.key }
                        .map { DiaryHomework(homeworkID: $0.key, text: $0.value.text, dueDate: $0.value.due) },
                    marks: marks.filter { $0.value.lesson == l.id && $0.value.student == student && !$0.value.cancelled }
                        .sorted { $0.key < $1.key }.map(\.value.value),
                    attendance: attendance[l.id])
            }
        // Tests: of the student, of their classes on a day of the range, of
        // every stream ever formed with such a class, of every group they were ever put in.
        var classes = Set<ClassID>()
        var day = from
        while day <= to {
            if let c = classOf(student, on: day) { classes.insert(c) }
            day = day.adding(days: 1)
        }
        var targets: Set<TeachingTarget> = [.student(student)]
        for recorded in all {
            switch recorded.entry.event {
            case .streamFormed(let e) where !classes.isDisjoint(with: e.classIDs): targets.insert(.teachingStream(e.teachingStreamID))
            case .studyGroupFormed(let e) where e.studentIDs.contains(student): targets.insert(.group(e.groupID))
            case .studyGroupMembershipChanged(let e) where e.addedStudentIDs.contains(student): targets.insert(.group(e.groupID))
            default: break
            }
        }
        targets.formUnion(classes.map { .class($0) })
        let horizon = to.adding(days: 14)
        let upcoming = tests.values.filter {
            targets.contains($0.target) && !$0.cancelled && $0.test.date >= from && $0.test.date <= horizon
        }
        .map(\.test).sorted { ($0.date, $0.testID) < ($1.date, $1.testID) }
        return StudentDiary(
            studentID: student, from: from, to: to, lessons: lessons, tests: upcoming, recommendations: recommendations, asOfPosition: 0)
    }

    /// The marks of `student` in `lesson` that stand (not cancelled), by mark id, with their weights.
    func marks(_ lesson: LessonID, _ student: StudentID) -> [(value: MarkValue, weight: Int)] {
        var marks = [MarkID: (lesson: LessonID, student: StudentID, value: MarkValue, weight: Int, cancelled: Bool)]()
        for recorded in kept {
            switch recorded.entry.event {
            case .markRecorded(let e): marks[e.markID] = (e.lessonID, e.studentID, e.value, e.weight, false)
            case .markCorrected(let e): marks[e.markID]?.value = e.newValue
            case .markCancelled(let e): marks[e.markID]?.cancelled = true
            default: break
            }
        }
        return marks.filter { $0.value.lesson == lesson && $0.value.student == student && !$0.value.cancelled }
            .sorted { $0.key < $1.key }.map { ($0.value.value, $0.value.weight) }
    }

    func attendance(_ lesson: LessonID, _ student: StudentID) -> AttendanceStatus? {
        var status: AttendanceStatus?
        for recorded in kept {
            switch recorded.entry.event {
            case .attendanceMarked(let e) where e.lessonID == lesson && e.studentID == student: status = e.status
            case .attendanceCorrected(let e) where e.lessonID == lesson && e.studentID == student: status = e.newStatus
            default: break
            }
        }
        return status
    }

    /// The journal page of `target` in `subject`: its lessons of the range
    /// that are not cancelled, as columns; the students it reaches on any of
    /// their dates (on `from` when there is none), as rows.
    func journalPage(subject: SubjectID, target: TeachingTarget, from: CivilDate, to: CivilDate, students candidates: [StudentID])
        -> JournalPage
    {
        let lessons = lessons().values.filter {
            $0.target == target && $0.subject == subject && !$0.cancelled && $0.date >= from && $0.date <= to
        }.sorted { ($0.date, $0.number, $0.id) < ($1.date, $1.number, $1.id) }
        let dates = lessons.isEmpty ? [from] : lessons.map(\.date)
        let students = Set(candidates).filter { s in dates.contains { reaches(target, s, on: $0) } }
        return JournalPage(
            subjectID: subject, target: target.description, from: from, to: to,
            lessons: lessons.map {
                JournalLesson(
                    lessonID: $0.id, date: $0.date, lessonNumber: $0.number, topic: $0.topic, isMoved: $0.moved, substituteID: $0.substitute
                )
            },
            rows: students.sorted().map { s in
                JournalRow(
                    studentID: s, cells: lessons.map { JournalCell(marks: marks($0.id, s).map(\.value), attendance: attendance($0.id, s)) },
                    weightedAverage: Averages.of(lessons.flatMap { marks($0.id, s) }).weighted)
            },
            asOfPosition: 0)
    }

    /// What the class report counts for one student in one subject.
    struct ReportCell: Equatable, CustomStringConvertible {
        var lessons = 0
        var excused = 0
        var unexcused = 0
        var late = 0
        /// Each mark's value and weight, by its lesson's date, then the position that first recorded it.
        var marks = [String]()

        var description: String { "\(lessons) lessons, \(excused)/\(unexcused)/\(late) absent/unexcused/late, marks \(marks)" }
    }

    /// The class report's cells for `classID` from `from` through `to`: every
    /// lesson, not cancelled, of the class, of a group or a stream ever formed
    /// with it (each lesson once), counted for each of `candidates` it reaches
    /// on its date while they are in the class; with the marks given in it.
    func reportCells(ofClass classID: ClassID, from: CivilDate, to: CivilDate, students candidates: [StudentID])
        -> [SubjectID: [StudentID: ReportCell]]
    {
        var targets: Set<TeachingTarget> = [.class(classID)]
        for recorded in kept {
            switch recorded.entry.event {
            case .studyGroupFormed(let e) where e.classIDs.contains(classID): targets.insert(.group(e.groupID))
            case .streamFormed(let e) where e.classIDs.contains(classID): targets.insert(.teachingStream(e.teachingStreamID))
            default: break
            }
        }
        var marks = [MarkID: (lesson: LessonID, student: StudentID, value: MarkValue, weight: Int, cancelled: Bool, position: UInt64)]()
        for recorded in kept {
            switch recorded.entry.event {
            case .markRecorded(let e): marks[e.markID] = (e.lessonID, e.studentID, e.value, e.weight, false, recorded.position)
            case .markCorrected(let e): marks[e.markID]?.value = e.newValue
            case .markCancelled(let e): marks[e.markID]?.cancelled = true
            default: break
            }
        }
        var cells = [SubjectID: [StudentID: ReportCell]]()
        var ordered = [SubjectID: [StudentID: [(CivilDate, UInt64, String)]]]()
        for lesson in lessons().values
        where !lesson.cancelled && lesson.date >= from && lesson.date <= to && targets.contains(lesson.target) {
            for student in candidates where reaches(lesson.target, student, on: lesson.date) && classOf(student, on: lesson.date) == classID
            {
                var cell = cells[lesson.subject]?[student] ?? ReportCell()
                cell.lessons += 1
                switch attendance(lesson.id, student) {
                case .absent: cell.unexcused += 1
                case .absentExcused: cell.excused += 1
                case .late: cell.late += 1
                case .present, nil: break
                }
                cells[lesson.subject, default: [:]][student] = cell
                for mark in marks.values where mark.lesson == lesson.id && mark.student == student && !mark.cancelled {
                    ordered[lesson.subject, default: [:]][student, default: []].append(
                        (lesson.date, mark.position, "\(mark.value.text)×\(mark.weight)"))
                }
            }
        }
        for (subject, students) in ordered {
            for (student, list) in students {
                cells[subject]?[student]?.marks = list.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
            }
        }
        return cells
    }
}
