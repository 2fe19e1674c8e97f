import Foundation

/// The numerics behind the language's `cluster` and `forecast` statements: StratumAnalytics (on
/// GSL) answering StratumQuery's `AnalyticsProvider`, so the query layer has no numerical code
/// and the analytics layer no language code.
public struct GSLAnalytics: AnalyticsProvider {
    public init() {}

    public func forecast(_ request: ForecastRequest) throws -> ForecastOutcome {
        var observations: [TrajectoryObservation] = []
        observations.reserveCapacity(request.persons.count)
        for i in request.persons.indices {
            observations.append(TrajectoryObservation(personID: request.persons[i], day: request.days[i], value: request.values[i]))
        }
        let series = PatientSeries.build(from: observations)
        let model = try TrajectoryModel.fit(series, asOf: request.asOfDay)
        let forecasts = model.forecast(horizonDays: request.horizonDays, threshold: request.threshold)
        let flagged = forecasts.filter { $0.crossesThreshold == true }.map(\.personID)
        func r(_ v: Double, _ places: Double = 100) -> SQLValue { .real((v * places).rounded() / places) }
        // Shown: the persons forecast to cross the threshold, or the 20 highest forecasts.
        let shown = request.threshold != nil
            ? forecasts.filter { $0.crossesThreshold == true }.sorted { $0.mean > $1.mean }
            : Array(forecasts.sorted { $0.mean > $1.mean }.prefix(20))
        let title = request.threshold.map { "forecast to reach \(FeatureTable.format($0)) within \(request.horizonDays) days (\(flagged.count) of \(forecasts.count) persons)" }
            ?? "the 20 highest forecasts of \(forecasts.count) persons"
        let table = ResultTable(title: title,
                                columns: ["person", "results", "last date", "last value", "forecast date", "forecast", "80% low", "80% high", "95% low", "95% high"],
                                rows: shown.map { f in
                                    [.integer(f.personID), .integer(Int64(f.resultCount)), .text(CivilDate.iso(days: f.lastDay)), r(f.lastValue),
                                     .text(CivilDate.iso(days: f.day)), r(f.mean), r(f.lo80), r(f.hi80), r(f.lo95), r(f.hi95)]
                                })
        let se = model.betaStandardErrors
        let g = model.randomEffectCovariance
        let modelTable = ResultTable(
            title: "linear mixed model (REML): \(series.count) persons, \(model.observationCount) results, as of \(CivilDate.iso(days: request.asOfDay))",
            columns: ["parameter", "estimate", "standard error"],
            rows: [
                [.text("intercept (at first result)"), r(model.beta[0], 1e4), r(se[0], 1e4)],
                [.text("slope per year"), r(model.beta[1], 1e4), r(se[1], 1e4)],
                [.text("sd of intercepts"), r(g[0][0].squareRoot(), 1e4), .null],
                [.text("sd of slopes"), r(g[1][1].squareRoot(), 1e4), .null],
                [.text("intercept–slope correlation"), r(g[0][1] / max(1e-300, (g[0][0] * g[1][1]).squareRoot()), 1e4), .null],
                [.text("residual sd"), r(model.residualSD, 1e4), .null],
            ])
        var outcome = ForecastOutcome(table: table, flagged: flagged, model: modelTable, persons: forecasts.count)
        if request.charts {
            outcome.charts.append(("trajectories.svg", TrajectoryChart.cohortSVG(model: model)))
            for f in shown.prefix(20) {
                guard let index = model.index(of: f.personID) else { continue }
                outcome.charts.append(("person-\(f.personID).svg", TrajectoryChart.patientSVG(model: model, patient: index, forecast: f, threshold: request.threshold)))
            }
        }
        return outcome
    }

    public func adherence(_ request: AdherenceRequest) throws -> AdherenceOutcome {
        var fillsByPerson: [Int64: [(fill: PDCFill, prescribed: Bool, refills: Int)]] = [:]
        for i in request.persons.indices {
            fillsByPerson[request.persons[i], default: []].append(
                (PDCFill(drug: request.drugs[i], day: request.days[i], daysSupply: request.daysSupply[i]), request.prescribed[i], request.refills[i]))
        }
        var staysByPerson: [Int64: [ClosedRange<Int>]] = [:]
        for stay in request.stays where stay.end >= stay.start { staysByPerson[stay.person, default: []].append(stay.start...stay.end) }
        let period = request.periodStart...request.periodEnd
        var rows: [[SQLValue]] = []
        var below: [Int64] = []
        var charts: [(name: String, svg: String)] = []
        var eligible = 0, adherent = 0
        // Members without a fill of the class are not shown (they are not in any denominator).
        let dataHasDispensings = request.prescribed.contains(false)
        for person in request.members where fillsByPerson[person] != nil {
            let fills = PDCFillSource.fills(fillsByPerson[person] ?? [], dataHasDispensings: dataHasDispensings)
            let result = PDCCalculator.compute(fills: fills.fills, period: period, inpatientStays: staysByPerson[person] ?? [])
            let pdc = result.pdc
            if let pdc {
                eligible += 1
                if pdc >= request.threshold { adherent += 1 } else {
                    below.append(person)
                    if request.charts && charts.count < 20 {
                        charts.append(("person-\(person).svg", AdherenceTimeline.svg(title: "Person \(person)", fills: fills.fills, result: result,
                                                                                    period: period, inpatientStays: staysByPerson[person] ?? [],
                                                                                    threshold: request.threshold)))
                    }
                }
            }
            rows.append([.integer(person), .text(fills.source), .integer(Int64(fills.fills.count)),
                         result.indexDay.map { .text(CivilDate.iso(days: $0)) } ?? .null,
                         .integer(Int64(result.coveredDays)), .integer(Int64(result.treatmentDays)),
                         pdc.map { .real(($0 * 1000).rounded() / 1000) } ?? .null,
                         pdc.map { .text($0 >= request.threshold ? "yes" : "no") } ?? .text(result.ineligibility?.rawValue ?? "")])
        }
        let table = ResultTable(title: "PDC per PQA, \(CivilDate.iso(days: request.periodStart))..\(CivilDate.iso(days: request.periodEnd)) (members with a fill of the class)",
                                columns: ["person", "fills from", "fills", "index date", "covered days", "treatment days", "PDC", "adherent"],
                                rows: rows)
        var outcome = AdherenceOutcome(table: table, belowThreshold: below, eligible: eligible, adherent: adherent)
        outcome.charts = charts
        return outcome
    }

    public func cluster(_ request: ClusterRequest) throws -> ClusterOutcome {
        let x = Matrix(rows: request.rows, columns: request.columns.count, storage: request.matrix)
        guard let method = ClusterMethod(rawValue: request.method.rawValue) else { throw ClusterError("unknown method") }
        var options = ClusterOptions(method: method, k: request.kRange.lowerBound, seed: request.seed, restarts: request.restarts,
                                     covariance: request.covariance == "diag" ? .diagonal : .full)
        var tables: [ResultTable] = []
        func r(_ v: Double?, _ places: Double = 1000) -> SQLValue { v.map { .real(($0 * places).rounded() / places) } ?? .null }
        var charts: [(name: String, svg: String)] = []
        if request.kRange.count > 1 {
            let selection = try Clustering.chooseK(x, range: request.kRange, options: options)
            if request.charts { charts.append(("choosing-k.svg", selection.svg())) }
            options.k = selection.recommendedK
            var title = "choosing k (\(method.rawValue)): k = \(selection.recommendedK) by \(selection.criterion)"
            if let sampled = selection.silhouetteSampled { title += "; silhouette on a sample of \(sampled) rows" }
            tables.append(ResultTable(title: title, columns: ["k", "inertia", "log-likelihood", "BIC", "silhouette"],
                                      rows: selection.rows.map { [.integer(Int64($0.k)), r($0.inertia), r($0.logLikelihood), r($0.bic), r($0.silhouette)] }))
        } else {
            options.k = request.kRange.lowerBound
        }
        let fit = try Clustering.fit(x, options: options)
        // Profiles in the features' own units: the unscaled values, a missing one read as the
        // column's median (the indicator columns show how many were missing).
        var raw = Matrix(rows: request.rows, columns: request.columns.count)
        for (c, column) in request.raw.enumerated() {
            let median = FeatureScaling.median(column.filter { !$0.isNaN }) ?? 0
            for row in 0..<request.rows { raw[row, c] = column[row].isNaN ? median : column[row] }
        }
        let profile = ClusterProfile(raw, assignments: fit.assignments, k: fit.k, featureNames: request.columns)
        var fitTitle = "\(method.rawValue), k = \(fit.k): inertia \(ClusterProfile.number(fit.inertia))"
        if let ll = fit.logLikelihood { fitTitle += ", log-likelihood \(ClusterProfile.number(ll))" }
        if let bic = fit.bic { fitTitle += ", BIC \(ClusterProfile.number(bic))" }
        if let silhouette = ClusterMetrics.silhouette(x, labels: fit.assignments, seed: request.seed).mean {
            fitTitle += ", silhouette " + String(format: "%.3f", silhouette)
        }
        fitTitle += fit.converged ? ", converged in \(fit.iterations) iterations" : ", NOT converged (\(fit.iterations) iterations)"
        tables.append(ResultTable(title: fitTitle, columns: ["cluster", "persons", "share", "most different from the rest (standardised mean difference)"],
                                  rows: profile.clusters.map { c in
                                      [.integer(Int64(c.number)), .integer(Int64(c.size)), .text(String(format: "%.1f%%", 100 * c.share)),
                                       .text(ClusterProfile.describe(c.separating))]
                                  }))
        tables.append(ResultTable(title: "cluster profiles: mean [95% interval] in each feature's units",
                                  columns: ["feature"] + profile.clusters.map { "cluster \($0.number)" },
                                  rows: request.columns.indices.map { j in
                                      [.text(request.columns[j])] + profile.clusters.map { c in
                                          let f = c.features[j]
                                          let interval = f.lower.map { " [\(ClusterProfile.number($0)), \(ClusterProfile.number(f.upper!))]" } ?? ""
                                          return .text(ClusterProfile.number(f.mean) + interval)
                                      }
                                  }))
        if request.bootstrap > 0 {
            let stability = try Clustering.stability(x, fit: fit, replicates: request.bootstrap)
            tables.append(ResultTable(
                title: String(format: "stability over %d bootstrap refits: adjusted Rand %.3f (95%% range %.3f–%.3f)",
                              stability.adjustedRand.count, stability.meanAdjustedRand, stability.adjustedRandLower, stability.adjustedRandUpper),
                columns: ["cluster", "mean Jaccard"],
                rows: stability.jaccard.enumerated().map { [.integer(Int64($0.offset + 1)), r($0.element)] }))
        }
        if request.charts { charts.append(("profiles.svg", profile.svg())) }
        var outcome = ClusterOutcome(k: fit.k, assignments: fit.assignments, probabilities: fit.probabilities, tables: tables)
        outcome.charts = charts
        return outcome
    }
}

extension Session {
    /// A session whose `cluster` and `forecast` statements run on StratumAnalytics.
    public static func withAnalytics(store: Store, parameters: [String: String] = [:], valueSetDirectory: String? = nil,
                                     loader: (any ValueSetLoading)? = nil) throws -> Session {
        let session = try Session(store: store, parameters: parameters, valueSetDirectory: valueSetDirectory, loader: loader)
        session.analytics = GSLAnalytics()
        return session
    }
}
