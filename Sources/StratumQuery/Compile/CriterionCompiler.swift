import StratumStore
/// Compiles bound criteria to SQL conditions on an index row `e` (columns `person_id`,
/// `start_date`, `end_date`, `visit_id`, `op_start`, `op_end`, `start_seconds`), as correlated
/// subqueries that the (person_id, date) indexes answer.
extension CompileContext {
    func anchorExpr(_ anchor: BoundAnchor, row: String) -> SQLExpr {
        switch anchor {
        case .entryStart: return .col(row, "start_date")
        case .entryEnd: return .col(row, "end_date")
        case .date(let d): return .date(d)
        }
    }

    func anchorSeconds(_ anchor: BoundAnchor, row: String) -> SQLExpr {
        switch anchor {
        case .entryStart: return .col(row, "start_seconds")
        case .entryEnd: return .binary(.col(row, "end_date"), .times, .int(86400))
        case .date(let d): return .param(.integer(Int64(d) * 86400))
        }
    }

    /// The event's own code is in the value set. A row-value IN list rather than a join: SQLite
    /// then searches the (source_code, source_system, date) index once per code, whereas a join
    /// with an un-analysed temp table can lead it to skip-scan the whole index.
    func ownCode(_ codes: String, x: String) -> SQLExpr {
        .inSelect([.col(x, "source_code"), .col(x, "source_system")],
                  SQLSelect(columns: [(.column(nil, "code"), nil), (.column(nil, "system"), nil)], from: .table(codes, alias: codes)), negated: false)
    }

    /// Ids of events of `domain` that have another coding in the value set. Written as an IN
    /// list on (source_code, source_system) so the event_code index is searched per code.
    func alternativeCodings(_ codes: String, domain: DomainTable) -> SQLSelect {
        SQLSelect(columns: [(.col("ec", "event_id"), nil)], from: .table("event_code", alias: "ec"),
                  filter: .col("ec", "event_table") == .text(domain.table)
                      && .inSelect([.col("ec", "source_code"), .col("ec", "source_system")],
                                   SQLSelect(columns: [(.column(nil, "code"), nil), (.column(nil, "system"), nil)], from: .table(codes, alias: codes)), negated: false))
    }

    /// The condition that an event row `x` of `pattern` matches its codes.
    func codeMatch(_ set: BoundValueSet, domain: DomainTable, x: String) -> SQLExpr {
        guard domain.hasCodes || domain.table == "death" else { return .bool(true) }
        let (codes, concepts) = codeset(set, domain: domain)
        var branches: [SQLExpr] = []
        if domain.hasCodes {
            branches.append(ownCode(codes, x: x))
            // Other codings of the same event (a FHIR CodeableConcept with SNOMED and ICD-10 codes).
            branches.append(.inSelect([.col(x, domain.id)], alternativeCodings(codes, domain: domain), negated: false))
        }
        if hasConcepts(set), let concept = domain.concept {
            branches.append(.inSelect([.col(x, concept)], SQLSelect(columns: [(.column(nil, "concept_id"), nil)], from: .table(concepts, alias: concepts)), negated: false))
        }
        return .any(branches)
    }

    /// The ids of the visits in a value set, as index-driven branches (own code, other codings,
    /// visit concept).
    func visitIDs(in set: BoundValueSet) -> SQLSelect {
        var visits = BoundEventPattern(domain: .visit)
        visits.valueSet = set
        return eventRows(visits, includeValue: false, distinct: false) { x, d in [(.col(x, d.id), "visit_id")] }
    }

    /// The event's coded answer is in the set: observations keep the answer's system and code,
    /// measurements only the code (`value_source_value`).
    func valueCodeMatch(_ set: BoundValueSet, domain: Domain, x: String) -> SQLExpr {
        let (codes, _) = codeset(set, domain: DomainTable.of(domain))
        if domain == .observation {
            return .exists(SQLSelect(columns: [(.int(1), nil)], from: .table(codes, alias: "vc"),
                                     filter: .col("vc", "code") == .col(x, "value_source_code") && .col("vc", "system") == .col(x, "value_source_system")))
        }
        return .inSelect([.col(x, "value_source_value")], SQLSelect(columns: [(.column(nil, "code"), nil)], from: .table(codes, alias: codes)), negated: false)
    }

    /// The converted value of a measurement row in the predicate's unit; NULL when its unit is
    /// of another dimension. Rows without a unit are taken to be in the predicate's unit.
    func valueExpr(_ x: String, unit: UnitDefinition?) -> SQLExpr {
        let raw = SQLExpr.col(x, "value_as_number")
        guard let unit else { return raw }
        let column = SQLExpr.col(x, "unit_source_value")
        let normalized = SQLExpr.normalizedUnit(column)
        var byFactor: [Double: [String]] = [:]
        for (spelling, factor) in Units.compatible(with: unit) { byFactor[factor, default: []].append(spelling) }
        func scaled(_ factor: Double) -> SQLExpr { factor == 1 ? raw : .binary(raw, .times, .real(factor)) }
        // Fast path: the unit as written, lower-cased, is one of the listed spellings (`mm[Hg]`,
        // `%`, `mg/dL`): one lower() per row instead of the full normalisation, which costs
        // half the time of a selection over 100,000 readings.
        var branches: [(SQLExpr, SQLExpr)] = [(.isNull(column, negated: false), raw)]
        var listed: [Double: [String]] = [:]
        for def in Units.all where def.dimension == unit.dimension {
            listed[def.factor / unit.factor, default: []] += def.spellings.map { $0.lowercased() } + [def.canonical.lowercased()]
        }
        for factor in listed.keys.sorted() {
            branches.append((.inList(.call(.lower, [column]), Array(Set(listed[factor]!)).sorted().map { SQLExpr.text($0) }), scaled(factor)))
        }
        branches.append((normalized == .text(""), raw))
        for factor in byFactor.keys.sorted() {
            branches.append((.inList(normalized, byFactor[factor]!.map { SQLExpr.text($0) }), scaled(factor)))
        }
        return .caseWhen(branches, otherwise: nil)
    }

    func compare(_ lhs: SQLExpr, _ op: Comparison.Op, _ low: SQLExpr, _ high: SQLExpr?) -> SQLExpr {
        switch op {
        case .lt: return lhs < low
        case .le: return lhs <= low
        case .gt: return lhs > low
        case .ge: return lhs >= low
        case .eq: return lhs == low
        case .ne: return .binary(lhs, .ne, low)
        case .between: return (lhs >= low) && (lhs <= (high ?? low))
        case .in: return lhs == low
        case .notIn: return .binary(lhs, .ne, low)
        }
    }

    func paramValue(_ value: BoundValue) -> SQLExpr {
        switch value {
        case .number(let v, _): return v.rounded() == v && abs(v) < 1e15 ? .param(.integer(Int64(v))) : .real(v)
        case .string(let s): return .text(s)
        case .date(let d): return .date(d)
        case .period(let a, _): return .date(a)
        }
    }

    /// WHERE conditions for events `x` of a pattern relative to row `e` (without the value
    /// predicate when `includeValue` is false: selectors apply it to the selected event).
    /// - Parameters:
    ///   - correlated: false for event rows of every person (no `e` row: no person or
    ///     observation-period correlation).
    ///   - matchCodes: false when the caller matches the value set itself (index-driven branches).
    func patternConditions(_ p: BoundEventPattern, x: String, e: String, includeValue: Bool = true, daysSupply: Int? = nil,
                           correlated: Bool = true, matchCodes: Bool = true, checkComparable: Bool = true) -> [SQLExpr] {
        let domain = DomainTable.of(p.domain)
        var conditions: [SQLExpr] = correlated ? [.col(x, domain.personColumn) == .col(e, "person_id")] : []
        if let name = p.cohortName { conditions.append(.col(x, "cohort_definition_id") == .param(.integer(cohortID(name)))) }
        if matchCodes, let set = p.valueSet { conditions.append(codeMatch(set, domain: domain, x: x)) }
        if correlated && restrictToObservation && p.domain != .cohort {
            conditions.append(domain.startExpr(x) >= .col(e, "op_start"))
            conditions.append(domain.startExpr(x) <= .col(e, "op_end"))
        }
        for w in p.windows { conditions += windowConditions(w, domain: domain, x: x, e: e, daysSupply: daysSupply) }
        if includeValue, let v = p.value {
            conditions.append(compare(valueExpr(x, unit: v.unit), v.op, .real(v.low), v.high.map { .real($0) }))
        } else if checkComparable, let v = p.value, let unit = v.unit {
            conditions.append(.isNull(valueExpr(x, unit: unit), negated: true))
        }
        if p.sameVisit, let visit = domain.visit { conditions.append(.col(x, visit) == .col(e, "visit_id")) }
        // Visits in a value set are found once, through the code and concept indexes, and the
        // event's visit is looked up in that set (a per-event visit probe reads the whole visit
        // table in random order: 0.5 s per 100,000 readings).
        if let set = p.visitValueSet, let visit = domain.visit {
            conditions.append(.inSelect([.col(x, visit)], visitIDs(in: set), negated: false))
        }
        if let set = p.visitExcludedValueSet, let visit = domain.visit {
            conditions.append(.isNull(.col(x, visit), negated: false) || .inSelect([.col(x, visit)], visitIDs(in: set), negated: true))
        }
        for a in p.attributes {
            let column: SQLExpr = a.nullMeansZero ? .call(.coalesce, [.col(x, a.column), .int(0)]) : .col(x, a.column)
            let test: SQLExpr
            switch a.op {
            case .in: test = .inList(column, a.list.map(paramValue))
            case .notIn: test = .not(.inList(column, a.list.map(paramValue)))
            default: test = compare(column, a.op, paramValue(a.value), a.high.map(paramValue))
            }
            conditions.append(a.nullPasses ? (.isNull(column, negated: false) || test) : test)
        }
        if includeValue, let missing = p.valueMissing {
            conditions.append(.isNull(.col(x, "value_as_number"), negated: !missing))
        }
        if includeValue, let set = p.valueCodes { conditions.append(valueCodeMatch(set, domain: p.domain, x: x)) }
        return conditions
    }

    func windowConditions(_ w: BoundWindow, domain: DomainTable, x: String, e: String, daysSupply: Int? = nil) -> [SQLExpr] {
        var out: [SQLExpr] = []
        var eventDate = w.eventEnd ? domain.endExpr(x, daysSupplyOverride: daysSupply) : domain.startExpr(x)
        for (bound, isLower) in [(w.lower, true), (w.upper, false)] {
            guard let bound else { continue }
            // Overlap: the span's end must reach the lower bound, its start the upper one.
            if w.overlaps { eventDate = isLower ? domain.spanEndExpr(x) : domain.startExpr(x) }
            if let seconds = bound.offsetSeconds {
                let eventSeconds = w.eventEnd ? SQLExpr.binary(eventDate, .times, .int(86400)) : domain.startSecondsExpr(x)
                let limit = SQLExpr.binary(anchorSeconds(bound.anchor, row: e), .plus, .param(.integer(Int64(seconds))))
                out.append(isLower ? eventSeconds >= limit : eventSeconds <= limit)
            } else {
                var limit = anchorExpr(bound.anchor, row: e)
                if case .date(let d) = bound.anchor { limit = .date(d + bound.offsetDays) }
                else if bound.offsetDays != 0 { limit = .addDays(limit, .int(bound.offsetDays)) }
                out.append(isLower ? eventDate >= limit : eventDate <= limit)
            }
        }
        return out
    }

    func from(_ p: BoundEventPattern, _ x: String) -> SQLFrom { .table(DomainTable.of(p.domain).table, alias: x) }

    /// A boolean condition on row `e`.
    func criterion(_ c: BoundCriterion, e: String) -> SQLExpr {
        switch c {
        case .group(let kind, let items):
            let parts = items.map { criterion($0, e: e) }
            switch kind {
            case .all: return .all(parts)
            case .any: return .any(parts)
            case .atLeast(let n), .atMost(let n):
                let sum = SQLExpr.chain([.int(0)] + parts.map { .caseWhen([($0, .int(1))], otherwise: .int(0)) }, .plus, empty: .int(0))
                if case .atLeast = kind { return sum >= .int(n) }
                return sum <= .int(n)
            }
        case .not(let inner):
            return .not(criterion(inner, e: e))
        case .age(let anchor, let op, let low, let high):
            var day: Int?
            if case .date(let d) = anchor { day = d } else if case .entryStart = anchor { day = constantEntryDay }
            if let day, let test = constantAge(at: day, op, low, high, e: e) { return test }
            let p = alias("p")
            let age = SQLExpr.ageYears(birthDate: .col(p, "birth_date"), yearOfBirth: .col(p, "year_of_birth"), at: anchorExpr(anchor, row: e))
            return .exists(SQLSelect(columns: [(.int(1), nil)], from: .table("person", alias: p),
                                     filter: .col(p, "person_id") == .col(e, "person_id") && compare(age, op, .real(low), high.map { .real($0) })))
        case .sex(let values, let negated):
            let p = alias("p")
            var ids: [SQLExpr] = []
            for v in values {
                switch v {
                case "female": ids.append(.param(.integer(8532)))
                case "male": ids.append(.param(.integer(8507)))
                default: ids.append(.param(.integer(8551))); ids.append(.param(.integer(0)))
                }
            }
            let test = SQLExpr.exists(SQLSelect(columns: [(.int(1), nil)], from: .table("person", alias: p),
                                                filter: .col(p, "person_id") == .col(e, "person_id") && .inList(.col(p, "gender_concept_id"), ids)))
            return negated ? .not(test) : test
        case .observation(let before, let after):
            let o = alias("op")
            return .exists(SQLSelect(columns: [(.int(1), nil)], from: .table("observation_period", alias: o), filter: .all([
                .col(o, "person_id") == .col(e, "person_id"),
                .col(o, "observation_period_start_date") <= .addDays(.col(e, "start_date"), .int(-before)),
                .col(o, "observation_period_end_date") >= .addDays(.col(e, "start_date"), .int(after)),
            ])))
        case .occurrence(let occurrence, let pattern, let selector):
            if let selector { return selected(selector, occurrence: occurrence, pattern, e: e) }
            return counted(occurrence, pattern, e: e)
        }
    }

    /// `age OP value` on a fixed day as birth-date ranges, evaluated once for all persons: age ≥ a
    /// on day D exactly when the birth date is on or before D minus a calendar years (a 29 February
    /// birthday falls on 28 February, as the SQL age formula has it), or — without a birth date —
    /// when year(D) − year of birth ≥ a. Nil for a comparison this does not cover.
    func constantAge(at day: Int, _ op: Comparison.Op, _ low: Double, _ high: Double?, e: String) -> SQLExpr? {
        guard low.isFinite, abs(low) < 1000, (high ?? 0).isFinite, abs(high ?? 0) < 1000 else { return nil }
        var minAge = Int.min, maxAge = Int.max, negated = false
        switch op {
        case .ge: minAge = Int(low.rounded(.up))
        case .gt: minAge = Int(low.rounded(.down)) + 1
        case .le: maxAge = Int(low.rounded(.down))
        case .lt: maxAge = Int(low.rounded(.up)) - 1
        case .between: minAge = Int(low.rounded(.up)); maxAge = Int((high ?? low).rounded(.down))
        case .eq, .ne:
            guard low.rounded() == low else { return op == .ne ? .bool(true) : .bool(false) }
            minAge = Int(low); maxAge = Int(low); negated = op == .ne
        case .in, .notIn: return nil
        }
        let (y, m, d) = CivilDate.civil(days: day)
        /// The last birth date with age ≥ a on `day`.
        func latestBirth(age a: Int) -> Int {
            let year = y - a
            return CivilDate.days(year: year, month: m, day: min(d, CivilDate.daysInMonth(year: year, month: m)))
        }
        let p = alias("p")
        var byDate: [SQLExpr] = [], byYear: [SQLExpr] = []
        if minAge != Int.min {
            byDate.append(.col(p, "birth_date") <= .date(latestBirth(age: minAge)))
            byYear.append(.col(p, "year_of_birth") <= .param(.integer(Int64(y - minAge))))
        }
        if maxAge != Int.max {
            byDate.append(.col(p, "birth_date") > .date(latestBirth(age: maxAge + 1)))
            byYear.append(.col(p, "year_of_birth") >= .param(.integer(Int64(y - maxAge))))
        }
        let inRange = SQLExpr.caseWhen([(.isNull(.col(p, "birth_date"), negated: true), .all(byDate))], otherwise: .all(byYear))
        let persons = SQLSelect(columns: [(.col(p, "person_id"), nil)], from: .table("person", alias: p), filter: inRange)
        return .inSelect([.col(e, "person_id")], persons, negated: negated)
    }

    func counted(_ occurrence: Occurrence, _ p: BoundEventPattern, e: String) -> SQLExpr {
        if isConstant(p) { return constantCount(occurrence, p, e: e) }
        let x = alias()
        let domain = DomainTable.of(p.domain)
        let conditions = SQLExpr.all(patternConditions(p, x: x, e: e))
        if occurrence == .any || (occurrence.kind == .atLeast && occurrence.count <= 1) {
            return .exists(SQLSelect(columns: [(.int(1), nil)], from: from(p, x), filter: conditions))
        }
        if occurrence.count == 0 && occurrence.kind != .atLeast {
            return .not(.exists(SQLSelect(columns: [(.int(1), nil)], from: from(p, x), filter: conditions)))
        }
        let counted: SQLExpr
        switch p.distinct {
        case .day?: counted = .aggregate(.count, domain.startExpr(x), distinct: true)
        case .code?: counted = .aggregate(.count, domain.hasCodes ? .col(x, "source_code") : .col(x, domain.id), distinct: true)
        case .visit?: counted = .aggregate(.count, domain.visit.map { .col(x, $0) } ?? .col(x, domain.id), distinct: true)
        case nil: counted = .aggregate(.count, .star, distinct: false)
        }
        let count = SQLExpr.subquery(SQLSelect(columns: [(counted, nil)], from: from(p, x), filter: conditions))
        switch occurrence.kind {
        case .atLeast: return count >= .int(occurrence.count)
        case .atMost: return count <= .int(occurrence.count)
        case .exactly: return count == .int(occurrence.count)
        }
    }

    /// `last measurement in HbA1c during period value > 9`: the value of the chosen event.
    func selectedValue(_ selector: EventSelector, _ p: BoundEventPattern, e: String) -> (value: SQLExpr, date: SQLExpr) {
        if isConstant(p) { return constantSelection(selector, p, e: e) }
        let x = alias()
        let domain = DomainTable.of(p.domain)
        let unit = p.value?.unit
        let value = p.domain == .measurement || p.domain == .observation ? valueExpr(x, unit: unit) : domain.startExpr(x)
        let conditions = patternConditions(p, x: x, e: e, includeValue: false)
        func one(_ expr: SQLExpr, order: [SQLOrder]) -> SQLExpr {
            var s = SQLSelect(columns: [(expr, nil)], from: from(p, x), filter: .all(conditions))
            s.orderBy = order
            s.limit = .int(1)
            return .subquery(s)
        }
        let dateDesc = [SQLOrder(domain.startExpr(x), descending: true), SQLOrder(.col(x, domain.id), descending: true)]
        let dateAsc = [SQLOrder(domain.startExpr(x)), SQLOrder(.col(x, domain.id))]
        switch selector {
        case .last: return (one(value, order: dateDesc), one(domain.startExpr(x), order: dateDesc))
        case .first: return (one(value, order: dateAsc), one(domain.startExpr(x), order: dateAsc))
        case .lowest, .highest:
            let order = [SQLOrder(value, descending: selector == .highest)] + dateDesc
            return (one(value, order: order), one(domain.startExpr(x), order: order))
        case .lowestOnLastDay, .highestOnLastDay:
            let lastDay = one(domain.startExpr(x), order: dateDesc)
            let y = alias()
            let yValue = valueExpr(y, unit: unit)
            let agg = SQLExpr.aggregate(selector == .lowestOnLastDay ? .min : .max, yValue, distinct: false)
            let onDay = SQLSelect(columns: [(agg, nil)], from: from(p, y),
                                  filter: .all(patternConditions(p, x: y, e: e, includeValue: false) + [DomainTable.of(p.domain).startExpr(y) == lastDay]))
            return (.subquery(onDay), lastDay)
        }
    }

    /// The id of the event a selector picks, ordered as CQL sorts: a missing value sorts before
    /// every value (so the "lowest" reading of a day without a result is that reading).
    func selectedID(_ selector: EventSelector, _ p: BoundEventPattern, e: String) -> SQLExpr {
        let x = alias()
        let domain = DomainTable.of(p.domain)
        var conditions = patternConditions(p, x: x, e: e, includeValue: false)
        let value = valueExpr(x, unit: p.value?.unit)
        let dateDesc = [SQLOrder(domain.startExpr(x), descending: true), SQLOrder(.col(x, domain.id), descending: true)]
        let dateAsc = [SQLOrder(domain.startExpr(x)), SQLOrder(.col(x, domain.id))]
        let nullsFirst = SQLOrder(.isNull(value, negated: true))
        let order: [SQLOrder]
        switch selector {
        case .last: order = dateDesc
        case .first: order = dateAsc
        case .lowest: order = [nullsFirst, SQLOrder(value)] + dateDesc
        case .highest: order = [SQLOrder(.isNull(value, negated: false)), SQLOrder(value, descending: true)] + dateDesc
        case .lowestOnLastDay, .highestOnLastDay:
            let y = alias()
            var last = SQLSelect(columns: [(domain.startExpr(y), nil)], from: from(p, y), filter: .all(patternConditions(p, x: y, e: e, includeValue: false)))
            last.orderBy = [SQLOrder(domain.startExpr(y), descending: true)]
            last.limit = .int(1)
            conditions.append(domain.startExpr(x) == .subquery(last))
            order = selector == .lowestOnLastDay ? [nullsFirst, SQLOrder(value), SQLOrder(.col(x, domain.id))]
                : [SQLOrder(.isNull(value, negated: false)), SQLOrder(value, descending: true), SQLOrder(.col(x, domain.id))]
        }
        var s = SQLSelect(columns: [(.col(x, domain.id), nil)], from: from(p, x), filter: .all(conditions))
        s.orderBy = order
        s.limit = .int(1)
        return .subquery(s)
    }

    func selected(_ selector: EventSelector, occurrence: Occurrence, _ p: BoundEventPattern, e: String) -> SQLExpr {
        if p.valueMissing != nil || p.valueCodes != nil {
            // Pick the event, then test its value: `last observation in Housing value in NursingHome`.
            let domain = DomainTable.of(p.domain)
            let z = alias()
            var tests: [SQLExpr] = [.col(z, domain.id) == selectedID(selector, p, e: e)]
            if let missing = p.valueMissing { tests.append(.isNull(.col(z, "value_as_number"), negated: !missing)) }
            if let set = p.valueCodes { tests.append(valueCodeMatch(set, domain: p.domain, x: z)) }
            if let v = p.value { tests.append(compare(valueExpr(z, unit: v.unit), v.op, .real(v.low), v.high.map { .real($0) })) }
            let known = SQLExpr.exists(SQLSelect(columns: [(.int(1), nil)], from: from(p, z), filter: .all(tests)))
            return occurrence == .none ? .not(known) : known
        }
        let (value, date) = selectedValue(selector, p, e: e)
        let test: SQLExpr
        if let v = p.value {
            test = compare(value, v.op, .real(v.low), v.high.map { .real($0) })
        } else {
            test = .isNull(date, negated: true)
        }
        // A missing value makes the comparison unknown; unknown counts as "not met", so that
        // `not` and `exclude` keep persons without a value.
        let known = SQLExpr.call(.coalesce, [test, .bool(false)])
        return occurrence == .none ? .not(known) : known
    }
}
