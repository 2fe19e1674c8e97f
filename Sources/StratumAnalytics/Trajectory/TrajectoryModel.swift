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
    /// Simplex iterations and criterion evaluations the fit took (for the exponential model,
    /// including the independent fit it starts from).
    public let iterations: Int
    public let evaluations: Int
    /// The residual structure fitted.
    public let correlation: ResidualCorrelation
    /// τ², the variance of the serial (CAR(1)) residual component W (0 for independent residuals).
    /// ``residualVariance`` is then the measurement-error variance σ².
    public let serialVariance: Double
    /// ρ, the range of the serial correlation in years: Corr(W(t), W(s)) = exp(−|t − s|/ρ)
    /// (0 for independent residuals).
    public let serialRange: Double

    /// Number of (same-day averaged) results the model saw.
    public var observationCount: Int { series.reduce(0) { $0 + $1.count } }
    /// Standard errors of β0 and β1.
    public var betaStandardErrors: [Double] { [betaCovariance[0][0].squareRoot(), betaCovariance[1][1].squareRoot()] }
    /// σ.
    public var residualSD: Double { residualVariance.squareRoot() }

    /// The default residual structure of ``fit(_:asOf:correlation:maxIterations:)`` and the CLI.
    public static let defaultCorrelation: ResidualCorrelation = .independent

    /// Fits the model to `series`, ignoring every result after `asOf` (a day number) when given.
    /// `correlation` chooses independent residuals or Diggle's exponential serial correlation plus
    /// measurement error. Throws ``TrajectoryError`` when there is too little data or the optimiser
    /// does not converge.
    public static func fit(_ series: [PatientSeries], asOf: Int? = nil, correlation: ResidualCorrelation = defaultCorrelation,
                           maxIterations: Int = 5_000) throws -> TrajectoryModel {
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
        let serial = SerialREMLProfile(series: used, shift: shift)
        let profile = serial.profile

        // Independent residuals first (the exponential fit starts from that optimum).
        var iterations = 0
        var theta = try optimise(start: [1.0, 0.0, 0.5], step: 1.0, maxIterations: maxIterations, iterations: &iterations) {
            profile.evaluate(($0[0], $0[1], $0[2]))?.criterion
        }
        var kappa = 0.0, range = 0.0
        var moments = profile.moments
        var at: REMLProfile.Evaluation
        switch correlation {
        case .independent:
            guard let e = profile.evaluate((theta[0], theta[1], theta[2])) else {
                throw TrajectoryError.numerical("the REML criterion is not finite at the optimum")
            }
            at = e
        case .exponential:
            // Start with τ² = σ²/4 and ρ = 1 year; a half-unit simplex in every direction.
            theta = try optimise(start: theta + [0.5, 0.0], step: 0.5, maxIterations: maxIterations, iterations: &iterations) {
                serial.evaluate($0)?.criterion
            }
            kappa = SerialREMLProfile.kappa(theta)
            range = SerialREMLProfile.range(theta)
            let (whitened, logdet) = serial.whitened(kappa: kappa, range: range)
            moments = whitened
            guard let e = profile.evaluate((theta[0], theta[1], theta[2]), moments: whitened, logdetA: logdet) else {
                throw TrajectoryError.numerical("the REML criterion is not finite at the optimum")
            }
            at = e
        }
        let dof = Double(total - 2)
        let sigma2 = at.r2 / dof
        guard let xinv = at.xtvx.inverse else { throw TrajectoryError.numerical("singular fixed-effect information") }
        let l = REMLProfile.factor((theta[0], theta[1], theta[2]))
        let g = sigma2 * (l * l.transposed)
        var effects: [PatientEffects] = []
        effects.reserveCapacity(used.count)
        let lt = l.transposed
        for m in moments {
            // With whitened moments (ZᵀA⁻¹Z, ZᵀA⁻¹y) this is b̂ = D ZᵀV⁻¹(y − Xβ̂) by Woodbury.
            let ztz = m.ztz
            guard let minv = (Mat2.identity + lt * ztz * l).inverse else { throw TrajectoryError.numerical("singular patient information") }
            let k = l * minv * lt
            let fitted = ztz * at.beta
            let b = k * (m.zty.0 - fitted.0, m.zty.1 - fitted.1)
            effects.append(PatientEffects(intercept: b.0, slope: b.1, relativeCovariance: k, sensitivity: k * ztz, sigma2: sigma2))
        }
        return TrajectoryModel(beta: [at.beta.0 + shift, at.beta.1], betaCovariance: (sigma2 * xinv).rows,
                               randomEffectCovariance: g.rows, residualVariance: sigma2, series: used, effects: effects,
                               asOf: asOf, remlCriterion: at.criterion, iterations: iterations,
                               evaluations: profile.evaluations + serial.evaluations,
                               correlation: correlation, serialVariance: kappa * sigma2, serialRange: range)
    }

    /// Nelder–Mead from `start`, then restarts from the best point with a smaller simplex until
    /// the criterion stops improving (simplex methods can stall early).
    private static func optimise(start: [Double], step: Double, maxIterations: Int, iterations: inout Int,
                                 _ criterion: @escaping ([Double]) -> Double?) throws -> [Double] {
        var theta = start
        var step = step
        var best = Double.infinity
        for round in 0..<6 {
            let run = try minimise(criterion, start: theta, step: step, maxIterations: maxIterations)
            iterations += run.iterations
            guard run.converged else { throw TrajectoryError.notConverged(iterations: iterations, simplexSize: run.size) }
            let improvement = best - run.value
            theta = run.theta
            best = min(best, run.value)
            if round > 0 && improvement < 1e-9 { break }
            step = max(0.05, 0.2 * (theta.map(abs).max() ?? 0))
        }
        return theta
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

    private struct Run { var theta: [Double]; var value: Double; var iterations: Int; var size: Double; var converged: Bool }

    private final class Criterion {
        let body: ([Double]) -> Double?
        let n: Int
        init(_ body: @escaping ([Double]) -> Double?, n: Int) { (self.body, self.n) = (body, n) }
    }

    private static func minimise(_ criterion: @escaping ([Double]) -> Double?, start: [Double], step: Double, maxIterations: Int) throws -> Run {
        let n = start.count
        let box = Criterion(criterion, n: n)
        let context = Unmanaged.passUnretained(box).toOpaque()
        var function = gsl_multimin_function(f: { x, params in
            let box = Unmanaged<Criterion>.fromOpaque(params!).takeUnretainedValue()
            let theta = (0..<box.n).map { gsl_vector_get(x, $0) }
            return box.body(theta) ?? 1e300
        }, n: n, params: context)
        let x = gsl_vector_alloc(n)!, steps = gsl_vector_alloc(n)!
        defer { gsl_vector_free(x); gsl_vector_free(steps) }
        for i in 0..<n { gsl_vector_set(x, i, start[i]) }
        gsl_vector_set_all(steps, step)
        guard let minimizer = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n) else {
            throw TrajectoryError.numerical("cannot allocate the simplex minimiser")
        }
        defer { gsl_multimin_fminimizer_free(minimizer) }
        try withExtendedLifetime(box) {
            try GSL.check(gsl_multimin_fminimizer_set(minimizer, &function, x, steps), "REML simplex start")
        }
        guard minimizer.pointee.fval < 1e299 else { throw TrajectoryError.numerical("the REML criterion is not finite at the start") }
        // Simplex size relative to the scale of θ: the criterion is flat to rounding below that.
        let tolerance = 1e-7 * max(1, start.map(abs).max() ?? 0)
        var iteration = 0, size = Double.infinity, converged = false
        while iteration < maxIterations {
            iteration += 1
            let status = withExtendedLifetime(box) { gsl_multimin_fminimizer_iterate(minimizer) }
            if status != GSL_SUCCESS && status != GSL_CONTINUE {
                try GSL.check(status, "REML simplex iteration \(iteration)")
            }
            size = gsl_multimin_fminimizer_size(minimizer)
            if gsl_multimin_test_size(size, tolerance) == GSL_SUCCESS { converged = true; break }
        }
        let best = gsl_multimin_fminimizer_x(minimizer)!
        return Run(theta: (0..<n).map { gsl_vector_get(best, $0) },
                   value: gsl_multimin_fminimizer_minimum(minimizer), iterations: iteration, size: size, converged: converged)
    }
}
