/// Compiles a `features` statement: a temp table with one row per person and their index date
/// (`start_date` = `end_date` = the index day, so every window anchored on "entry" is anchored
/// on the index date), one SELECT for the persons (age, sex), and one SELECT per item returning
/// that item's matching events or counts per person. Aggregation over events (last, slope, …)
/// happens in `FeatureExtractor`, which reads these rows in person order.
public struct FeaturePlan: Sendable {
    public var setup: [CompiledStep]
    /// person_id, index day, age at index, female (1/0/NULL); ordered by person_id.
    public var persons: SQLSelect
    /// One SELECT per item, in item order (see `FeatureCompiler.itemSelect`); nil for age and sex,
    /// which come with the persons.
    public var items: [SQLSelect?]
    public var cleanup: [String]
}

public enum FeatureCompiler {
    public static func compile(_ features: BoundFeatures, prefix: String, cohortID: @escaping (String) -> Int64) -> FeaturePlan {
        let ctx = CompileContext(prefix: prefix, cohortID: cohortID)
        let (table, indexSteps) = indexTable(features, ctx: ctx)
        var persons = SQLSelect(columns: [
            (.col("e", "person_id"), "person_id"), (.col("e", "start_date"), "index_day"),
            (ResultCompiler.age(.entryStart, ctx: ctx), "age"),
            (.caseWhen([(.col("p", "gender_concept_id") == .param(.integer(8532)), .int(1)),
                        (.col("p", "gender_concept_id") == .param(.integer(8507)), .int(0))], otherwise: nil), "female"),
        ], from: .table(table, alias: "e"))
        persons.joins = [SQLJoin(kind: .left, source: .table("person", alias: "p"), on: .col("p", "person_id") == .col("e", "person_id"))]
        persons.orderBy = [SQLOrder(.col("e", "person_id"))]
        let items = features.items.map { itemSelect($0, index: table, ctx: ctx) }
        // Value-set tables are created while compiling the items, so they come first.
        return FeaturePlan(setup: ctx.setup + indexSteps, persons: persons, items: items, cleanup: ctx.cleanup)
    }

    /// The temp table of persons and index dates (`start_date` = `end_date` = the index day).
    static func indexTable(_ features: BoundFeatures, ctx: CompileContext) -> (String, [CompiledStep]) {
        let table = ctx.table("idx")
        let population = ResultCompiler.population(.name(features.cohort), ctx: ctx)
        let rows: SQLSelect
        func indexColumns(_ day: SQLExpr, from alias: String) -> [(expr: SQLExpr, alias: String?)] {
            [(.col(alias, "person_id"), "person_id"), (day, "start_date"), (day, "end_date"), (.param(.null), "visit_id"),
             (.param(.null), "op_start"), (.param(.null), "op_end"), (.binary(day, .times, .int(86400)), "start_seconds")]
        }
        switch features.index {
        case .date(let day):
            // Members whose era started on or before the index date: membership that begins
            // later is itself information from after the index date.
            var s = SQLSelect(columns: indexColumns(.date(day), from: "pr"), from: .subquery(population, alias: "pr"),
                              filter: .col("pr", "start_date") <= .date(day))
            s.groupBy = [.col("pr", "person_id")]
            rows = s
        case .entryStart, .entryEnd:
            var ranked = population
            ranked.columns.append((.window(.rowNumber, partitionBy: [.col("pr", "person_id")],
                                           orderBy: [SQLOrder(.col("pr", "start_date")), SQLOrder(.col("pr", "end_date"))], frame: nil), "rn"))
            let day: SQLExpr = .col("r", features.index == .entryStart ? "start_date" : "end_date")
            rows = SQLSelect(columns: indexColumns(day, from: "r"), from: .subquery(ranked, alias: "r"), filter: .col("r", "rn") == .int(1))
        }
        return (table, [CompiledStep(label: "index dates of \(features.cohort)", statement: .createTemp(table, rows), table: table),
                        CompiledStep(label: "index on \(table)", statement: .createIndex(table + "_person", table: table, columns: ["person_id"]))])
    }

    /// What PDC reads for a cohort's members (those whose era started by the period's end):
    /// `members` (person_id, ordered); `fills` (person_id, day, days_supply, drug, prescribed 1/0,
    /// refills) for drugs of the value set dispensed or prescribed within the period with a
    /// supply, ordered by person and day; `stays` (person_id, first day, last day) of inpatient
    /// visits overlapping the period.
    public struct FillPlan: Sendable {
        public var setup: [CompiledStep]
        public var members: SQLSelect
        public var fills: SQLSelect
        public var stays: SQLSelect
        public var cleanup: [String]
    }

    public static func fills(cohort: String, valueSet: BoundValueSet, period: ClosedRange<Int>, prefix: String,
                             cohortID: @escaping (String) -> Int64) -> FillPlan {
        let ctx = CompileContext(prefix: prefix, cohortID: cohortID)
        let (table, indexSteps) = indexTable(BoundFeatures(name: "adherence", cohort: cohort, index: .date(period.upperBound), scaling: nil,
                                                           outputPath: nil, items: [], sourceText: ""), ctx: ctx)
        var members = SQLSelect(columns: [(.col("e", "person_id"), "person_id")], from: .table(table, alias: "e"))
        members.orderBy = [SQLOrder(.col("e", "person_id"))]
        var p = BoundEventPattern(domain: .drug)
        p.valueSet = valueSet
        p.windows = [BoundWindow(eventEnd: false, lower: BoundBound(anchor: .date(period.lowerBound), offsetDays: 0, offsetSeconds: nil),
                                 upper: BoundBound(anchor: .date(period.upperBound), offsetDays: 0, offsetSeconds: nil))]
        let x = ctx.alias()
        var fills = SQLSelect(columns: [
            (.col("e", "person_id"), "person_id"), (.col(x, "drug_exposure_start_date"), "day"), (.col(x, "days_supply"), "days_supply"),
            (.call(.coalesce, [.col(x, "source_code"), .col(x, "drug_concept_id")]), "drug"),
            (.caseWhen([(.col(x, "drug_type_concept_id") == .param(.integer(32838)), .int(1))], otherwise: .int(0)), "prescribed"),
            (.call(.coalesce, [.col(x, "refills"), .int(0)]), "refills"),
        ], from: .table(table, alias: "e"))
        fills.joins = [SQLJoin(kind: .ordered, source: ctx.from(p, x),
                               on: .all(ctx.patternConditions(p, x: x, e: "e") + [.binary(.col(x, "days_supply"), .gt, .int(0))]))]
        fills.orderBy = [SQLOrder(.col("e", "person_id")), SQLOrder(.col(x, "drug_exposure_start_date")), SQLOrder(.col(x, "drug_exposure_id"))]
        let v = ctx.alias("v")
        let end = SQLExpr.call(.coalesce, [.col(v, "visit_end_date"), .col(v, "visit_start_date")])
        var stays = SQLSelect(columns: [(.col("e", "person_id"), "person_id"), (.col(v, "visit_start_date"), "start_day"), (end, "end_day")],
                              from: .table(table, alias: "e"))
        stays.joins = [SQLJoin(kind: .ordered, source: .table("visit_occurrence", alias: v), on: .all([
            .col(v, "person_id") == .col("e", "person_id"),
            .inList(.col(v, "visit_concept_id"), VisitClass.inpatient.conceptIDs.map { .param(.integer($0)) }),
            .col(v, "visit_start_date") <= .date(period.upperBound), end >= .date(period.lowerBound),
        ]))]
        return FillPlan(setup: ctx.setup + indexSteps, members: members, fills: fills, stays: stays, cleanup: ctx.cleanup)
    }

    /// - values: person_id, day, value (non-missing values only), ordered by person and day;
    /// - count: person_id, n; distinct drugs: person_id, n;
    /// - visits by class: person_id, then one count per `VisitClass`.
    /// Persons without a matching event have no row.
    static func itemSelect(_ item: BoundFeatures.Item, index: String, ctx: CompileContext) -> SQLSelect? {
        func joined(_ p: BoundEventPattern, _ columns: [(expr: SQLExpr, alias: String?)], x: String, extra: [SQLExpr] = []) -> SQLSelect {
            var s = SQLSelect(columns: columns, from: .table(index, alias: "e"))
            // Person first: each member's events through the (person_id, date) index, rather than
            // every event with the codes probed for membership (4.2 s → see Benchmarks/features.sh).
            s.joins = [SQLJoin(kind: .ordered, source: ctx.from(p, x), on: .all(ctx.patternConditions(p, x: x, e: "e") + extra))]
            return s
        }
        switch item {
        case .age, .sex:
            return nil
        case .values(_, let p, let unit, _):
            let x = ctx.alias()
            let domain = DomainTable.of(p.domain)
            // With a unit, values are converted to it and results in another dimension give NULL.
            let value = ctx.valueExpr(x, unit: unit)
            var s = joined(p, [(.col("e", "person_id"), "person_id"), (domain.startExpr(x), "day"), (value, "value")], x: x,
                           extra: [.isNull(value, negated: true)])
            s.orderBy = [SQLOrder(.col("e", "person_id")), SQLOrder(domain.startExpr(x)), SQLOrder(.col(x, domain.id))]
            return s
        case .count(_, let p):
            let x = ctx.alias()
            var s = joined(p, [(.col("e", "person_id"), "person_id"), (.aggregate(.count, .star, distinct: false), "n")], x: x)
            s.groupBy = [.col("e", "person_id")]
            return s
        case .distinctDrugs(_, let p):
            let x = ctx.alias()
            let code: SQLExpr = .call(.coalesce, [.col(x, "source_code"), .col(x, "drug_concept_id")])
            var s = joined(p, [(.col("e", "person_id"), "person_id"), (.aggregate(.count, code, distinct: true), "n")], x: x)
            s.groupBy = [.col("e", "person_id")]
            return s
        case .visitsByClass(_, let p):
            let x = ctx.alias()
            var columns: [(expr: SQLExpr, alias: String?)] = [(.col("e", "person_id"), "person_id")]
            for visitClass in VisitClass.allCases {
                let hit = SQLExpr.inList(.col(x, "visit_concept_id"), visitClass.conceptIDs.map { .param(.integer($0)) })
                columns.append((.aggregate(.sum, .caseWhen([(hit, .int(1))], otherwise: .int(0)), distinct: false), visitClass.rawValue))
            }
            var s = joined(p, columns, x: x)
            s.groupBy = [.col("e", "person_id")]
            return s
        }
    }
}
