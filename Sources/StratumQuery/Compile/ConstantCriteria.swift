/// Criteria whose windows do not depend on the entry row (calendar windows such as `during
/// period`, as in every eCQM measure) are evaluated once for all persons, set-based, instead of
/// once per entry row: an uncorrelated `person_id IN (…)` the database computes once, or a temp
/// table of each person's selected value looked up by person. The events are found through the
/// code index, so only matching rows are read — the way an analyst writes such SQL by hand.
extension CompileContext {
    /// Whether a pattern gives the same events whatever the entry row is.
    func isConstant(_ p: BoundEventPattern) -> Bool {
        guard !restrictToObservation, !p.sameVisit else { return false }
        return p.windows.allSatisfy { w in
            [w.lower, w.upper].allSatisfy { bound in
                guard let bound else { return true }
                if case .date = bound.anchor { return bound.offsetSeconds == nil }
                return false
            }
        }
    }

    /// Rows of a pattern's events for every person, as a union of index-driven branches (own
    /// code, other codings, concept ids). `columns` picks what each row carries.
    /// - Parameter distinct: false when a row matched by two branches (an event coded in both
    ///   SNOMED CT and ICD-10-CM) may appear twice — membership and selections do not care, and
    ///   UNION ALL skips a sort of every row (half the time of a 900,000-visit scan).
    func eventRows(_ p: BoundEventPattern, includeValue: Bool, checkComparable: Bool = true, distinct: Bool = true,
                   columns: (_ x: String, _ domain: DomainTable) -> [(expr: SQLExpr, alias: String?)]) -> SQLSelect {
        let union: SQLSetOp = distinct ? .union : .unionAll
        let domain = DomainTable.of(p.domain)
        let x = alias()
        let cols = columns(x, domain)
        guard let set = p.valueSet, domain.hasCodes else {
            return SQLSelect(columns: cols, from: .table(domain.table, alias: x),
                             filter: .all(patternConditions(p, x: x, e: "", includeValue: includeValue, correlated: false, checkComparable: checkComparable)))
        }
        // The value set is matched by the branches below, each driven by an index.
        let conditions = patternConditions(p, x: x, e: "", includeValue: includeValue, correlated: false, matchCodes: false,
                                           checkComparable: checkComparable)
        let (codes, concepts) = codeset(set, domain: domain)
        var byCode = SQLSelect(columns: cols, from: .table(domain.table, alias: x), filter: .all([ownCode(codes, x: x)] + conditions))
        byCode.compound.append((union, SQLSelect(columns: cols, from: .table(domain.table, alias: x), filter: .all(
            [.inSelect([.col(x, domain.id)], alternativeCodings(codes, domain: domain), negated: false)] + conditions))))
        if hasConcepts(set), let concept = domain.concept {
            byCode.compound.append((union, SQLSelect(columns: cols, from: .table(domain.table, alias: x), filter: .all(
                [.inSelect([.col(x, concept)], SQLSelect(columns: [(.column(nil, "concept_id"), nil)], from: .table(concepts, alias: concepts)), negated: false)] + conditions))))
        }
        return byCode
    }

    /// `e.person_id IN / NOT IN (persons with the right number of events)`.
    func constantCount(_ occurrence: Occurrence, _ p: BoundEventPattern, e: String) -> SQLExpr {
        // Counting needs each event once; plain membership does not.
        let membership = p.distinct == nil && ((occurrence.kind == .atLeast && occurrence.count <= 1) || occurrence.count == 0)
        let rows = eventRows(p, includeValue: true, distinct: !membership) { x, d in
            var cols: [(expr: SQLExpr, alias: String?)] = [(.col(x, d.personColumn), "person_id"), (.col(x, d.id), "event_id")]
            switch p.distinct {
            case .day?: cols.append((d.startExpr(x), "k"))
            case .code?: cols.append((d.hasCodes ? .col(x, "source_code") : .col(x, d.id), "k"))
            case .visit?: cols.append((d.visit.map { .col(x, $0) } ?? .col(x, d.id), "k"))
            case nil: break
            }
            return cols
        }
        let person = SQLExpr.col(e, "person_id")
        func persons(having: ((SQLExpr) -> SQLExpr)?) -> SQLSelect {
            var s = SQLSelect(columns: [(.col("r", "person_id"), nil)], from: .subquery(rows, alias: "r"))
            if let having {
                s.groupBy = [.col("r", "person_id")]
                s.having = having(p.distinct == nil ? .aggregate(.count, .star, distinct: false) : .aggregate(.count, .col("r", "k"), distinct: true))
            }
            return s
        }
        let n = occurrence.count
        switch occurrence.kind {
        case .atLeast where n <= 1: return .inSelect([person], persons(having: nil), negated: false)
        case .atLeast: return .inSelect([person], persons { $0 >= .int(n) }, negated: false)
        case .atMost where n == 0, .exactly where n == 0: return .inSelect([person], persons(having: nil), negated: true)
        case .atMost: return .inSelect([person], persons { $0 > .int(n) }, negated: true)
        case .exactly: return .inSelect([person], persons { $0 == .int(n) }, negated: false)
        }
    }

    /// A temp table of each person's selected event (value and date), and lookups into it.
    func constantSelection(_ selector: EventSelector, _ p: BoundEventPattern, e: String) -> (value: SQLExpr, date: SQLExpr) {
        let valued = p.domain == .measurement || p.domain == .observation
        // Readings whose value cannot be compared in the predicate's unit are left out after
        // the value is computed once per row (not once in WHERE and again in SELECT).
        let needsComparable = valued && p.value?.unit != nil
        var rows = eventRows(p, includeValue: false, checkComparable: !needsComparable, distinct: false) { x, d in
            [(.col(x, d.personColumn), "person_id"), (valued ? valueExpr(x, unit: p.value?.unit) : d.startExpr(x), "value"),
             (d.startExpr(x), "day"), (.col(x, d.id), "event_id")]
        }
        if needsComparable {
            rows = SQLSelect(columns: ["person_id", "value", "day", "event_id"].map { (.col("v", $0), $0) }, from: .subquery(rows, alias: "v"),
                             filter: .isNull(.col("v", "value"), negated: true))
        }
        let table = self.table("sel\(selectionCounter)")
        selectionCounter += 1
        let byPerson = [SQLExpr.col("r", "person_id")]
        let byDateDesc = [SQLOrder(.col("r", "day"), descending: true), SQLOrder(.col("r", "event_id"), descending: true)]
        let chosen: SQLSelect
        switch selector {
        case .first, .last, .lowest, .highest:
            let order: [SQLOrder]
            switch selector {
            case .first: order = [SQLOrder(.col("r", "day")), SQLOrder(.col("r", "event_id"))]
            case .last: order = byDateDesc
            case .lowest: order = [SQLOrder(.col("r", "value"))] + byDateDesc
            default: order = [SQLOrder(.col("r", "value"), descending: true)] + byDateDesc
            }
            let ranked = SQLSelect(columns: [(.col("r", "person_id"), "person_id"), (.col("r", "value"), "value"), (.col("r", "day"), "day"),
                                             (.window(.rowNumber, partitionBy: byPerson, orderBy: order, frame: nil), "n")],
                                   from: .subquery(rows, alias: "r"))
            chosen = SQLSelect(columns: [(.col("k", "person_id"), "person_id"), (.col("k", "value"), "value"), (.col("k", "day"), "day")],
                               from: .subquery(ranked, alias: "k"), filter: .col("k", "n") == .int(1))
        case .lowestOnLastDay, .highestOnLastDay:
            let withLast = SQLSelect(columns: [(.col("r", "person_id"), "person_id"), (.col("r", "value"), "value"), (.col("r", "day"), "day"),
                                               (.window(.aggregate(.max, .col("r", "day")), partitionBy: byPerson, orderBy: [], frame: nil), "last_day")],
                                     from: .subquery(rows, alias: "r"))
            var s = SQLSelect(columns: [(.col("k", "person_id"), "person_id"),
                                        (.aggregate(selector == .lowestOnLastDay ? .min : .max, .col("k", "value"), distinct: false), "value"),
                                        (.aggregate(.max, .col("k", "day"), distinct: false), "day")],
                              from: .subquery(withLast, alias: "k"), filter: .col("k", "day") == .col("k", "last_day"))
            s.groupBy = [.col("k", "person_id")]
            chosen = s
        }
        setup.append(CompiledStep(label: "drop", statement: .dropTable(table)))
        setup.append(CompiledStep(label: "\(selector.rawValue) \(p.domain.rawValue) per person", statement: .createTemp(table, chosen), table: table))
        setup.append(CompiledStep(label: "index", statement: .createIndex(table + "_person", table: table, columns: ["person_id"])))
        func lookup(_ column: String) -> SQLExpr {
            var s = SQLSelect(columns: [(.col("s", column), nil)], from: .table(table, alias: "s"), filter: .col("s", "person_id") == .col(e, "person_id"))
            s.limit = .int(1)
            return .subquery(s)
        }
        return (lookup("value"), lookup("day"))
    }
}
