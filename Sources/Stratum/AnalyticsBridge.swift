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
        return ForecastOutcome(table: table, flagged: flagged, model: modelTable, persons: forecasts.count)
    }

    public func cluster(_ request: ClusterRequest) throws -> ClusterOutcome {
        throw ExecutionError("clustering is not available yet", statement: "")
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
