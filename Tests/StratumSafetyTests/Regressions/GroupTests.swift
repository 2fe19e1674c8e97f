import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz's valid-script generator: a group stopped at any item starting with a
/// statement keyword — meant to recover from a missing ')' before the next statement — so
/// 'any of (age > 1, cohort T2D)' failed to parse, though 'cohort T2D' is a criterion and
/// 'any of (cohort T2D, age > 1)' parsed.
final class GroupTests: XCTestCase {
    func bind(_ text: String) -> [Diagnostic] {
        var env = Environment()
        env.storedCohorts["t2d"] = "T2D"
        var binder = Binder(environment: env, loader: nil)
        _ = binder.bind(SourceFile(name: "g.stratum", text: text))
        return binder.diagnostics
    }

    func testCohortCriteriaAnywhereInAGroup() {
        for group in ["any of (age > 1, cohort T2D)", "all of (age > 1, cohort T2D during 2024, not cohort T2D)",
                      "at least 1 of (\n    age > 1\n    cohort T2D\n  )", "any of (cohort T2D, age > 1)",
                      "any of (age > 1\n    cohort T2D from end of 2024 to 2025-01-01)", "any of (age > 1, cohort T2D from 2024-01-01 to entry)",
                      "any of (age > 1, cohort T2D from entry to any time, cohort T2D from 30 days before entry to entry)"] {
            XCTAssertEqual(bind("cohort A \"a\"\n  entry condition in snomed:1\n  require \(group)\n").map(\.text), [], group)
        }
    }

    /// A missing ')' still ends the group at the next statement, as before.
    func testAMissingParenthesisStopsAtTheNextStatement() {
        for next in ["cohort B \"b\"\n  entry condition in snomed:2", "cohort B = T2D", "cohort B from T2D", "cohort B\n  entry condition in snomed:2",
                     "count T2D", "valueset V = snomed:1"] {
            let diagnostics = bind("cohort A \"a\"\n  entry condition in snomed:1\n  require any of (age > 1, cohort T2D\n\(next)\n")
            XCTAssertEqual(diagnostics.map(\.message), [.expected("')'", found: "'\(next.split(separator: " ")[0])'")], next)
        }
    }
}
