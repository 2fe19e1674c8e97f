import Foundation
import StratumQuery
import StratumStore

/// A loader that knows one value set, `diabetes.json`, read once from a FHIR file at start-up;
/// every other name fails. Inputs never make the fuzzer read files.
struct FuzzLoader: ValueSetLoading {
    struct NotFound: Error, CustomStringConvertible { var name: String; var description: String { "no value set '\(name)'" } }
    let diabetes: BoundValueSet

    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("diabetes.json")
        try Data(#"""
            {"resourceType": "ValueSet", "name": "Diabetes", "expansion": {"contains": [
              {"system": "http://snomed.info/sct", "code": "44054006"}, {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}]}}
            """#.utf8).write(to: URL(fileURLWithPath: path))
        // BoundValueSet has no public initializer: the one way to make one outside the module.
        diabetes = try FHIRValueSetSource().load(path, relativeTo: nil, valueSetDirectory: nil)
    }

    func load(_ reference: String, relativeTo directory: String?, valueSetDirectory: String?) throws -> BoundValueSet {
        guard reference == "diabetes.json" else { throw NotFound(name: reference) }
        return diabetes
    }
}

enum Outcome: String, CaseIterable { case parseError = "parse error", bindError = "bind error", compiled }

struct Failure { var index: Int; var kind: InputKind; var message: String }

/// One input through lexer, parser, binder and (when binding succeeds) the compilers and the
/// renderer, with the invariants checked on the way.
struct Pipeline {
    let environment: Environment
    let loader: FuzzLoader
    /// Includes resolve under a directory that does not exist: the fuzzer reads no files.
    static let fileName = "/nonexistent-stratum-fuzz/input.stratum"

    init(directory: String) throws {
        loader = try FuzzLoader(directory: directory)
        var env = Environment()
        env.storedCohorts["stored"] = "Stored"
        var binder = Binder(environment: env, loader: loader)
        _ = binder.bind(SourceFile(name: "preamble.stratum", text: Corpus.preamble))
        guard !binder.hasErrors else {
            throw FuzzSetupError(message: "the fuzz preamble does not bind:\n" + DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics))
        }
        env = binder.environment
        env.overrides["cutoff"] = .date(CivilDate.days(year: 2024, month: 6, day: 30))
        environment = env
    }

    struct Result {
        var outcome: Outcome
        var statements = 0
        var sqlBytes = 0
        var problems: [String] = []
    }

    /// Stable ids for cohorts by name (hashValue is seeded per process).
    static func cohortID(_ name: String) -> Int64 {
        var h: UInt64 = 1469598103934665603
        for b in name.lowercased().utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return Int64(h % 1_000_000) + 1
    }

    func run(_ text: String) -> Result {
        var problems: [String] = []
        let source = SourceFile(name: Pipeline.fileName, text: text)
        let byteCount = text.utf8.count

        // Parse on its own, to tell parse errors from binding errors.
        let (_, parseDiagnostics) = Parser.parse(source)
        checkRanges(parseDiagnostics, sources: [source.name: source], into: &problems)

        var binder = Binder(environment: environment, loader: loader)
        let statements = binder.bind(source)
        checkRanges(binder.diagnostics, sources: binder.sources, into: &problems)
        if binder.sources[source.name]?.text.utf8.count != byteCount { problems.append("binder lost the source text") }
        let parseErrors = parseDiagnostics.contains { $0.severity == .error }
        if parseErrors && !binder.hasErrors { problems.append("parse errors vanished in the binder") }
        if Array(binder.diagnostics.prefix(parseDiagnostics.count)) != parseDiagnostics { problems.append("the binder does not report the parser's diagnostics first") }

        // Rendering diagnostics must not trap, whatever the ranges and text.
        let renderer = DiagnosticRenderer(sources: binder.sources)
        let rendered = renderer.render(binder.diagnostics)
        // One at a time, a location costs the length of its line (the batch render caches):
        // a sample is enough to check it does not trap.
        for d in binder.diagnostics.prefix(64) { _ = renderer.location(d) }
        if !binder.diagnostics.isEmpty && rendered.isEmpty { problems.append("diagnostics rendered to nothing") }

        if parseErrors { return Result(outcome: .parseError, problems: problems) }
        if binder.hasErrors { return Result(outcome: .bindError, problems: problems) }

        var result = Result(outcome: .compiled)
        var prefix = 0
        for statement in statements {
            prefix += 1
            var rendered: [RenderedSQL] = []
            switch statement {
            case .cohort(let cohort):
                let plan = CohortCompiler.compile(cohort, definitionID: Pipeline.cohortID(cohort.name), prefix: "f\(prefix)", cohortID: Pipeline.cohortID)
                for step in plan.setup + plan.steps { rendered.append(SQLRenderer.render(step.statement, dialect: SQLiteDialect())) }
                for (_, select) in plan.attrition { rendered.append(SQLRenderer.render(.select(select), dialect: SQLiteDialect())) }
            case .count(let expr, let dims, _):
                let plan = ResultCompiler.count(expr, dims, prefix: "f\(prefix)", cohortID: Pipeline.cohortID)
                for step in plan.setup { rendered.append(SQLRenderer.render(step.statement, dialect: SQLiteDialect())) }
                rendered.append(SQLRenderer.render(.select(plan.select), dialect: SQLiteDialect()))
                if plan.columns.count != plan.formats.count { problems.append("count: \(plan.columns.count) columns but \(plan.formats.count) formats") }
            case .list(let expr, let columns, let limit, _):
                let plan = ResultCompiler.list(expr, columns, limit: limit, prefix: "f\(prefix)", cohortID: Pipeline.cohortID)
                for step in plan.setup { rendered.append(SQLRenderer.render(step.statement, dialect: SQLiteDialect())) }
                rendered.append(SQLRenderer.render(.select(plan.select), dialect: SQLiteDialect()))
                if plan.columns.count != plan.formats.count { problems.append("list: \(plan.columns.count) columns but \(plan.formats.count) formats") }
            case .features(let features):
                let plan = FeatureCompiler.compile(features, prefix: "f\(prefix)", cohortID: Pipeline.cohortID)
                for step in plan.setup { rendered.append(SQLRenderer.render(step.statement, dialect: SQLiteDialect())) }
                rendered.append(SQLRenderer.render(.select(plan.persons), dialect: SQLiteDialect()))
                for case let select? in plan.items { rendered.append(SQLRenderer.render(.select(select), dialect: SQLiteDialect())) }
                if features.columns.count != Set(features.columns).count { problems.append("features: duplicate column names") }
            case .explain, .declaration, .cluster, .forecast, .adherence:
                continue
            }
            result.statements += 1
            for sql in rendered {
                result.sqlBytes += sql.sql.utf8.count
                if let problem = Pipeline.checkSQL(sql) { problems.append(problem); break }
            }
        }
        result.problems = problems
        return result
    }

    func checkRanges(_ diagnostics: [Diagnostic], sources: [String: SourceFile], into problems: inout [String]) {
        for d in diagnostics {
            guard let file = d.file, let source = sources[file] else {
                problems.append("diagnostic without a known file: \(d.file ?? "nil"): \(d.text)")
                continue
            }
            let count = source.text.utf8.count
            if d.range.start < 0 || d.range.end < d.range.start || d.range.end > count {
                problems.append("diagnostic range \(d.range.start)..<\(d.range.end) outside the source (\(count) bytes): \(d.text)")
            }
            if d.text.isEmpty { problems.append("empty diagnostic message") }
        }
    }

    /// The SQL literals the dialect itself writes; script text must never add another.
    static let allowedLiterals: Set<String> = ["'%Y'", "'%m%d'", "'unixepoch'", "'['", "']'", "'{'", "'}'", "'_'", "' '", "''"]

    /// Placeholders match parameters, and nothing from the script reached the SQL text: it is
    /// ASCII, has no statement separator or comment, no quoted identifier, and only the
    /// dialect's own string literals.
    static func checkSQL(_ sql: RenderedSQL) -> String? {
        let bytes = Array(sql.sql.utf8)
        var placeholders = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x80 || (b < 0x20 && b != 10) { return "non-ASCII or control byte \(b) in SQL" }
            switch b {
            case UInt8(ascii: "?"): placeholders += 1
            case UInt8(ascii: ";"): return "';' in SQL"
            case UInt8(ascii: "\""): return "'\"' in SQL"
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"): return "'--' in SQL"
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"): return "'/*' in SQL"
            case UInt8(ascii: "'"):
                var j = i + 1
                while j < bytes.count && bytes[j] != UInt8(ascii: "'") { j += 1 }
                let literal = String(decoding: bytes[i...min(j, bytes.count - 1)], as: UTF8.self)
                if !allowedLiterals.contains(literal) { return "unexpected SQL literal \(literal.prefix(60))" }
                i = j
            default: break
            }
            i += 1
        }
        if placeholders != sql.parameters.count {
            return "\(placeholders) placeholders but \(sql.parameters.count) parameters"
        }
        return nil
    }
}

struct FuzzSetupError: Error, CustomStringConvertible { var message: String; var description: String { message } }
