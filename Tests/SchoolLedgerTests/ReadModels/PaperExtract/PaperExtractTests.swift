import EventLedger
import Foundation
import LedgerTestSupport
import SchoolLedger
import Testing

/// Paper extracts of the diary (clause 2), on the access school (see ``AccessSchool``).
@Suite("Paper extracts")
struct PaperExtractTests {
    static func at(_ text: String) -> Instant { Instant(iso8601: text)! }
    static let september = (from: CivilDate("2026-09-01")!, to: CivilDate("2026-09-30")!)
    static let recommendation = "<script>alert('x')</script> Читать больше & чаще"

    /// Adds to the access school: a Russian lesson L-5 on Sep 10; S-1's 3 (weight 1) in L-3 with
    /// homework H-2; S-1 absent without reason in L-1, late to L-3, absent for a reason in L-5;
    /// a recommendation of the Russian teacher whose text holds markup.
    static func week(_ school: AccessSchool) async throws {
        let when = AccessSchool.today
        try await school.journal.recordTrusted([
            JournalEntry(
                event: .lessonScheduled(
                    LessonScheduled(
                        lessonID: "L-5", subjectID: "RUS", target: .class("7A"), teacherID: "t-class",
                        date: CivilDate("2026-09-10")!, lessonNumber: 3)), actor: "admin", occurredAt: when),
            JournalEntry(
                event: .markRecorded(
                    MarkRecorded(
                        markID: "M-R1", studentID: "S-1", lessonID: "L-3", subjectID: "RUS", value: .numeric(3),
                        weight: 1, workKind: .homework)), actor: "t-class", occurredAt: when),
            JournalEntry(
                event: .homeworkAssigned(
                    HomeworkAssigned(
                        homeworkID: "H-2", lessonID: "L-3", text: "Упр. 12",
                        dueDate: CivilDate("2026-09-21")!)), actor: "t-class", occurredAt: when),
            JournalEntry(
                event: .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-1", status: .absent)), actor: "t-math",
                occurredAt: when),
            JournalEntry(
                event: .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-3", status: .late, minutesLate: 5)),
                actor: "t-class", occurredAt: when),
            JournalEntry(
                event: .attendanceMarked(AttendanceMarked(studentID: "S-1", lessonID: "L-5", status: .absentExcused)),
                actor: "t-class", occurredAt: when),
            JournalEntry(
                event: .recommendationIssued(
                    RecommendationIssued(
                        recommendationID: "R-1", studentID: "S-1", subjectID: "RUS",
                        text: recommendation, toStudent: true, toParents: true)),
                actor: "t-class", occurredAt: when),
        ])
    }

    @Test func anExtractHoldsTheSchoolTheClassAveragesAttendanceHomeworkTestsAndRecommendations() async throws {
        let school = try await AccessSchool()
        try await Self.week(school)
        let extract = try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to)
        #expect(extract.schoolName == "Школа № 1")
        #expect(extract.classID == "7A" && extract.className == "7А")
        #expect(extract.studentName == nil)
        #expect(extract.subjects.map(\.subjectID) == ["MATH", "RUS"])
        let maths = extract.subjects[0], russian = extract.subjects[1]
        #expect(maths.marks.map(\.value) == [.numeric(4), .numeric(5)])
        #expect(maths.weightedAverage == 4.5 && maths.plainAverage == 4.5)
        #expect(russian.marks.map(\.weight) == [1])
        #expect(russian.weightedAverage == 3 && russian.plainAverage == 3)
        // Q1 ends on Oct 25: its final mark is not in a September extract, but is in one to the end of October.
        #expect(maths.finalMarks.isEmpty)
        let autumn = try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.from, to: CivilDate("2026-10-31")!)
        #expect(autumn.subjects.first?.finalMarks.map(\.value) == [.numeric(5)])
        #expect(autumn.subjects.first?.finalMarks.first?.periodTitle == "1 четверть")

        #expect(extract.attendance.lessonsRecorded == 4)
        #expect(extract.attendance.absentUnexcused == 1)
        #expect(extract.attendance.absentExcused == 1)
        #expect(extract.attendance.late == 1)
        #expect(extract.attendance.entries.map(\.date) == [CivilDate("2026-09-07")!, CivilDate("2026-09-10")!, CivilDate("2026-09-18")!])
        #expect(extract.homework.map(\.text) == ["№ 1–5", "Упр. 12"])
        #expect(extract.tests.map(\.testID) == ["T-1"])
        #expect(extract.recommendations.map(\.text) == [Self.recommendation])
        #expect(extract.subjectTitle("RUS") == "Русский язык")

        let html = extract.renderHTML()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"ru\">"))
        #expect(html.contains("@page { size: A4; margin: 15mm }"))
        #expect(html.contains("Подпись родителя (законного представителя): ______"))
        #expect(html.contains("Школа № 1") && html.contains("S-1") && html.contains("с 01.09.2026 по 30.09.2026"))
        #expect(html.contains("4,50") && html.contains("3,00"))
        #expect(html.contains("Упр. 12") && html.contains("Математика"))
        let text = extract.renderText()
        #expect(text.contains("ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ДНЕВНИКА"))
        #expect(text.contains("Подпись родителя (законного представителя): ______"))
        #expect(text.contains("Средний взвешенный балл: 4,50"))
        #expect(text.contains("пропущено по уважительной причине: 1; без уважительной причины: 1; опозданий: 1"))
    }

    @Test func aVoidedMarkIsNotInTheExtract() async throws {
        let school = try await AccessSchool()
        // Someone with the maths teacher's password gives S-1 a 2 of weight 5 on Monday morning.
        school.clock.set(Self.at("2026-09-21T10:00:00Z"))
        try await school.session(.mathTeacher).record(
            .markRecorded(
                MarkRecorded(
                    markID: "M-THIEF", studentID: "S-1", lessonID: "L-2", subjectID: "MATH", value: .numeric(2), weight: 5, workKind: .test)
            ),
            occurredAt: school.clock.now())
        let before = try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to)
        // (4·3 + 5·3 + 2·5) / 11 = 3,36 while the 2 counts.
        #expect(before.renderHTML().contains("3,36") && before.renderHTML().contains("вес 5"))
        #expect(before.renderText().contains("3,36") && before.renderText().contains("вес 5"))

        school.clock.set(Self.at("2026-09-21T11:00:00Z"))
        try await school.session(.head).record(
            .compromiseReported(
                CompromiseReported(
                    accountID: "t-math", receivedByHeadAt: Self.at("2026-09-21T09:30:00Z"), reportedBy: "head", reporter: .head)),
            occurredAt: school.clock.now())
        let extract = try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to)
        let maths = try #require(extract.subjects.first { $0.subjectID == "MATH" })
        #expect(maths.marks.map(\.value) == [.numeric(4), .numeric(5)])
        #expect(maths.weightedAverage == 4.5)
        for rendered in [extract.renderHTML(), extract.renderText()] {
            #expect(rendered.contains("4,50"))
            #expect(!rendered.contains("3,36"))
            #expect(!rendered.contains("вес 5"))
        }
        // As of before the notice, the extract still shows what the ledger held then.
        let then = try school.journal.trusted.paperExtract(
            of: "S-1", from: Self.september.from, to: Self.september.to,
            asOf: .position(before.asOfPosition))
        #expect(then.subjects.first?.marks.count == 3)
    }

    @Test func theRecommendationsMarkupIsEscaped() async throws {
        let school = try await AccessSchool()
        try await Self.week(school)
        let html = try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to).renderHTML()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Читать больше &amp; чаще"))
        #expect(!html.contains("больше & чаще"))
    }

    @Test func theClassTeacherRecordsTheExtractOnceAndAnotherTeacherIsRefused() async throws {
        let school = try await AccessSchool()
        let covers = ExtractCoverage.dates(DateRange(start: Self.september.from, end: Self.september.to))
        // P-2 gave no consent: S-2's diary reaches him on paper.
        let due = try school.journal.trusted.paperExtractsDue(ofClass: "7A", on: Self.september.to)
        let reason = try #require(due.first { $0.parentID == "P-2" && $0.studentID == "S-2" }?.reason)
        #expect(reason == .noConsent)

        let start = try school.head.position
        // Without a reason given, the parents' view gives it; a mother who reads the diary electronically gets no paper.
        let start0 = try school.head
        let electronic = try await #require(throws: SchoolValidationError.self) {
            try await school.session(.classTeacher).recordPaperExtract(
                student: "S-1", parent: "P-1", covers: covers, occurredAt: school.clock.now())
        }
        #expect(electronic.field == "parent_id" && electronic.value == "P-1")
        await #expect(throws: SchoolValidationError.self) {
            try await school.session(.classTeacher).recordPaperExtract(
                student: "S-2", parent: "P-1", covers: covers, occurredAt: school.clock.now())
        }
        #expect(try school.head == start0)
        let first = try await school.session(.classTeacher).recordPaperExtract(
            student: "S-2", parent: "P-2", covers: covers,
            occurredAt: school.clock.now())
        #expect(!first.wasDuplicate)
        #expect(try school.head.position == start + 1)
        let recorded = try #require(try school.journal.entries(from: first.positions[0], through: first.positions[0]).first)
        guard case .paperExtractIssued(let event) = recorded.entry.event else {
            Issue.record("expected PaperExtractIssued, got \(recorded.entry.event.eventType)")
            return
        }
        #expect(event.extractID == PaperExtract.extractID(student: "S-2", parent: "P-2", covers: covers))
        #expect(event.reason == .noConsent && recorded.entry.actor == "t-class")
        #expect(
            try school.journal.trusted.paperExtractsDue(ofClass: "7A", on: Self.september.to)
                .first { $0.parentID == "P-2" }?.extractsIssued == [event.extractID])

        // Handing the same extract over again, an hour later, appends nothing.
        school.clock.set(AccessSchool.today.adding(microseconds: 3_600_000_000))
        let again = try await school.session(.classTeacher).recordPaperExtract(
            student: "S-2", parent: "P-2", covers: covers, reason: reason,
            occurredAt: school.clock.now())
        #expect(again.wasDuplicate)
        #expect(again.positions == first.positions)
        #expect(try school.head.position == start + 1)

        // The class teacher of 7B may not record it for a student of 7A.
        let head = try school.head
        await #expect(throws: AccessDenied.self) {
            try await school.session(.otherTeacher).recordPaperExtract(
                student: "S-2", parent: "P-2",
                covers: .dates(DateRange(start: Self.september.from, end: CivilDate("2026-09-15")!)),
                reason: reason, occurredAt: school.clock.now())
        }
        await #expect(throws: AccessDenied.self) {
            try await school.session(.otherTeacher).recordPaperExtract(
                student: "S-2", parent: "P-2", covers: covers, reason: reason,
                occurredAt: school.clock.now())
        }
        #expect(try school.head == head)
    }

    /// Adds to the access school (after ``week(_:)``): a maths stream ST-1 of 7A and 7B taught by
    /// t-other; G-1's Russian taught by t-sub until Sep 10, then by t-class; a group G-2 that S-1
    /// leaves on Sep 5; t-other taking over 7A's maths on Sep 15; L-3 moved to Sep 19, lesson 4,
    /// and L-5 cancelled; the autumn holidays, a grade-1 holiday and a grade-7 day off.
    static func schedule(_ school: AccessSchool) async throws {
        let d = AccessSchool.date
        let year: AcademicYearID = "2026-2027"
        let events: [SchoolEvent] = [
            .streamFormed(
                StreamFormed(
                    teachingStreamID: "ST-1", academicYearID: year, subjectID: "MATH", classIDs: ["7A", "7B"],
                    name: "Математика, поток 7-х", effectiveDate: AccessSchool.september)),
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "t-other", subjectID: "MATH", target: .teachingStream("ST-1"), effectiveDate: AccessSchool.september)),
            .teacherAssigned(
                TeacherAssigned(
                    teacherID: "t-sub", subjectID: "RUS", target: .group("G-1"), effectiveDate: AccessSchool.september,
                    endDate: d("2026-09-10"))),
            .teacherAssigned(
                TeacherAssigned(teacherID: "t-class", subjectID: "RUS", target: .group("G-1"), effectiveDate: d("2026-09-11"))),
            .studyGroupFormed(
                StudyGroupFormed(
                    groupID: "G-2", classIDs: ["7A"], subjectID: "MATH", name: "Математика, группа 2", studentIDs: ["S-1", "S-2"],
                    effectiveDate: AccessSchool.september)),
            .studyGroupMembershipChanged(
                StudyGroupMembershipChanged(groupID: "G-2", removedStudentIDs: ["S-1"], effectiveDate: d("2026-09-05"))),
            .teacherAssigned(
                TeacherAssigned(teacherID: "t-other", subjectID: "MATH", target: .class("7A"), effectiveDate: d("2026-09-15"))),
            .lessonRescheduled(LessonRescheduled(lessonID: "L-3", newDate: d("2026-09-19"), newLessonNumber: 4)),
            .lessonCancelled(LessonCancelled(lessonID: "L-5")),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "H-AUT", academicYearID: year, title: "Осенние каникулы",
                    dates: DateRange(start: d("2026-10-26"), end: d("2026-11-03")))),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "H-G1", academicYearID: year, title: "Каникулы первоклассников",
                    dates: DateRange(start: d("2026-09-21"), end: d("2026-09-22")), gradeLevels: [1])),
            .holidayPeriodDeclared(
                HolidayPeriodDeclared(
                    holidayID: "H-7", academicYearID: year, title: "День здоровья",
                    dates: DateRange(start: d("2026-09-28"), end: d("2026-09-28")), gradeLevels: [7])),
        ]
        try await school.journal.recordTrusted(events.map { JournalEntry(event: $0, actor: "admin", occurredAt: AccessSchool.today) })
    }

    @Test func anExtractHoldsTheTimetableWithItsChangesTheTeachersOfTheClassGroupsAndStreamsAndTheHolidays() async throws {
        let school = try await AccessSchool()
        try await Self.week(school)
        let before = try school.journal.ledger.head().position
        try await Self.schedule(school)
        let it = school.journal.trusted
        let extract = try it.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to)

        // S-1's lessons by date and number, 7B's L-4 left out, each change flagged.
        #expect(extract.timetable.map(\.lessonID) == ["L-1", "L-5", "L-2", "L-3"])
        let moved = try #require(extract.timetable.last)
        #expect(moved.isMoved && moved.date == CivilDate("2026-09-19")! && moved.lessonNumber == 4)
        #expect(extract.timetable[1].isCancelled && !extract.timetable[1].isMoved)
        #expect(extract.timetable[2].substituteID == "t-sub" && extract.timetable[2].teacherID == "t-math")
        #expect(extract.timetable[0].substituteID == nil && !extract.timetable[0].isMoved && !extract.timetable[0].isCancelled)

        // The class, its stream, and the groups S-1 was in on a day of September; no individual plan.
        #expect(extract.teaching.map(\.target) == [.class("7A"), .teachingStream("ST-1"), .group("G-1"), .group("G-2")])
        #expect(extract.teaching.map(\.name) == ["7А", "Математика, поток 7-х", "Русский, группа 1", "Математика, группа 2"])
        let ofClass = extract.teaching[0].teachers
        #expect(ofClass.map(\.teacherID) == ["t-class", "t-math", "t-other", "t-class"])
        #expect(ofClass.map(\.subjectID) == [nil, "MATH", "MATH", "RUS"])
        #expect(extract.teaching[1].teachers.map(\.teacherID) == ["t-other"])
        #expect(extract.teaching[2].teachers.map(\.teacherID) == ["t-sub", "t-class"])
        #expect(extract.teaching[2].teachers[0].until == CivilDate("2026-09-10")!)
        #expect(extract.teaching[3].teachers.isEmpty)
        // Only the grade-7 day off falls in September for a 7th-grader.
        #expect(extract.holidays.map(\.holidayID) == ["H-7"])

        // From Sep 15: the maths and Russian teachers who took over, G-2 gone.
        let late = try it.paperExtract(of: "S-1", from: CivilDate("2026-09-15")!, to: CivilDate("2026-11-05")!)
        #expect(late.teaching.map(\.target) == [.class("7A"), .teachingStream("ST-1"), .group("G-1")])
        #expect(late.teaching[0].teachers.map(\.teacherID) == ["t-class", "t-other", "t-class"])
        #expect(late.teaching[2].teachers.map(\.teacherID) == ["t-class"])
        #expect(late.holidays.map(\.holidayID) == ["H-7", "H-AUT"])
        // One day's teachers of the class are the same fold: maths is t-other's on Sep 20.
        #expect(try it.teachers(of: .class("7A"), on: CivilDate("2026-09-20")!).map(\.teacherID) == ["t-class", "t-other", "t-class"])
        #expect(try it.teachers(of: .class("7A"), on: CivilDate("2026-09-14")!).map(\.teacherID) == ["t-class", "t-math", "t-class"])

        // As of before the additions the extract shows what the ledger held then.
        let then = try it.paperExtract(of: "S-1", from: Self.september.from, to: Self.september.to, asOf: .position(before))
        #expect(then.teaching.map(\.target) == [.class("7A"), .group("G-1")])
        #expect(then.holidays.isEmpty)
        #expect(!then.timetable.contains { $0.isMoved || $0.isCancelled })

        let html = extract.renderHTML()
        for line in [
            "<h2>Расписание уроков</h2>", "перенесён", "замена: t-sub", "отменён", "<h2>Учителя</h2>", "поток Математика, поток 7-х",
            "группа Русский, группа 1", "классный руководитель", "с 01.09.2026 по 10.09.2026", "<h2>Каникулы</h2>", "День здоровья",
            "28.09.2026–28.09.2026", "<td>группа Математика, группа 2</td><td>—</td><td>не назначен</td>",
        ] {
            #expect(html.contains(line), "\(line)")
        }
        #expect(!html.contains("Каникулы первоклассников"))
        let text = extract.renderText()
        for line in [
            "РАСПИСАНИЕ УРОКОВ", "  19.09.2026, урок 4, Русский язык, t-class: перенесён",
            "  10.09.2026, урок 3, Русский язык, t-class: отменён",
            "  18.09.2026, урок 1, Математика, t-math: замена: t-sub", "УЧИТЕЛЯ", "  класс 7А",
            "    классный руководитель: t-class, с 01.09.2026",
            "    Математика: t-other, с 15.09.2026", "  группа Математика, группа 2\n    учитель не назначен", "КАНИКУЛЫ",
            "  День здоровья: 28.09.2026–28.09.2026",
        ] {
            #expect(text.contains(line), "\(line)")
        }
    }

    @Test func badInputIsATypedError() async throws {
        let school = try await AccessSchool()
        let unknown = try #require(throws: SchoolValidationError.self) {
            try school.journal.trusted.paperExtract(of: "S-404", from: Self.september.from, to: Self.september.to)
        }
        #expect(unknown.field == "student")
        let backwards = try #require(throws: SchoolValidationError.self) {
            try school.journal.trusted.paperExtract(of: "S-1", from: Self.september.to, to: Self.september.from)
        }
        #expect(backwards.field == "to")
    }
}
