import Foundation
import StratumStore

/// One analyst's session against a store: it keeps the definitions of every script run in it
/// (value sets, parameters, `let`s, cohorts), so the REPL and notebooks build on earlier input,
/// and it runs statements: binding the whole input first (nothing runs if any statement has an
/// error), then executing each statement in order.
public final class Session {
    public let store: Store
    public private(set) var environment: Environment
    public let dialect: any SQLDialect = SQLiteDialect()
    public var loader: (any ValueSetLoading)?
    /// The last run of each cohort in this session, for `explain`.
    public private(set) var runs: [String: CohortRun] = [:]
    private var counter = 0
    /// Where this session's scripts came from, for the `cohort_definition` row.
    public var sourceFile: String?
    /// Clustering and forecasting (`cluster`, `forecast`); the `Stratum` module supplies it.
    public var analytics: (any AnalyticsProvider)?
    /// Feature tables computed by `features` statements, by lower-cased name.
    var featureTables: [String: FeatureTable] = [:]

    public init(store: Store, parameters: [String: String] = [:], valueSetDirectory: String? = nil,
                loader: (any ValueSetLoading)? = nil) throws {
        self.store = store
        self.loader = loader
        var env = Environment()
        for (key, value) in parameters { env.overrides[Environment.key(key)] = Environment.parseParameter(value) }
        env.valueSetDirectory = valueSetDirectory
        for row in try store.db.query("SELECT name FROM cohort_definition") {
            if let name = row[0].text { env.storedCohorts[Environment.key(name)] = name }
        }
        if try store.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'feature_scaling'").int ?? 0 > 0 {
            for row in try store.db.query("SELECT DISTINCT feature_set FROM feature_scaling") {
                if let name = row[0].text { env.storedFeatureSets[Environment.key(name)] = name }
            }
        }
        environment = env
        try store.db.execute("PRAGMA temp_store = MEMORY")
    }

    /// Parses and binds without running: the diagnostics a `check` reports.
    public func check(_ source: SourceFile) -> (diagnostics: [Diagnostic], sources: [String: SourceFile]) {
        var binder = Binder(environment: environment, loader: loader)
        _ = binder.bind(source)
        return (binder.diagnostics, binder.sources)
    }

    /// Parses, binds, compiles and renders every statement without touching the data: the SQL a
    /// run would execute (cohort ids that do not exist yet are shown as -1). Used by
    /// `stratum check --sql` and `--timing`, and by the SQL golden tests.
    public func compile(_ source: SourceFile) -> (diagnostics: [Diagnostic], sources: [String: SourceFile], sql: [(label: String, sql: RenderedSQL)]) {
        var binder = Binder(environment: environment, loader: loader)
        let statements = binder.bind(source)
        guard !binder.hasErrors else { return (binder.diagnostics, binder.sources, []) }
        var out: [(String, RenderedSQL)] = []
        for statement in statements {
            switch statement {
            case .cohort(let cohort):
                let plan = CohortCompiler.compile(cohort, definitionID: cohortID(cohort.name), prefix: nextPrefix(), cohortID: cohortID)
                for step in plan.setup + plan.steps { out.append(("\(cohort.name): \(step.label)", render(step.statement))) }
                for (label, select) in plan.attrition { out.append(("\(cohort.name): attrition \(label)", render(.select(select)))) }
            case .count(let expr, let dims, let title):
                let plan = ResultCompiler.count(expr, dims, prefix: nextPrefix(), cohortID: cohortID)
                for step in plan.setup { out.append((title, render(step.statement))) }
                out.append((title, render(.select(plan.select))))
            case .list(let expr, let columns, let limit, let title):
                let plan = ResultCompiler.list(expr, columns, limit: limit, prefix: nextPrefix(), cohortID: cohortID)
                for step in plan.setup { out.append((title, render(step.statement))) }
                out.append((title, render(.select(plan.select))))
            case .features(let features):
                let plan = FeatureCompiler.compile(features, prefix: nextPrefix(), cohortID: cohortID)
                for step in plan.setup { out.append(("features \(features.name): \(step.label)", render(step.statement))) }
                out.append(("features \(features.name): persons", render(.select(plan.persons))))
                for (i, item) in plan.items.enumerated() {
                    if let select = item { out.append(("features \(features.name): item \(i + 1)", render(.select(select)))) }
                }
            case .explain, .declaration, .cluster, .forecast, .adherence:
                continue
            }
        }
        environment = binder.environment
        return (binder.diagnostics, binder.sources, out)
    }

    /// Runs every statement of `source`. Throws `QueryError` (with every diagnostic) before
    /// running anything when the input has errors; throws `ExecutionError` if the database fails.
    @discardableResult
    public func run(_ source: SourceFile, onResult: ((StatementResult) -> Void)? = nil) throws -> [StatementResult] {
        var binder = Binder(environment: environment, loader: loader)
        let statements = binder.bind(source)
        if binder.hasErrors { throw QueryError(diagnostics: binder.diagnostics, sources: binder.sources) }
        var results: [StatementResult] = []
        let warnings = binder.diagnostics.filter { $0.severity != .error }
        if !warnings.isEmpty {
            let result = StatementResult.warnings(DiagnosticRenderer(sources: binder.sources).render(warnings))
            results.append(result); onResult?(result)
        }
        // Declarations take effect as the script is bound; a cohort is known once it has run
        // (so a database error part-way keeps what ran and nothing that did not).
        var next = binder.environment
        next.cohorts = environment.cohorts
        defer { environment = next }
        for statement in statements {
            let produced: [StatementResult]
            switch statement {
            case .cluster(let cluster): produced = try runCluster(cluster)
            case .forecast(let forecast): produced = try runForecast(forecast)
            case .adherence(let adherence): produced = try runAdherence(adherence)
            default: produced = try execute(statement).map { [$0] } ?? []
            }
            if case .cohort(let cohort) = statement {
                next.cohorts[Environment.key(cohort.name)] = .init(name: cohort.name, value: cohort)
            }
            for result in produced { results.append(result); onResult?(result) }
        }
        return results
    }

    /// Rows of `columns` for every member of a cohort (no limit): what `list` prints, for
    /// callers that read the values themselves (care-gap evidence).
    public func table(of cohort: String, columns: [BoundListColumn], title: String) throws -> ResultTable {
        try table(ofAny: [cohort], columns: columns, title: title)
    }

    /// The same for the members of any of several cohorts (their union), computed once.
    public func table(ofAny cohorts: [String], columns: [BoundListColumn], title: String) throws -> ResultTable {
        guard let first = cohorts.first else { return ResultTable(title: title, columns: [], rows: []) }
        let expr = cohorts.dropFirst().reduce(BoundCohortExpr.name(first)) { .union($0, .name($1)) }
        let plan = ResultCompiler.list(expr, columns, limit: nil, prefix: nextPrefix(), cohortID: cohortID)
        return try query(plan, title: title)
    }

    /// The persons in a cohort (any era).
    public func members(of cohort: String) throws -> Set<Int64> {
        let id = cohortID(cohort)
        var out = Set<Int64>()
        let statement = try store.db.prepare("SELECT DISTINCT subject_id FROM cohort WHERE cohort_definition_id = ?")
        try statement.bind([.integer(id)])
        while try statement.step() { if let v = statement.row().values.first?.int { out.insert(v) } }
        return out
    }

    func nextPrefix() -> String {
        counter += 1
        return "s\(counter)"
    }

    /// The definition id of a cohort by name, or -1 when it has not been run (only in `check`).
    func cohortID(_ name: String) -> Int64 {
        (try? store.db.scalar("SELECT cohort_definition_id FROM cohort_definition WHERE name = ?", [.text(name)]).int) ?? -1
    }

    func execute(_ statement: BoundStatement) throws -> StatementResult? {
        switch statement {
        case .declaration:
            return nil
        case .cohort(let cohort):
            let run = try runCohort(cohort)
            runs[Environment.key(cohort.name)] = run
            return .cohort(run.summary)
        case .count(let expr, let dims, let title):
            let plan = ResultCompiler.count(expr, dims, prefix: nextPrefix(), cohortID: cohortID)
            return .table(try query(plan, title: title))
        case .list(let expr, let columns, let limit, let title):
            let plan = ResultCompiler.list(expr, columns, limit: limit, prefix: nextPrefix(), cohortID: cohortID)
            return .table(try query(plan, title: title))
        case .features(let features):
            return try runFeatures(features)
        case .cluster, .forecast, .adherence:
            return nil   // run by `run`, which takes several results from them
        case .explain(let name):
            guard let run = runs[Environment.key(name)] else {
                return .text("cohort '\(name)' was not run in this session (it comes from the store), so there is no plan to explain; run its script first")
            }
            return .explain(run.explanation(dialect: dialect))
        }
    }

    // MARK: - Running SQL

    func render(_ statement: SQLStatement) -> RenderedSQL { SQLRenderer.render(statement, dialect: dialect) }

    func runSQL(_ statement: SQLStatement) throws {
        let rendered = render(statement)
        do {
            let prepared = try store.db.prepare(rendered.sql)
            try prepared.bind(rendered.parameters)
            while try prepared.step() {}
        } catch {
            throw ExecutionError("the database rejected a generated statement: \(error)", statement: rendered.sql)
        }
    }

    func rows(_ select: SQLSelect) throws -> [[SQLValue]] {
        let rendered = render(.select(select))
        do {
            let prepared = try store.db.prepare(rendered.sql)
            try prepared.bind(rendered.parameters)
            var out: [[SQLValue]] = []
            while try prepared.step() { out.append(prepared.row().values) }
            return out
        } catch {
            throw ExecutionError("the database rejected a generated query: \(error)", statement: rendered.sql)
        }
    }

    /// Streams the rows of a query to `body` without collecting them.
    func forEachRow(_ select: SQLSelect, _ body: ([SQLValue]) throws -> Void) throws {
        let rendered = render(.select(select))
        let prepared: StratumStore.Statement
        do {
            prepared = try store.db.prepare(rendered.sql)
            try prepared.bind(rendered.parameters)
        } catch {
            throw ExecutionError("the database rejected a generated query: \(error)", statement: rendered.sql)
        }
        while true {
            let more: Bool
            do { more = try prepared.step() } catch {
                throw ExecutionError("the database rejected a generated query: \(error)", statement: rendered.sql)
            }
            guard more else { break }
            try body(prepared.row().values)
        }
    }

    /// `STRATUM_TRACE=1` prints each statement's time on stderr (for finding slow steps).
    static let trace = ProcessInfo.processInfo.environment["STRATUM_TRACE"] != nil

    func traced<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard Session.trace else { return try body() }
        let t0 = DispatchTime.now()
        defer { FileHandle.standardError.write(Data(String(format: "%9.1f ms  %@\n", Session.ms(since: t0), String(label.prefix(120))).utf8)) }
        return try body()
    }

    func query(_ plan: ResultPlan, title: String) throws -> ResultTable {
        for step in plan.setup { try traced(step.label) { try runSQL(step.statement) } }
        defer { for table in plan.cleanup { try? runSQL(.dropTable(table)) } }
        let raw = try traced("query: " + title) { try rows(plan.select) }
        let formatted = raw.map { row in
            row.enumerated().map { index, value -> SQLValue in
                guard index < plan.formats.count else { return value }
                switch plan.formats[index] {
                case .plain: return value
                case .date: return value.int.map { .text(CivilDate.iso(days: Int($0))) } ?? value
                case .ageBand(let width): return value.int.map { .text("\($0)–\($0 + Int64(width) - 1)") } ?? .text("(unknown)")
                }
            }
        }
        return ResultTable(title: title, columns: plan.columns, rows: formatted)
    }

    func runCohort(_ cohort: BoundCohort) throws -> CohortRun {
        let db = store.db
        let started = DispatchTime.now()
        var timings: [CohortRun.StepTiming] = []
        var attrition: [CohortRun.AttritionRow] = []
        var plan: CohortPlan!
        var summary = CohortSummary(name: cohort.name, title: cohort.title, definitionID: 0, persons: 0, eras: 0, milliseconds: 0)
        try db.transaction {
            let id = try saveDefinition(cohort.name, title: cohort.title, definition: cohort.sourceText, checksum: cohort.checksum)
            summary.definitionID = id
            plan = CohortCompiler.compile(cohort, definitionID: id, prefix: "c\(id)", cohortID: cohortID)
            // The checksum covers the statement's text and the SQL and parameters it ran as, so
            // it changes when a value set or parameter it uses changes, and only then.
            var hasher = SHA256()
            hasher.update(Array(cohort.sourceText.utf8))
            for step in plan.setup + plan.steps {
                let rendered = render(step.statement)
                hasher.update(Array(rendered.sql.utf8))
                for p in rendered.parameters { hasher.update(Array("\u{1F}\(p.description)".utf8)) }
            }
            try db.run("UPDATE cohort_definition SET checksum = ? WHERE cohort_definition_id = ?", [.text(hasher.finalize()), .integer(id)])
            for step in plan.setup + plan.steps {
                let t0 = DispatchTime.now()
                try traced(cohort.name + ": " + step.label) { try runSQL(step.statement) }
                var rowsOut: Int?
                if let table = step.table { rowsOut = Int(try db.scalar("SELECT count(*) FROM \(table)").int ?? 0) }
                if case .dropTable = step.statement { continue }
                timings.append(.init(label: step.label, milliseconds: Session.ms(since: t0), rows: rowsOut))
            }
            for (label, select) in plan.attrition {
                let row = try rows(select).first ?? []
                attrition.append(.init(rule: label, events: Int(row.first?.int ?? 0), persons: Int(row.dropFirst().first?.int ?? 0)))
            }
            try db.run("DELETE FROM cohort_attrition WHERE cohort_definition_id = ?", [.integer(id)])
            for (i, a) in attrition.enumerated() {
                try db.run("INSERT INTO cohort_attrition (cohort_definition_id, rule_index, rule_name, persons, events) VALUES (?, ?, ?, ?, ?)",
                           [.integer(id), .integer(Int64(i)), .text(a.rule), .integer(Int64(a.persons)), .integer(Int64(a.events))])
            }
            let counts = try db.query("SELECT count(DISTINCT subject_id), count(*) FROM cohort WHERE cohort_definition_id = ?", [.integer(id)])
            summary.persons = Int(counts.first?[0].int ?? 0)
            summary.eras = Int(counts.first?[1].int ?? 0)
            try db.run("UPDATE cohort_definition SET persons = ?, eras = ? WHERE cohort_definition_id = ?",
                       [.integer(Int64(summary.persons)), .integer(Int64(summary.eras)), .integer(id)])
        }
        for table in plan.cleanup { try? runSQL(.dropTable(table)) }
        summary.milliseconds = Session.ms(since: started)
        summary.attrition = attrition
        return CohortRun(cohort: cohort, plan: plan, summary: summary, timings: timings)
    }

    /// Inserts or updates a cohort's `cohort_definition` row (the id is kept on update); returns the id.
    func saveDefinition(_ name: String, title: String?, definition: String, checksum: String) throws -> Int64 {
        let now = Clock.nowISO()
        try store.db.run("""
            INSERT INTO cohort_definition (cohort_definition_id, name, title, source_file, definition, checksum, engine_version, created_at, updated_at)
            VALUES ((SELECT COALESCE(MAX(cohort_definition_id), 0) + 1 FROM cohort_definition), ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET title = excluded.title, source_file = excluded.source_file, definition = excluded.definition,
              checksum = excluded.checksum, engine_version = excluded.engine_version, updated_at = excluded.updated_at
            """, [.text(name), title.map { .text($0) } ?? .null, sourceFile.map { .text($0) } ?? .null,
                  .text(definition), .text(checksum), .text(Store.engineVersion), .text(now), .text(now)])
        return cohortID(name)
    }

    static func ms(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    }
}
