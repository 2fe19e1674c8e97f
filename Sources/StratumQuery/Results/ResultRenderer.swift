import Foundation
import StratumStore

/// Turns a `ResultTable` into text: an aligned table for a person at a terminal, RFC 4180 CSV and
/// JSON for programs.
///
/// The three formats have different jobs, so they treat values differently on purpose:
///
/// - **table** is for eyes. Numbers are right-aligned and reals in one column share one number of
///   decimals so their points line up; `NULL` shows as `·` so it cannot be mistaken for an empty
///   string; control characters in text are shown escaped (`\n`, `\u{1B}`) so a value imported
///   from a file can neither break the layout nor send escape sequences to the user's terminal.
///   It may round and truncate: it is not a data format.
/// - **csv** and **json** are for programs and keep every value exactly: integers in full, reals
///   in their shortest round-trip form, text byte for byte.
///
/// Every result ends with a line terminator, so a caller writes it as it is.
public enum ResultRenderer {
    /// Renders `table` in `format`. `maxWidth` (terminal columns) only affects `.table`.
    public static func render(_ table: ResultTable, as format: ResultFormat, maxWidth: Int? = nil) -> String {
        switch format {
        case .table: return text(table, maxWidth: maxWidth)
        case .csv: return csv(table)
        case .json: return json(table)
        }
    }

    // MARK: - Text table

    /// Columns are separated by two spaces (as elsewhere in the CLI's tables).
    static let columnGap = 2
    /// A text column is not squeezed below this many columns (its values are cut with `…`);
    /// narrower than that a column shows too little to be worth keeping, and trailing columns are
    /// dropped instead.
    static let minimumTextWidth = 8
    /// The header of a number column is cut only past this many columns.
    static let minimumHeaderWidth = 12
    /// Reals get at most this many significant digits in a text table…
    static let significantDigits = 6
    /// …and never more than this many decimals (a column of tiny values stays readable).
    static let maxFractionDigits = 10

    /// An aligned text table: optional title, header, a rule line, the rows, and a `(N rows)`
    /// footer.
    ///
    /// ```
    /// condition            persons  mean_age
    /// -------------------  -------  --------
    /// diabetes                1204   58.3288
    /// hypertension            3310   61.0
    /// (2 rows)
    /// ```
    ///
    /// - Parameters:
    ///   - maxWidth: the terminal's width. When the table is wider, the widest text columns are
    ///     narrowed first (cells cut with `…`, never below `minimumTextWidth`); if that is not
    ///     enough, trailing columns are dropped and the footer says how many (and which, when the
    ///     names fit). Numbers are never cut (a cut number reads as a different number), and
    ///     their headers only past `minimumHeaderWidth`. A lone number column wider than
    ///     `maxWidth` overflows rather than lie.
    ///   - null: how `NULL` is shown; `·` by default, so that `NULL` and `''` look different.
    public static func text(_ table: ResultTable, maxWidth: Int? = nil, null: String = "·") -> String {
        var lines: [String] = []
        if let title = table.title {
            lines.append(fit(visible(title), to: maxWidth))
        }
        let columnCount = table.columns.count
        guard columnCount > 0 else {
            lines.append(fit(footer(rows: table.rows.count, hidden: []), to: maxWidth))
            return lines.joined(separator: "\n") + "\n"
        }

        let layouts = (0..<columnCount).map { column(table, $0, null: null) }
        let widths = fitWidths(layouts, maxWidth: maxWidth)
        let shown = widths.count

        func line(_ cells: [String], rightAligned: (Int) -> Bool) -> String {
            var out = ""
            for index in 0..<shown {
                if index > 0 { out += String(repeating: " ", count: columnGap) }
                out += pad(cells[index], to: widths[index], right: rightAligned(index))
            }
            // Trailing blanks from padding the last column are noise in a terminal and in golden files.
            while out.last == " " { out.removeLast() }
            return out
        }

        lines.append(line(layouts.map(\.header)) { layouts[$0].numeric })
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: String(repeating: " ", count: columnGap)))
        for row in table.rows.indices {
            lines.append(line(layouts.map { $0.cells[row] }) { layouts[$0].numeric })
        }
        let hidden = Array(table.columns[shown...])
        lines.append(fit(footer(rows: table.rows.count, hidden: hidden), to: maxWidth, fallback: footer(rows: table.rows.count, hiddenCount: hidden.count)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One column, ready to lay out: its cells as display strings and the widths it may take.
    struct ColumnLayout {
        var header: String
        var cells: [String]
        /// Every non-NULL value is a number (and there is at least one): right-aligned, never cut.
        var numeric: Bool
        /// The width that shows every cell and the header whole.
        var natural: Int
        /// The narrowest this column may be made.
        var minimum: Int
    }

    static func column(_ table: ResultTable, _ index: Int, null: String) -> ColumnLayout {
        let values = table.rows.indices.map { table.value(row: $0, column: index) }
        var sawNumber = false, sawText = false
        var fraction = 0
        for value in values {
            switch value {
            case .null: break
            case .integer: sawNumber = true
            case .real(let v):
                sawNumber = true
                if case .fixed(let digits) = realStyle(v) { fraction = max(fraction, digits) }
            case .text: sawText = true
            }
        }
        let numeric = sawNumber && !sawText
        let cells = values.map { value -> String in
            switch value {
            case .null: return null
            case .integer(let v): return String(v)
            case .real(let v): return displayReal(v, fractionDigits: fraction)
            case .text(let s): return visible(s)
            }
        }
        let header = visible(table.columns[index])
        let widest = cells.map(displayWidth).max() ?? 0
        let natural = max(displayWidth(header), widest, 1)
        // A number column is narrow anyway and its header is all that says what the numbers are:
        // cut only headers longer than `minimumHeaderWidth`, and never the numbers.
        let minimum = numeric ? max(widest, min(natural, minimumHeaderWidth)) : min(natural, minimumTextWidth)
        return ColumnLayout(header: header, cells: cells, numeric: numeric, natural: natural, minimum: minimum)
    }

    /// The width of each column shown; columns past the returned count are dropped.
    static func fitWidths(_ columns: [ColumnLayout], maxWidth: Int?) -> [Int] {
        let natural = columns.map(\.natural)
        guard let maxWidth else { return natural }
        if natural.reduce(0, +) + columnGap * (columns.count - 1) <= maxWidth { return natural }

        // Keep the longest prefix of columns whose minimum widths fit (at least one column).
        var kept = 0, used = 0
        for column in columns {
            let need = column.minimum + (kept > 0 ? columnGap : 0)
            if used + need > maxWidth { break }
            used += need
            kept += 1
        }
        kept = max(kept, 1)
        let available = maxWidth - columnGap * (kept - 1)
        let keptColumns = Array(columns[..<kept])
        if kept == 1 {
            // One column left: cut text to the width; a number stays whole and overflows.
            let only = keptColumns[0]
            return [min(only.natural, max(available, only.numeric ? only.minimum : 1))]
        }
        if keptColumns.map(\.natural).reduce(0, +) <= available { return keptColumns.map(\.natural) }

        // Narrow the widest columns first: the largest cap under which everything fits, then
        // hand the columns that the cap cut whatever width is left, left to right.
        func widths(cap: Int) -> [Int] { keptColumns.map { max($0.minimum, min($0.natural, cap)) } }
        var cap = keptColumns.map(\.natural).max() ?? 0
        while cap > 0 && widths(cap: cap).reduce(0, +) > available { cap -= 1 }
        var result = widths(cap: cap)
        var slack = available - result.reduce(0, +)
        for index in result.indices where slack > 0 && result[index] < keptColumns[index].natural {
            let add = min(slack, keptColumns[index].natural - result[index])
            result[index] += add
            slack -= add
        }
        return result
    }

    static func footer(rows: Int, hidden: [String]) -> String {
        let count = "\(grouped(rows)) \(rows == 1 ? "row" : "rows")"
        guard !hidden.isEmpty else { return "(\(count))" }
        let names = hidden.map(visible).joined(separator: ", ")
        return "(\(count), \(hidden.count) \(hidden.count == 1 ? "column" : "columns") hidden: \(names))"
    }

    static func footer(rows: Int, hiddenCount: Int) -> String {
        let count = "\(grouped(rows)) \(rows == 1 ? "row" : "rows")"
        guard hiddenCount > 0 else { return "(\(count))" }
        return "(\(count), \(hiddenCount) \(hiddenCount == 1 ? "column" : "columns") hidden)"
    }

    /// `line` if it fits in `maxWidth`; else the shorter `fallback` if there is one, and whatever
    /// is left cut with `…`.
    static func fit(_ line: String, to maxWidth: Int?, fallback: String? = nil) -> String {
        guard let maxWidth, displayWidth(line) > maxWidth else { return line }
        return truncate(fallback ?? line, to: maxWidth)
    }

    static func pad(_ cell: String, to width: Int, right: Bool) -> String {
        let cellWidth = displayWidth(cell)
        if cellWidth > width { return truncate(cell, to: width) }
        let padding = String(repeating: " ", count: width - cellWidth)
        return right ? padding + cell : cell + padding
    }

    /// The longest prefix of `s` that fits in `width - 1` columns, then `…`.
    static func truncate(_ s: String, to width: Int) -> String {
        guard displayWidth(s) > width else { return s }
        guard width > 0 else { return "" }
        var out = "", used = 0
        for character in s {
            let w = displayWidth(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    // MARK: Reals in a text table

    enum RealStyle: Equatable {
        /// Plain decimals with this many digits after the point (trailing zeros dropped, at least one).
        case fixed(Int)
        /// Too large or too small for decimals: `1.23457e+15`.
        case scientific
        case nonFinite
    }

    /// How a real reads best on its own: about `significantDigits` significant digits, in decimals
    /// between 1e-10 and 1e15.
    static func realStyle(_ v: Double) -> RealStyle {
        guard v.isFinite else { return .nonFinite }
        if v == 0 { return .fixed(1) }
        let magnitude = abs(v)
        if magnitude >= 1e15 || magnitude < 1e-10 { return .scientific }
        let integerDigits = Int((log10(magnitude)).rounded(.down)) + 1
        let digits = min(max(significantDigits - integerDigits, 1), maxFractionDigits)
        var text = String(format: "%.\(digits)f", magnitude)
        var kept = digits
        while kept > 1 && text.last == "0" { text.removeLast(); kept -= 1 }
        return .fixed(kept)
    }

    /// A real with the column's number of decimals, so that the points of a column line up.
    static func displayReal(_ v: Double, fractionDigits: Int) -> String {
        switch realStyle(v) {
        case .nonFinite: return v.isNaN ? "NaN" : (v < 0 ? "-inf" : "inf")
        case .scientific: return String(format: "%.\(significantDigits)g", v)
        case .fixed:
            // `+ 0` turns -0.0 into 0.0: "-0.0" in a table of counts or rates is noise.
            return String(format: "%.\(max(fractionDigits, 1))f", v + 0)
        }
    }

    // MARK: Safe, measurable text

    /// `s` with control characters shown as escapes: line breaks and tabs would break the layout,
    /// and ESC or C1 characters would be interpreted by the terminal (a value in an imported file
    /// could otherwise move the cursor or retitle the window). Bidirectional overrides are escaped
    /// too, since they reorder what follows them on screen.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Terminal columns `s` takes: East Asian wide characters and emoji take two, combining marks
    /// none. An approximation of `wcwidth` that needs no locale (good enough to keep columns
    /// straight for the text a population-health store holds).
    static func displayWidth(_ s: String) -> Int {
        var width = 0
        for character in s { width += displayWidth(character) }
        return width
    }

    static func displayWidth(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
        if first.properties.isEmojiPresentation || scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default: break
        }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: return 1
        }
    }

    /// `1234567` as `1,234,567`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    // MARK: - CSV

    /// RFC 4180 CSV: a header record, then one record per row, each ended by `lineEnding` (CRLF, as
    /// the RFC says; pass `"\n"` for Unix tools that prefer it). A field is quoted when it holds a
    /// comma, a double quote, CR or LF, and quotes inside are doubled. The title is not written.
    ///
    /// `NULL` is an empty field and the empty string is `""`, so the two survive a round trip
    /// through readers that tell them apart (Python's `csv` with `QUOTE_NOTNULL`, DuckDB, R's
    /// `readr`); readers that do not will read both as empty. Reals use their shortest round-trip
    /// form (`0.1`, `1e-05`, `3.0`; `nan`, `inf`, `-inf` for non-finite values). Values are written
    /// as they are: cells starting with `=` or `+` are not defused for spreadsheets, because this
    /// output is data for tools and must not be altered. A table with no columns is empty.
    ///
    /// One quirk the format cannot avoid: in a one-column table, a `NULL` row is an empty line,
    /// which some readers skip.
    public static func csv(_ table: ResultTable, lineEnding: String = "\r\n") -> String {
        guard !table.columns.isEmpty else { return "" }
        var out = table.columns.map(csvText).joined(separator: ",") + lineEnding
        for row in table.rows.indices {
            for column in table.columns.indices {
                if column > 0 { out += "," }
                switch table.value(row: row, column: column) {
                case .null: break
                case .integer(let v): out += String(v)
                case .real(let v): out += v.description
                case .text(let s): out += csvText(s)
                }
            }
            out += lineEnding
        }
        return out
    }

    static func csvText(_ s: String) -> String {
        if s.isEmpty { return "\"\"" }
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    /// JSON as one object with the columns and the rows as arrays:
    ///
    /// ```
    /// {
    ///   "title": null,
    ///   "columns": ["condition", "persons"],
    ///   "rows": [
    ///     ["diabetes", 1204],
    ///     ["hypertension", 3310]
    ///   ]
    /// }
    /// ```
    ///
    /// Why not an array of objects: SQL results may have two columns of the same name
    /// (`SELECT a.id, b.id`), which an object cannot hold, column order is part of the answer and
    /// object keys lose it in most parsers, and names are not repeated on every row. The shape is
    /// always the same (`title` is `null` when there is none), one row per line so that large
    /// results stay readable and diffable.
    ///
    /// Integers are written in full (readers that parse numbers as doubles lose precision past
    /// 2^53, as with any JSON); reals in shortest round-trip form; NaN and ±infinity, which JSON
    /// cannot represent, as `null`. Strings escape `"`, `\`, all control characters, and U+2028 /
    /// U+2029 (so the output can be embedded in JavaScript).
    public static func json(_ table: ResultTable) -> String {
        var out = "{\n  \"title\": "
        out += table.title.map(jsonString) ?? "null"
        out += ",\n  \"columns\": [" + table.columns.map(jsonString).joined(separator: ", ") + "],\n  \"rows\": ["
        if table.rows.isEmpty {
            out += "]\n}\n"
            return out
        }
        for row in table.rows.indices {
            out += row == 0 ? "\n    [" : ",\n    ["
            for column in table.columns.indices {
                if column > 0 { out += ", " }
                out += jsonValue(table.value(row: row, column: column))
            }
            out += "]"
        }
        out += "\n  ]\n}\n"
        return out
    }

    static func jsonValue(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let v): return String(v)
        case .real(let v): return v.isFinite ? v.description : "null"
        case .text(let s): return jsonString(s)
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
