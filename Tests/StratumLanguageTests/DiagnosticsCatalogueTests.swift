import Foundation
import StratumQuery
import XCTest

/// The diagnostics catalogue: every `Golden/diagnostics/<case>.stratum` is a wrong script, and
/// `<case>.expected` is exactly what `stratum check` prints for it (file:line:col, the source
/// line, a caret under the range, notes). Files in `diagnostics/includes/` are only included.
///
/// Each case also marks where its diagnostics must point, in the script itself: a comment line
/// holding only a caret,
///
///     require age at entry >= 18 kg
///     #                          ^
///
/// says "a diagnostic starts at this column of the line above" (the nearest line that is not a
/// marker). A comment cannot put a caret in column 1, so `#^` marks column 1. Every diagnostic in the case's own file must be marked and every marker must have
/// a diagnostic, so a golden file cannot silently drift to a different position.
final class DiagnosticsCatalogueTests: XCTestCase {
    var directory: String { (Repo.golden.appendingPathComponent("diagnostics").path as NSString).standardizingPath }

    func testCatalogueHasTheIssuesCases() throws {
        let cases = try Repo.files(in: directory, ext: "stratum")
        XCTAssertGreaterThanOrEqual(cases.count, 20)
    }

    func testEveryCaseRendersItsExpectedDiagnostics() throws {
        for file in try Repo.files(in: directory, ext: "stratum") {
            let name = (file as NSString).deletingPathExtension
            let path = directory + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var binder = Binder(environment: Environment(), loader: FHIRValueSetSource())
            _ = binder.bind(SourceFile(name: path, text: text))
            XCTAssertFalse(binder.diagnostics.isEmpty, "\(file): a catalogue case must produce a diagnostic")

            // File names relative to the catalogue, so the golden files are the same on every machine.
            let rendered = DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics)
                .replacingOccurrences(of: directory + "/", with: "")
            try assertGolden(rendered + "\n", "diagnostics/\(name).expected")

            // The markers in the script agree with where the diagnostics point.
            let source = SourceFile(name: path, text: text)
            let found = Set(binder.diagnostics.filter { $0.file == path }.map { d -> Position in
                let (line, column) = source.location(of: d.range.start)
                return Position(line: line, column: column)
            })
            let marked = Set(DiagnosticsCatalogueTests.markers(in: text))
            XCTAssertFalse(marked.isEmpty, "\(file): mark where the diagnostics point with a '#   ^' line")
            for p in marked.subtracting(found).sorted() { XCTFail("\(file): marked \(p) but no diagnostic starts there") }
            for p in found.subtracting(marked).sorted() { XCTFail("\(file): diagnostic at \(p) is not marked") }
        }
    }

    struct Position: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var column: Int
        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
        var description: String { "\(line):\(column)" }
    }

    /// Lines `#  ^` (a '#', spaces, one caret, nothing else): positions in the nearest line above
    /// that is not itself a marker.
    static func markers(in text: String) -> [Position] {
        var out: [Position] = []
        var target: Int?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let isMarker = line.hasPrefix("#") && trimmed.filter { $0 == "^" }.count == 1
                && trimmed.allSatisfy { $0 == "#" || $0 == " " || $0 == "^" } && trimmed.filter { $0 == "#" }.count == 1
            if isMarker, let target, let caret = line.firstIndex(of: "^") {
                let column = line.hasPrefix("#^") ? 1 : line.distance(from: line.startIndex, to: caret) + 1
                out.append(Position(line: target, column: column))
            } else if !isMarker {
                target = index + 1
            }
        }
        return out
    }

    func testMarkersAreRead() {
        let text = "cohort X\n  require age >= 18 kg\n#                   ^\n#         ^\ncount X\n#^\n# a comment ^ is not a marker\n"
        XCTAssertEqual(DiagnosticsCatalogueTests.markers(in: text),
                       [Position(line: 2, column: 21), Position(line: 2, column: 11), Position(line: 5, column: 1)])
    }
}
