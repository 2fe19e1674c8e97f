import Foundation
import XCTest
import Stratum
@testable import StratumAnalytics

/// One-step-ahead backtests: the model against last value carried forward (LVCF).
final class TrajectoryBacktestTests: XCTestCase {
    func report(_ b: TrajectoryBacktest, _ label: String) {
        func row(_ name: String, _ m: BacktestMetrics) -> String {
            String(format: "  %-6@ n=%d MAE %.3f RMSE %.3f cover95 %.1f%% cover80 %.1f%% width95 %.2f",
                   name as NSString, m.count, m.mae, m.rmse, 100 * m.coverage95, 100 * m.coverage80, m.meanWidth95)
        }
        print("backtest[\(label)]: \(b.patients) patients held out (min history \(b.minHistory))\n"
              + row("model", b.model) + "\n" + row("LVCF", b.lastValue))
    }

    /// Simulated data in the shape of `stratum synth` diabetics: levels around 8 %, drifts of
    /// ±0.25 %/year, 1–10 results 2–8 months apart, assay noise 0.3 %.
    func testModelBeatsLastValueOnDriftingTrajectories() throws {
        let series = TrajectorySimulation(patients: 1_500, beta: (8.0, 0.12), g: (1.6, 0.0, 0.0625), sigma: 0.3, seed: 3).series()
        let b = try TrajectoryBacktest.run(series, minHistory: 3, correlation: .independent)
        report(b, "simulated synth-shaped")
        XCTAssertGreaterThan(b.patients, 800)
        XCTAssertLessThan(b.model.mae, b.lastValue.mae)
        XCTAssertLessThan(b.model.rmse, b.lastValue.rmse)
        XCTAssertGreaterThanOrEqual(b.model.coverage95, 0.90)
        XCTAssertLessThanOrEqual(b.model.coverage95, 0.98)
        // Independent residuals: the exponential model finds τ² ≈ 0 and forecasts the same.
        let e = try TrajectoryBacktest.run(series, minHistory: 3, correlation: .exponential)
        report(e, "simulated synth-shaped, exponential")
        XCTAssertLessThan(e.fit.serialVariance, 1e-3 * e.fit.residualVariance)
        XCTAssertEqual(e.model.mae, b.model.mae, accuracy: 1e-4)
        XCTAssertEqual(e.model.coverage95, b.model.coverage95, accuracy: 0.002)
    }

    /// The same shape with a serial (CAR(1)) component: τ = 0.4 %, ρ = 1 year, σ = 0.2 %. The
    /// exponential model beats both the independent model and LVCF; the independent model loses
    /// to LVCF here.
    func testExponentialModelBeatsLastValueWithSerialCorrelation() throws {
        let series = TrajectorySimulation(patients: 1_500, beta: (8.0, 0.12), g: (1.6, 0.0, 0.0625), sigma: 0.2,
                                          tau: 0.4, range: 1.0, seed: 3).series()
        let e = try TrajectoryBacktest.run(series, minHistory: 3, correlation: .exponential)
        let b = try TrajectoryBacktest.run(series, minHistory: 3, correlation: .independent)
        report(e, "simulated CAR(1), exponential")
        report(b, "simulated CAR(1), independent")
        XCTAssertLessThan(e.model.mae, e.lastValue.mae)
        XCTAssertLessThan(e.model.rmse, e.lastValue.rmse)
        XCTAssertLessThan(e.model.mae, b.model.mae)
        XCTAssertGreaterThanOrEqual(e.model.coverage95, 0.90)
        XCTAssertLessThanOrEqual(e.model.coverage95, 0.98)
    }

    /// The R4 dev archive: Synthea's HbA1c values are nearly flat and stay below 8 %. Here neither
    /// model beats LVCF (MAE 0.193 independent, 0.177 exponential vs 0.155 when this was written;
    /// docs/FORECASTING.md):
    /// Synthea's series move in steps, not lines, and a straight-line trend extrapolated over a
    /// gap of years overshoots. The test pins the observed figures (coverage in 90–98 %, the
    /// model within 1.5× LVCF's MAE) so that a regression fails, and prints the comparison.
    func testBacktestOnR4Archive() throws {
        let b = try TrajectoryBacktest.run(try R4HbA1c.series(), minHistory: 3, correlation: .independent)
        report(b, "R4 dev archive")
        if b.model.mae >= b.lastValue.mae {
            print("backtest[R4 dev archive]: the model's MAE is not below LVCF's on this archive (known; see docs/FORECASTING.md)")
        }
        XCTAssertEqual(b.patients, 100)
        XCTAssertLessThan(b.model.mae, 1.5 * b.lastValue.mae)
        XCTAssertLessThan(b.model.mae, 0.25)
        XCTAssertGreaterThanOrEqual(b.model.coverage95, 0.90)
        XCTAssertLessThanOrEqual(b.model.coverage95, 0.98)
        // Serial correlation narrows the gap (the forecast leans to the last residual) but does
        // not close it; pinned so that a regression fails.
        let e = try TrajectoryBacktest.run(try R4HbA1c.series(), minHistory: 3, correlation: .exponential)
        report(e, "R4 dev archive, exponential")
        print(String(format: "R4 exponential fit: τ² = %.4f, ρ = %.3f years, σ² = %.4f", e.fit.serialVariance, e.fit.serialRange, e.fit.residualVariance))
        XCTAssertEqual(e.patients, 100)
        XCTAssertLessThan(e.model.mae, b.model.mae)
        XCTAssertLessThan(e.model.rmse, b.model.rmse)
        XCTAssertLessThan(e.model.mae, 1.2 * e.lastValue.mae)
        XCTAssertGreaterThanOrEqual(e.model.coverage95, 0.90)
        XCTAssertLessThanOrEqual(e.model.coverage95, 0.98)
    }

    func testPatientsWithTooLittleHistoryAreNotHeldOut() throws {
        let series = TrajectorySimulation(patients: 300, minResults: 1, maxResults: 4, seed: 8).series()
        let b = try TrajectoryBacktest.run(series, minHistory: 3)
        XCTAssertEqual(b.patients, series.filter { $0.count >= 4 }.count)
        // Everyone else's results all stay in training; eligible patients lose exactly one.
        XCTAssertEqual(b.fit.observationCount, series.reduce(0) { $0 + $1.count } - b.patients)
        XCTAssertThrowsError(try TrajectoryBacktest.run(series, minHistory: 20))
    }
}
