import Stratum
import XCTest
@testable import StratumQuery

/// Found while writing the injection tests: `explain` printed each step's label and text
/// parameters in `--` comments, but a label is often script text (an unnamed rule is labelled
/// with its criterion, an inline value set with its codes) and can span lines, and a `--param`
/// value can hold a line break: the rest of the line then showed as SQL outside the comment.
final class ExplainTests: XCTestCase {
    func testEveryLineOfTheExplanationIsSQLOrAComment() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.condition(1, "snomed", "44054006")
        try temp.observation(1, "loinc", "72166-2", text: "a\nDROP TABLE person; --")
        let session = try Session(store: temp.store, parameters: ["note": "a\nDROP TABLE person; --"])
        let results = try session.run(SourceFile(name: "e.stratum", text: """
            param note = "x"
            cohort X "x"
              entry condition in (snomed:44054006,
                                  snomed:1)
              require any of (
                observation in loinc:72166-2 where text = note
                age > 200
              )
              rule "a; -- b /* c" age >= 0
            explain X
            """))
        guard case .explain(let explanation)? = results.last else { return XCTFail("no explanation") }
        let run = try XCTUnwrap(session.runs["x"])
        var sqlLines = Set<String>()
        for step in run.plan.setup + run.plan.steps {
            for line in SQLRenderer.render(step.statement, dialect: SQLiteDialect()).sql.split(separator: "\n") { sqlLines.insert(String(line)) }
        }
        for line in explanation.sql.split(separator: "\n") where !line.hasPrefix("-- ") {
            let text = line.hasSuffix(";") ? String(line.dropLast()) : String(line)
            XCTAssertTrue(sqlLines.contains(text), "not SQL and not in a comment: \(line)")
        }
        XCTAssertTrue(explanation.sql.contains("'a\\nDROP TABLE person; --'"), explanation.sql)
        // Labels taken from script text are put on one line by the binder.
        XCTAssertTrue(explanation.sql.contains("-- value set (snomed:44054006, snomed:1)"), explanation.sql)
    }
}
