@preconcurrency import CGSL

/// A one-step-ahead backtest (docs/FORECASTING.md): every patient with at least `minHistory`
/// earlier results has their last result held out; the model is fitted once on everything else
/// (every patient's held-out result removed) and forecasts each held-out result at its date.
/// The baseline is last value carried forward (LVCF) with intervals from the empirical
/// distribution of changes between consecutive results in the training data (not scaled by the
/// gap between results).
public struct TrajectoryBacktest: Sendable {
    public let model: BacktestMetrics
    public let lastValue: BacktestMetrics
    /// Patients with a held-out result.
    public let patients: Int
    /// The minimum number of earlier results a patient needed.
    public let minHistory: Int
    /// The model fitted on the training data.
    public let fit: TrajectoryModel

    /// Runs the backtest. Throws ``TrajectoryError`` when no patient has enough history or the
    /// training fit fails.
    public static func run(_ series: [PatientSeries], minHistory: Int = 3,
                           correlation: ResidualCorrelation = TrajectoryModel.defaultCorrelation) throws -> TrajectoryBacktest {
        precondition(minHistory >= 1, "minHistory must be at least 1")
        GSL.prepare()
        var training: [PatientSeries] = []
        var heldOut: [Int64: (day: Int, value: Double)] = [:]
        for s in series {
            if s.count >= minHistory + 1, let rest = s.droppingLast {
                training.append(rest)
                heldOut[s.personID] = (s.lastDay, s.lastValue)
            } else {
                training.append(s)
            }
        }
        guard !heldOut.isEmpty else {
            throw TrajectoryError.insufficientData("no patient has \(minHistory) results before their last one")
        }
        let model = try TrajectoryModel.fit(training, correlation: correlation)

        // LVCF intervals: quantiles of consecutive changes in the training data.
        var changes: [Double] = []
        for s in model.series where s.count > 1 {
            for k in 1..<s.count { changes.append(s.values[k] - s.values[k - 1]) }
        }
        changes.sort()
        func quantile(_ p: Double) -> Double {
            changes.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, p) }
        }
        let (q025, q10, q90, q975) = (quantile(0.025), quantile(0.10), quantile(0.90), quantile(0.975))

        var modelRows: [(actual: Double, mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double)] = []
        var lvcfRows = modelRows
        for (index, s) in model.series.enumerated() {
            guard let target = heldOut[s.personID] else { continue }
            let f = model.forecast(patient: index, day: target.day, origin: s.lastDay)
            modelRows.append((target.value, f.mean, f.lo80, f.hi80, f.lo95, f.hi95))
            let last = s.lastValue
            lvcfRows.append((target.value, last, last + q10, last + q90, last + q025, last + q975))
        }
        return TrajectoryBacktest(model: BacktestMetrics(modelRows), lastValue: BacktestMetrics(lvcfRows),
                                  patients: heldOut.count, minHistory: minHistory, fit: model)
    }
}
