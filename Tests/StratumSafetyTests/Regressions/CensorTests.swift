import Stratum
import XCTest
@testable import StratumQuery
@testable import StratumStore

/// Found by stratum-fuzz: each censor pattern wrapped the exit date as
/// least(end, coalesce(first, end)), so the exit expression appeared twice per pattern and the
/// SQL doubled with each one — 24 'censor on death' clauses never finished compiling.
final class CensorTests: XCTestCase {
    func cohort(censors: String) -> String {
        """
        cohort C "censored"
          entry condition in snomed:1
        \(censors)
        """
    }

    func compiledSize(_ text: String) -> (seconds: TimeInterval, bytes: Int) {
        let started = Date()
        var binder = Binder(environment: Environment(), loader: nil)
        var bytes = 0
        for case .cohort(let c) in binder.bind(SourceFile(name: "c.stratum", text: text)) {
            let plan = CohortCompiler.compile(c, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
            for step in plan.steps { bytes += SQLRenderer.render(step.statement, dialect: SQLiteDialect()).sql.utf8.count }
        }
        XCTAssertEqual(binder.diagnostics.map(\.text), [])
        return (Date().timeIntervalSince(started), bytes)
    }

    func testManyCensorClausesCompileToLinearSQL() {
        let one = compiledSize(cohort(censors: "  censor on death"))
        let many = compiledSize(cohort(censors: String(repeating: "  censor on death\n", count: 30)))
        XCTAssertLessThan(many.seconds, 1)
        XCTAssertLessThan(many.bytes, one.bytes + 30 * 1_000, "each censor adds its own subquery, once")
        let exits = compiledSize(cohort(censors: "  exit on continuous drug in rxnorm:1 gap 30 days\n" + String(repeating: "  censor on death or drug in rxnorm:2\n", count: 20)))
        XCTAssertLessThan(exits.seconds, 1)
        XCTAssertLessThan(exits.bytes, 200_000)
    }

    /// The exit is the earliest censoring event on or after entry, whatever the number of
    /// censor patterns and however they are spelled.
    func testEarliestCensoringEventEnds() throws {
        func ends(_ censors: String) throws -> [String] {
            let temp = try TempStore(self)
            let day = TempStore.day
            try temp.db.transaction {
                for p: Int64 in 1...5 {
                    try temp.person(p, female: true, born: 1960)
                    try temp.condition(p, "snomed", "1", on: day(2024, 3, 1))
                }
                try temp.db.run("INSERT INTO death (person_id, death_date) VALUES (1, ?), (2, ?)", [.integer(day(2024, 6, 1)), .integer(day(2024, 7, 1))])
                try temp.condition(1, "snomed", "2", on: day(2024, 5, 1))
                try temp.condition(3, "snomed", "3", on: day(2024, 4, 1))
                try temp.condition(3, "snomed", "2", on: day(2024, 9, 1))
                try temp.condition(5, "snomed", "2", on: day(2024, 1, 1))   // before entry: ignored
            }
            let session = try Session(store: temp.store)
            try session.run(SourceFile(name: "c.stratum", text: cohort(censors: censors)))
            return try temp.strings("SELECT subject_id || ' ' || date(cohort_end_date * 86400, 'unixepoch') FROM cohort ORDER BY subject_id")
        }
        let expected = ["1 2024-05-01", "2 2024-07-01", "3 2024-04-01", "4 2030-12-31", "5 2030-12-31"]
        XCTAssertEqual(try ends("  censor on death or condition in snomed:2\n  censor on condition in snomed:3"), expected)
        XCTAssertEqual(try ends("  censor on condition in snomed:3\n  censor on death\n  censor on condition in snomed:2"), expected)
        XCTAssertEqual(try ends("  censor on death or condition in (snomed:2, snomed:3)"), expected)
        XCTAssertEqual(try ends("  censor on death")[1], "2 2024-07-01")
    }
}
