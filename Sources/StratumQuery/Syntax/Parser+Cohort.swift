extension Parser {
    /// `cohort Name ["title"] [from Cohort at <date>] <clauses>` or `cohort Name ["title"] = A union B`.
    mutating func parseCohort() -> Statement? {
        let errorsBefore = diagnostics.count
        let start = advance().range.start
        guard let name = parseName("a cohort name") else { return nil }
        var title: String?
        if case .string(let text) = current.kind { _ = advance(); title = text }
        if acceptSymbol("=") {
            guard let expr = parseCohortExpr() else { return nil }
            return .cohort(CohortDecl(name: name, title: title, body: .algebra(expr), range: SourceRange(start, previousEnd)))
        }
        var clauses: [CohortClause] = []
        // Header sugar: `from T2D at end of period` ≡ `entry on end of period for T2D`.
        if check("from") {
            let fromToken = advance()
            guard let population = parseName("a cohort name after 'from'") else { return nil }
            if accept("at") {
                guard let date = parseValueExpr() else { return nil }
                clauses.append(.entryDate(date: date, population: population, range: fromToken.range.union(peek(-1).range)))
            } else {
                clauses.append(.entryMembers(population, range: fromToken.range.union(population.range)))
            }
        }
        var steps = 0
        while let word = current.identifier?.lowercased(), Parser.clauseKeywords.contains(word), steps < 10_000 {
            steps += 1
            let before = index
            if let clause = parseClause(word) { clauses.append(clause) }
            if index == before { _ = advance() }
        }
        if clauses.isEmpty {
            error(expected: "a cohort clause (entry, require, rule, exclude, exit, censor, collapse)")
        }
        var decl = CohortDecl(name: name, title: title, body: .definition(clauses), range: SourceRange(start, previousEnd))
        decl.incomplete = diagnostics.count > errorsBefore
        return .cohort(decl)
    }

    mutating func parseClause(_ word: String) -> CohortClause? {
        let start = advance().range
        switch word {
        case "entry":
            return parseEntry(start: start)
        case "require", "rule", "exclude":
            var name: String?
            if case .string(let text) = current.kind { _ = advance(); name = text }
            if word == "rule" && name == nil {
                error(expected: "a rule name in quotes, e.g. rule \"has HbA1c\" …")
                return nil
            }
            guard let criterion = parseCriterion() else { return nil }
            return .rule(name: name, kind: RuleKind(rawValue: word)!, criterion: criterion, range: start.union(peek(-1).range))
        case "keep":
            guard let word = current.identifier?.lowercased(), let limit = EntryLimit(rawValue: word) else {
                error(expected: "'first', 'last' or 'all' after 'keep'")
                return nil
            }
            _ = advance()
            return .keep(limit, range: start.union(peek(-1).range))
        case "exit":
            guard let strategy = parseExit() else { return nil }
            return .exit(strategy, range: start.union(peek(-1).range))
        case "censor":
            _ = accept("on")
            var events: [EventPattern] = []
            repeat {
                guard let pattern = parseEventPattern() else { return nil }
                events.append(pattern)
            } while accept("or")
            return .censor(events, range: start.union(peek(-1).range))
        case "collapse":
            var pad = 0
            if accept("pad") {
                pad = parseInteger("a number of days after 'pad'") ?? 0
                expectDays()
            }
            return .collapse(padDays: pad, range: start.union(peek(-1).range))
        default:
            return nil
        }
    }

    mutating func expectDays() {
        if !(accept("days") || accept("day")) { error(expected: "'days'") }
    }

    mutating func parseEntry(start: SourceRange) -> CohortClause? {
        if accept("on") {
            guard let date = parseValueExpr() else { return nil }
            var population: Name?
            if accept("for") {
                if !accept("everyone") { population = parseName("a cohort name or 'everyone' after 'for'") }
            }
            return .entryDate(date: date, population: population, range: start.union(peek(-1).range))
        }
        if accept("members") {
            expect("of")
            guard let name = parseName("a cohort name") else { return nil }
            return .entryMembers(name, range: start.union(name.range))
        }
        var limit = EntryLimit.all
        if let word = current.identifier?.lowercased(), let l = EntryLimit(rawValue: word) { _ = advance(); limit = l }
        let firstEver = accept("ever")
        var events: [EventPattern] = []
        repeat {
            guard let pattern = parseEventPattern() else { return nil }
            events.append(pattern)
        } while accept("or")
        var observation: ObservationRequirement?
        if check("with", "observation") || check("with", "continuous") {
            let withToken = advance()
            _ = accept("continuous")
            expect("observation")
            var before = 0, after = 0
            repeat {
                guard let n = parseInteger("a number of days of observation") else { break }
                expectDays()
                if accept("before") { before = n } else if accept("after") { after = n } else { error(expected: "'before' or 'after'") }
                _ = accept("entry")
            } while accept("and")
            observation = ObservationRequirement(daysBefore: before, daysAfter: after, range: withToken.range.union(peek(-1).range))
        }
        return .entryEvents(limit: limit, firstEver: firstEver, events: events, observation: observation, range: start.union(peek(-1).range))
    }

    mutating func parseExit() -> ExitStrategy? {
        if accept("at") {
            if accept("end") {
                expect("of")
                if accept("observation") { return .endOfObservation }
                // `exit at end of period`
                guard let value = parseValueExpr() else { return nil }
                return .date(.endOf(value, range: value.range))
            }
            guard let date = parseValueExpr() else { return nil }
            return .date(date)
        }
        if accept("on") {
            if accept("continuous") {
                guard let pattern = parseEventPattern(), pattern.domain == .drug, let valueSet = pattern.valueSet else {
                    error(expected: "'drug in <value set>' after 'exit on continuous'")
                    return nil
                }
                var gap = 0, offset = 0
                var supply: Int?
                var steps = 0
                while steps < 10 {
                    steps += 1
                    if accept("gap") { gap = parseInteger("gap days") ?? 0; expectDays() }
                    else if accept("offset") { offset = parseInteger("offset days") ?? 0; expectDays() }
                    else if check("days", "supply") { _ = advance(); _ = advance(); supply = parseInteger("days of supply") }
                    else { break }
                }
                return .continuousDrug(valueSet, gapDays: gap, offsetDays: offset, daysSupply: supply)
            }
            guard let date = parseValueExpr() else { return nil }
            return .date(date)
        }
        // `exit 30 days after entry [end]`
        guard let days = parseInteger("an exit: 'at end of observation', 'N days after entry', 'on continuous drug in …' or 'at <date>'") else { return nil }
        expectDays()
        expect("after")
        expect("entry")
        let fromEnd = accept("end")
        if !fromEnd { _ = accept("start") }
        return .offset(days: days, fromEnd: fromEnd)
    }
}
