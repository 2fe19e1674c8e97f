/// Renders diagnostics the way compilers do: `file:line:col: error: message`, the source line,
/// and a caret under the range, followed by notes.
public struct DiagnosticRenderer {
    public var sources: [String: SourceFile]
    public init(sources: [String: SourceFile]) { self.sources = sources }

    /// Renders diagnostics in source order (file, then position), as a reader scans a file.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var cache = ColumnCache()
        return DiagnosticRenderer.sorted(diagnostics).map { render($0, cache: &cache) }.joined(separator: "\n")
    }

    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let fa = a.element.file ?? "", fb = b.element.file ?? ""
            if fa != fb { return a.offset < b.offset }
            if a.element.range.start != b.element.range.start { return a.element.range.start < b.element.range.start }
            return a.offset < b.offset
        }.map(\.element)
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var cache = ColumnCache()
        return render(diagnostic, cache: &cache)
    }

    /// Where the characters of long non-ASCII lines start, by file and line, kept while a batch
    /// renders: thousands of diagnostics on one such line each decoded the line up to their
    /// column (8,000 on a 45 KB line took 0.6 s).
    typealias ColumnCache = [String: [Int: [Int]]]

    func location(_ source: SourceFile, of offset: Int, cache: inout ColumnCache) -> (line: Int, column: Int) {
        let line = source.lineNumber(of: offset)
        let lineBytes = source.lineBytes(line)
        let clamped = max(0, min(offset, source.bytes.count))
        guard lineBytes.count > DiagnosticRenderer.maxLineBytes, clamped > lineBytes.lowerBound,
              !SourceFile.isASCII(source.bytes[lineBytes.lowerBound..<min(clamped, lineBytes.upperBound)]) else {
            return source.location(of: offset)
        }
        let starts: [Int]
        if let cached = cache[source.name]?[line] { starts = cached } else {
            starts = source.characterStarts(line: line)
            cache[source.name, default: [:]][line] = starts
        }
        // An offset where a character starts has as many characters before it as starts before
        // it; any other offset (inside a character) is decoded as before.
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < clamped { low = mid + 1 } else { high = mid }
        }
        if low < starts.count && starts[low] == clamped { return (line, low + 1) }
        return source.location(of: offset)
    }

    func render(_ diagnostic: Diagnostic, cache: inout ColumnCache) -> String {
        let fileName = diagnostic.file ?? "<input>"
        guard let source = sources[fileName] else {
            return "\(fileName): \(diagnostic.severity.rawValue): \(diagnostic.text)"
                + diagnostic.notes.map { "\n  \($0)" }.joined()
        }
        let (line, column) = location(source, of: diagnostic.range.start, cache: &cache)
        var out = "\(fileName):\(line):\(column): \(diagnostic.severity.rawValue): \(diagnostic.text)\n"
        let (text, caret, width) = excerpt(source, line: line, column: column, range: diagnostic.range)
        out += "  \(text)\n"
        out += "  " + String(repeating: " ", count: max(0, caret - 1)) + "^" + String(repeating: "~", count: max(0, width - 1))
        for note in diagnostic.notes { out += "\n  \(note)" }
        return out
    }

    /// Lines longer than this many bytes are shown as a window around the caret: otherwise a
    /// long generated line with thousands of errors is printed (and underlined) once per error.
    static let maxLineBytes = 200

    /// The source line to show, the caret's column in it and the underline's width.
    func excerpt(_ source: SourceFile, line: Int, column: Int, range: SourceRange) -> (text: String, caret: Int, width: Int) {
        let lineBytes = source.lineBytes(line)
        guard lineBytes.count > DiagnosticRenderer.maxLineBytes else {
            let text = source.line(line)
            let endLocation = source.location(of: range.end)
            let width = endLocation.line == line ? max(1, endLocation.column - column) : max(1, text.count - column + 1)
            return (text, column, width)
        }
        let bytes = source.bytes
        func isContinuation(_ i: Int) -> Bool { i < bytes.count && bytes[i] & 0xC0 == 0x80 }
        let start = min(max(range.start, lineBytes.lowerBound), lineBytes.upperBound)
        var from = max(lineBytes.lowerBound, start - 60)
        while from > lineBytes.lowerBound && isContinuation(from) { from -= 1 }
        var to = min(lineBytes.upperBound, from + 160)
        while to < lineBytes.upperBound && isContinuation(to) { to += 1 }
        let before = from > lineBytes.lowerBound ? "…" : "", after = to < lineBytes.upperBound ? "…" : ""
        let text = before + String(decoding: bytes[from..<to], as: UTF8.self) + after
        let caret = before.count + String(decoding: bytes[from..<max(from, start)], as: UTF8.self).count + 1
        let end = min(max(range.end, start), to)
        let width = max(1, String(decoding: bytes[start..<end], as: UTF8.self).count)
        return (text, caret, width)
    }

    /// Line and column of a diagnostic, for machine-readable output.
    public func location(_ diagnostic: Diagnostic) -> (line: Int, column: Int)? {
        guard let source = sources[diagnostic.file ?? "<input>"] else { return nil }
        return source.location(of: diagnostic.range.start)
    }
}
