@preconcurrency import CGSL

extension TrajectoryModel {
    /// Normal quantiles for the 80% and 95% intervals (gsl_cdf_ugaussian_Pinv).
    static let z80 = gsl_cdf_ugaussian_Pinv(0.90)
    static let z95 = gsl_cdf_ugaussian_Pinv(0.975)

    /// Forecasts every patient `horizonDays` after the model's as-of day (or, without one, after
    /// the patient's last result), with the threshold flag when `threshold` is given.
    public func forecast(horizonDays: Int, threshold: Double? = nil) -> [TrajectoryForecast] {
        series.indices.map { index in
            let origin = asOf ?? series[index].lastDay
            return forecast(patient: index, day: origin + horizonDays, origin: origin, threshold: threshold)
        }
    }

    /// Patient `index`'s forecast of a new result at `day`; `origin` (default: the as-of day or
    /// the last result's day) is where the threshold rule starts.
    ///
    /// Prediction error of ŷ = z'(β̂ + b̂) for y = z'(β + b) + ε, z = (1, t):
    ///   Var = aᵀ Cov(β̂) a + σ² zᵀ K z + σ²,  a = z − (K ZᵀZ)ᵀ z,
    /// the first term the fixed-effect uncertainty (including its effect on the BLUP), the second
    /// the prediction-error variance of the random effects given β, the third a new result's noise.
    /// Uncertainty in G and σ² is not propagated.
    public func forecast(patient index: Int, day: Int, origin: Int? = nil, threshold: Double? = nil) -> TrajectoryForecast {
        let s = series[index], e = effects[index]
        let origin = origin ?? asOf ?? s.lastDay
        let t = s.years(at: day)
        let z = (1.0, t)
        let mean = fittedValue(patient: index, day: day)
        let c = e.sensitivity.transposed * z
        let a = (z.0 - c.0, z.1 - c.1)
        let cb = betaCovariance
        let fixed = a.0 * a.0 * cb[0][0] + 2 * a.0 * a.1 * cb[0][1] + a.1 * a.1 * cb[1][1]
        let random = residualVariance * e.relativeCovariance.quadratic(z, z)
        let se = max(0, fixed + random + residualVariance).squareRoot()
        let fittedAtOrigin = fittedValue(patient: index, day: origin)
        return TrajectoryForecast(
            personID: s.personID, resultCount: s.count, lastDay: s.lastDay, lastValue: s.lastValue, originDay: origin,
            fittedAtOrigin: fittedAtOrigin, day: day, mean: mean, standardError: se,
            lo80: mean - Self.z80 * se, hi80: mean + Self.z80 * se, lo95: mean - Self.z95 * se, hi95: mean + Self.z95 * se,
            crossesThreshold: threshold.map { TrajectoryForecast.crossesThreshold(fittedAtOrigin: fittedAtOrigin, mean: mean, threshold: $0) })
    }

    /// The index of `personID`'s series, if the model has one.
    public func index(of personID: Int64) -> Int? {
        var lo = 0, hi = series.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if series[mid].personID < personID { lo = mid + 1 } else { hi = mid }
        }
        return lo < series.count && series[lo].personID == personID ? lo : nil
    }
}
