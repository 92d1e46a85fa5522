extension String {
    /// The text as a name to match against a list of known names: lower
    /// case, `ё` read as `е`, runs of spaces, tabs and newlines (also
    /// no-break spaces) as one space, no leading or trailing space.
    var normalizedName: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var pendingSpace = false
        for ch in lowercased() {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\r\n" || ch == "\u{A0}" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(ch == "ё" ? "е" : ch)
        }
        return out
    }
}
