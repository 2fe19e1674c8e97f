extension Parser {
    /// `cluster COHORT using FEATURES method M k K[..K2] [seed S] [restarts R] [covariance C] [bootstrap B] as NAME`
    mutating func parseCluster() -> Statement? {
        let start = advance().range.start
        guard let cohort = parseName("a cohort name") else { return nil }
        expect("using", "'using' and a feature set name")
        guard let features = parseName("a feature set name") else { return nil }
        var method: (text: String, range: SourceRange) = ("kmeans", current.range)
        var k: (low: Int, high: Int, range: SourceRange)?
        var seed: Int?, restarts: Int?, bootstrap: Int?
        var covariance: (text: String, range: SourceRange)?
        var steps = 0
        while steps < 16, let word = current.identifier?.lowercased(), word != "as" {
            steps += 1
            let token = current
            switch word {
            case "method":
                _ = advance()
                guard let m = current.identifier else { error(expected: "a method: kmeans, gmm or ward"); return nil }
                _ = advance()
                method = (m.lowercased(), peek(-1).range)
            case "k":
                _ = advance()
                guard let low = parseInteger("a number of clusters") else { return nil }
                var high = low
                if acceptSymbol("..") { high = parseInteger("the largest number of clusters") ?? low }
                else if case .identifier(let w) = current.kind, w == "to" { _ = advance(); high = parseInteger("the largest number of clusters") ?? low }
                k = (low, high, token.range.union(peek(-1).range))
            case "seed": _ = advance(); seed = parseInteger("a seed")
            case "restarts": _ = advance(); restarts = parseInteger("a number of restarts")
            case "bootstrap": _ = advance(); bootstrap = parseInteger("a number of bootstrap replicates")
            case "covariance":
                _ = advance()
                guard let c = current.identifier else { error(expected: "'diag' or 'full'"); return nil }
                _ = advance()
                covariance = (c.lowercased(), peek(-1).range)
            default:
                error(expected: "method, k, seed, restarts, covariance, bootstrap or 'as NAME'")
                return nil
            }
        }
        guard let k else { error(expected: "'k' and a number of clusters (e.g. 'k 4' or 'k 2..6')"); return nil }
        expect("as", "'as' and a name for the phenotypes")
        guard let name = parseName("a name for the phenotypes") else { return nil }
        var charts: String?
        if accept("charts") { charts = parseString("a folder for the SVG charts, in quotes") }
        return .cluster(ClusterDecl(cohort: cohort, features: features, method: method, k: k, seed: seed, restarts: restarts,
                                    covariance: covariance, bootstrap: bootstrap, name: name, charts: charts, range: SourceRange(start, previousEnd)))
    }

    /// `forecast VS [in UNIT] for COHORT [at DATE] horizon N days [threshold X] [as NAME]`
    mutating func parseForecast() -> Statement? {
        let start = advance().range.start
        guard let set = parseValueSetRef() else { return nil }
        var unit: (text: String, range: SourceRange)?
        guard parseInUnit(&unit) else { return nil }
        expect("for", "'for COHORT'")
        guard let cohort = parseName("a cohort name") else { return nil }
        var asOf: ValueExpr?
        if accept("at") { asOf = parseValueExpr() }
        expect("horizon", "'horizon N days'")
        guard let horizon = parseInteger("a number of days") else { return nil }
        if !(accept("days") || accept("day")) { error(expected: "'days' after the horizon") }
        var threshold: Double?
        if accept("threshold") {
            if case .number(let v, _) = current.kind { _ = advance(); threshold = v; _ = acceptSymbol("%") }
            else { error(expected: "a threshold value"); return nil }
        }
        var name: Name?
        if accept("as") { name = parseName("a cohort name for the patients forecast to cross the threshold") }
        var charts: String?
        if accept("charts") { charts = parseString("a folder for the SVG charts, in quotes") }
        return .forecast(ForecastDecl(valueSet: set, unit: unit, cohort: cohort, asOf: asOf, horizonDays: horizon, threshold: threshold,
                                      name: name, charts: charts, range: SourceRange(start, previousEnd)))
    }

    /// `adherence VS for COHORT during PERIOD [threshold X] [as NAME]`
    mutating func parseAdherence() -> Statement? {
        let start = advance().range.start
        guard let set = parseValueSetRef() else { return nil }
        expect("for", "'for COHORT'")
        guard let cohort = parseName("a cohort name") else { return nil }
        expect("during", "'during' and a measurement period")
        guard let period = parseValueExpr() else { return nil }
        var threshold: Double?
        if accept("threshold") {
            if case .number(let v, _) = current.kind { _ = advance(); threshold = acceptSymbol("%") ? v / 100 : v }
            else { error(expected: "a threshold (0.8 or 80 %)"); return nil }
        }
        var name: Name?
        if accept("as") { name = parseName("a cohort name for the patients below the threshold") }
        var charts: String?
        if accept("charts") { charts = parseString("a folder for the SVG timelines, in quotes") }
        return .adherence(AdherenceDecl(valueSet: set, cohort: cohort, period: period, threshold: threshold, name: name,
                                        charts: charts, range: SourceRange(start, previousEnd)))
    }
}
