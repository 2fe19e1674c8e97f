import Stratum
import XCTest
@testable import StratumQuery
@testable import StratumStore

/// Found by stratum-fuzz: the attrition of a block of rules counts the rows passing every rule
/// so far, one query per rule, so the SQL grew with the square of the block's length — a
/// cohort with 3,500 rules in a row took 6.6 s to compile. Blocks longer than 64 rules now
/// run as consecutive blocks of 64, which count the same.
final class ManyRulesTests: XCTestCase {
    func testThousandsOfRulesCompileQuickly() {
        let text = "cohort R \"r\"\n  entry condition in snomed:1\n" + (0..<3_500).map { "  require age > \($0 % 90)\n" }.joined()
        let started = Date()
        var binder = Binder(environment: Environment(), loader: nil)
        var bytes = 0
        for case .cohort(let c) in binder.bind(SourceFile(name: "r.stratum", text: text)) {
            let plan = CohortCompiler.compile(c, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
            for step in plan.steps { bytes += SQLRenderer.render(step.statement, dialect: SQLiteDialect()).sql.utf8.count }
            for (_, select) in plan.attrition { bytes += SQLRenderer.render(.select(select), dialect: SQLiteDialect()).sql.utf8.count }
            XCTAssertEqual(plan.attrition.count, 3_501)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertLessThan(bytes, 100_000_000)
    }

    /// Attrition across the blocks is the same as within one: persons aged 30, 60 and 100 drop
    /// out at 'age > 30', 'age > 60' and 'age > 100'.
    func testAttritionAcrossBlocks() throws {
        let temp = try TempStore(self)
        try temp.db.transaction {
            for (p, born) in [(Int64(1), 1994), (2, 1964), (3, 1924)] {
                try temp.person(p, female: true, born: born)
                try temp.condition(p, "snomed", "1", on: TempStore.day(2024, 12, 1))
            }
        }
        let n = 130
        let session = try Session(store: temp.store)
        let results = try session.run(SourceFile(name: "r.stratum", text: "cohort R \"r\"\n  entry condition in snomed:1\n"
            + (0..<n).map { "  require \"older than \($0)\" age > \($0)\n" }.joined()))
        guard case .cohort(let summary)? = results.last else { return XCTFail("no cohort") }
        let expected = [3] + (0..<n).map { k in [30, 60, 100].filter { $0 > k }.count }
        XCTAssertEqual(summary.attrition.map(\.persons), expected)
        XCTAssertEqual(summary.attrition.map(\.rule), ["entry events"] + (0..<n).map { "older than \($0)" })
        XCTAssertEqual(summary.persons, 0)
    }
}
