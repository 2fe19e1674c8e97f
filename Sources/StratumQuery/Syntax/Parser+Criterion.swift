extension Parser {
    mutating func enter() -> Bool {
        depth += 1
        if depth > Parser.maxDepth {
            report(.tooDeeplyNested(limit: Parser.maxDepth), at: current.range)
            // Give up on the rest of this statement rather than recursing further.
            while !atEnd { _ = advance() }
            return false
        }
        return true
    }

    mutating func parseCriterion() -> Criterion? {
        guard enter() else { depth -= 1; return nil }
        defer { depth -= 1 }
        let token = current
        if acceptSymbol("(") {
            let inner = parseCriterion()
            expectSymbol(")")
            return inner
        }
        guard let word = token.identifier?.lowercased() else {
            error(expected: "a criterion (e.g. 'condition in Diabetes', 'age >= 18', 'any of (…)')")
            return nil
        }
        switch word {
        case "not":
            _ = advance()
            guard let inner = parseCriterion() else { return nil }
            return .not(inner, range: token.range.union(inner.range))
        case "all" where peek(1).isKeyword("of"):
            _ = advance(); _ = advance()
            return parseGroup(.all, start: token.range)
        case "any" where peek(1).isKeyword("of"):
            _ = advance(); _ = advance()
            return parseGroup(.any, start: token.range)
        case "any":
            _ = advance()
            return parseOccurrence(.any, start: token.range)
        case "at" where peek(1).isKeyword("least") || peek(1).isKeyword("most"):
            _ = advance()
            let least = advance().isKeyword("least")
            guard let n = parseInteger("a count") else { return nil }
            if accept("of") { return parseGroup(least ? .atLeast(n) : .atMost(n), start: token.range) }
            return parseOccurrence(Occurrence(kind: least ? .atLeast : .atMost, count: n), start: token.range)
        case "exactly":
            _ = advance()
            guard let n = parseInteger("a count") else { return nil }
            return parseOccurrence(Occurrence(kind: .exactly, count: n), start: token.range)
        case "no":
            _ = advance()
            return parseOccurrence(.none, start: token.range)
        case "age":
            _ = advance()
            let anchor = accept("at") ? parseAnchor() : nil
            guard let comparison = parseComparison() else { return nil }
            return .age(at: anchor, comparison, range: token.range.union(comparison.range))
        case "sex", "gender":
            _ = advance()
            var negated = false
            var names: [Name] = []
            if accept("in") {
                expectSymbol("(")
                repeat { if let n = parseName("a sex (female, male)") { names.append(n) } } while acceptSymbol(",")
                expectSymbol(")")
            } else {
                if acceptSymbol("!=") { negated = true } else if !acceptSymbol("=") {
                    if !accept("is") { error(expected: "'is', '=' or 'in' after 'sex'"); return nil }
                    negated = accept("not")
                }
                if let n = parseName("a sex (female, male)") { names.append(n) }
            }
            return .sex(names, negated: negated, range: token.range.union(peek(-1).range))
        case "observation" where isNumber(peek(1)):
            _ = advance()
            var before = 0, after = 0
            repeat {
                guard let n = parseInteger("days") else { break }
                expectDays()
                if accept("before") { before = n } else if accept("after") { after = n } else { error(expected: "'before' or 'after'") }
                _ = accept("entry")
            } while accept("and")
            return .observation(before: before, after: after, range: token.range.union(peek(-1).range))
        default:
            if EventSelector(rawValue: word) != nil || Domain(rawValue: word) != nil || word == "encounter" {
                return parseOccurrence(.any, start: token.range)
            }
            _ = advance()
            return .reference(Name(text: token.identifier!, range: token.range))
        }
    }

    func isNumber(_ token: Token) -> Bool { if case .number = token.kind { return true } else { return false } }

    mutating func parseGroup(_ kind: GroupKind, start: SourceRange) -> Criterion? {
        guard expectSymbol("(") else { return nil }
        var items: [Criterion] = []
        var steps = 0
        while !current.isSymbol(")") && !atEnd && steps < 100_000 {
            steps += 1
            let before = index
            if let c = parseCriterion() { items.append(c) }
            _ = acceptSymbol(",")
            if index == before { break }
            if let word = current.identifier?.lowercased(), Parser.statementKeywords.contains(word) || Parser.clauseKeywords.contains(word),
               !startsCohortCriterion() { break }
        }
        expectSymbol(")")
        return .group(kind, items, range: start.union(peek(-1).range))
    }

    /// Whether `cohort Name` here is a criterion (an item of a group) rather than the start of
    /// a cohort statement, which goes on with a title, '=', 'from Cohort' or a clause. (A
    /// criterion's window 'from … to …' starts with a bound: a number, 'entry', 'any time',
    /// 'start of', or a name followed by 'to'.)
    func startsCohortCriterion() -> Bool {
        guard check("cohort"), peek(1).identifier != nil else { return false }
        let next = peek(2)
        if case .string = next.kind { return false }
        if next.isSymbol("=") { return false }
        if next.isKeyword("from"), let word = peek(3).identifier?.lowercased(),
           !["entry", "index", "any", "start", "end"].contains(word), !peek(4).isKeyword("to"), !peek(4).isKeyword("exclusive") {
            return false
        }
        if let word = next.identifier?.lowercased(), Parser.clauseKeywords.contains(word) { return false }
        return true
    }

    mutating func parseSelector() -> EventSelector? {
        guard let word = current.identifier?.lowercased() else { return nil }
        switch word {
        case "first": _ = advance(); return .first
        case "last": _ = advance(); return .last
        case "lowest", "highest":
            _ = advance()
            if check("on", "last", "day") {
                _ = advance(); _ = advance(); _ = advance()
                return word == "lowest" ? .lowestOnLastDay : .highestOnLastDay
            }
            return word == "lowest" ? .lowest : .highest
        default: return nil
        }
    }

    mutating func parseOccurrence(_ occurrence: Occurrence, start: SourceRange) -> Criterion? {
        let selector = parseSelector()
        guard let pattern = parseEventPattern() else { return nil }
        return .occurrence(occurrence, pattern, selector: selector, range: start.union(pattern.range))
    }

    /// `condition in Diabetes during period value > 9 %` — a domain and its filters.
    mutating func parseEventPattern() -> EventPattern? {
        let token = current
        guard let word = token.identifier?.lowercased() else {
            error(expected: "an event kind (condition, drug, measurement, procedure, observation, visit, death, cohort)")
            return nil
        }
        let domain: Domain
        if word == "encounter" { domain = .visit } else if let d = Domain(rawValue: word) { domain = d } else {
            var notes: [String] = []
            if let s = Suggestions.closest(to: word, among: Domain.allCases.map(\.rawValue)) { notes.append("did you mean '\(s)'?") }
            report(.expected("an event kind (condition, drug, measurement, procedure, observation, visit, death, cohort)", found: token.display), at: token.range, notes: notes)
            return nil
        }
        _ = advance()
        var cohort: Name?
        var valueSet: ValueSetRef?
        if domain == .cohort {
            cohort = parseName("a cohort name after 'cohort'")
        } else if accept("in") {
            valueSet = parseValueSetRef()
        }
        var filters: [EventFilter] = []
        var steps = 0
        while steps < 100 {
            steps += 1
            let before = index
            guard let filter = parseFilter() else { break }
            filters.append(filter)
            if index == before { break }
        }
        return EventPattern(domain: domain, domainRange: token.range, cohort: cohort, valueSet: valueSet, filters: filters,
                            range: token.range.union(peek(-1).range))
    }

    mutating func parseValueSetRef() -> ValueSetRef? {
        let start = current.range
        if case .code = current.kind {
            var items: [ValueSetItem] = []
            if let item = parseValueSetItem() { items.append(item) }
            return .inline(items, range: start.union(peek(-1).range))
        }
        if acceptSymbol("(") {
            var items: [ValueSetItem] = []
            repeat { if let item = parseValueSetItem() { items.append(item) } } while acceptSymbol(",")
            expectSymbol(")")
            return .inline(items, range: start.union(peek(-1).range))
        }
        guard let name = parseName("a value set name or a code") else { return nil }
        return .named(name)
    }

    /// One filter after an event kind, or nil when the next words are not a filter.
    mutating func parseFilter() -> EventFilter? {
        let token = current
        guard let word = token.identifier?.lowercased() else { return nil }
        switch word {
        case "during", "within", "before", "after", "between", "starting", "ending", "overlapping":
            return parseWindow().map(EventFilter.window)
        case "from" where !Parser.statementKeywords.contains(peek(1).identifier?.lowercased() ?? ""):
            return parseWindow().map(EventFilter.window)
        case "on":
            return parseWindow().map(EventFilter.window)
        case "value":
            _ = advance()
            if accept("is") {
                let negated = accept("not")
                expect("missing", "'missing' or 'not missing' after 'value is'")
                return .valueMissing(negated: negated, range: token.range.union(peek(-1).range))
            }
            if accept("in") {
                guard let vs = parseValueSetRef() else { return nil }
                return .valueIn(vs, range: token.range.union(peek(-1).range))
            }
            return parseComparison().map(EventFilter.value)
        case "at" where peek(1).isKeyword("visit"):
            _ = advance(); _ = advance()
            let negated = accept("not")
            expect("in")
            guard let vs = parseValueSetRef() else { return nil }
            return negated ? .visitNotIn(vs, range: token.range.union(peek(-1).range)) : .visitIn(vs, range: token.range.union(peek(-1).range))
        case "same" where peek(1).isKeyword("visit"):
            _ = advance(); _ = advance()
            return .sameVisit(range: token.range.union(peek(-1).range))
        case "distinct":
            _ = advance()
            _ = accept("by")
            guard let keyWord = current.identifier?.lowercased(),
                  let key = DistinctKey(rawValue: keyWord.hasSuffix("s") ? String(keyWord.dropLast()) : keyWord) else {
                error(expected: "'day', 'code' or 'visit' after 'distinct by'")
                return nil
            }
            _ = advance()
            return .distinct(key, range: token.range.union(peek(-1).range))
        case "where":
            _ = advance()
            guard let attribute = parseName("an attribute name") else { return nil }
            guard let comparison = parseComparison(allowList: true) else { return nil }
            return .attribute(attribute, comparison)
        default:
            return nil
        }
    }

    mutating func parseWindow() -> Window? {
        let start = current.range
        var eventEnd = false
        if accept("starting") { eventEnd = false } else if accept("ending") { eventEnd = true }
        let word = current.identifier?.lowercased() ?? ""
        func done(_ lower: Window.Bound, _ upper: Window.Bound) -> Window {
            Window(eventEnd: eventEnd, lower: lower, upper: upper, range: start.union(peek(-1).range))
        }
        switch word {
        case "overlapping":
            // `overlapping period`: the event's span meets the period (CQL's `overlaps`).
            // `overlapping from L to U` / `overlapping between L and U`: the span meets the
            // window between two bounds, which may be relative to the entry (`entry end`).
            _ = advance()
            if eventEnd { report(.other("'overlapping' tests the whole span of an event: leave out 'starting'/'ending'"), at: start, notes: []) }
            let boundWord = current.identifier?.lowercased() ?? ""
            if boundWord == "from" || boundWord == "between" {
                _ = advance()
                guard let lower = parseBound() else { return nil }
                if boundWord == "between" { expect("and") } else { expect("to") }
                guard let upper = parseBound() else { return nil }
                for bound in [lower, upper] {
                    if case .relative(_, .hours, _, _, _) = bound {
                        report(.other("'overlapping' compares whole days: write its bounds in days, weeks, months or years"), at: start, notes: [])
                    }
                }
                var w = Window(eventEnd: false, lower: lower, upper: upper, range: start.union(peek(-1).range))
                w.overlaps = true
                return w
            }
            guard let period = parseValueExpr() else { return nil }
            let r = period.range
            var w = done(.relative(amount: 0, unit: .days, after: true, anchor: .value(.startOf(period, range: r)), exclusive: false),
                         .relative(amount: 0, unit: .days, after: true, anchor: .value(.endOf(period, range: r)), exclusive: false))
            w.overlaps = true
            w.eventEnd = false
            return w
        case "during":
            _ = advance()
            guard let period = parseValueExpr() else { return nil }
            let r = period.range
            return done(.relative(amount: 0, unit: .days, after: true, anchor: .value(.startOf(period, range: r)), exclusive: false),
                        .relative(amount: 0, unit: .days, after: true, anchor: .value(.endOf(period, range: r)), exclusive: false))
        case "within":
            _ = advance()
            guard let n = parseInteger("a number"), let unit = parseTimeUnit() else { return nil }
            let direction = current.identifier?.lowercased() ?? ""
            guard ["before", "after", "around"].contains(direction) else { error(expected: "'before', 'after' or 'around'"); return nil }
            _ = advance()
            guard let anchor = parseAnchor() else { return nil }
            switch direction {
            case "before": return done(.relative(amount: n, unit: unit, after: false, anchor: anchor, exclusive: false),
                                       .relative(amount: 0, unit: unit, after: true, anchor: anchor, exclusive: false))
            case "after": return done(.relative(amount: 0, unit: unit, after: true, anchor: anchor, exclusive: false),
                                      .relative(amount: n, unit: unit, after: true, anchor: anchor, exclusive: false))
            default: return done(.relative(amount: n, unit: unit, after: false, anchor: anchor, exclusive: false),
                                 .relative(amount: n, unit: unit, after: true, anchor: anchor, exclusive: false))
            }
        case "before":
            _ = advance()
            guard let anchor = parseAnchor() else { return nil }
            return done(.unbounded, .relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: true))
        case "after":
            _ = advance()
            guard let anchor = parseAnchor() else { return nil }
            return done(.relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: true), .unbounded)
        case "on":
            _ = advance()
            if accept("or") {
                if accept("before") {
                    guard let anchor = parseAnchor() else { return nil }
                    return done(.unbounded, .relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: false))
                }
                expect("after", "'before' or 'after' after 'on or'")
                guard let anchor = parseAnchor() else { return nil }
                return done(.relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: false), .unbounded)
            }
            guard let anchor = parseAnchor() else { return nil }
            return done(.relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: false),
                        .relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: false))
        case "from", "between":
            _ = advance()
            guard let lower = parseBound() else { return nil }
            if word == "between" { expect("and") } else { expect("to") }
            guard let upper = parseBound() else { return nil }
            return done(lower, upper)
        default:
            error(expected: "a time window (during, overlapping, within, before, after, on, from … to …)")
            return nil
        }
    }

    /// `30 days before entry [exclusive]`, `entry`, `2024-01-01`, `start of period`, `any time`.
    mutating func parseBound() -> Window.Bound? {
        if check("any", "time") { _ = advance(); _ = advance(); return .unbounded }
        if isNumber(current) {
            guard let n = parseInteger("a number"), let unit = parseTimeUnit() else { return nil }
            let after: Bool
            if accept("before") { after = false } else if accept("after") { after = true } else {
                error(expected: "'before' or 'after'")
                return nil
            }
            guard let anchor = parseAnchor() else { return nil }
            return .relative(amount: n, unit: unit, after: after, anchor: anchor, exclusive: accept("exclusive"))
        }
        guard let anchor = parseAnchor() else { return nil }
        return .relative(amount: 0, unit: .days, after: true, anchor: anchor, exclusive: accept("exclusive"))
    }

    mutating func parseTimeUnit() -> TimeUnit? {
        guard let word = current.identifier?.lowercased() else { error(expected: "'days'"); return nil }
        let unit: TimeUnit?
        switch word {
        case "day", "days": unit = .days
        case "hour", "hours": unit = .hours
        case "week", "weeks": unit = .weeks
        case "month", "months": unit = .months
        case "year", "years": unit = .years
        default: unit = nil
        }
        guard let unit else { error(expected: "a time unit (days, weeks, months, years, hours)"); return nil }
        _ = advance()
        return unit
    }

    /// `entry`, `entry start`, `entry end`, `index`, or a date value.
    mutating func parseAnchor() -> Anchor? {
        let token = current
        if accept("entry") || accept("index") {
            if accept("end") { return .entryEnd(token.range.union(peek(-1).range)) }
            _ = accept("start")
            return .entryStart(token.range.union(peek(-1).range))
        }
        return parseValueExpr().map(Anchor.value)
    }

    mutating func parseComparison(allowList: Bool = false) -> Comparison? {
        let start = current.range
        // `in ("final", "amended")` / `not in (…)`: only where a list makes sense (attributes).
        if allowList, check("in") || (check("not") && peek(1).isKeyword("in")) {
            let negated = accept("not")
            expect("in")
            expectSymbol("(")
            var values: [ValueExpr] = []
            repeat { if let v = parseValueExpr() { values.append(v) } else { return nil } } while acceptSymbol(",")
            expectSymbol(")")
            guard let first = values.first else { return nil }
            return Comparison(op: negated ? .notIn : .in, value: first, upper: nil, list: values, range: start.union(peek(-1).range))
        }
        if accept("between") {
            guard let low = parseValueExpr() else { return nil }
            expect("and")
            guard let high = parseValueExpr() else { return nil }
            return Comparison(op: .between, value: low, upper: high, range: start.union(peek(-1).range))
        }
        guard case .symbol(let s) = current.kind, let op = Comparison.Op(rawValue: s) else {
            error(expected: "a comparison (<, <=, >, >=, =, !=, between … and …)")
            return nil
        }
        _ = advance()
        guard let value = parseValueExpr() else { return nil }
        return Comparison(op: op, value: value, upper: nil, range: start.union(peek(-1).range))
    }

    // MARK: - Values

    mutating func parseValueExpr() -> ValueExpr? {
        guard enter() else { depth -= 1; return nil }
        defer { depth -= 1 }
        guard let first = parsePrimaryValue() else { return nil }
        if acceptSymbol("..") {
            guard let second = parsePrimaryValue() else { return nil }
            return .range(first, second, range: first.range.union(second.range))
        }
        return first
    }

    mutating func parsePrimaryValue() -> ValueExpr? {
        let token = current
        switch token.kind {
        case .number(let value, let text):
            // `30 days before end of period`
            if let unitWord = peek(1).identifier?.lowercased(),
               ["day", "days", "week", "weeks", "month", "months", "year", "years"].contains(unitWord),
               peek(2).isKeyword("before") || peek(2).isKeyword("after") {
                guard let n = parseInteger("a number"), let unit = parseTimeUnit() else { return nil }
                let before = advance().isKeyword("before")
                guard enter() else { depth -= 1; return nil }
                defer { depth -= 1 }
                guard let base = parsePrimaryValue() else { return nil }
                return .offset(amount: n, unit: unit, before: before, base: base, range: token.range.union(base.range))
            }
            _ = advance()
            _ = text
            let unit = parseUnit()
            return .number(value, unit: unit, range: token.range.union(peek(-1).range))
        case .symbol("-"):
            _ = advance()
            guard case .number(let value, _) = current.kind else { error(expected: "a number after '-'"); return nil }
            _ = advance()
            let unit = parseUnit()
            return .number(-value, unit: unit, range: token.range.union(peek(-1).range))
        case .string(let text):
            _ = advance()
            return .string(text, range: token.range)
        case .date(let y, let m, let d):
            _ = advance()
            return .date(year: y, month: m, day: d, range: token.range)
        case .identifier(let word):
            let lower = word.lowercased()
            if (lower == "start" || lower == "end") && peek(1).isKeyword("of") {
                _ = advance(); _ = advance()
                guard enter() else { depth -= 1; return nil }
                defer { depth -= 1 }
                guard let inner = parsePrimaryValue() else { return nil }
                let range = token.range.union(inner.range)
                return lower == "start" ? .startOf(inner, range: range) : .endOf(inner, range: range)
            }
            if Parser.reserved.contains(lower) {
                error(expected: "a value (a number, a date such as 2024-12-31, or a parameter name)")
                return nil
            }
            _ = advance()
            return .name(Name(text: word, range: token.range))
        default:
            error(expected: "a value (a number, a date such as 2024-12-31, or a parameter name)")
            return nil
        }
    }

    /// A unit after a number: `%`, `mg/dL`, `mmHg`, `kg/m2`, or any unit in quotes.
    mutating func parseUnit() -> String? {
        if acceptSymbol("%") { return "%" }
        if case .string(let text) = current.kind, !text.isEmpty, text.count < 40 {
            _ = advance()
            return text
        }
        guard let word = current.identifier, !Parser.reserved.contains(word.lowercased()),
              !Parser.statementKeywords.contains(word.lowercased()) else { return nil }
        // Only words that look like units are units; anything else is left for the caller.
        guard Units.looksLikeUnit(word) else { return nil }
        _ = advance()
        var unit = word
        var steps = 0
        while steps < 8, current.isSymbol("/") {
            steps += 1
            _ = advance()
            if let next = current.identifier { unit += "/" + next; _ = advance() }
            else if case .number(_, let text) = current.kind { unit += "/" + text; _ = advance()
                if let tail = current.identifier, current.range.start == peek(-1).range.end { unit += tail; _ = advance() }
            } else { error(expected: "a unit after '/'"); break }
        }
        return unit
    }
}
