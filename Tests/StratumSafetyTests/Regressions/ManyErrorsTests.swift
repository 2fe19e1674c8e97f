import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz: long scripts full of errors or warnings took time growing with the
/// square of their length — the parser scanned every earlier diagnostic before reporting one,
/// the binder counted every earlier error (copying the list) for each cohort, and asked "any
/// error so far?" for each value set (a scan when there are only warnings).
final class ManyErrorsTests: XCTestCase {
    func time(_ line: String, _ n: Int = 50_000, file: StaticString = #filePath, lineNumber: UInt = #line) -> [Diagnostic] {
        let text = String(repeating: line, count: n)
        let started = Date()
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "many.stratum", text: text))
        _ = DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, line, file: file, line: lineNumber)
        return binder.diagnostics
    }

    func testManyParseErrors() {
        XCTAssertEqual(time("cohort\n").count, 50_000)
        XCTAssertEqual(time("count (\n").count, 50_000)
        XCTAssertEqual(time("let = 1\n").count, 50_000)
    }

    func testManyBindingErrors() {
        XCTAssertEqual(time("cohort A entry condition in Nope\n").count, 50_000)
        XCTAssertEqual(time("count Nope\n").count, 50_000)
    }

    func testManyWarnings() {
        let diagnostics = time("valueset V = except snomed:1\n")
        XCTAssertEqual(diagnostics.count, 50_000)
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity == .warning })
    }

    /// The empty-value-set warning still waits for a clean script so far.
    func testEmptyValueSetWarningRules() {
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "w.stratum", text: "valueset A = except snomed:1\nvalueset B = nosuch:1\nvalueset C = except snomed:2"))
        XCTAssertEqual(binder.diagnostics.map(\.severity), [.warning, .error])
    }

    /// A cohort with an error in it is not defined; the next one still is.
    func testCohortErrorsAreCountedPerCohort() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "c.stratum", text: """
            cohort A "a"
              entry condition in Nope
            cohort B "b"
              entry condition in snomed:1
            cohort C "c"
              require age > 1
            """))
        XCTAssertEqual(binder.diagnostics.map(\.message), [.unknownName(kind: "value set", name: "Nope"), .missingEntry(cohort: "C")])
        let cohorts = statements.compactMap { s -> String? in if case .cohort(let c) = s { return c.name } else { return nil } }
        XCTAssertEqual(cohorts, ["B"])
    }
}
