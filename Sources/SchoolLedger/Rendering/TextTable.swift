/// A plain-text table for the terminal (the reports and the CLI's views): columns padded by characters (so
/// Cyrillic names line up; Swift counts each letter once), a rule under the header.
package struct TextTable {
    /// The column names.
    package var header: [String]
    /// The rows, a cell a column.
    package var rows: [[String]] = []

    /// A table with these column names.
    package init(_ header: String...) { self.header = header }

    /// A table without columns yet.
    package init() { header = [] }

    /// Adds a row.
    package mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The table as lines of text.
    package var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
        var out = [line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
