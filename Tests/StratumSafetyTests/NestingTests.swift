import Foundation
import Stratum
import XCTest
@testable import StratumQuery

/// Nesting far beyond `Parser.maxDepth` in every recursive production ends in a "deeper than"
/// diagnostic — not a stack overflow — and in bounded time, through the parser, the binder and
/// the diagnostic renderer.
final class NestingTests: XCTestCase {
    static let depth = 10_000

    /// Parses and binds `text`; returns the diagnostics and the seconds it took.
    @discardableResult
    func check(_ text: String, expectDeep: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
        let started = Date()
        let source = SourceFile(name: "deep.stratum", text: text)
        let (_, parsed) = Parser.parse(source)
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(source)
        let rendered = DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics)
        let seconds = Date().timeIntervalSince(started)
        let deep = parsed.filter { $0.message == .tooDeeplyNested(limit: Parser.maxDepth) }
        if expectDeep {
            XCTAssertEqual(deep.count, 1, "one nesting diagnostic: \(parsed.map(\.text))", file: file, line: line)
            XCTAssertTrue(rendered.contains("deeper than \(Parser.maxDepth)"), rendered.prefix(500).description, file: file, line: line)
            for d in deep { XCTAssertLessThanOrEqual(d.range.end, source.text.utf8.count, file: file, line: line) }
        } else {
            XCTAssertTrue(deep.isEmpty, "no nesting diagnostic expected", file: file, line: line)
        }
        XCTAssertLessThan(seconds, 2, "bounded time", file: file, line: line)
        return binder.diagnostics
    }

    func cohort(_ criterion: String) -> String { "cohort X \"x\"\n  entry condition in snomed:1\n  require \(criterion)\n" }
    func repeated(_ s: String, _ n: Int = depth) -> String { String(repeating: s, count: n) }

    func testParentheses() {
        check(cohort(repeated("(") + "age > 1" + repeated(")")))
        check(cohort(repeated("(") + "age > 1"))                       // unbalanced
        check(cohort("age > 1" + repeated(")")), expectDeep: false)      // only closers: plain errors
    }

    func testNot() {
        check(cohort(repeated("not ") + "age > 1"))
        check(cohort(repeated("not (") + "age > 1" + repeated(")")))
    }

    func testGroups() {
        check(cohort(repeated("any of (") + "age > 1" + repeated(")")))
        check(cohort(repeated("all of (") + "age > 1"))
        check(cohort(repeated("at least 1 of (") + "age > 1" + repeated(")")))
        check(cohort(repeated("any of (age > 1, ") + "age > 1" + repeated(")")))
    }

    func testValues() {
        check("param p = " + repeated("start of ") + "2024-01-01")
        check("param p = " + repeated("end of start of ", NestingTests.depth / 2) + "2024-01-01")
        check("let d = " + repeated("30 days before ") + "2024-01-01")
        check(cohort("age at " + repeated("end of ") + "2024-01-01 > 1"))
    }

    func testValueSetItems() {
        check("valueset V = " + repeated("except ") + "snomed:1")
    }

    func testResultStatements() {
        check("count T by " + repeated("any of (") + "age > 1")
        check("list T with " + repeated("not ") + "age > 1 as x")
        check("let c = " + repeated("any of (") + "age > 1")
    }

    /// Far below the limit, nesting is fine.
    func testNestingUnderTheLimitParses() {
        let n = Parser.maxDepth / 4
        let diagnostics = check("param period = 2024-01-01 .. 2024-12-31\n" + cohort(repeated("not ", n) + repeated("any of (", n) + "age > 1" + repeated(")", n)),
                                expectDeep: false)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.text), [])
    }

    /// Past the limit the parser gives up on the rest of the input: one diagnostic, not one per
    /// level or per later statement.
    func testOneDiagnosticPastTheLimit() {
        let diagnostics = check(cohort(repeated("not ") + "age > 1") + "\ncount X by sex, nope\n")
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.count, 1, diagnostics.map(\.text).description)
    }

    /// A million nested parentheses: still one diagnostic, still fast.
    func testAMillionParentheses() {
        check(cohort(repeated("(", 1_000_000)))
    }

    /// Through the session facade (`stratum check`), with a real store.
    func testSessionCheck() throws {
        let temp = try TempStore(self)
        let session = try Session(store: temp.store)
        let (diagnostics, _) = session.check(SourceFile(name: "deep.stratum", text: cohort(repeated("any of (not ") + "age > 1")))
        XCTAssertTrue(diagnostics.contains { $0.message == .tooDeeplyNested(limit: Parser.maxDepth) })
        XCTAssertThrowsError(try session.run(SourceFile(name: "deep.stratum", text: cohort(repeated("(") + "age > 1"))))
        XCTAssertEqual(try temp.store.count("person"), 0)
    }
}
