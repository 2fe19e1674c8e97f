import Foundation
import StratumQuery
import StratumStore

/// A script parsed, bound and compiled in-process (no store), rendered as the SQL text and
/// parameters the engine would run, in statement order. Cohorts get definition ids 1, 2, 3, …
/// in the order they are defined, so the text does not depend on what a store already holds.
enum CompiledScript {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func render(_ source: SourceFile, dialect: any SQLDialect = SQLiteDialect()) throws -> String {
        var binder = Binder(environment: Environment(), loader: FHIRValueSetSource())
        let statements = binder.bind(source)
        if binder.hasErrors {
            throw Failure(description: DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics))
        }
        let ids = DefinitionIDs()
        var prefixCounter = 0
        func nextPrefix() -> String { prefixCounter += 1; return "s\(prefixCounter)" }

        var blocks: [String] = ["-- compiled for \(dialect.name); cohort definition ids are numbered in order of definition"]
        for statement in statements {
            switch statement {
            case .declaration(let text):
                blocks.append("-- \(text)")
            case .cohort(let cohort):
                let id = ids.id(cohort.name)
                let plan = CohortCompiler.compile(cohort, definitionID: id, prefix: nextPrefix(), cohortID: ids.id)
                var parts = ["-- ===== cohort \(cohort.name)\(cohort.title.map { " \"\($0)\"" } ?? "") — definition \(id)"]
                parts += (plan.setup + plan.steps).compactMap { step($0, dialect) }
                parts += plan.attrition.map { rendered("attrition: \($0.label)", .select($0.select), dialect) }
                blocks.append(parts.joined(separator: "\n\n"))
            case .count(let expr, let dims, let title):
                let plan = ResultCompiler.count(expr, dims, prefix: nextPrefix(), cohortID: ids.id)
                blocks.append(result(title, plan, dialect))
            case .list(let expr, let columns, let limit, let title):
                let plan = ResultCompiler.list(expr, columns, limit: limit, prefix: nextPrefix(), cohortID: ids.id)
                blocks.append(result(title, plan, dialect))
            case .features(let features):
                let plan = FeatureCompiler.compile(features, prefix: nextPrefix(), cohortID: ids.id)
                var parts = ["-- ===== features \(features.name): " + features.columns.joined(separator: ", ")]
                parts += plan.setup.compactMap { step($0, dialect) }
                parts.append(rendered("persons", .select(plan.persons), dialect))
                for (i, item) in plan.items.enumerated() {
                    guard let select = item else { continue }
                    parts.append(rendered("item \(i + 1)", .select(select), dialect))
                }
                blocks.append(parts.joined(separator: "\n\n"))
            case .explain(let name):
                blocks.append("-- ===== explain \(name)")
            case .cluster(let cluster):
                blocks.append("-- ===== cluster \(cluster.name): \(cluster.method.rawValue) k \(cluster.kRange) on \(cluster.features) (numerics, no SQL)")
            case .adherence(let adherence):
                blocks.append("-- ===== adherence \(adherence.valueSet.name) for \(adherence.cohort) (fills read at run time)")
            case .forecast(let forecast):
                blocks.append("-- ===== forecast \(forecast.valueSet.name) for \(forecast.cohort) (numerics, no SQL)")
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private static func result(_ title: String, _ plan: ResultPlan, _ dialect: any SQLDialect) -> String {
        var parts = ["-- ===== \(title.replacingOccurrences(of: "\n", with: " "))"]
        parts += plan.setup.compactMap { step($0, dialect) }
        parts.append(rendered("result columns: " + plan.columns.joined(separator: ", "), .select(plan.select), dialect))
        return parts.joined(separator: "\n\n")
    }

    /// A plan step as the engine runs it; drops of temp tables are left out, as `explain` does.
    private static func step(_ step: CompiledStep, _ dialect: any SQLDialect) -> String? {
        if case .dropTable = step.statement { return nil }
        return rendered(step.label, step.statement, dialect)
    }

    private static func rendered(_ label: String, _ statement: SQLStatement, _ dialect: any SQLDialect) -> String {
        let sql = SQLRenderer.render(statement, dialect: dialect)
        var text = "-- \(label)\n\(sql.sql);"
        if !sql.parameters.isEmpty {
            text += "\n-- parameters: " + sql.parameters.map { value -> String in
                if case .text(let s) = value { return "'\(visible(s))'" }
                return value.description
            }.joined(separator: ", ")
        }
        return text
    }

    /// Text with invisible characters spelled out: a prefix match's upper bound ends in
    /// U+10FFFF, which would otherwise be an unreadable byte sequence in a golden file.
    private static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate, .unassigned:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Definition ids handed out in order of first use.
final class DefinitionIDs: @unchecked Sendable {
    private var ids: [String: Int64] = [:]
    func id(_ name: String) -> Int64 {
        let key = name.lowercased()
        if let id = ids[key] { return id }
        let id = Int64(ids.count + 1)
        ids[key] = id
        return id
    }
}
