import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz: thousands of diagnostics on one long line printed (and underlined)
/// that whole line once per diagnostic — 40 KB of script made hundreds of megabytes of output
/// and took seconds. Long lines are now shown as a window around the caret.
final class LongLineTests: XCTestCase {
    func render(_ text: String) -> (String, [Diagnostic]) {
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "long.stratum", text: text))
        return (DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics), binder.diagnostics)
    }

    func testManyErrorsOnOneLongLine() {
        let text = "cohort X \"x\"\n  entry condition in snomed:1\n  require any of (" + String(repeating: "nope, ", count: 10_000) + "age > 1)\n"
        let started = Date()
        let (rendered, diagnostics) = render(text)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(diagnostics.count, 10_000)
        XCTAssertLessThan(rendered.utf8.count, 10_000 * 400, "output grows with the number of diagnostics, not with their line")
    }

    /// The same with a non-ASCII character on the line (columns count characters, not bytes):
    /// each diagnostic decoded the line up to its column.
    func testManyErrorsOnALongNonASCIILine() {
        let text = "cohort X \"x\"\n  entry condition in snomed:1\n  require any of (caf\u{e9}, e\u{301}, \u{1F600}, "
            + String(repeating: "nope, ", count: 15_000) + "age > 1)\n"
        let started = Date()
        let (rendered, diagnostics) = render(text)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(diagnostics.count, 15_003)
        // Every column is the one SourceFile.location computes on its own.
        let source = SourceFile(name: "long.stratum", text: text)
        let headers = rendered.split(separator: "\n").filter { $0.hasPrefix("long.stratum:") }
        let expected = DiagnosticRenderer.sorted(diagnostics).map { d -> String in
            let (line, column) = source.location(of: d.range.start)
            return "long.stratum:\(line):\(column):"
        }
        XCTAssertEqual(headers.count, expected.count)
        for (header, prefix) in zip(headers, expected) where !header.hasPrefix(prefix) {
            XCTFail("\(header) does not start with \(prefix)")
            break
        }
        XCTAssertTrue(rendered.contains("long.stratum:3:25: error: unknown criterion or cohort 'e\u{301}'"), String(rendered.prefix(600)))
    }

    func testWindowAroundTheCaret() {
        let text = "count T by " + String(repeating: "sex, ", count: 60) + "sex"
        let (rendered, _) = render(text)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, rendered)
        XCTAssertEqual(lines[0], "long.stratum:1:7: error: unknown cohort 'T'")
        // The start of the line, cut after 160 bytes, and the caret under the name.
        XCTAssertEqual(lines[1], "  " + String(text.prefix(160)) + "…")
        XCTAssertEqual(lines[2], "        ^")
    }

    func testCaretInTheMiddleOfALongLine() {
        let text = "cohort T \"t\"\n  entry condition in snomed:1\ncount T by " + String(repeating: "sex, ", count: 100) + "nope, " + String(repeating: "sex, ", count: 100) + "sex"
        let (rendered, diagnostics) = render(text)
        XCTAssertEqual(diagnostics.count, 1, rendered)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3, rendered)
        XCTAssertEqual(lines[0], "long.stratum:3:512: error: unknown criterion or cohort 'nope'")
        // A window with an ellipsis at both ends; the caret under the name.
        XCTAssertTrue(lines[1].hasPrefix("  …") && lines[1].hasSuffix("…"), String(lines[1]))
        XCTAssertLessThan(lines[1].count, 170)
        let caret = Array(lines[2]).firstIndex(of: "^")!
        XCTAssertEqual(String(Array(lines[1])[caret..<(caret + 4)]), "nope")
        XCTAssertTrue(lines[2].hasSuffix("^~~~"))
    }

    func testShortLinesRenderAsBefore() {
        let (rendered, _) = render("count Nope by sex")
        XCTAssertEqual(rendered, "long.stratum:1:7: error: unknown cohort 'Nope'\n  count Nope by sex\n        ^~~~")
    }

    func testNonASCIIColumnsCountCharacters() {
        let (rendered, _) = render("count caf\u{e9} by sex\ncount \u{1F600}x by sex")
        XCTAssertTrue(rendered.contains("long.stratum:1:7: error: unknown cohort 'caf\u{e9}'"), rendered)
        XCTAssertTrue(rendered.contains("long.stratum:2:7: error: unknown cohort '\u{1F600}x'"), rendered)
        let location = SourceFile(name: "u", text: "\u{e9}\u{e9}\u{e9}x").location(of: 6)
        XCTAssertEqual(location.column, 4)
    }
}
