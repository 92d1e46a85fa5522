import EventLedger

extension SchoolJournal {
    /// A paper extract of `student`'s diary for the school dates `from`
    /// through `to` (clause 2), as of now or of a past position / instant.
    ///
    /// - Throws: ``SchoolValidationError`` for an unknown student or `to` before `from`.
    func paperExtract(of student: StudentID, from: CivilDate, to: CivilDate, asOf: AsOf = .now) throws -> PaperExtract {
        guard from <= to else {
            throw SchoolValidationError(eventType: "query", field: "to", value: to.description, rule: "must not be before from (\(from))")
        }
        guard try ledger.read({ try $0.streamVersion(SchoolStream.student(student)) }) > 0 else {
            throw SchoolValidationError(
                eventType: "query", field: "student", value: student.rawValue,
                rule: "must name a student the ledger holds (StudentEnrolled)")
        }
        // The diary and the marks at one position: pinned when the head moved between the two reads.
        var diary = try self.diary(of: student, from: from, to: to, asOf: asOf)
        var marks = try self.marks(of: student, from: from, to: to, asOf: asOf)
        if marks.asOfPosition != diary.asOfPosition {
            let pinned = AsOf.position(min(marks.asOfPosition, diary.asOfPosition))
            diary = try self.diary(of: student, from: from, to: to, asOf: pinned)
            marks = try self.marks(of: student, from: from, to: to, asOf: pinned)
        }
        let last = diary.asOfPosition
        let facts = try ledger.read { reader in try ExtractFacts(student: student, through: last, reader: reader) }

        let classID = facts.classOf(on: to) ?? facts.classOf(on: from)
        let subjects = marks.subjects.map { subject in
            ExtractSubject(
                subjectID: subject.subjectID,
                marks: subject.marks.map { ExtractMark(date: $0.date, value: $0.value, weight: $0.weight, workKind: $0.workKind) },
                weightedAverage: subject.weightedAverage, plainAverage: subject.plainAverage,
                finalMarks: subject.finalMarks.compactMap { final in
                    guard let period = facts.periods[final.periodID], period.dates.end >= from, period.dates.end <= to else { return nil }
                    return ExtractFinalMark(periodID: final.periodID, periodTitle: period.title, value: final.value)
                })
        }.filter { !$0.marks.isEmpty || !$0.finalMarks.isEmpty }
        var sources = ExtractSources()
        for subject in marks.subjects {
            sources.streams += subject.marks.map { SchoolStream.mark($0.markID) }
            sources.streams += subject.finalMarks.filter { final in
                facts.periods[final.periodID].map { $0.dates.end >= from && $0.dates.end <= to } ?? false
            }.map { SchoolStream.finalMark($0.finalMarkID) }
        }
        var attendance = ExtractAttendance(lessonsRecorded: 0, absentExcused: 0, absentUnexcused: 0, late: 0, entries: [])
        var homework = [ExtractHomework]()
        for lesson in diary.lessons where !lesson.isCancelled {
            homework += lesson.homework.map {
                ExtractHomework(date: lesson.date, subjectID: lesson.subjectID, text: $0.text, dueDate: $0.dueDate)
            }
            sources.streams += lesson.homework.map { SchoolStream.homework($0.homeworkID) }
            guard let status = lesson.attendance else { continue }
            sources.attendanceLessons.append(lesson.lessonID)
            attendance.lessonsRecorded += 1
            switch status {
            case .present: continue
            case .absent: attendance.absentUnexcused += 1
            case .absentExcused: attendance.absentExcused += 1
            case .late: attendance.late += 1
            }
            attendance.entries.append(
                ExtractAbsence(date: lesson.date, lessonNumber: lesson.lessonNumber, subjectID: lesson.subjectID, status: status))
        }
        let lessons = diary.lessons
        let schedule = try withIndex(.position(last)) { index in
            try ExtractSchedule(student: student, classID: classID, from: from, to: to, lessons: lessons, index: index)
        }
        sources.timetableLessons = schedule.timetable.map(\.lessonID)
        sources.records = schedule.records
        return PaperExtract(
            schoolName: facts.schoolName, studentID: student, studentName: try studentName(student), classID: classID,
            className: classID.flatMap { facts.classNames[$0] }, from: from, to: to, subjects: subjects, attendance: attendance,
            homework: homework, tests: diary.tests, recommendations: diary.recommendations, timetable: schedule.timetable,
            teaching: schedule.teaching, holidays: schedule.holidays,
            subjectNames: Dictionary(facts.subjectNames.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a }),
            asOfPosition: last, sources: sources)
    }
}

/// The names and dates an extract prints, read from the log up to a position
/// with void operations left out.
private struct ExtractFacts {
    var schoolName: String?
    var studentEvents = [SchoolEvent]()
    var classNames = [ClassID: String]()
    var subjectNames = [SubjectID: String]()
    var periods = [ReportingPeriodID: ReportingPeriodDefined]()

    init(student: StudentID, through last: UInt64, reader: borrowing LedgerReader) throws {
        let voided = try CompromiseRegister.read(reader, through: last).allVoided
        func events(_ stream: String) throws -> [SchoolEvent] {
            var out = [SchoolEvent]()
            try reader.forEach(inStream: stream) { view in
                guard view.position <= last else { return false }
                if !voided.contains(view.position), let event = EventCoding.decodedEvent(view) { out.append(event) }
                return true
            }
            return out
        }
        for case .schoolRegistered(let e) in try events(SchoolStream.school) { schoolName = e.fullName }
        studentEvents = try events(SchoolStream.student(student))
        var classes = Set<ClassID>()
        for event in studentEvents {
            if case .studentEnrolled(let e) = event { classes.insert(e.classID) }
            if case .studentTransferred(let e) = event { classes.insert(e.toClassID) }
        }
        for c in classes {
            for case .classFormed(let e) in try events(SchoolStream.class(c)) { classNames[c] = e.name }
        }
        var streams = [String]()
        try reader.forEachStream(withPrefix: "subject/") { stream, _ in
            streams.append(stream); return true
        }
        for stream in streams {
            for case .subjectDefined(let e) in try events(stream) { subjectNames[e.subjectID] = e.name }
        }
        streams = []
        try reader.forEachStream(withPrefix: "year/") { stream, _ in
            streams.append(stream); return true
        }
        for stream in streams {
            for case .reportingPeriodDefined(let e) in try events(stream) { periods[e.periodID] = e }
        }
    }

    func classOf(on date: CivilDate) -> ClassID? { SchoolFolds.classOf(studentEvents, on: date) }
}

/// The timetable, the teachers and the holidays of an extract, from the
/// journal index as of the extract's position (void operations left out),
/// with the records they come from.
private struct ExtractSchedule {
    var timetable = [TimetableEntry]()
    var teaching = [ExtractTeaching]()
    var holidays = [Holiday]()
    /// The records of the teachers' assignments and of the holidays.
    var records = [UInt64]()

    init(
        student: StudentID, classID: ClassID?, from: CivilDate, to: CivilDate, lessons: [DiaryLesson],
        index: borrowing ProjectionReader
    ) throws {
        var folds = JournalFacts()
        for lesson in lessons {
            if let folded = try folds.lesson(lesson.lessonID, reader: index) { timetable.append(SchoolJournal.timetableEntry(folded)) }
        }
        let days = SchoolJournal.days(from, to)
        for target in try folds.targets(ofStudent: student, from: from, to: to, index: index) {
            let events = try folds.events(in: target.stream, reader: index)
            var name: String?
            switch target {
            case .class:
                for case .classFormed(let e) in events { name = e.name }
            case .teachingStream:
                for case .streamFormed(let e) in events { name = e.name }
            case .group:
                // A group the student was ever in: listed only when a member on a day of the range.
                let changes = SchoolFolds.membershipChanges(events)
                guard days.contains(where: { SchoolFolds.members(changes, on: $0).contains(student) }) else { continue }
                for case .studyGroupFormed(let e) in events { name = e.name }
            case .student:
                break
            }
            let assigned = SchoolJournal.assignedTeachers(try index.journalEntries(target.stream), of: target, on: days)
            // The student as a target counts only with teachers of an individual plan.
            if case .student = target, assigned.isEmpty { continue }
            records += assigned.map(\.position)
            teaching.append(ExtractTeaching(target: target, name: name, teachers: assigned.map(\.teacher)))
        }
        let grade = try classID.flatMap { try folds.gradeLevel(of: $0, reader: index) }
        var years = [String]()
        try index.forEachStream(withPrefix: "year/") { stream in
            years.append(stream)
            return true
        }
        for year in years {
            for recorded in try index.journalEntries(year) {
                guard case .holidayPeriodDeclared(let h) = recorded.entry.event, h.dates.start <= to, h.dates.end >= from,
                    h.gradeLevels.isEmpty || grade.map(h.gradeLevels.contains) ?? true
                else { continue }
                holidays.append(Holiday(h))
                records.append(recorded.position)
            }
        }
        holidays.sort { ($0.dates.start, $0.holidayID) < ($1.dates.start, $1.holidayID) }
    }
}

extension SchoolJournal {
    /// The student's name for an extract, read through the vault: the full
    /// name, the erased marker, or `nil` when no name can be read.
    fileprivate func studentName(_ student: StudentID) throws -> String? {
        let name = try displayName(of: PersonID(student))
        return name == student.rawValue ? nil : name
    }
}
