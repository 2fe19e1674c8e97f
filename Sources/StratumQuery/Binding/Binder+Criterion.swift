import StratumStore

extension Binder {
    /// Attributes a `where` filter may name, per domain, and the column each reads. The FHIR
    /// workflow attributes (status, intent, category, do_not_perform, …) hold the codes the
    /// source sent (`finished`, `order`, `laboratory`); other sources leave them empty.
    /// `type` is the OMOP type concept of the record (`drug` 32838 a prescription — a FHIR
    /// MedicationRequest —, 32825 a dispensing, 32865 a patient's statement).
    static let attributes: [Domain: [String: String]] = [
        .drug: ["days_supply": "days_supply", "quantity": "quantity", "refills": "refills", "type": "drug_type_concept_id",
                "status": "status_source_value", "intent": "intent_source_value", "do_not_perform": "do_not_perform"],
        .measurement: ["value": "value_as_number", "unit": "unit_source_value",
                       "status": "status_source_value", "category": "category_source_value", "value_code": "value_source_value"],
        .observation: ["value": "value_as_number", "unit": "unit_source_value", "text": "value_as_string",
                       "status": "status_source_value", "category": "category_source_value", "value_code": "value_source_code"],
        .condition: ["status": "condition_status_source_value", "verification": "verification_status_source_value"],
        .procedure: ["quantity": "quantity", "status": "status_source_value"],
        .visit: ["status": "status_source_value", "discharge": "discharged_to_source_value"],
        .device: ["status": "status_source_value", "intent": "intent_source_value", "do_not_perform": "do_not_perform", "quantity": "quantity"],
        .order: ["status": "status_source_value", "intent": "intent_source_value", "category": "category_source_value",
                 "do_not_perform": "do_not_perform"],
        .death: [:], .cohort: [:],
    ]

    /// Flag attributes: NULL (not sent) reads as 0.
    static let flagColumns: Set<String> = ["do_not_perform"]
    /// Workflow attributes only FHIR sources send: a row without one passes the filter, so the
    /// same script works on OMOP and Synthea CSV data (which carry no status).
    static let workflowColumns: Set<String> = ["status_source_value", "intent_source_value", "category_source_value",
                                               "verification_status_source_value"]

    mutating func bindPattern(_ pattern: EventPattern) -> BoundEventPattern? {
        var bound = BoundEventPattern(domain: pattern.domain)
        var ok = true
        if pattern.domain == .cohort {
            guard let name = pattern.cohort else { return nil }
            guard environment.hasCohort(name.text) else {
                unknown("cohort", name, candidates: environment.cohortNames)
                return nil
            }
            bound.cohortName = environment.cohortDisplayName(name.text)
        } else if let ref = pattern.valueSet {
            guard let set = bindValueSetRef(ref) else { return nil }
            bound.valueSet = set
            if pattern.domain == .death, set.conceptIDs.isEmpty, set.descendantsOf.isEmpty {
                diagnostics.append(Diagnostic(.other("death records carry a cause only as an OMOP concept id; source codes never match a death"),
                                              range: pattern.domainRange, severity: .warning, notes: ["use omop:<concept id>, or leave out 'in …' to mean any death"], file: file))
            }
        }
        for filter in pattern.filters {
            switch filter {
            case .window(let w):
                if let b = bindWindow(w) { bound.windows.append(b) } else { ok = false }
            case .value(let comparison):
                guard pattern.domain == .measurement || pattern.domain == .observation else {
                    error(.notAllowedHere("'value'"), comparison.range, notes: ["values belong to measurements and observations"])
                    ok = false
                    continue
                }
                if let p = bindValuePredicate(comparison) { bound.value = p } else { ok = false }
            case .valueMissing(let negated, let range):
                guard pattern.domain == .measurement || pattern.domain == .observation else {
                    error(.notAllowedHere("'value is missing'"), range, notes: ["values belong to measurements and observations"])
                    ok = false
                    continue
                }
                bound.valueMissing = !negated
            case .valueIn(let ref, let range):
                guard pattern.domain == .measurement || pattern.domain == .observation else {
                    error(.notAllowedHere("'value in'"), range, notes: ["coded answers belong to measurements and observations"])
                    ok = false
                    continue
                }
                if let set = bindValueSetRef(ref) { bound.valueCodes = set } else { ok = false }
            case .visitIn(let ref, _):
                if let set = bindValueSetRef(ref) { bound.visitValueSet = set } else { ok = false }
            case .visitNotIn(let ref, _):
                if let set = bindValueSetRef(ref) { bound.visitExcludedValueSet = set } else { ok = false }
            case .sameVisit(let range):
                if pattern.domain == .cohort || pattern.domain == .death {
                    error(.notAllowedHere("'same visit'"), range); ok = false
                }
                bound.sameVisit = true
            case .distinct(let key, _):
                bound.distinct = key
            case .attribute(let name, let comparison):
                guard let column = Binder.attributes[pattern.domain]?[name.text.lowercased()] else {
                    let candidates = Array((Binder.attributes[pattern.domain] ?? [:]).keys)
                    var notes = Suggestions.closest(to: name.text, among: candidates).map { ["did you mean '\($0)'?"] } ?? []
                    if !candidates.isEmpty { notes.append("\(pattern.domain.rawValue) attributes: " + candidates.sorted().joined(separator: ", ")) }
                    error(.unknownAttribute(name.text, domain: pattern.domain.rawValue), name.range, notes: notes)
                    ok = false
                    continue
                }
                guard let low = bindValue(comparison.value) else { ok = false; continue }
                let high = comparison.upper.flatMap { bindValue($0) }
                var predicate = BoundAttributePredicate(column: column, op: comparison.op, value: low, high: high)
                predicate.list = comparison.list.compactMap { bindValue($0) }
                if predicate.list.count != comparison.list.count { ok = false; continue }
                predicate.nullMeansZero = Binder.flagColumns.contains(column)
                predicate.nullPasses = Binder.workflowColumns.contains(column)
                bound.attributes.append(predicate)
            }
        }
        return ok ? bound : nil
    }

    mutating func bindValuePredicate(_ comparison: Comparison) -> BoundValuePredicate? {
        guard let low = bindValue(comparison.value) else { return nil }
        guard case .number(let lo, let unit) = low else {
            error(.other("a value comparison needs a number, e.g. 'value > 9 %'"), comparison.value.range)
            return nil
        }
        var hi: Double?
        var u = unit
        if let upper = comparison.upper {
            guard let h = bindValue(upper), case .number(let hv, let hu) = h else {
                error(.other("'between' needs two numbers"), upper.range)
                return nil
            }
            hi = hv
            if u == nil { u = hu }
        }
        return BoundValuePredicate(op: comparison.op, low: lo, high: hi, unit: u)
    }

    mutating func numericComparison(_ comparison: Comparison, what: String) -> (Comparison.Op, Double, Double?)? {
        guard let low = bindValue(comparison.value) else { return nil }
        guard case .number(let lo, let unit) = low else {
            error(.other("\(what) is compared with a number"), comparison.value.range)
            return nil
        }
        if let unit { error(.unitNotAllowed(unit.canonical), comparison.value.range); return nil }
        var hi: Double?
        if let upper = comparison.upper {
            guard let h = bindValue(upper), case .number(let hv, _) = h else { return nil }
            hi = hv
        }
        return (comparison.op, lo, hi)
    }

    mutating func bindCriterion(_ criterion: Criterion, inCohort: Bool) -> BoundCriterion? {
        switch criterion {
        case .occurrence(let occurrence, let pattern, let selector, _):
            guard let bound = bindPattern(pattern) else { return nil }
            if let selector, selector != .first && selector != .last, pattern.domain != .measurement && pattern.domain != .observation {
                error(.notAllowedHere("'\(selector.rawValue)'"), pattern.domainRange, notes: ["lowest/highest compare values of measurements or observations"])
                return nil
            }
            if selector != nil && occurrence != .any && occurrence != .none {
                error(.notAllowedHere("a count together with '\(selector!.rawValue)'"), criterion.range)
                return nil
            }
            return .occurrence(occurrence, bound, selector: selector)
        case .group(let kind, let items, let range):
            var bound: [BoundCriterion] = []
            for item in items { if let b = bindCriterion(item, inCohort: inCohort) { bound.append(b) } }
            guard bound.count == items.count else { return nil }
            if items.isEmpty { error(.other("an empty group: put criteria inside the parentheses"), range); return nil }
            return .group(kind, bound)
        case .not(let inner, _):
            return bindCriterion(inner, inCohort: inCohort).map(BoundCriterion.not)
        case .age(let anchor, let comparison, _):
            guard let a = bindAnchor(anchor, inCohort: inCohort), let (op, lo, hi) = numericComparison(comparison, what: "age") else { return nil }
            return .age(at: a, op: op, low: lo, high: hi)
        case .sex(let names, let negated, _):
            var values: [String] = []
            for name in names {
                let lower = name.text.lowercased()
                switch lower {
                case "female", "f", "woman", "women": values.append("female")
                case "male", "m", "man", "men": values.append("male")
                case "unknown", "other": values.append("unknown")
                default:
                    unknown("sex", name, candidates: ["female", "male", "unknown"])
                    return nil
                }
            }
            return .sex(values, negated: negated)
        case .observation(let before, let after, _):
            return .observation(before: before, after: after)
        case .reference(let name):
            let key = Environment.key(name.text)
            if let c = environment.criteria[key] { return c.value }
            if environment.hasCohort(name.text) {
                // A bare cohort name means: the person is in that cohort on the entry date.
                var pattern = BoundEventPattern(domain: .cohort)
                pattern.cohortName = environment.cohortDisplayName(name.text)
                pattern.windows = [BoundWindow(eventEnd: false, lower: nil, upper: BoundBound(anchor: .entryStart, offsetDays: 0, offsetSeconds: nil)),
                                   BoundWindow(eventEnd: true, lower: BoundBound(anchor: .entryStart, offsetDays: 0, offsetSeconds: nil), upper: nil)]
                return .occurrence(.any, pattern, selector: nil)
            }
            var notes: [String] = []
            let candidates = environment.criteria.values.map(\.name) + environment.cohortNames
                + Domain.allCases.map(\.rawValue) + ["age", "sex", "any of", "all of", "no", "at least", "observation"]
            if let s = Suggestions.closest(to: name.text, among: candidates) { notes.append("did you mean '\(s)'?") }
            error(.unknownName(kind: "criterion or cohort", name: name.text), name.range, notes: notes)
            return nil
        }
    }

    // MARK: - Cohorts

    mutating func bindCohort(_ decl: CohortDecl) -> BoundCohort? {
        let diagnosticsBefore = diagnostics.count
        var dependencies: [String] = []
        let body: BoundCohort.Body
        switch decl.body {
        case .algebra(let expr):
            guard let bound = bindCohortExpr(expr) else { return nil }
            body = .algebra(bound)
            collectNames(bound, into: &dependencies)
        case .definition(let clauses):
            var entry: BoundEntry?
            var steps: [BoundStep] = []
            var exit: BoundExit?
            var censor: [BoundEventPattern] = []
            var pad = 0
            var ruleNumber = 0
            for clause in clauses {
                switch clause {
                case .entryEvents(let limit, let firstEver, let events, let observation, let range):
                    if entry != nil { error(.other("a cohort has one entry clause; join events with 'or'"), range); continue }
                    var patterns: [BoundEventPattern] = []
                    for e in events {
                        if e.domain == .cohort, let n = e.cohort { dependencies.append(n.text) }
                        if let p = bindPattern(e) { patterns.append(p) }
                    }
                    let relative = patterns.contains { p in
                        p.windows.contains { w in [w.lower, w.upper].contains { b in b.map { $0.anchor == .entryStart || $0.anchor == .entryEnd } ?? false } }
                    }
                    if relative {
                        error(.notAllowedHere("a window relative to entry"), range, notes: ["the entry event defines 'entry'; use dates or parameters here"])
                    }
                    if patterns.contains(where: \.sameVisit) {
                        error(.notAllowedHere("'same visit'"), range, notes: ["'same visit' compares with the entry event's visit, so it belongs in a rule"])
                    }
                    entry = .events(limit: limit, firstEver: firstEver, patterns: patterns,
                                    observationBefore: observation?.daysBefore, observationAfter: observation?.daysAfter)
                case .entryDate(let date, let population, let range):
                    if entry != nil { error(.other("a cohort has one entry clause"), range); continue }
                    guard let day = bindDate(date) else { continue }
                    if let population {
                        guard environment.hasCohort(population.text) else { unknown("cohort", population, candidates: environment.cohortNames); continue }
                        dependencies.append(population.text)
                    }
                    entry = .date(day, population: population.map { environment.cohortDisplayName($0.text) })
                case .entryMembers(let name, let range):
                    if entry != nil { error(.other("a cohort has one entry clause"), range); continue }
                    guard environment.hasCohort(name.text) else { unknown("cohort", name, candidates: environment.cohortNames); continue }
                    dependencies.append(name.text)
                    entry = .members(environment.cohortDisplayName(name.text))
                case .rule(let name, let kind, let criterion, let range):
                    ruleNumber += 1
                    guard let bound = bindCriterion(criterion, inCohort: true) else { continue }
                    let label = name ?? (kind == .exclude ? "exclude " : "") + text(criterion.range)
                    let rule = BoundRule(name: label.isEmpty ? "rule \(ruleNumber)" : label, kind: kind, criterion: bound)
                    _ = range
                    if case .rules(var rules)? = steps.last { rules.append(rule); steps[steps.count - 1] = .rules(rules) }
                    else { steps.append(.rules([rule])) }
                case .keep(let limit, _):
                    steps.append(.keep(limit))
                case .exit(let strategy, let range):
                    if exit != nil { error(.other("a cohort has one exit clause"), range); continue }
                    switch strategy {
                    case .endOfObservation: exit = .endOfObservation
                    case .offset(let days, let fromEnd): exit = .offset(days: days, fromEnd: fromEnd)
                    case .continuousDrug(let ref, let gap, let offset, let supply):
                        guard let set = bindValueSetRef(ref) else { continue }
                        exit = .continuousDrug(set, gapDays: gap, offsetDays: offset, daysSupply: supply)
                    case .date(let expr):
                        guard let day = bindDate(expr) else { continue }
                        exit = .date(day)
                    }
                case .censor(let events, _):
                    for e in events { if let p = bindPattern(e) { censor.append(p) } }
                case .collapse(let padDays, _):
                    pad = padDays
                }
            }
            guard let entry else {
                // Quiet when the parser already complained inside this cohort, or binding did.
                if !decl.incomplete && !hasErrors(after: diagnosticsBefore) {
                    error(.missingEntry(cohort: decl.name.text), decl.name.range)
                }
                return nil
            }
            let defaultExit: BoundExit
            switch entry {
            case .events: defaultExit = .endOfObservation
            case .date, .members: defaultExit = .indexDate
            }
            if case .members = entry, exit == nil {
                body = .definition(entry: entry, steps: steps, exit: .indexDate, censor: censor, padDays: pad)
            } else {
                body = .definition(entry: entry, steps: steps, exit: exit ?? defaultExit, censor: censor, padDays: pad)
            }
        }
        guard !hasErrors(after: diagnosticsBefore) else { return nil }
        let key = Environment.key(decl.name.text)
        if dependencies.contains(where: { Environment.key($0) == key }), environment.cohorts[key] == nil {
            error(.cyclicDefinition(decl.name.text), decl.name.range)
            return nil
        }
        let sourceText = text(decl.range)
        var hasher = SHA256()
        hasher.update(Array(sourceText.utf8))
        // The session completes it with the generated SQL and parameters (what the text means
        // given its value sets and parameters) when the cohort runs.
        return BoundCohort(name: decl.name.text, title: decl.title, body: body, checksum: hasher.finalize(),
                           sourceText: sourceText, dependencies: dependencies.map { environment.cohortDisplayName($0) })
    }

    func collectNames(_ expr: BoundCohortExpr, into names: inout [String]) {
        switch expr {
        case .name(let n): names.append(n)
        case .union(let a, let b), .intersect(let a, let b), .minus(let a, let b):
            collectNames(a, into: &names); collectNames(b, into: &names)
        }
    }

    mutating func bindCohortExpr(_ expr: CohortExpr) -> BoundCohortExpr? {
        switch expr {
        case .name(let name):
            guard environment.hasCohort(name.text) else {
                unknown("cohort", name, candidates: environment.cohortNames)
                return nil
            }
            return .name(environment.cohortDisplayName(name.text))
        case .union(let a, let b, _):
            guard let l = bindCohortExpr(a), let r = bindCohortExpr(b) else { return nil }
            return .union(l, r)
        case .intersect(let a, let b, _):
            guard let l = bindCohortExpr(a), let r = bindCohortExpr(b) else { return nil }
            return .intersect(l, r)
        case .minus(let a, let b, _):
            guard let l = bindCohortExpr(a), let r = bindCohortExpr(b) else { return nil }
            return .minus(l, r)
        }
    }

    // MARK: - Result statements

    mutating func bindDimension(_ d: Dimension) -> BoundDimension? {
        switch d {
        case .sex: return .sex
        case .provider: return .provider
        case .careSite: return .careSite
        case .year: return .year
        case .race: return .race
        case .ethnicity: return .ethnicity
        case .ageBand(let width, let anchor, _): return bindAnchor(anchor, inCohort: false).map { .ageBand(width, $0) }
        case .age(let anchor, _): return bindAnchor(anchor, inCohort: false).map(BoundDimension.age)
        case .criterion(let c, let label, let range):
            return bindCriterion(c, inCohort: false).map { .criterion($0, label: label ?? text(range)) }
        }
    }

    mutating func bindListColumn(_ c: ListColumn) -> BoundListColumn? {
        let label = c.label ?? text(c.range)
        switch c.kind {
        case .person, .start, .end, .sex, .provider, .careSite, .race, .ethnicity, .age:
            guard let explicit = c.label else { break }
            var plain = c
            plain.label = nil
            return bindListColumn(plain).map { .labeled($0, explicit) }
        default: break
        }
        switch c.kind {
        case .person: return .person
        case .start: return .start
        case .end: return .end
        case .sex: return .sex
        case .provider: return .provider
        case .careSite: return .careSite
        case .race: return .race
        case .ethnicity: return .ethnicity
        case .age(let anchor): return bindAnchor(anchor, inCohort: false).map(BoundListColumn.age)
        case .event(let selector, let pattern): return bindPattern(pattern).map { .event(selector, $0, label: label) }
        case .count(let pattern): return bindPattern(pattern).map { .count($0, label: label) }
        case .criterion(let criterion): return bindCriterion(criterion, inCohort: false).map { .criterion($0, label: label) }
        }
    }
}
