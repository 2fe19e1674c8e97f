import Foundation
import Stratum
import XCTest
@testable import StratumQuery
@testable import StratumStore

/// Every statement the compilers generate for the fuzz corpus has exactly as many placeholders
/// as parameters — counted in the text and by SQLite itself — and runs on a real store.
/// (SQLite does not complain about a mismatch: a missing value binds NULL and an extra one is
/// dropped, so a miscount would silently change a query.)
final class PlaceholderTests: XCTestCase {
    /// A store with the fuzz environment's names: the stored cohort, a value-set file, and the
    /// preamble's definitions run.
    func session() throws -> (TempStore, Session) {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.condition(1, "snomed", "44054006")
        try temp.measurement(1, "loinc", "4548-4", value: 9.5, unit: "%")
        try temp.db.run("""
            INSERT INTO cohort_definition (cohort_definition_id, name, checksum, created_at, updated_at)
            VALUES (100, 'Stored', '-', '2024-01-01', '2024-01-01')
            """)
        try temp.write("diabetes.json", fhirValueSet(name: "Diabetes", codes: [("http://snomed.info/sct", "44054006")]))
        let session = try Session(store: temp.store, loader: FHIRValueSetSource())
        try session.run(SourceFile(name: temp.path("preamble.stratum"), text: try FuzzCorpus.scripts().preamble))
        return (temp, session)
    }

    static func placeholders(_ sql: String) -> Int {
        var count = 0, inLiteral = false
        for b in sql.utf8 {
            if b == UInt8(ascii: "'") { inLiteral.toggle() } else if b == UInt8(ascii: "?") && !inLiteral { count += 1 }
        }
        return count
    }

    /// Runs one rendered statement: SQLite's own parameter count must match.
    func execute(_ rendered: RenderedSQL, on db: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(PlaceholderTests.placeholders(rendered.sql), rendered.parameters.count, rendered.sql, file: file, line: line)
        let statement = try db.prepare(rendered.sql)
        XCTAssertEqual(statement.parameterCount, rendered.parameters.count, rendered.sql, file: file, line: line)
        try statement.bind(rendered.parameters)
        while try statement.step() {}
    }

    func testCorpusStatementsHaveOneParameterPerPlaceholder() throws {
        let (temp, session) = try session()
        let scripts = try FuzzCorpus.scripts().scripts
        XCTAssertGreaterThan(scripts.count, 5)
        let dialect = SQLiteDialect()
        let cohortID: (String) -> Int64 = { name in
            (try? temp.db.scalar("SELECT cohort_definition_id FROM cohort_definition WHERE name = ?", [.text(name)]).int) ?? -1
        }
        var checked = 0
        for (i, script) in scripts.enumerated() {
            let source = SourceFile(name: temp.path("corpus\(i + 1).stratum"), text: script)
            // The session runs it for real (its SQL must be valid SQLite) …
            XCTAssertNoThrow(try session.run(source), "corpus script \(i + 1)")
            // … and its plans are run again statement by statement, counting parameters.
            var binder = Binder(environment: session.environment, loader: FHIRValueSetSource())
            let statements = binder.bind(source)
            XCTAssertFalse(binder.hasErrors, DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics))
            for (n, statement) in statements.enumerated() {
                let prefix = "t\(i)_\(n)"
                switch statement {
                case .cohort(let cohort):
                    let plan = CohortCompiler.compile(cohort, definitionID: cohortID(cohort.name), prefix: prefix, cohortID: cohortID)
                    for step in plan.setup + plan.steps { try execute(SQLRenderer.render(step.statement, dialect: dialect), on: temp.db) }
                    for (_, select) in plan.attrition { try execute(SQLRenderer.render(.select(select), dialect: dialect), on: temp.db) }
                    for table in plan.cleanup { try temp.db.execute("DROP TABLE IF EXISTS temp.\(table)") }
                case .count(let expr, let dims, _):
                    let plan = ResultCompiler.count(expr, dims, prefix: prefix, cohortID: cohortID)
                    for step in plan.setup { try execute(SQLRenderer.render(step.statement, dialect: dialect), on: temp.db) }
                    try execute(SQLRenderer.render(.select(plan.select), dialect: dialect), on: temp.db)
                    for table in plan.cleanup { try temp.db.execute("DROP TABLE IF EXISTS temp.\(table)") }
                case .list(let expr, let columns, let limit, _):
                    let plan = ResultCompiler.list(expr, columns, limit: limit, prefix: prefix, cohortID: cohortID)
                    for step in plan.setup { try execute(SQLRenderer.render(step.statement, dialect: dialect), on: temp.db) }
                    try execute(SQLRenderer.render(.select(plan.select), dialect: dialect), on: temp.db)
                    for table in plan.cleanup { try temp.db.execute("DROP TABLE IF EXISTS temp.\(table)") }
                case .features(let features):
                    let plan = FeatureCompiler.compile(features, prefix: prefix, cohortID: cohortID)
                    for step in plan.setup { try execute(SQLRenderer.render(step.statement, dialect: dialect), on: temp.db) }
                    try execute(SQLRenderer.render(.select(plan.persons), dialect: dialect), on: temp.db)
                    for case let select? in plan.items { try execute(SQLRenderer.render(.select(select), dialect: dialect), on: temp.db) }
                    for table in plan.cleanup { try temp.db.execute("DROP TABLE IF EXISTS temp.\(table)") }
                case .explain, .declaration, .cluster, .forecast, .adherence:
                    continue
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 20, "statements compiled and run")
    }

    /// Every statement SQLite ran during a session, traced: placeholders in the text are the
    /// ones SQLite counted (the renderer's '?' are the only parameters).
    func testTracedStatementsUsePositionalPlaceholdersOnly() throws {
        let (temp, session) = try session()
        let trace = SQLTrace(temp.db)
        for (i, script) in try FuzzCorpus.scripts().scripts.enumerated() {
            try session.run(SourceFile(name: temp.path("c\(i).stratum"), text: script))
        }
        trace.stop()
        XCTAssertGreaterThan(trace.entries.count, 100)
        for entry in trace.entries {
            XCTAssertEqual(PlaceholderTests.placeholders(entry.sql), entry.parameterCount, entry.sql)
        }
    }
}
