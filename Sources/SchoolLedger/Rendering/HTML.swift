/// What the documents (the paper extract, the analytical reports) share
/// in HTML: escaping, and tables written the same way.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as HTML entities.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A table's lines: `<table>`, column widths in percent when given, the
    /// header, `<tbody>` with `rows` (each a finished `<tr>…</tr>`), and the
    /// closing tags.
    static func table(widths: [Int]? = nil, header: [String], rows: [String]) -> [String] {
        var lines = ["<table>"]
        if let widths {
            lines.append("<colgroup>" + widths.map { "<col style=\"width: \($0)%\">" }.joined() + "</colgroup>")
        }
        lines.append("<thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        lines += rows
        lines += ["</tbody>", "</table>"]
        return lines
    }

    /// A section's lines: its `<h2>` title, then `table` or, with no rows,
    /// a paragraph saying so.
    static func section(_ title: String, empty: String, isEmpty: Bool, _ table: () -> [String]) -> [String] {
        ["<h2>\(title)</h2>"] + (isEmpty ? ["<p>\(empty)</p>"] : table())
    }
}
