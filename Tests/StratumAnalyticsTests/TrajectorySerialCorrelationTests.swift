import Foundation
import XCTest
@testable import StratumAnalytics

/// The exponential (Diggle) residual model: y = Xβ + Zb + W + e, W a CAR(1) with variance τ² and
/// range ρ, e ~ N(0, σ²). Whitening against a GSL Cholesky, recovery of planted parameters,
/// reduction to the independent model, and the forecast's lean towards the last residual.
final class TrajectorySerialCorrelationTests: XCTestCase {
    /// The Kalman-filter whitening equals the dense computation with a GSL Cholesky of A = κR + I.
    func testWhiteningMatchesACholeskyOfTheResidualCorrelation() throws {
        let s = try XCTUnwrap(TrajectorySimulation(patients: 40, tau: 0.4, range: 0.7, minResults: 8, maxResults: 12, seed: 21).series().first)
        let kappa = 2.5, range = 0.7, shift = 7.0
        let (m, logdet) = SerialWhitening.moments(s, shift: shift, kappa: kappa, range: range)
        let n = s.count
        let t = s.days.map { s.years(at: $0) }, y = s.values.map { $0 - shift }
        var a = Matrix(rows: n, columns: n)
        for j in 0..<n { for k in 0..<n { a[j, k] = kappa * exp(-abs(t[j] - t[k]) / range) + (j == k ? 1 : 0) } }
        let chol = try Cholesky(a)
        let ainvOne = try chol.solve([Double](repeating: 1, count: n)), ainvT = try chol.solve(t), ainvY = try chol.solve(y)
        func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
        XCTAssertEqual(logdet, chol.logDeterminant, accuracy: 1e-10)
        XCTAssertEqual(m.n, ainvOne.reduce(0, +), accuracy: 1e-10)
        XCTAssertEqual(m.st, dot(t, ainvOne), accuracy: 1e-10)
        XCTAssertEqual(m.stt, dot(t, ainvT), accuracy: 1e-10)
        XCTAssertEqual(m.sy, dot(y, ainvOne), accuracy: 1e-10)
        XCTAssertEqual(m.sty, dot(y, ainvT), accuracy: 1e-10)
        XCTAssertEqual(m.syy, dot(y, ainvY), accuracy: 1e-9)
        XCTAssertNotEqual(m.n, Double(n), accuracy: 0.1)  // it is whitened
    }

    /// Planted β, G, τ², ρ and σ² on 2,000 patients with 8–20 results 1–4 months apart.
    func testRecoversPlantedSerialCorrelation() throws {
        let sim = TrajectorySimulation(patients: 2_000, beta: (8.0, 0.15), g: (1.0, -0.05, 0.06), sigma: 0.2,
                                       tau: 0.4, range: 0.5, minResults: 8, maxResults: 20, seed: 31)
        let series = sim.series()
        let model = try TrajectoryModel.fit(series, correlation: .exponential)
        let se = model.betaStandardErrors, g = model.randomEffectCovariance
        print(String(format: "serial recovery: β = (%.3f, %.4f) SE (%.3f, %.4f); G = [[%.3f, %.4f], [%.4f, %.4f]]; τ² = %.4f (0.16), ρ = %.3f y (0.5), σ² = %.4f (0.04); %d iterations",
                     model.beta[0], model.beta[1], se[0], se[1], g[0][0], g[0][1], g[1][0], g[1][1],
                     model.serialVariance, model.serialRange, model.residualVariance, model.iterations))
        XCTAssertEqual(model.correlation, ResidualCorrelation.exponential)
        XCTAssertEqual(model.beta[0], sim.beta.0, accuracy: 3 * se[0])
        XCTAssertEqual(model.beta[1], sim.beta.1, accuracy: 3 * se[1])
        XCTAssertEqual(model.serialVariance, 0.16, accuracy: 0.04)
        XCTAssertEqual(model.serialRange, 0.5, accuracy: 0.15)
        XCTAssertEqual(model.residualVariance, 0.04, accuracy: 0.01)
        XCTAssertEqual(g[0][0], 1.0, accuracy: 0.12)
        XCTAssertEqual(g[1][1], 0.06, accuracy: 0.02)
        // The independent model on the same data lumps W into σ² (and the random effects).
        let independent = try TrajectoryModel.fit(series, correlation: .independent)
        XCTAssertGreaterThan(independent.residualVariance, 0.1)
        XCTAssertLessThan(model.remlCriterion, independent.remlCriterion - 100)
    }

    /// With τ² = 0 the exponential criterion is the independent one, and on independent data the
    /// exponential fit finds τ² ≈ 0 and the independent model's β, G, σ² and forecasts.
    func testReducesToTheIndependentModelWithoutSerialVariance() throws {
        let series = TrajectorySimulation(patients: 800, seed: 17).series()
        let shift = 8.0
        let serial = SerialREMLProfile(series: series, shift: shift)
        for theta in [[1.0, 0.1, 0.3], [0.8, -0.2, 0.5]] {
            let a = try XCTUnwrap(serial.evaluate(theta + [0, log(0.7)])), b = try XCTUnwrap(serial.profile.evaluate((theta[0], theta[1], theta[2])))
            XCTAssertEqual(a.criterion, b.criterion, accuracy: 1e-9 * abs(b.criterion))
            let c = try XCTUnwrap(serial.evaluate(theta + [0.5, log(0.7)]))
            XCTAssertNotEqual(c.criterion, b.criterion, accuracy: 1e-3)
        }
        let ind = try TrajectoryModel.fit(series, correlation: .independent)
        let serialFit = try TrajectoryModel.fit(series, correlation: .exponential)
        print("reduction: τ² = \(serialFit.serialVariance), σ² = \(serialFit.residualVariance) vs \(ind.residualVariance)")
        XCTAssertLessThan(serialFit.serialVariance, 1e-4 * ind.residualVariance)
        XCTAssertEqual(serialFit.beta[0], ind.beta[0], accuracy: 1e-6)
        XCTAssertEqual(serialFit.beta[1], ind.beta[1], accuracy: 1e-6)
        XCTAssertEqual(serialFit.residualVariance, ind.residualVariance, accuracy: 1e-5 * ind.residualVariance)
        for r in 0..<2 { for c in 0..<2 {
            XCTAssertEqual(serialFit.randomEffectCovariance[r][c], ind.randomEffectCovariance[r][c], accuracy: 1e-5 * ind.randomEffectCovariance[0][0])
        } }
        // The dense conditional forecast (GSL Cholesky of V_i) equals the 2×2 BLUP formula.
        for i in stride(from: 0, to: series.count, by: 37) {
            let day = series[i].lastDay + 200
            let a = ind.forecast(patient: i, day: day), b = serialFit.forecast(patient: i, day: day)
            XCTAssertEqual(a.mean, b.mean, accuracy: 1e-4)
            XCTAssertEqual(a.standardError, b.standardError, accuracy: 1e-4)
        }
    }

    /// A forecast a week after the last result leans to the last residual (W persists); ten
    /// years later W has decorrelated and the forecast is the patient's BLUP line.
    func testForecastLeansToTheLastResidualForShortGapsOnly() throws {
        var rows = TrajectorySimulation(patients: 600, beta: (8.0, 0.1), g: (1.0, 0.0, 0.04), sigma: 0.15,
                                        tau: 0.4, range: 0.5, minResults: 6, maxResults: 12, seed: 41).observations()
        // A patient flat at 7 % whose last result jumps to 8 %.
        for k in 0..<8 { rows.append(TrajectoryObservation(personID: 1, day: 17_000 + 90 * k, value: k == 7 ? 8.0 : 7.0)) }
        let model = try TrajectoryModel.fit(PatientSeries.build(from: rows), correlation: .exponential)
        let i = try XCTUnwrap(model.index(of: 1)), s = model.series[i]
        let residual = s.lastValue - model.fittedValue(patient: i, day: s.lastDay)
        let short = model.forecast(patient: i, day: s.lastDay + 7), long = model.forecast(patient: i, day: s.lastDay + 3_652)
        let shortLean = short.mean - model.fittedValue(patient: i, day: short.day)
        let longLean = long.mean - model.fittedValue(patient: i, day: long.day)
        print("lean: last residual \(residual), short-gap lean \(shortLean), long-gap lean \(longLean)")
        XCTAssertGreaterThan(residual, 0.3)
        XCTAssertGreaterThan(shortLean, 0.5 * residual)
        XCTAssertLessThanOrEqual(shortLean, residual)
        XCTAssertEqual(longLean, 0, accuracy: 1e-6)
        // The independent model has no lean at any gap.
        let ind = try TrajectoryModel.fit(model.series, correlation: .independent)
        XCTAssertEqual(ind.forecast(patient: i, day: s.lastDay + 7).mean, ind.fittedValue(patient: i, day: s.lastDay + 7), accuracy: 1e-12)
        // Short-gap uncertainty is smaller than long-gap uncertainty.
        XCTAssertLessThan(short.standardError, long.standardError)
    }
}
