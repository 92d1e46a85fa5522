import Foundation
import GRDB
@_spi(Benchmarks) import SchoolLedger

/// Figure 7's baseline for the diary: the read model a careful engineer
/// would keep in SQLite through GRDB. Lessons by id; each student's lessons
/// by (student, date, number) in a `WITHOUT ROWID` table, so a week is one
/// index range; marks, attendance and homework keyed by lesson (and student);
/// the student's tests and recommendations by (student, date).
///
/// It is filled with the library's own answers for the weeks the benchmark
/// asks (so both sides hold the same rows: the figure compares reading
/// them, not the two ways of folding the log), and each query is checked to
/// answer exactly what the library answers.
final class GRDBDiary {
    /// A lesson of the diary as read from SQLite (the library's view types
    /// keep their initialisers internal, so the baseline has its own).
    struct Lesson: Equatable {
        var id: String, date: String, number: Int, subject: String, teacher: String, substitute: String?
        var moved: Bool, cancelled: Bool, topic: String?
        var homework: [Homework], marks: [String], attendance: Int?
    }
    struct Homework: Equatable { var id: String, text: String, due: String }
    struct Test: Equatable { var id: String, date: String, subject: String, kind: Int, topic: String? }
    struct Recommendation: Equatable { var id: String, date: String, subject: String?, text: String, teacher: String }
    struct Diary: Equatable { var lessons: [Lesson], tests: [Test], recommendations: [Recommendation] }

    /// The library's answer in the baseline's form, to check both say the same.
    static func form(_ d: StudentDiary) -> Diary {
        Diary(
            lessons: d.lessons.map { l in
                Lesson(
                    id: l.lessonID.rawValue, date: l.date.description, number: l.lessonNumber, subject: l.subjectID.rawValue,
                    teacher: l.teacherID.rawValue, substitute: l.substituteID?.rawValue, moved: l.isMoved, cancelled: l.isCancelled,
                    topic: l.topic, homework: l.homework.map { Homework(id: $0.homeworkID.rawValue, text: $0.text, due: $0.dueDate.description) },
                    marks: l.marks.map(\.text), attendance: l.attendance.map { AttendanceStatus.allCases.firstIndex(of: $0)! })
            },
            tests: d.tests.map {
                Test(id: $0.testID.rawValue, date: $0.date.description, subject: $0.subjectID.rawValue,
                     kind: WorkKind.allCases.firstIndex(of: $0.workKind)!, topic: $0.topic)
            },
            recommendations: d.recommendations.map {
                Recommendation(id: $0.recommendationID.rawValue, date: $0.date.description, subject: $0.subjectID?.rawValue, text: $0.text,
                               teacher: $0.teacherID.rawValue)
            })
    }

    let queue: DatabaseQueue

    init(dir: String) throws {
        queue = try readModelDatabase(dir: dir, file: "diary.sqlite")
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE lesson (
                      id TEXT PRIMARY KEY, date TEXT NOT NULL, number INTEGER NOT NULL, subject TEXT NOT NULL, teacher TEXT NOT NULL,
                      substitute TEXT, moved INTEGER NOT NULL, cancelled INTEGER NOT NULL, topic TEXT) WITHOUT ROWID;
                    CREATE TABLE placement (
                      student TEXT NOT NULL, date TEXT NOT NULL, number INTEGER NOT NULL, lesson TEXT NOT NULL,
                      PRIMARY KEY (student, date, number, lesson)) WITHOUT ROWID;
                    CREATE TABLE mark (
                      lesson TEXT NOT NULL, student TEXT NOT NULL, seq INTEGER NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (lesson, student, seq)) WITHOUT ROWID;
                    CREATE TABLE attendance (
                      lesson TEXT NOT NULL, student TEXT NOT NULL, status INTEGER NOT NULL, PRIMARY KEY (lesson, student)) WITHOUT ROWID;
                    CREATE TABLE homework (
                      lesson TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL, due TEXT NOT NULL, PRIMARY KEY (lesson, id)) WITHOUT ROWID;
                    CREATE TABLE student_test (
                      student TEXT NOT NULL, date TEXT NOT NULL, id TEXT NOT NULL, subject TEXT NOT NULL, kind INTEGER NOT NULL, topic TEXT,
                      PRIMARY KEY (student, date, id)) WITHOUT ROWID;
                    CREATE TABLE recommendation (
                      student TEXT NOT NULL, date TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, subject TEXT, text TEXT NOT NULL,
                      teacher TEXT NOT NULL, PRIMARY KEY (student, date, seq)) WITHOUT ROWID;
                    """)
        }
    }

    /// Stores what the diaries show (the library's answers for the weeks asked).
    func fill(_ diaries: [StudentDiary]) throws {
        try queue.write { db in
            for diary in diaries {
                let s = diary.studentID.rawValue
                for l in diary.lessons {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO lesson VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        arguments: [
                            l.lessonID.rawValue, l.date.description, l.lessonNumber, l.subjectID.rawValue, l.teacherID.rawValue,
                            l.substituteID?.rawValue, l.isMoved, l.isCancelled, l.topic,
                        ])
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO placement VALUES (?, ?, ?, ?)",
                        arguments: [s, l.date.description, l.lessonNumber, l.lessonID.rawValue])
                    try db.execute(sql: "DELETE FROM mark WHERE lesson = ? AND student = ?", arguments: [l.lessonID.rawValue, s])
                    for (n, m) in l.marks.enumerated() {
                        try db.execute(sql: "INSERT INTO mark VALUES (?, ?, ?, ?)", arguments: [l.lessonID.rawValue, s, n, m.text])
                    }
                    if let a = l.attendance {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO attendance VALUES (?, ?, ?)",
                            arguments: [l.lessonID.rawValue, s, AttendanceStatus.allCases.firstIndex(of: a)!])
                    }
                    for h in l.homework {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO homework VALUES (?, ?, ?, ?)",
                            arguments: [l.lessonID.rawValue, h.homeworkID.rawValue, h.text, h.dueDate.description])
                    }
                }
                for t in diary.tests {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO student_test VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [s, t.date.description, t.testID.rawValue, t.subjectID.rawValue, WorkKind.allCases.firstIndex(of: t.workKind)!, t.topic])
                }
                for (n, r) in diary.recommendations.enumerated() {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO recommendation VALUES (?, ?, ?, ?, ?, ?, ?)",
                        arguments: [s, r.date.description, n, r.recommendationID.rawValue, r.subjectID?.rawValue, r.text, r.teacherID.rawValue])
                }
            }
        }
    }

    /// The diary of `student` for `from` through `to`, as the library shows it.
    func diary(of student: StudentID, from: CivilDate, to: CivilDate) throws -> Diary {
        try queue.read { db in
            let args: StatementArguments = [student.rawValue, from.description, to.description]
            var marks = [String: [String]]()
            let cursor1 = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT m.lesson, m.value FROM placement p JOIN mark m ON m.lesson = p.lesson AND m.student = p.student
                        WHERE p.student = ? AND p.date BETWEEN ? AND ? ORDER BY m.lesson, m.seq
                        """), arguments: args)
            while let row = try cursor1.next() {
                marks[row[0], default: []].append(row[1])
            }
            var homework = [String: [Homework]]()
            let cursor2 = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT h.lesson, h.id, h.text, h.due FROM placement p JOIN homework h ON h.lesson = p.lesson
                        WHERE p.student = ? AND p.date BETWEEN ? AND ? ORDER BY h.lesson, h.id
                        """), arguments: args)
            while let row = try cursor2.next() {
                homework[row[0], default: []].append(Homework(id: row[1], text: row[2], due: row[3]))
            }
            var lessons = [Lesson]()
            let cursor3 = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT l.id, l.date, l.number, l.subject, l.teacher, l.substitute, l.moved, l.cancelled, l.topic, a.status
                        FROM placement p JOIN lesson l ON l.id = p.lesson
                        LEFT JOIN attendance a ON a.lesson = p.lesson AND a.student = p.student
                        WHERE p.student = ? AND p.date BETWEEN ? AND ? ORDER BY p.date, p.number, p.lesson
                        """), arguments: args)
            while let row = try cursor3.next() {
                let id: String = row[0]
                lessons.append(
                    Lesson(
                        id: id, date: row[1], number: row[2], subject: row[3], teacher: row[4], substitute: row[5], moved: row[6],
                        cancelled: row[7], topic: row[8], homework: homework[id] ?? [], marks: marks[id] ?? [], attendance: row[9]))
            }
            let tests = try GRDB.Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, date, subject, kind, topic FROM student_test WHERE student = ? AND date BETWEEN ? AND ? ORDER BY date, id"),
                arguments: [student.rawValue, from.description, to.adding(days: 14).description]
            ).map { Test(id: $0[0], date: $0[1], subject: $0[2], kind: $0[3], topic: $0[4]) }
            let recommendations = try GRDB.Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, date, subject, text, teacher FROM recommendation WHERE student = ? AND date BETWEEN ? AND ? ORDER BY date, seq"),
                arguments: args
            ).map { Recommendation(id: $0[0], date: $0[1], subject: $0[2], text: $0[3], teacher: $0[4]) }
            return Diary(lessons: lessons, tests: tests, recommendations: recommendations)
        }
    }
}
