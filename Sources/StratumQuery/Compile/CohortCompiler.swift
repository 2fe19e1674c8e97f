/// Compiles a bound cohort into a plan: value-set tables, entry events, one table per block of
/// rules (each rule a 0/1 column, so attrition is counted from the same rows), limits, the exit
/// date, and era collapse into the `cohort` table. Temp tables make each step countable and
/// timeable for `explain`; SQLite would materialise most of them anyway.
public struct CohortPlan: Sendable {
    public var cohort: String
    public var setup: [CompiledStep]
    public var steps: [CompiledStep]
    /// Attrition queries, each returning one row (events, persons), in pipeline order.
    public var attrition: [(label: String, select: SQLSelect)]
    public var cleanup: [String]
}

public struct CohortCompiler {
    /// Columns every index-row table carries.
    static let rowColumns = ["event_id", "person_id", "start_date", "end_date", "visit_id", "op_start", "op_end", "start_seconds"]

    public static func compile(_ cohort: BoundCohort, definitionID: Int64, prefix: String,
                               cohortID: @escaping (String) -> Int64) -> CohortPlan {
        let ctx = CompileContext(prefix: prefix, cohortID: cohortID)
        var steps: [CompiledStep] = []
        var attrition: [(String, SQLSelect)] = []
        func counts(_ table: String, filter: SQLExpr? = nil) -> SQLSelect {
            SQLSelect(columns: [(.aggregate(.count, .star, distinct: false), "events"),
                                (.aggregate(.count, .col("t", "person_id"), distinct: true), "persons")],
                      from: .table(table, alias: "t"), filter: filter)
        }
        func indexRow(_ alias: String) -> [(expr: SQLExpr, alias: String?)] { rowColumns.map { (.col(alias, $0), $0) } }

        // The (person_id, start_date, end_date) rows to collapse into eras.
        let rows: SQLSelect
        var eraPad = 0
        switch cohort.body {
        case .algebra(let expr):
            rows = algebraRows(expr, ctx: ctx)
        case .definition(let entry, let blocks, let exit, let censor, let pad):
            // Entry.
            let entryTable = ctx.table("entry")
            steps.append(CompiledStep(label: "drop", statement: .dropTable(entryTable)))
            steps.append(CompiledStep(label: "entry events", statement: .createTemp(entryTable, entrySelect(entry, ctx: ctx)), table: entryTable))
            attrition.append(("entry events", counts(entryTable)))
            if case .events = entry { ctx.restrictToObservation = true }
            // A calendar entry gives every row the same day: `age` at entry is then a birth-date
            // range found once for all persons.
            if case .date(let day, _) = entry { ctx.constantEntryDay = day }
            var current = entryTable
            // Rules and limits, in order.
            for (blockIndex, block) in blocks.enumerated() {
                switch block {
                case .rules(let ruleBlock):
                    // A block longer than 64 rules runs as consecutive blocks of 64, which count the
                    // same and keep each statement a size SQLite plans quickly.
                    for chunk in stride(from: 0, to: ruleBlock.count, by: 64) {
                        let rules = Array(ruleBlock[chunk..<min(chunk + 64, ruleBlock.count)])
                        let suffix = chunk == 0 ? "" : "_\(chunk / 64 + 1)"
                        // One column counts how many rules, in order, an event passes: a flat CASE whose
                        // first matching branch is the first rule the event fails. CASE is lazy, so a
                        // rule is only evaluated for events that passed the ones before it — the
                        // attrition is sequential, and so is the work. NULL (unknown) fails a rule.
                        let scored = ctx.table("rules\(blockIndex + 1)\(suffix)")
                        var failures: [(SQLExpr, SQLExpr)] = []
                        for (i, rule) in rules.enumerated() {
                            var test = ctx.criterion(rule.criterion, e: "e")
                            if rule.kind == .exclude { test = .not(test) }
                            failures.append((.not(.call(.coalesce, [test, .bool(false)])), .int(i)))
                        }
                        let passedCount: SQLExpr = .caseWhen(failures, otherwise: .int(rules.count))
                        steps.append(CompiledStep(label: "drop", statement: .dropTable(scored)))
                        steps.append(CompiledStep(label: "rules: " + rules.map(\.name).joined(separator: "; "),
                                                  statement: .createTemp(scored, SQLSelect(columns: indexRow("e") + [(passedCount, "passed")], from: .table(current, alias: "e"))),
                                                  table: scored))
                        for (i, rule) in rules.enumerated() {
                            attrition.append((rule.name, counts(scored, filter: .col("t", "passed") >= .int(i + 1))))
                        }
                        let kept = ctx.table("kept\(blockIndex + 1)\(suffix)")
                        steps.append(CompiledStep(label: "drop", statement: .dropTable(kept)))
                        steps.append(CompiledStep(label: "events passing every rule",
                                                  statement: .createTemp(kept, SQLSelect(columns: indexRow("t"), from: .table(scored, alias: "t"),
                                                                                         filter: .col("t", "passed") == .int(rules.count))), table: kept))
                        current = kept
                    }
                case .keep(let limit):
                    guard limit != .all else { continue }
                    let kept = ctx.table("keep\(blockIndex + 1)")
                    steps.append(CompiledStep(label: "drop", statement: .dropTable(kept)))
                    steps.append(CompiledStep(label: "keep \(limit.rawValue) event per person",
                                              statement: .createTemp(kept, limitSelect(current, limit)), table: kept))
                    attrition.append(("keep \(limit.rawValue)", counts(kept)))
                    current = kept
                }
            }
            // Exit and censoring.
            if case .continuousDrug(let set, let gap, _, let supply) = exit {
                let eras = ctx.table("eras")
                ctx.erasTable = eras
                steps.append(CompiledStep(label: "drop", statement: .dropTable(eras)))
                steps.append(CompiledStep(label: "continuous exposures (gap \(gap) days)",
                                          statement: .createTemp(eras, drugEras(set, gap: gap, supply: supply, persons: current, ctx: ctx)), table: eras))
            }
            var end = exitExpr(exit, ctx: ctx, e: "e")
            var firsts: [SQLExpr] = []
            for pattern in censor {
                let x = ctx.alias()
                let domain = DomainTable.of(pattern.domain)
                firsts.append(.subquery(SQLSelect(columns: [(.aggregate(.min, domain.startExpr(x), distinct: false), nil)], from: ctx.from(pattern, x),
                                                  filter: .all(ctx.patternConditions(pattern, x: x, e: "e") + [domain.startExpr(x) >= .col("e", "start_date")]))))
            }
            if var first = firsts.first {
                // The earliest censoring event of any pattern, so the exit expression appears
                // twice in all (wrapping it once per pattern doubled the SQL with each one).
                if firsts.count > 1 {
                    let c = ctx.alias("cz")
                    var events = SQLSelect(columns: [(first, "d")], from: nil)
                    events.compound = firsts.dropFirst().map { (.unionAll, SQLSelect(columns: [($0, "d")], from: nil)) }
                    first = .subquery(SQLSelect(columns: [(.aggregate(.min, .col(c, "d"), distinct: false), nil)], from: .subquery(events, alias: c)))
                }
                end = .call(.least, [end, .call(.coalesce, [first, end])])
            }
            let exitTable = ctx.table("exit")
            steps.append(CompiledStep(label: "drop", statement: .dropTable(exitTable)))
            steps.append(CompiledStep(label: "exit dates", statement: .createTemp(exitTable, SQLSelect(
                columns: [(.col("e", "person_id"), "person_id"), (.col("e", "start_date"), "start_date"), (end, "end_date")],
                from: .table(current, alias: "e"))), table: exitTable))
            rows = SQLSelect(columns: [(.col("x", "person_id"), nil), (.col("x", "start_date"), nil), (.col("x", "end_date"), nil)],
                             from: .table(exitTable, alias: "x"))
            eraPad = pad
        }
        steps.append(CompiledStep(label: "replace cohort rows", statement: .delete("cohort", filter: .column(nil, "cohort_definition_id") == .param(.integer(definitionID)))))
        steps.append(CompiledStep(label: "collapse into eras (pad \(eraPad) days)",
                                  statement: .insert("cohort", columns: ["cohort_definition_id", "subject_id", "cohort_start_date", "cohort_end_date"],
                                                     collapse(rows, pad: eraPad, definitionID: definitionID))))
        return CohortPlan(cohort: cohort.name, setup: ctx.setup, steps: steps, attrition: attrition, cleanup: ctx.cleanup)
    }

    // MARK: - Entry

    static func entrySelect(_ entry: BoundEntry, ctx: CompileContext) -> SQLSelect {
        switch entry {
        case .events(let limit, let firstEver, let patterns, let before, let after):
            var events: SQLSelect?
            for (rank, pattern) in patterns.enumerated() {
                let s = patternEvents(pattern, rank: rank, firstEver: firstEver, ctx: ctx)
                if events == nil { events = s } else { events!.compound.append((.unionAll, s)) }
            }
            let ev = "ev", op = "op"
            var inner = SQLSelect(columns: [
                (.col(ev, "person_id"), "person_id"), (.col(ev, "start_date"), "start_date"), (.col(ev, "end_date"), "end_date"),
                (.col(ev, "visit_id"), "visit_id"), (.col(op, "observation_period_start_date"), "op_start"),
                (.col(op, "observation_period_end_date"), "op_end"), (.col(ev, "start_seconds"), "start_seconds"),
                (.col(ev, "rank"), "rank"), (.col(ev, "source_id"), "source_id"),
                (.window(.rowNumber, partitionBy: [.col(ev, "person_id")],
                         orderBy: [SQLOrder(.col(ev, "start_date"), descending: limit == .last), SQLOrder(.col(ev, "rank")), SQLOrder(.col(ev, "source_id"))], frame: nil), "ordinal"),
            ], from: .subquery(events ?? SQLSelect(columns: [], from: nil), alias: ev))
            // Entry events lie inside an observation period, with the required time before/after.
            inner.joins = [SQLJoin(kind: .inner, source: .table("observation_period", alias: op), on: .all([
                .col(op, "person_id") == .col(ev, "person_id"),
                .col(ev, "start_date") >= .col(op, "observation_period_start_date"),
                .col(ev, "start_date") <= .col(op, "observation_period_end_date"),
            ]))]
            var filters: [SQLExpr] = []
            if let before, before > 0 { filters.append(.addDays(.col(op, "observation_period_start_date"), .int(before)) <= .col(ev, "start_date")) }
            if let after, after > 0 { filters.append(.addDays(.col(ev, "start_date"), .int(after)) <= .col(op, "observation_period_end_date")) }
            if !filters.isEmpty { inner.filter = .all(filters) }
            var outer = SQLSelect(columns: [(.window(.rowNumber, partitionBy: [], orderBy: [SQLOrder(.col("q", "person_id")), SQLOrder(.col("q", "start_date")),
                                                                                          SQLOrder(.col("q", "rank")), SQLOrder(.col("q", "source_id"))], frame: nil), "event_id")]
                                  + rowColumns.dropFirst().map { (.col("q", $0), $0) },
                                  from: .subquery(inner, alias: "q"))
            if limit != .all { outer.filter = .col("q", "ordinal") == .int(1) }
            return outer
        case .date(let day, let population):
            let source: SQLSelect
            if let population {
                var s = SQLSelect(columns: [(.col("c", "subject_id"), "person_id")], from: .table("cohort", alias: "c"),
                                  filter: .col("c", "cohort_definition_id") == .param(.integer(ctx.cohortID(population))) && .col("c", "cohort_start_date") <= .date(day))
                s.distinct = true
                source = s
            } else {
                source = SQLSelect(columns: [(.col("p", "person_id"), "person_id")], from: .table("person", alias: "p"))
            }
            return SQLSelect(columns: [
                (.window(.rowNumber, partitionBy: [], orderBy: [SQLOrder(.col("s", "person_id"))], frame: nil), "event_id"),
                (.col("s", "person_id"), "person_id"), (.date(day), "start_date"), (.date(day), "end_date"),
                (.param(.null), "visit_id"), (.param(.null), "op_start"), (.param(.null), "op_end"),
                (.param(.integer(Int64(day) * 86400)), "start_seconds"),
            ], from: .subquery(source, alias: "s"))
        case .members(let name):
            var s = SQLSelect(columns: [
                (.window(.rowNumber, partitionBy: [], orderBy: [SQLOrder(.col("c", "subject_id")), SQLOrder(.col("c", "cohort_start_date"))], frame: nil), "event_id"),
                (.col("c", "subject_id"), "person_id"), (.col("c", "cohort_start_date"), "start_date"), (.col("c", "cohort_end_date"), "end_date"),
                (.param(.null), "visit_id"), (.param(.null), "op_start"), (.param(.null), "op_end"),
                (.binary(.col("c", "cohort_start_date"), .times, .int(86400)), "start_seconds"),
            ], from: .table("cohort", alias: "c"), filter: .col("c", "cohort_definition_id") == .param(.integer(ctx.cohortID(name))))
            s.orderBy = []
            return s
        }
    }

    /// Events of one entry pattern, as (person_id, start_date, end_date, visit_id, start_seconds, rank, source_id).
    static func patternEvents(_ p: BoundEventPattern, rank: Int, firstEver: Bool, ctx: CompileContext) -> SQLSelect {
        func rows(withWindows: Bool) -> SQLSelect {
            var pattern = p
            if !withWindows { pattern.windows = [] }
            return ctx.eventRows(pattern, includeValue: true) { x, domain in [
                (.col(x, domain.personColumn), "person_id"), (domain.startExpr(x), "start_date"), (domain.endExpr(x), "end_date"),
                (domain.visit.map { .col(x, $0) } ?? .param(.null), "visit_id"), (domain.startSecondsExpr(x), "start_seconds"),
                (.int(rank), "rank"), (.col(x, domain.id), "source_id"),
            ] }
        }
        if !firstEver { return rows(withWindows: true) }
        // The first event in the person's whole history, kept only if it meets the windows.
        let all = rows(withWindows: false)
        let ranked = SQLSelect(columns: [(.col("a", "person_id"), "person_id"), (.col("a", "start_date"), "start_date"), (.col("a", "end_date"), "end_date"),
                                         (.col("a", "visit_id"), "visit_id"), (.col("a", "start_seconds"), "start_seconds"), (.col("a", "rank"), "rank"),
                                         (.col("a", "source_id"), "source_id"),
                                         (.window(.rowNumber, partitionBy: [.col("a", "person_id")], orderBy: [SQLOrder(.col("a", "start_date")), SQLOrder(.col("a", "source_id"))], frame: nil), "ordinal")],
                               from: .subquery(all, alias: "a"))
        let derived = DomainTable(table: "derived", id: "source_id", start: "start_date", startDateTime: nil, end: "end_date", concept: nil, visit: nil, hasCodes: false)
        var filters: [SQLExpr] = [.col("f", "ordinal") == .int(1)]
        for w in p.windows { filters += ctx.windowConditions(w, domain: derived, x: "f", e: "") }
        return SQLSelect(columns: ["person_id", "start_date", "end_date", "visit_id", "start_seconds", "rank", "source_id"].map { (.col("f", $0), $0) },
                         from: .subquery(ranked, alias: "f"), filter: .all(filters))
    }

    static func limitSelect(_ table: String, _ limit: EntryLimit) -> SQLSelect {
        let inner = SQLSelect(columns: rowColumns.map { (.col("t", $0), $0) } + [
            (.window(.rowNumber, partitionBy: [.col("t", "person_id")], orderBy: [SQLOrder(.col("t", "start_date"), descending: limit == .last), SQLOrder(.col("t", "event_id"))], frame: nil), "ordinal"),
        ], from: .table(table, alias: "t"))
        return SQLSelect(columns: rowColumns.map { (.col("k", $0), $0) }, from: .subquery(inner, alias: "k"), filter: .col("k", "ordinal") == .int(1))
    }

    // MARK: - Exit

    static func exitExpr(_ exit: BoundExit, ctx: CompileContext, e: String) -> SQLExpr {
        let start = SQLExpr.col(e, "start_date")
        let opEnd = SQLExpr.col(e, "op_end")
        func clip(_ x: SQLExpr) -> SQLExpr { .call(.least, [x, .call(.coalesce, [opEnd, x])]) }
        switch exit {
        case .endOfObservation:
            // Calendar and member entries carry no period: look up the one containing the start.
            var containing = SQLSelect(columns: [(.col("opx", "observation_period_end_date"), nil)], from: .table("observation_period", alias: "opx"),
                                       filter: .all([.col("opx", "person_id") == .col(e, "person_id"),
                                                     .col("opx", "observation_period_start_date") <= start, .col("opx", "observation_period_end_date") >= start]))
            containing.limit = .int(1)
            return .call(.coalesce, [opEnd, .subquery(containing), start])
        case .offset(let days, let fromEnd): return clip(.addDays(fromEnd ? .col(e, "end_date") : start, .int(days)))
        case .date(let day): return .call(.greatest, [start, clip(.date(day))])
        case .indexDate: return .col(e, "end_date")
        case .continuousDrug(_, _, let offset, _):
            var containing = SQLSelect(columns: [(.col("z", "era_end"), nil)], from: .table(ctx.erasTable ?? "eras", alias: "z"),
                                       filter: .all([.col("z", "person_id") == .col(e, "person_id"),
                                                     .col("z", "era_start") <= .col(e, "start_date"), .col("z", "era_end") >= .col(e, "start_date")]))
            containing.limit = .int(1)
            return clip(.call(.coalesce, [.addDays(.subquery(containing), .int(offset)), start]))
        }
    }

    /// Continuous exposures of the persons in `persons`, set-based: exposures (end from days of
    /// supply, or the override) joined across gaps of at most `gap` days, one row per era.
    static func drugEras(_ set: BoundValueSet, gap: Int, supply: Int?, persons: String, ctx: CompileContext) -> SQLSelect {
        let x = ctx.alias()
        let domain = DomainTable.of(.drug)
        let exposures = SQLSelect(columns: [(.col(x, "person_id"), "person_id"), (domain.startExpr(x), "s"), (domain.endExpr(x, daysSupplyOverride: supply), "d")],
                                  from: .table(domain.table, alias: x),
                                  filter: .inSelect([.col(x, "person_id")], SQLSelect(columns: [(.col("pp", "person_id"), nil)], from: .table(persons, alias: "pp")), negated: false)
                                      && ctx.codeMatch(set, domain: domain, x: x))
        let byPerson = [SQLExpr.col("o", "person_id")]
        let ordered = SQLSelect(columns: [(.col("o", "person_id"), "person_id"), (.col("o", "s"), "s"), (.col("o", "d"), "d"),
                                          (.window(.aggregate(.max, .col("o", "d")), partitionBy: byPerson, orderBy: [SQLOrder(.col("o", "s")), SQLOrder(.col("o", "d"))], frame: .precedingRows), "prev")],
                                from: .subquery(exposures, alias: "o"))
        let flagged = SQLSelect(columns: [(.col("g", "person_id"), "person_id"), (.col("g", "s"), "s"), (.col("g", "d"), "d"),
                                          (.window(.aggregate(.sum, .caseWhen([(.addDays(.col("g", "prev"), .int(gap)) >= .col("g", "s"), .int(0))], otherwise: .int(1))),
                                                   partitionBy: [.col("g", "person_id")], orderBy: [SQLOrder(.col("g", "s")), SQLOrder(.col("g", "d"))], frame: .runningRows), "era")],
                                from: .subquery(ordered, alias: "g"))
        var eras = SQLSelect(columns: [(.col("r", "person_id"), "person_id"), (.aggregate(.min, .col("r", "s"), distinct: false), "era_start"),
                                       (.aggregate(.max, .col("r", "d"), distinct: false), "era_end")],
                             from: .subquery(flagged, alias: "r"))
        eras.groupBy = [.col("r", "person_id"), .col("r", "era")]
        return eras
    }

    // MARK: - Eras and algebra

    /// Collapses (person_id, start_date, end_date) rows into eras: rows overlap when a start is
    /// on or before the latest end so far plus `pad` days.
    static func collapse(_ rows: SQLSelect, pad: Int, definitionID: Int64) -> SQLSelect {
        let flagged = SQLSelect(columns: [
            (.col("r", "person_id"), "person_id"), (.col("r", "start_date"), "start_date"), (.col("r", "end_date"), "end_date"),
            (.caseWhen([(.addDays(.window(.aggregate(.max, .col("r", "end_date")), partitionBy: [.col("r", "person_id")],
                                          orderBy: [SQLOrder(.col("r", "start_date")), SQLOrder(.col("r", "end_date"))], frame: .precedingRows), .int(pad))
                         >= .col("r", "start_date"), .int(0))], otherwise: .int(1)), "is_start"),
        ], from: .subquery(rows, alias: "r"))
        let grouped = SQLSelect(columns: [
            (.col("f", "person_id"), "person_id"), (.col("f", "start_date"), "start_date"), (.col("f", "end_date"), "end_date"),
            (.window(.aggregate(.sum, .col("f", "is_start")), partitionBy: [.col("f", "person_id")],
                     orderBy: [SQLOrder(.col("f", "start_date")), SQLOrder(.col("f", "end_date"))], frame: .runningRows), "era"),
        ], from: .subquery(flagged, alias: "f"))
        var out = SQLSelect(columns: [(.param(.integer(definitionID)), nil), (.col("g", "person_id"), nil),
                                      (.aggregate(.min, .col("g", "start_date"), distinct: false), nil),
                                      (.aggregate(.max, .col("g", "end_date"), distinct: false), nil)],
                            from: .subquery(grouped, alias: "g"))
        out.groupBy = [.col("g", "person_id"), .col("g", "era")]
        return out
    }

    /// Rows (person_id, start_date, end_date) of a cohort expression.
    static func algebraRows(_ expr: BoundCohortExpr, ctx: CompileContext) -> SQLSelect {
        switch expr {
        case .name(let name):
            return SQLSelect(columns: [(.col("c", "subject_id"), "person_id"), (.col("c", "cohort_start_date"), "start_date"), (.col("c", "cohort_end_date"), "end_date")],
                             from: .table("cohort", alias: "c"), filter: .col("c", "cohort_definition_id") == .param(.integer(ctx.cohortID(name))))
        case .union(let a, let b):
            var left = algebraRows(a, ctx: ctx)
            left.compound.append((.unionAll, algebraRows(b, ctx: ctx)))
            return SQLSelect(columns: [(.col("u", "person_id"), "person_id"), (.col("u", "start_date"), "start_date"), (.col("u", "end_date"), "end_date")],
                             from: .subquery(left, alias: "u"))
        case .intersect(let a, let b):
            let l = ctx.alias("l"), r = ctx.alias("r")
            var s = SQLSelect(columns: [(.col(l, "person_id"), "person_id"), (.call(.greatest, [.col(l, "start_date"), .col(r, "start_date")]), "start_date"),
                                        (.call(.least, [.col(l, "end_date"), .col(r, "end_date")]), "end_date")],
                              from: .subquery(algebraRows(a, ctx: ctx), alias: l))
            s.joins = [SQLJoin(kind: .inner, source: .subquery(algebraRows(b, ctx: ctx), alias: r), on: .all([
                .col(l, "person_id") == .col(r, "person_id"), .col(l, "start_date") <= .col(r, "end_date"), .col(r, "start_date") <= .col(l, "end_date"),
            ]))]
            return s
        case .minus(let a, let b):
            let l = ctx.alias("l"), r = ctx.alias("r")
            return SQLSelect(columns: [(.col(l, "person_id"), "person_id"), (.col(l, "start_date"), "start_date"), (.col(l, "end_date"), "end_date")],
                             from: .subquery(algebraRows(a, ctx: ctx), alias: l),
                             filter: .not(.exists(SQLSelect(columns: [(.int(1), nil)], from: .subquery(algebraRows(b, ctx: ctx), alias: r), filter: .all([
                                .col(l, "person_id") == .col(r, "person_id"), .col(l, "start_date") <= .col(r, "end_date"), .col(r, "start_date") <= .col(l, "end_date"),
                             ])))))
        }
    }
}
