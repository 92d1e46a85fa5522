import SchoolLedger

/// The parent's page: a student's week as a mother reads it, in Russian,
/// day by day, each lesson with its topic, homework, marks and attendance;
/// printable on one A4 page. Built from the same read model as
/// `GET /v1/students/{student}/diary` (``StudentDiary``), nothing else.
enum DiaryPage {
    static func render(_ diary: StudentDiary) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="ru"><head><meta charset="utf-8">
            <title>Дневник: \(e(diary.studentID.rawValue)), \(date(diary.from))–\(date(diary.to))</title>
            <style>
            body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #111; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.4em; border-bottom: 1px solid #999; }
            table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            th { background: #eee; } .mark { font-weight: bold; font-size: 1.15em; } .note { color: #555; font-size: 0.9em; }
            @media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
            </style></head><body>
            <h1>Дневник ученика \(e(diary.studentID.rawValue))</h1>
            <p>Неделя \(date(diary.from))–\(date(diary.to)). Данные журнала по состоянию на запись № \(diary.asOfPosition).</p>

            """
        let days = Dictionary(grouping: diary.lessons, by: \.date)
        for day in days.keys.sorted() {
            h += "<h2>\(date(day))</h2>\n<table><tr><th>Урок</th><th>Предмет</th><th>Тема</th><th>Домашнее задание</th>"
            h += "<th>Оценки</th><th>Посещаемость</th></tr>\n"
            for lesson in (days[day] ?? []).sorted(by: { $0.lessonNumber < $1.lessonNumber }) {
                var notes = [String]()
                if lesson.isCancelled { notes.append("урок отменён") }
                if lesson.isMoved { notes.append("урок перенесён") }
                if let substitute = lesson.substituteID { notes.append("замена: \(substitute.rawValue)") }
                let note = notes.isEmpty ? "" : "<div class=\"note\">\(e(notes.joined(separator: "; ")))</div>"
                let homework = lesson.homework.map { "\(e($0.text)) (к \(date($0.dueDate)))" }.joined(separator: "<br>")
                let marks = lesson.marks.map { "<span class=\"mark\">\(e($0.text))</span>" }.joined(separator: " ")
                h += "<tr><td>\(lesson.lessonNumber)</td><td>\(e(lesson.subjectID.rawValue))\(note)</td><td>\(e(lesson.topic ?? ""))</td>"
                h += "<td>\(homework)</td><td>\(marks)</td><td>\(lesson.attendance.map { e($0.russianName) } ?? "")</td></tr>\n"
            }
            h += "</table>\n"
        }
        if days.isEmpty { h += "<p>На этой неделе уроков нет.</p>\n" }
        if !diary.tests.isEmpty {
            h += "<h2>Контрольные работы</h2>\n<ul>\n"
            for test in diary.tests {
                h +=
                    "<li>\(date(test.date)), \(e(test.subjectID.rawValue)): \(e(test.workKind.russianName))\(test.topic.map { ", " + e($0) } ?? "")</li>\n"
            }
            h += "</ul>\n"
        }
        if !diary.recommendations.isEmpty {
            h += "<h2>Рекомендации учителей</h2>\n<ul>\n"
            for r in diary.recommendations {
                h += "<li>\(date(r.date)), \(e(r.teacherID.rawValue)): \(e(r.text))</li>\n"
            }
            h += "</ul>\n"
        }
        return h + "</body></html>\n"
    }

    /// `31.08.2026`.
    static func date(_ d: CivilDate) -> String {
        "\(two(d.day)).\(two(d.month)).\(d.year)"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static let entities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    /// `text` escaped for HTML.
    static func e(_ text: String) -> String {
        text.reduce(into: "") { out, c in out += entities[c] ?? String(c) }
    }
}
