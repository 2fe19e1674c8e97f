import Stratum
import XCTest
@testable import StratumQuery

/// Found by `stratum-fuzz --execute`: a long list of conditions compiled to a left-deep chain,
/// ((a AND b) AND c) …, one parenthesis deeper per item, and SQLite's parser gives up
/// ('parser stack overflow') at about 60 — a group of 60 criteria, or a cohort with that many
/// rules in a row, could not run. Lists longer than 16 now split in halves (depth grows with
/// the logarithm); shorter ones compile exactly as before.
final class WideCriteriaTests: XCTestCase {
    func testWideGroupsAndManyRulesRun() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.condition(1, "snomed", "44054006")
        let session = try Session(store: temp.store)
        let n = 200
        let items = (0..<n).map { "age > \($0 - 300)" }
        let results = try session.run(SourceFile(name: "w.stratum", text: """
            cohort Any "any"
              entry condition in snomed:44054006
              require any of (\(items.joined(separator: ", ")))
            cohort All "all"
              entry condition in snomed:44054006
              require all of (\(items.joined(separator: ", ")))
            cohort Some "some"
              entry condition in snomed:44054006
              require at least \(n) of (\(items.joined(separator: ", ")))
            cohort Rules "rules"
              entry condition in snomed:44054006
            \(items.map { "  require \($0)" }.joined(separator: "\n"))
            count Any by sex, any of (\(items.joined(separator: ", "))) as wide
            """))
        XCTAssertEqual(try temp.strings("SELECT d.name || ' ' || count(c.subject_id) FROM cohort_definition d LEFT JOIN cohort c USING (cohort_definition_id) GROUP BY d.name ORDER BY d.name"),
                       ["All 1", "Any 1", "Rules 1", "Some 1"])
        guard case .cohort(let rules)? = results.dropLast().last else { return XCTFail("no cohort result") }
        XCTAssertEqual(rules.attrition.count, n + 1)
        XCTAssertEqual(rules.attrition.last?.persons, 1)
    }

    func testShortListsCompileAsBefore() {
        let parts: [SQLExpr] = (0..<16).map { .col("t", "c\($0)") == .int($0) }
        var chain = parts[0]
        for p in parts.dropFirst() { chain = chain && p }
        XCTAssertEqual(SQLRenderer.render(.select(SQLSelect(columns: [(.star, nil)], from: nil, filter: .all(parts))), dialect: SQLiteDialect()),
                       SQLRenderer.render(.select(SQLSelect(columns: [(.star, nil)], from: nil, filter: chain)), dialect: SQLiteDialect()))
    }

    func testNestingGrowsWithTheLogarithm() {
        let parts: [SQLExpr] = (0..<10_000).map { .col("t", "c\($0)") == .int($0) }
        let sql = SQLRenderer.render(.select(SQLSelect(columns: [(.star, nil)], from: nil, filter: .any(parts))), dialect: SQLiteDialect()).sql
        var depth = 0, deepest = 0
        for c in sql { if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 } }
        XCTAssertLessThan(deepest, 32)
    }
}
