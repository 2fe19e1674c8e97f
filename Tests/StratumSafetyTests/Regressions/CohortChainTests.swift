import Stratum
import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz: `A union A union …` (up to 1,000 operators were accepted) nests the
/// generated SQL one level per operator, and rendering it took seconds (indentation grew with
/// the depth, and each level copied the text of the levels below). A chain now counts as nesting.
final class CohortChainTests: XCTestCase {
    func chain(_ n: Int) -> String { "T" + String(repeating: " union T", count: n) }

    func testLongChainsAreTooDeep() {
        for statement in ["cohort C = ", "count ", "list "] {
            let started = Date()
            let (_, diagnostics) = Parser.parse(SourceFile(name: "c.stratum", text: statement + chain(1000)))
            XCTAssertEqual(diagnostics.map(\.message), [.tooDeeplyNested(limit: Parser.maxDepth)], statement)
            // What took seconds: compiling and rendering whatever the binder accepts.
            XCTAssertLessThan(compileAndRender(statement + chain(1000)), 1, statement)
            XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        }
    }

    /// Binds `text` against an environment with cohort T, compiles and renders every statement;
    /// returns the seconds it took.
    func compileAndRender(_ text: String) -> TimeInterval {
        var env = Environment()
        env.storedCohorts["t"] = "T"
        let started = Date()
        var binder = Binder(environment: env, loader: nil)
        for statement in binder.bind(SourceFile(name: "c.stratum", text: text)) {
            switch statement {
            case .cohort(let c):
                let plan = CohortCompiler.compile(c, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
                for step in plan.steps { _ = SQLRenderer.render(step.statement, dialect: SQLiteDialect()) }
            case .count(let e, let d, _):
                _ = SQLRenderer.render(.select(ResultCompiler.count(e, d, prefix: "q", cohortID: { _ in 1 }).select), dialect: SQLiteDialect())
            case .list(let e, let c, let l, _):
                _ = SQLRenderer.render(.select(ResultCompiler.list(e, c, limit: l, prefix: "r", cohortID: { _ in 1 }).select), dialect: SQLiteDialect())
            default: break
            }
        }
        return Date().timeIntervalSince(started)
    }

    /// Up to the limit, chains bind, compile and render quickly.
    func testChainsUpToTheLimitCompileQuickly() {
        var env = Environment()
        env.storedCohorts["t"] = "T"
        let n = Parser.maxDepth
        let started = Date()
        var binder = Binder(environment: env, loader: nil)
        let statements = binder.bind(SourceFile(name: "c.stratum", text: "cohort C = \(chain(n))\ncount \(chain(n))\nlist \(chain(n))"))
        XCTAssertEqual(binder.diagnostics.map(\.text), [])
        var sql = 0
        for statement in statements {
            switch statement {
            case .cohort(let c):
                let plan = CohortCompiler.compile(c, definitionID: 1, prefix: "p", cohortID: { _ in 1 })
                for step in plan.steps { sql += SQLRenderer.render(step.statement, dialect: SQLiteDialect()).sql.utf8.count }
            case .count(let e, let d, _):
                sql += SQLRenderer.render(.select(ResultCompiler.count(e, d, prefix: "q", cohortID: { _ in 1 }).select), dialect: SQLiteDialect()).sql.utf8.count
            case .list(let e, let c, let l, _):
                sql += SQLRenderer.render(.select(ResultCompiler.list(e, c, limit: l, prefix: "r", cohortID: { _ in 1 }).select), dialect: SQLiteDialect()).sql.utf8.count
            default: break
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertLessThan(sql, 2_000_000)
    }

    /// Short chains run on a real store. (SQLite's parser stack limits how deep the generated
    /// subqueries may nest: about 7 operators in a `count`, 9 in a `cohort` — see the report.)
    func testShortChainsRun() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.condition(1, "snomed", "44054006")
        let session = try Session(store: temp.store)
        let results = try session.run(SourceFile(name: "chain.stratum", text: """
            cohort T "t"
              entry condition in snomed:44054006
            cohort C = T union T intersect T minus T union T
            count T union T intersect T union T minus T union T
            list \(chain(6)) limit 3
            """))
        let tables = results.compactMap { r -> ResultTable? in if case .table(let t) = r { return t } else { return nil } }
        XCTAssertEqual(tables.count, 2)
        XCTAssertEqual(tables.last?.rows.count, 1)
    }
}
