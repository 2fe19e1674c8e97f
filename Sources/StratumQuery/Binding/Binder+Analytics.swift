extension Binder {
    mutating func bindCluster(_ decl: ClusterDecl) -> [BoundStatement] {
        guard environment.hasCohort(decl.cohort.text) else {
            unknown("cohort", decl.cohort, candidates: environment.cohortNames)
            return []
        }
        guard let features = environment.featureSets[Environment.key(decl.features.text)]?.value else {
            unknown("feature set", decl.features, candidates: environment.featureSets.values.map(\.name))
            return []
        }
        let cohort = environment.cohortDisplayName(decl.cohort.text)
        guard Environment.key(features.cohort) == Environment.key(cohort) else {
            error(.other("feature set '\(features.name)' describes cohort '\(features.cohort)', not '\(cohort)'"), decl.features.range)
            return []
        }
        guard let method = BoundCluster.Method(rawValue: decl.method.text) else {
            var notes: [String] = []
            if let s = Suggestions.closest(to: decl.method.text, among: BoundCluster.Method.allCases.map(\.rawValue)) { notes.append("did you mean '\(s)'?") }
            error(.other("unknown clustering method '\(decl.method.text)': kmeans, gmm or ward"), decl.method.range, notes: notes)
            return []
        }
        guard decl.k.low >= 1, decl.k.high >= decl.k.low, decl.k.high <= 50 else {
            error(.other("k must be a number or range within 1..50 (e.g. 'k 4' or 'k 2..6')"), decl.k.range)
            return []
        }
        if decl.k.low < 2 && decl.k.high > decl.k.low {
            error(.other("a range of k starts at 2: one cluster has no silhouette to compare"), decl.k.range)
            return []
        }
        var covariance = "full"
        if let c = decl.covariance {
            guard method == .gmm else {
                error(.other("'covariance' applies to gmm only"), c.range)
                return []
            }
            guard ["diag", "full"].contains(c.text) else {
                error(.other("covariance is 'diag' or 'full', not '\(c.text)'"), c.range)
                return []
            }
            covariance = c.text
        }
        let bound = BoundCluster(cohort: cohort, features: features.name, method: method, kRange: decl.k.low...decl.k.high,
                                 seed: UInt64(decl.seed ?? 42), restarts: max(1, decl.restarts ?? 10), covariance: covariance,
                                 bootstrap: decl.bootstrap ?? 0, name: decl.name.text, chartsDirectory: decl.charts.map(resolvePath),
                                 sourceText: text(decl.range))
        // The phenotype cohorts are usable by the statements that follow.
        for c in 1...decl.k.high {
            let name = bound.cohortName(c)
            environment.storedCohorts[Environment.key(name)] = name
        }
        return [.cluster(bound)]
    }

    mutating func bindForecast(_ decl: ForecastDecl) -> [BoundStatement] {
        guard environment.hasCohort(decl.cohort.text) else {
            unknown("cohort", decl.cohort, candidates: environment.cohortNames)
            return []
        }
        guard let set = bindValueSetRef(decl.valueSet) else { return [] }
        var unit: UnitDefinition?
        if let u = decl.unit {
            guard let found = Units.lookup(u.text) else { error(.unknownUnit(u.text), u.range); return [] }
            unit = found
        }
        var asOf: Int?
        if let expr = decl.asOf {
            guard let day = bindDate(expr) else { return [] }
            asOf = day
        }
        guard decl.horizonDays >= 1, decl.horizonDays <= 3650 else {
            error(.other("the horizon must be 1 to 3650 days"), decl.range)
            return []
        }
        if decl.name != nil && decl.threshold == nil {
            error(.other("'as NAME' saves the patients forecast to cross a threshold: add 'threshold X'"), decl.name!.range)
            return []
        }
        if let name = decl.name { environment.storedCohorts[Environment.key(name.text)] = name.text }
        return [.forecast(BoundForecast(valueSet: set, unit: unit, cohort: environment.cohortDisplayName(decl.cohort.text), asOf: asOf,
                                        horizonDays: decl.horizonDays, threshold: decl.threshold, name: decl.name?.text,
                                        chartsDirectory: decl.charts.map(resolvePath), sourceText: text(decl.range)))]
    }

    mutating func bindAdherence(_ decl: AdherenceDecl) -> [BoundStatement] {
        guard environment.hasCohort(decl.cohort.text) else {
            unknown("cohort", decl.cohort, candidates: environment.cohortNames)
            return []
        }
        guard let set = bindValueSetRef(decl.valueSet) else { return [] }
        guard let period = bindValue(decl.period) else { return [] }
        guard case .period(let start, let end) = period else {
            error(.other("'during' needs a period (e.g. 2025-01-01 .. 2025-12-31 or a period parameter), not \(period.display)"), decl.period.range)
            return []
        }
        let threshold = decl.threshold ?? 0.8
        guard threshold > 0, threshold <= 1 else {
            error(.other("the threshold is a proportion between 0 and 1 (or a percentage: 80 %)"), decl.range)
            return []
        }
        if let name = decl.name { environment.storedCohorts[Environment.key(name.text)] = name.text }
        return [.adherence(BoundAdherence(valueSet: set, cohort: environment.cohortDisplayName(decl.cohort.text), periodStart: start,
                                          periodEnd: end, threshold: threshold, name: decl.name?.text,
                                          chartsDirectory: decl.charts.map(resolvePath), sourceText: text(decl.range)))]
    }
}
