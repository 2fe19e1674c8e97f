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
        if correlation == .exponential {
            let at = conditional(patient: index, days: [day, origin])
            let mean = at[0].mean, se = at[0].standardError, fittedAtOrigin = at[1].latent
            return TrajectoryForecast(
                personID: s.personID, resultCount: s.count, lastDay: s.lastDay, lastValue: s.lastValue, originDay: origin,
                fittedAtOrigin: fittedAtOrigin, day: day, mean: mean, standardError: se,
                lo80: mean - Self.z80 * se, hi80: mean + Self.z80 * se, lo95: mean - Self.z95 * se, hi95: mean + Self.z95 * se,
                crossesThreshold: threshold.map { TrajectoryForecast.crossesThreshold(fittedAtOrigin: fittedAtOrigin, mean: mean, threshold: $0) })
        }
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

    /// Conditioning on at most this many of a patient's most recent results in the exponential
    /// model's forecast (an n×n Cholesky per patient).
    public static let conditioningLimit = 100

    /// The exponential model's conditional distribution of a new result at each of `days` given
    /// patient `index`'s results y_i (the most recent ``conditioningLimit``), with V_i = Z D Zᵀ +
    /// κR_i + I the relative covariance (÷σ²), x* = z* = (1, t*):
    ///
    ///   c = Cov(y*, y_i)/σ² = z*ᵀ D Z_iᵀ + κ r*ᵀ,  r*_j = exp(−|t* − t_j|/ρ)
    ///   mean = x*ᵀβ̂ + cᵀ V_i⁻¹ (y_i − X_i β̂)
    ///   Var  = σ² (z*ᵀ D z* + κ + 1 − cᵀ V_i⁻¹ c) + aᵀ Cov(β̂) a,   a = x* − X_iᵀ V_i⁻¹ c
    ///
    /// (the prediction-error variance given β plus the fixed-effect uncertainty; G, τ², ρ and σ²
    /// are taken as known). `latent` is the mean of the noise-free level x*ᵀβ + z*ᵀb + W(t*),
    /// which equals `mean`: measurement error is independent of the past.
    func conditional(patient index: Int, days: [Int]) -> [(mean: Double, standardError: Double, latent: Double)] {
        let s = series[index]
        let first = max(0, s.count - Self.conditioningLimit)
        let n = s.count - first
        let sigma2 = residualVariance, kappa = serialVariance / sigma2, range = serialRange
        let g = randomEffectCovariance
        let d = (g[0][0] / sigma2, g[0][1] / sigma2, g[1][1] / sigma2)
        func dq(_ u: (Double, Double), _ v: (Double, Double)) -> Double {
            u.0 * (d.0 * v.0 + d.1 * v.1) + u.1 * (d.1 * v.0 + d.2 * v.1)
        }
        let t = (first..<s.count).map { s.years(at: s.days[$0]) }
        var v = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for k in 0...j {
                let x = dq((1, t[j]), (1, t[k])) + kappa * exp(-abs(t[j] - t[k]) / range) + (j == k ? 1 : 0)
                v[j, k] = x; v[k, j] = x
            }
        }
        let cb = betaCovariance
        guard let chol = try? Cholesky(v, context: "forecast covariance"),
              let r = try? chol.solve((0..<n).map { s.values[first + $0] - beta[0] - beta[1] * t[$0] }) else {
            return days.map { _ in (Double.nan, Double.nan, Double.nan) }
        }
        return days.map { day in
            let ts = s.years(at: day)
            let c = (0..<n).map { dq((1, ts), (1, t[$0])) + kappa * exp(-abs(ts - t[$0]) / range) }
            guard let w = try? chol.solve(c) else { return (Double.nan, Double.nan, Double.nan) }
            var mean = beta[0] + beta[1] * ts, cwc = 0.0, xw0 = 0.0, xw1 = 0.0
            for j in 0..<n {
                mean += c[j] * r[j]
                cwc += c[j] * w[j]
                xw0 += w[j]; xw1 += t[j] * w[j]
            }
            // c V⁻¹ r with r = V⁻¹(y − Xβ̂): Σ c_j r_j is cᵀV⁻¹(y − Xβ̂).
            let a = (1 - xw0, ts - xw1)
            let fixed = a.0 * a.0 * cb[0][0] + 2 * a.0 * a.1 * cb[0][1] + a.1 * a.1 * cb[1][1]
            let variance = sigma2 * (dq((1, ts), (1, ts)) + kappa + 1 - cwc) + fixed
            return (mean, max(0, variance).squareRoot(), mean)
        }
    }
}
