/// Renders diagnostics the way compilers do: `file:line:col: error: message`, the source line,
/// and a caret under the range, followed by notes.
public struct DiagnosticRenderer {
    public var sources: [String: SourceFile]
    public init(sources: [String: SourceFile]) { self.sources = sources }

    /// Renders diagnostics in source order (file, then position), as a reader scans a file.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        DiagnosticRenderer.sorted(diagnostics).map(render).joined(separator: "\n")
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
        let fileName = diagnostic.file ?? "<input>"
        guard let source = sources[fileName] else {
            return "\(fileName): \(diagnostic.severity.rawValue): \(diagnostic.text)"
                + diagnostic.notes.map { "\n  \($0)" }.joined()
        }
        let (line, column) = source.location(of: diagnostic.range.start)
        var out = "\(fileName):\(line):\(column): \(diagnostic.severity.rawValue): \(diagnostic.text)\n"
        let text = source.line(line)
        out += "  \(text)\n"
        let endLocation = source.location(of: diagnostic.range.end)
        let width = endLocation.line == line ? max(1, endLocation.column - column) : max(1, text.count - column + 1)
        out += "  " + String(repeating: " ", count: max(0, column - 1)) + "^" + String(repeating: "~", count: max(0, width - 1))
        for note in diagnostic.notes { out += "\n  \(note)" }
        return out
    }

    /// Line and column of a diagnostic, for machine-readable output.
    public func location(_ diagnostic: Diagnostic) -> (line: Int, column: Int)? {
        guard let source = sources[diagnostic.file ?? "<input>"] else { return nil }
        return source.location(of: diagnostic.range.start)
    }
}
