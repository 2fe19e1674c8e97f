import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz: offsets chained through `let`s grew dates without bound until the
/// compiler's `days × 86400` overflowed and trapped (400 × `999999999 years after`).
final class DateRangeTests: XCTestCase {
    func script(_ n: Int) -> String {
        var out = "let d0 = 2024-01-01\n"
        for i in 1...n { out += "let d\(i) = 999999999 years after d\(i - 1)\n" }
        return out + "cohort Far \"far\"\n  entry on d\(n) for everyone\n  require visit in snomed:1 within 2 hours after d\(n)\n"
    }

    func testDatesOutsideYears1To9999AreErrors() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "far.stratum", text: script(400)))
        let errors = binder.diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.first?.text, "this date is out of range: years 1 to 9999")
        XCTAssertFalse(statements.contains { if case .cohort = $0 { return true } else { return false } })
        // What used to trap: compiling the cohort (its start in seconds overflowed Int64).
        for case .cohort(let cohort) in statements {
            let plan = CohortCompiler.compile(cohort, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
            for step in plan.steps { _ = SQLRenderer.render(step.statement, dialect: SQLiteDialect()) }
        }
    }

    /// The largest offsets one step can make from a valid date still compile.
    func testOneLargeOffsetCompiles() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "w.stratum", text: """
            cohort W "w"
              entry on 2024-01-01 for everyone
              require visit in snomed:1 from 999999999 years before 9999-12-31 to 999999999 years after 0001-01-01
              require visit in snomed:1 within 999999999 hours after 9999-12-31
            """))
        XCTAssertEqual(binder.diagnostics.filter { $0.severity == .error }.map(\.text), [])
        for case .cohort(let cohort) in statements {
            let plan = CohortCompiler.compile(cohort, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
            for step in plan.steps { _ = SQLRenderer.render(step.statement, dialect: SQLiteDialect()) }
        }
    }

    func testOffsetsInsideTheRangeStillWork() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "near.stratum", text: """
            let a = 7000 years after 2024-01-01
            let b = 2000 years before 2024-01-01
            let c = 2 months after a
            """))
        XCTAssertEqual(binder.diagnostics.map(\.text), [])
        let described = statements.compactMap { s -> String? in if case .declaration(let d) = s { return d } else { return nil } }
        XCTAssertEqual(described, ["let a = 9024-01-01", "let b = 0024-01-01", "let c = 9024-03-01"])
    }

    func testTooFarIsAnErrorNotATrap() {
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "far.stratum", text: "let a = 999999999 years after 2024-01-01\nlet b = 8000 years after 2024-01-01"))
        XCTAssertEqual(binder.diagnostics.map(\.text), ["this date is out of range: years 1 to 9999", "this date is out of range: years 1 to 9999"])
    }
}
