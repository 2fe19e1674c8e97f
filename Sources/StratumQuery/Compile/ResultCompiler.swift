/// Compiles `count … by …` and `list … with …` to one SELECT over a cohort's rows, with the
/// format of each output column (dates come back as day numbers and are shown as ISO dates).
public struct ResultPlan: Sendable {
    public enum ColumnFormat: Sendable, Equatable { case plain, date, ageBand(Int) }
    public var select: SQLSelect
    public var columns: [String]
    public var formats: [ColumnFormat]
    public var setup: [CompiledStep]
    public var cleanup: [String]
}

public enum ResultCompiler {
    static func population(_ expr: BoundCohortExpr, ctx: CompileContext) -> SQLSelect {
        let rows: SQLSelect
        if case .name = expr {
            rows = CohortCompiler.algebraRows(expr, ctx: ctx)
        } else {
            // Algebra: collapse into eras first so an era is not counted twice.
            let collapsed = CohortCompiler.collapse(CohortCompiler.algebraRows(expr, ctx: ctx), pad: 0, definitionID: 0)
            var named = collapsed
            named.columns = [(collapsed.columns[1].expr, "person_id"), (collapsed.columns[2].expr, "start_date"), (collapsed.columns[3].expr, "end_date")]
            rows = named
        }
        return SQLSelect(columns: [
            (.col("pr", "person_id"), "person_id"), (.col("pr", "start_date"), "start_date"), (.col("pr", "end_date"), "end_date"),
            (.param(.null), "visit_id"), (.param(.null), "op_start"), (.param(.null), "op_end"),
            (.binary(.col("pr", "start_date"), .times, .int(86400)), "start_seconds"),
        ], from: .subquery(rows, alias: "pr"))
    }

    static func age(_ anchor: BoundAnchor, ctx: CompileContext) -> SQLExpr {
        .ageYears(birthDate: .col("p", "birth_date"), yearOfBirth: .col("p", "year_of_birth"), at: ctx.anchorExpr(anchor, row: "e"))
    }

    static let sexLabel: SQLExpr = .caseWhen([(.col("p", "gender_concept_id") == .param(.integer(8532)), .text("female")),
                                              (.col("p", "gender_concept_id") == .param(.integer(8507)), .text("male"))], otherwise: .text("unknown"))

    static func named(_ table: String, _ column: String, idColumn: String, personColumn: String, fallback: String) -> SQLExpr {
        var s = SQLSelect(columns: [(.col("n", column), nil)], from: .table(table, alias: "n"), filter: .col("n", idColumn) == .col("p", personColumn))
        s.limit = .int(1)
        return .call(.coalesce, [.subquery(s), .text(fallback)])
    }

    static func attribute(_ name: String) -> SQLExpr? {
        switch name {
        case "provider": return named("provider", "provider_name", idColumn: "provider_id", personColumn: "provider_id", fallback: "(unattributed)")
        case "care site": return named("care_site", "care_site_name", idColumn: "care_site_id", personColumn: "care_site_id", fallback: "(unattributed)")
        case "race": return .call(.coalesce, [.col("p", "race_source_value"), .text("(unknown)")])
        case "ethnicity": return .call(.coalesce, [.col("p", "ethnicity_source_value"), .text("(unknown)")])
        default: return nil
        }
    }

    public static func count(_ expr: BoundCohortExpr, _ dims: [BoundDimension], prefix: String,
                             cohortID: @escaping (String) -> Int64) -> ResultPlan {
        let ctx = CompileContext(prefix: prefix, cohortID: cohortID)
        var inner: [(expr: SQLExpr, alias: String?)] = [(.col("e", "person_id"), "person_id")]
        var names: [String] = [], formats: [ResultPlan.ColumnFormat] = []
        for (i, d) in dims.enumerated() {
            let alias = "d\(i + 1)"
            let (e, name, format): (SQLExpr, String, ResultPlan.ColumnFormat)
            switch d {
            case .sex: (e, name, format) = (sexLabel, "sex", .plain)
            case .ageBand(let width, let anchor):
                (e, name, format) = (.binary(.binary(age(anchor, ctx: ctx), .divide, .int(width)), .times, .int(width)), "age band", .ageBand(width))
            case .age(let anchor): (e, name, format) = (age(anchor, ctx: ctx), "age", .plain)
            case .provider: (e, name, format) = (attribute("provider")!, "provider", .plain)
            case .careSite: (e, name, format) = (attribute("care site")!, "care site", .plain)
            case .race: (e, name, format) = (attribute("race")!, "race", .plain)
            case .ethnicity: (e, name, format) = (attribute("ethnicity")!, "ethnicity", .plain)
            case .year: (e, name, format) = (.yearOf(.col("e", "start_date")), "year", .plain)
            case .criterion(let c, let label):
                (e, name, format) = (.caseWhen([(ctx.criterion(c, e: "e"), .text("yes"))], otherwise: .text("no")), label, .plain)
            }
            inner.append((e, alias)); names.append(name); formats.append(format)
        }
        var rows = SQLSelect(columns: inner, from: .subquery(population(expr, ctx: ctx), alias: "e"))
        rows.joins = [SQLJoin(kind: .left, source: .table("person", alias: "p"), on: .col("p", "person_id") == .col("e", "person_id"))]
        let dimColumns = (0..<dims.count).map { SQLExpr.col("r", "d\($0 + 1)") }
        var outer = SQLSelect(columns: dimColumns.enumerated().map { ($0.element, "d\($0.offset + 1)") } + [
            (.aggregate(.count, .col("r", "person_id"), distinct: true), "persons"),
            (.aggregate(.count, .star, distinct: false), "eras"),
        ], from: .subquery(rows, alias: "r"))
        outer.groupBy = dimColumns
        outer.orderBy = dimColumns.map { SQLOrder($0) }
        return ResultPlan(select: outer, columns: names + ["persons", "eras"], formats: formats + [.plain, .plain],
                          setup: ctx.setup, cleanup: ctx.cleanup)
    }

    public static func list(_ expr: BoundCohortExpr, _ columns: [BoundListColumn], limit: Int?, prefix: String,
                            cohortID: @escaping (String) -> Int64) -> ResultPlan {
        let ctx = CompileContext(prefix: prefix, cohortID: cohortID)
        var out: [(expr: SQLExpr, alias: String?)] = []
        var names: [String] = [], formats: [ResultPlan.ColumnFormat] = []
        func add(_ e: SQLExpr, _ name: String, _ format: ResultPlan.ColumnFormat = .plain) {
            out.append((e, "c\(out.count + 1)")); names.append(name); formats.append(format)
        }
        let effective = columns.isEmpty ? [.person, .start, .end] : columns
        func isPerson(_ c: BoundListColumn) -> Bool {
            switch c {
            case .person: return true
            case .labeled(let inner, _): return isPerson(inner)
            default: return false
            }
        }
        if !effective.contains(where: isPerson) {
            add(.col("e", "person_id"), "person")
        }
        func compile(_ c: BoundListColumn) {
            switch c {
            case .labeled(let inner, let label):
                compile(inner)
                names[names.count - 1] = label
            case .person: add(.col("e", "person_id"), "person")
            case .start: add(.col("e", "start_date"), "start", .date)
            case .end: add(.col("e", "end_date"), "end", .date)
            case .age(let anchor): add(age(anchor, ctx: ctx), "age")
            case .sex: add(sexLabel, "sex")
            case .provider: add(attribute("provider")!, "provider")
            case .careSite: add(attribute("care site")!, "care site")
            case .race: add(attribute("race")!, "race")
            case .ethnicity: add(attribute("ethnicity")!, "ethnicity")
            case .event(let selector, let pattern, let label):
                let (value, date) = ctx.selectedValue(selector, pattern, e: "e")
                if pattern.domain == .measurement || pattern.domain == .observation {
                    add(value, label)
                    add(date, label + " date", .date)
                } else {
                    add(date, label, .date)
                }
            case .count(let pattern, let label):
                let x = ctx.alias()
                add(.subquery(SQLSelect(columns: [(.aggregate(.count, .star, distinct: false), nil)], from: ctx.from(pattern, x),
                                        filter: .all(ctx.patternConditions(pattern, x: x, e: "e")))), label)
            case .criterion(let criterion, let label):
                add(.caseWhen([(ctx.criterion(criterion, e: "e"), .text("yes"))], otherwise: .text("no")), label)
            }
        }
        for c in effective { compile(c) }
        var select = SQLSelect(columns: out, from: .subquery(population(expr, ctx: ctx), alias: "e"))
        select.joins = [SQLJoin(kind: .left, source: .table("person", alias: "p"), on: .col("p", "person_id") == .col("e", "person_id"))]
        select.orderBy = [SQLOrder(.col("e", "person_id")), SQLOrder(.col("e", "start_date"))]
        if let limit { select.limit = .int(limit) }
        return ResultPlan(select: select, columns: names, formats: formats, setup: ctx.setup, cleanup: ctx.cleanup)
    }
}
