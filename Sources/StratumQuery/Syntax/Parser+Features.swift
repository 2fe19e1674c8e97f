extension Parser {
    static let featureItemWords: Set<String> = ["age", "sex", "measurement", "observation", "conditions", "count", "distinct", "visits"]

    /// `features NAME for COHORT at (entry [end] | DATE) [standardize zscore|robust|like NAME] [to "file.csv"]`
    /// then items until the next statement.
    mutating func parseFeatures() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a name for the feature set") else { return nil }
        expect("for", "'for COHORT' after the feature set's name")
        guard let cohort = parseName("a cohort name") else { return nil }
        expect("at", "'at' and an index date (a date, 'end of period', or 'entry')")
        let indexDate: FeaturesDecl.Index
        let indexToken = current
        if accept("entry") || accept("index") {
            let end = accept("end")
            if !end { _ = accept("start") }
            indexDate = .entry(end: end, range: indexToken.range.union(peek(-1).range))
        } else {
            guard let date = parseValueExpr() else { return nil }
            indexDate = .date(date)
        }
        var scaling: FeaturesDecl.Scaling?
        var output: (path: String, range: SourceRange)?
        var steps = 0
        while steps < 4 {
            steps += 1
            let token = current
            if accept("standardize") || accept("standardise") {
                let how = current
                if accept("zscore") || accept("z") { scaling = .zscore(how.range) }
                else if accept("robust") { scaling = .robust(how.range) }
                else if accept("like") { guard let other = parseName("a feature set name after 'like'") else { return nil }; scaling = .like(other) }
                else { error(expected: "'zscore', 'robust' or 'like NAME' after 'standardize'"); return nil }
            } else if accept("to") {
                guard let path = parseString("a CSV file name in quotes after 'to'") else { return nil }
                output = (path, token.range.union(peek(-1).range))
            } else {
                break
            }
        }
        var items: [FeatureItem] = []
        var guardSteps = 0
        while guardSteps < 10_000, !atEnd {
            guardSteps += 1
            while acceptSymbol(",") {}
            guard let word = current.identifier?.lowercased(), Parser.featureItemWords.contains(word) else { break }
            // `count T2D by sex` on the next line is a statement; `count procedure in X` an item.
            if word == "count", Domain(rawValue: peek(1).identifier?.lowercased() ?? "") == nil { break }
            let before = index
            if let item = parseFeatureItem() { items.append(item) } else { return nil }
            if index == before { break }
        }
        if items.isEmpty {
            error(expected: "a feature (age, sex, measurement VS: last, conditions VS, count …, distinct drugs, visits)")
            return nil
        }
        return .features(FeaturesDecl(name: name, cohort: cohort, index: indexDate, scaling: scaling, output: output,
                                      items: items, range: SourceRange(start, previousEnd)))
    }

    mutating func parseFeatureItem() -> FeatureItem? {
        let token = current
        let word = token.identifier?.lowercased() ?? ""
        let kind: FeatureItem.Kind
        switch word {
        case "age": _ = advance(); kind = .age
        case "sex": _ = advance(); kind = .sex
        case "measurement", "observation":
            _ = advance()
            guard let set = parseValueSetRef() else { return nil }
            var unit: (text: String, range: SourceRange)?
            guard parseInUnit(&unit) else { return nil }
            expectSymbol(":")
            var aggregates: [FeatureAggregate] = []
            repeat {
                // `count procedure in …` after a comma starts the next item, not an aggregate.
                if check("count"), Domain(rawValue: peek(1).identifier?.lowercased() ?? "") != nil { break }
                guard let aggregate = parseFeatureAggregate() else { break }
                if !aggregates.contains(aggregate) { aggregates.append(aggregate) }
            } while acceptSymbol(",")
            if aggregates.isEmpty {
                error(expected: "an aggregate (last, mean, min, max, count, slope, days since last)")
                return nil
            }
            kind = .values(word == "measurement" ? .measurement : .observation, set, unit: unit, aggregates)
        case "conditions":
            _ = advance()
            guard let set = parseValueSetRef() else { return nil }
            kind = .conditions(set)
        case "count":
            _ = advance()
            guard let pattern = parseEventPattern() else { return nil }
            kind = .count(pattern)
        case "distinct":
            _ = advance()
            expect("drugs", "'drugs' after 'distinct'")
            kind = .distinctDrugs(accept("in") ? parseValueSetRef() : nil)
        case "visits":
            _ = advance()
            if accept("by") {
                expect("class", "'class' after 'visits by'")
                kind = .visits(nil, byClass: true)
            } else {
                kind = .visits(accept("in") ? parseValueSetRef() : nil, byClass: false)
            }
        default:
            error(expected: "a feature (age, sex, measurement VS: last, conditions VS, count …, distinct drugs, visits)")
            return nil
        }
        var days: Int?
        if accept("over") {
            days = parseInteger("a number of days after 'over'")
            if !(accept("days") || accept("day")) { error(expected: "'days' (windows end on the index date: 'over 365 days')") }
        }
        var label: String?
        if accept("as") {
            if let id = current.identifier { _ = advance(); label = id } else { label = parseString("a column name") }
        }
        return FeatureItem(kind: kind, days: days, label: label, range: token.range.union(peek(-1).range))
    }

    /// An optional `in UNIT` (`in %`, `in mg/dL`) into `unit`; false after an error.
    mutating func parseInUnit(_ unit: inout (text: String, range: SourceRange)?) -> Bool {
        guard accept("in") else { return true }
        let token = current
        guard let text = parseUnit() else { error(expected: "a unit after 'in' (e.g. %, mg/dL, mm[Hg])"); return false }
        unit = (text, token.range.union(peek(-1).range))
        return true
    }

    mutating func parseFeatureAggregate() -> FeatureAggregate? {
        guard let word = current.identifier?.lowercased() else {
            error(expected: "an aggregate (last, mean, min, max, count, slope, days since last)")
            return nil
        }
        if word == "days" {
            _ = advance()
            expect("since", "'since last' after 'days'")
            expect("last", "'last' after 'days since'")
            return .daysSinceLast
        }
        guard let aggregate = FeatureAggregate(rawValue: word) else {
            var notes: [String] = []
            if let s = Suggestions.closest(to: word, among: FeatureAggregate.allCases.map(\.rawValue)) { notes.append("did you mean '\(s)'?") }
            report(.expected("an aggregate (last, mean, min, max, count, slope, days since last)", found: current.display), at: current.range, notes: notes)
            return nil
        }
        _ = advance()
        return aggregate
    }
}
