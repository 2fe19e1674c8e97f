@preconcurrency import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted linear mixed-effects trajectory model (docs/FORECASTING.md):
///
///   y_ij = (β0 + b0_i) + (β1 + b1_i)·t_ij + ε_ij,   (b0_i, b1_i) ~ N(0, G),   ε_ij ~ N(0, σ²),
///
/// t in years since patient i's first result, fitted by REML (β and σ² profiled out, the three
/// parameters of the Cholesky factor of G/σ² optimised with GSL's Nelder–Mead simplex,
/// `nmsimplex2`). Each patient gets BLUP random effects; forecasts are in
/// ``forecast(horizonDays:threshold:)``.
public struct TrajectoryModel: Sendable {
    /// Fixed effects: β0 (level at a patient's first result, %) and β1 (% per year).
    public let beta: [Double]
    /// Covariance of β̂ (σ² (XᵀV⁻¹X)⁻¹), rows.
    public let betaCovariance: [[Double]]
    /// Random-effect covariance G (intercept, slope), rows.
    public let randomEffectCovariance: [[Double]]
    /// Residual variance σ².
    public let residualVariance: Double
    /// The patients' series the model was fitted on (truncated at ``asOf``), by person id.
    public let series: [PatientSeries]
    /// Each patient's BLUP random effects, parallel to ``series``.
    public let effects: [PatientEffects]
    /// No result after this day was used (nil: all results).
    public let asOf: Int?
    /// −2 × the restricted log-likelihood at the optimum.
    public let remlCriterion: Double
    /// Simplex iterations and criterion evaluations the fit took.
    public let iterations: Int
    public let evaluations: Int

    /// Number of (same-day averaged) results the model saw.
    public var observationCount: Int { series.reduce(0) { $0 + $1.count } }
    /// Standard errors of β0 and β1.
    public var betaStandardErrors: [Double] { [betaCovariance[0][0].squareRoot(), betaCovariance[1][1].squareRoot()] }
    /// σ.
    public var residualSD: Double { residualVariance.squareRoot() }

    /// Fits the model to `series`, ignoring every result after `asOf` (a day number) when given.
    /// Throws ``TrajectoryError`` when there is too little data or the optimiser does not converge.
    public static func fit(_ series: [PatientSeries], asOf: Int? = nil, maxIterations: Int = 5_000) throws -> TrajectoryModel {
        GSL.prepare()
        let used = (asOf.map { day in series.compactMap { $0.truncated(through: day) } } ?? series)
            .sorted { $0.personID < $1.personID }
        guard !used.isEmpty else { throw TrajectoryError.noData(asOf == nil ? "no patient has a result" : "no result on or before the as-of date") }
        let total = used.reduce(0) { $0 + $1.count }
        guard total >= 4 else { throw TrajectoryError.insufficientData("\(total) results (at least 4 are needed)") }
        guard used.contains(where: { $0.count >= 2 }) else {
            throw TrajectoryError.insufficientData("no patient has results on two different days, so no slope can be estimated")
        }
        let shift = used.reduce(0.0) { $0 + $1.values.reduce(0, +) } / Double(total)
        let moments = used.map { PatientMoments($0, shift: shift) }
        let profile = REMLProfile(moments: moments)

        // Nelder–Mead from a neutral start, then restarts from the best point with a smaller
        // simplex until the criterion stops improving (simplex methods can stall early).
        var theta = (1.0, 0.0, 0.5)
        var step = 1.0
        var best = Double.infinity
        var iterations = 0
        for round in 0..<6 {
            let run = try minimise(profile, start: theta, step: step, maxIterations: maxIterations)
            iterations += run.iterations
            guard run.converged else { throw TrajectoryError.notConverged(iterations: iterations, simplexSize: run.size) }
            let improvement = best - run.value
            theta = run.theta
            best = min(best, run.value)
            if round > 0 && improvement < 1e-9 { break }
            step = max(0.05, 0.2 * max(abs(theta.0), abs(theta.1), abs(theta.2)))
        }
        guard let at = profile.evaluate(theta) else { throw TrajectoryError.numerical("the REML criterion is not finite at the optimum") }
        let dof = Double(total - 2)
        let sigma2 = at.r2 / dof
        guard let xinv = at.xtvx.inverse else { throw TrajectoryError.numerical("singular fixed-effect information") }
        let l = REMLProfile.factor(theta)
        let g = sigma2 * (l * l.transposed)
        var effects: [PatientEffects] = []
        effects.reserveCapacity(used.count)
        let lt = l.transposed
        for m in moments {
            let ztz = m.ztz
            guard let minv = (Mat2.identity + lt * ztz * l).inverse else { throw TrajectoryError.numerical("singular patient information") }
            let k = l * minv * lt
            let fitted = ztz * at.beta
            let b = k * (m.zty.0 - fitted.0, m.zty.1 - fitted.1)
            effects.append(PatientEffects(intercept: b.0, slope: b.1, relativeCovariance: k, sensitivity: k * ztz, sigma2: sigma2))
        }
        return TrajectoryModel(beta: [at.beta.0 + shift, at.beta.1], betaCovariance: (sigma2 * xinv).rows,
                               randomEffectCovariance: g.rows, residualVariance: sigma2, series: used, effects: effects,
                               asOf: asOf, remlCriterion: at.criterion, iterations: iterations, evaluations: profile.evaluations)
    }

    /// Patient `index`'s fitted (BLUP) value at `day`.
    public func fittedValue(patient index: Int, day: Int) -> Double {
        let t = series[index].years(at: day), e = effects[index]
        return (beta[0] + e.intercept) + (beta[1] + e.slope) * t
    }

    /// The population mean at `years` since a patient's first result, with the standard error of
    /// that mean (fixed-effect uncertainty only).
    public func populationMean(years t: Double) -> (mean: Double, standardError: Double) {
        let c = betaCovariance
        let v = c[0][0] + 2 * t * c[0][1] + t * t * c[1][1]
        return (beta[0] + beta[1] * t, max(0, v).squareRoot())
    }

    // MARK: Optimiser

    private struct Run { var theta: (Double, Double, Double); var value: Double; var iterations: Int; var size: Double; var converged: Bool }

    private static func minimise(_ profile: REMLProfile, start: (Double, Double, Double), step: Double, maxIterations: Int) throws -> Run {
        let context = Unmanaged.passUnretained(profile).toOpaque()
        var function = gsl_multimin_function(f: { x, params in
            let profile = Unmanaged<REMLProfile>.fromOpaque(params!).takeUnretainedValue()
            let theta = (gsl_vector_get(x, 0), gsl_vector_get(x, 1), gsl_vector_get(x, 2))
            return profile.evaluate(theta)?.criterion ?? 1e300
        }, n: 3, params: context)
        let x = gsl_vector_alloc(3)!, steps = gsl_vector_alloc(3)!
        defer { gsl_vector_free(x); gsl_vector_free(steps) }
        gsl_vector_set(x, 0, start.0); gsl_vector_set(x, 1, start.1); gsl_vector_set(x, 2, start.2)
        gsl_vector_set_all(steps, step)
        guard let minimizer = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 3) else {
            throw TrajectoryError.numerical("cannot allocate the simplex minimiser")
        }
        defer { gsl_multimin_fminimizer_free(minimizer) }
        try GSL.check(gsl_multimin_fminimizer_set(minimizer, &function, x, steps), "REML simplex start")
        guard minimizer.pointee.fval < 1e299 else { throw TrajectoryError.numerical("the REML criterion is not finite at the start") }
        // Simplex size relative to the scale of θ: the criterion is flat to rounding below that.
        let tolerance = 1e-7 * max(1, abs(start.0), abs(start.1), abs(start.2))
        var iteration = 0, size = Double.infinity, converged = false
        while iteration < maxIterations {
            iteration += 1
            let status = gsl_multimin_fminimizer_iterate(minimizer)
            if status != GSL_SUCCESS && status != GSL_CONTINUE {
                try GSL.check(status, "REML simplex iteration \(iteration)")
            }
            size = gsl_multimin_fminimizer_size(minimizer)
            if gsl_multimin_test_size(size, tolerance) == GSL_SUCCESS { converged = true; break }
        }
        let best = gsl_multimin_fminimizer_x(minimizer)!
        return Run(theta: (gsl_vector_get(best, 0), gsl_vector_get(best, 1), gsl_vector_get(best, 2)),
                   value: gsl_multimin_fminimizer_minimum(minimizer), iterations: iteration, size: size, converged: converged)
    }
}
