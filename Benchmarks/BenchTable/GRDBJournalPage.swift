import Foundation
import GRDB
@_spi(Benchmarks) import SchoolLedger

/// Figure 7's baseline for the journal page: the read model a careful
/// engineer would keep in SQLite through GRDB. Each target's lessons by
/// (target, subject, date, number) in a `WITHOUT ROWID` table, so a term is
/// one index range; the target's members with the dates they belong; marks
/// (with their weights, for the row's weighted average) and attendance keyed
/// by (lesson, student). A page is four indexed queries.
///
/// Like ``GRDBDiary`` it is filled with the library's own answers for the
/// pages the benchmark asks, and each page is checked to answer exactly what
/// the library answers before it is timed.
final class GRDBJournalPage {
    struct Lesson: Equatable { var id: String, date: String, number: Int, topic: String?, moved: Bool, substitute: String? }
    struct Cell: Equatable { var marks: [String], attendance: Int? }
    /// The weighted average in millionths: both sides add the same numbers,
    /// but not necessarily in the same order.
    struct Row: Equatable { var student: String, cells: [Cell], weightedAverage: Int64? }
    struct Page: Equatable { var lessons: [Lesson], rows: [Row] }
    /// A mark in a cell, to find its weight.
    struct MarkKey: Hashable { var lesson: String, student: String, value: String }

    static func millionths(_ average: Double?) -> Int64? { average.map { Int64(($0 * 1e6).rounded()) } }

    /// The library's answer in the baseline's form.
    static func form(_ page: JournalPage) -> Page {
        Page(
            lessons: page.lessons.map {
                Lesson(
                    id: $0.lessonID.rawValue, date: $0.date.description, number: $0.lessonNumber, topic: $0.topic, moved: $0.isMoved,
                    substitute: $0.substituteID?.rawValue)
            },
            rows: page.rows.map { row in
                Row(
                    student: row.studentID.rawValue,
                    cells: row.cells.map { Cell(marks: $0.marks.map(\.text), attendance: $0.attendance.map { AttendanceStatus.allCases.firstIndex(of: $0)! }) },
                    weightedAverage: millionths(row.weightedAverage))
            })
    }

    let queue: DatabaseQueue

    init(dir: String) throws {
        queue = try readModelDatabase(dir: dir, file: "page.sqlite")
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE page_lesson (
                      target TEXT NOT NULL, subject TEXT NOT NULL, date TEXT NOT NULL, number INTEGER NOT NULL, lesson TEXT NOT NULL,
                      topic TEXT, moved INTEGER NOT NULL, substitute TEXT,
                      PRIMARY KEY (target, subject, date, number, lesson)) WITHOUT ROWID;
                    CREATE TABLE member (
                      target TEXT NOT NULL, student TEXT NOT NULL, since TEXT NOT NULL, until TEXT NOT NULL,
                      PRIMARY KEY (target, student, since)) WITHOUT ROWID;
                    CREATE TABLE cell_mark (
                      lesson TEXT NOT NULL, student TEXT NOT NULL, seq INTEGER NOT NULL, value TEXT NOT NULL, numeric INTEGER,
                      weight INTEGER NOT NULL, PRIMARY KEY (lesson, student, seq)) WITHOUT ROWID;
                    CREATE TABLE cell_attendance (
                      lesson TEXT NOT NULL, student TEXT NOT NULL, status INTEGER NOT NULL, PRIMARY KEY (lesson, student)) WITHOUT ROWID;
                    """)
        }
    }

    /// Stores what `page` shows; `weights` gives each mark's weight.
    func fill(_ page: JournalPage, weights: [MarkKey: Int]) throws {
        try queue.write { db in
            for l in page.lessons {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO page_lesson VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        page.target, page.subjectID.rawValue, l.date.description, l.lessonNumber, l.lessonID.rawValue, l.topic, l.isMoved,
                        l.substituteID?.rawValue,
                    ])
            }
            for row in page.rows {
                let s = row.studentID.rawValue
                try db.execute(
                    sql: "INSERT OR IGNORE INTO member VALUES (?, ?, ?, ?)",
                    arguments: [page.target, s, page.from.description, page.to.description])
                for (column, cell) in row.cells.enumerated() {
                    let lesson = page.lessons[column].lessonID.rawValue
                    for (n, mark) in cell.marks.enumerated() {
                        guard let weight = weights[MarkKey(lesson: lesson, student: s, value: mark.text)] else {
                            fatalError("no weight for the mark \(mark.text) of \(s) in \(lesson)")
                        }
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO cell_mark VALUES (?, ?, ?, ?, ?, ?)",
                            arguments: [lesson, s, n, mark.text, mark.numericValue, weight])
                    }
                    if let a = cell.attendance {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO cell_attendance VALUES (?, ?, ?)",
                            arguments: [lesson, s, AttendanceStatus.allCases.firstIndex(of: a)!])
                    }
                }
            }
        }
    }

    /// The page of `subject` for `target` from `from` through `to`, as the library shows it.
    func page(subject: SubjectID, target: String, from: CivilDate, to: CivilDate) throws -> Page {
        try queue.read { db in
            let range: StatementArguments = [target, subject.rawValue, from.description, to.description]
            var lessons = [Lesson]()
            var column = [String: Int]()
            let lessonRows = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT lesson, date, number, topic, moved, substitute FROM page_lesson
                        WHERE target = ? AND subject = ? AND date BETWEEN ? AND ? ORDER BY date, number, lesson
                        """), arguments: range)
            while let row = try lessonRows.next() {
                column[row[0]] = lessons.count
                lessons.append(Lesson(id: row[0], date: row[1], number: row[2], topic: row[3], moved: row[4], substitute: row[5]))
            }
            let students = try String.fetchAll(
                db.cachedStatement(
                    sql: "SELECT DISTINCT student FROM member WHERE target = ? AND since <= ? AND until >= ? ORDER BY student"),
                arguments: [target, (lessons.last?.date ?? from.description), (lessons.first?.date ?? from.description)])
            var cells = [String: [Cell]]()
            for student in students { cells[student] = Array(repeating: Cell(marks: [], attendance: nil), count: lessons.count) }
            var sums = [String: (weighted: Int, weights: Int)]()
            let marks = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT m.lesson, m.student, m.value, m.numeric, m.weight FROM page_lesson l JOIN cell_mark m ON m.lesson = l.lesson
                        WHERE l.target = ? AND l.subject = ? AND l.date BETWEEN ? AND ? ORDER BY l.date, l.number, l.lesson, m.student, m.seq
                        """), arguments: range)
            while let row = try marks.next() {
                let (lesson, student): (String, String) = (row[0], row[1])
                guard let c = column[lesson], cells[student] != nil else { continue }
                cells[student]![c].marks.append(row[2])
                if let numeric: Int = row[3] {
                    let weight: Int = row[4]
                    sums[student, default: (0, 0)].weighted += numeric * weight
                    sums[student, default: (0, 0)].weights += weight
                }
            }
            let attendance = try GRDB.Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT a.lesson, a.student, a.status FROM page_lesson l JOIN cell_attendance a ON a.lesson = l.lesson
                        WHERE l.target = ? AND l.subject = ? AND l.date BETWEEN ? AND ?
                        """), arguments: range)
            while let row = try attendance.next() {
                let (lesson, student): (String, String) = (row[0], row[1])
                guard let c = column[lesson], cells[student] != nil else { continue }
                cells[student]![c].attendance = row[2]
            }
            return Page(
                lessons: lessons,
                rows: students.map { student in
                    let sum = sums[student]
                    return Row(
                        student: student, cells: cells[student]!,
                        weightedAverage: sum.flatMap { $0.weights == 0 ? nil : Self.millionths(Double($0.weighted) / Double($0.weights)) })
                })
        }
    }
}
