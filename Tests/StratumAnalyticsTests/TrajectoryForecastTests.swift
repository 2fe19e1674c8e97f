import XCTest
@testable import StratumAnalytics

/// Forecasts: intervals, the threshold rule, and that results after the as-of date never change one.
final class TrajectoryForecastTests: XCTestCase {
    func testIntervalsAreNormalAndWidenWithTheHorizon() throws {
        let model = try TrajectoryModel.fit(TrajectorySimulation(patients: 300, seed: 4).series())
        let near = model.forecast(horizonDays: 30), far = model.forecast(horizonDays: 720)
        XCTAssertEqual(near.count, model.series.count)
        for (n, f) in zip(near, far) {
            XCTAssertEqual(f.day, f.lastDay + 720)
            XCTAssertEqual(f.hi95 - f.mean, 1.959964 * f.standardError, accuracy: 1e-5)
            XCTAssertEqual(f.hi80 - f.mean, 1.281552 * f.standardError, accuracy: 1e-5)
            XCTAssertEqual(f.mean - f.lo95, f.hi95 - f.mean, accuracy: 1e-12)
            // Never tighter than a new result's own noise.
            XCTAssertGreaterThan(n.standardError, model.residualSD)
            XCTAssertGreaterThan(f.standardError, n.standardError)
        }
    }

    func testPredictionStandardErrorMatchesTheDefinition() throws {
        let model = try TrajectoryModel.fit(TrajectorySimulation(patients: 200, seed: 6).series())
        let i = 17
        let f = model.forecast(patient: i, day: model.series[i].lastDay + 365)
        // Brute force: Var = aᵀCov(β̂)a + σ² zᵀKz + σ² with a = z − (K ZᵀZ)ᵀ z, from the raw series.
        let s = model.series[i]
        let t = s.years(at: f.day)
        var ztz = [[0.0, 0.0], [0.0, 0.0]]
        for d in s.days { let u = s.years(at: d); ztz[0][0] += 1; ztz[0][1] += u; ztz[1][0] += u; ztz[1][1] += u * u }
        let pe = model.effects[i].covariance  // σ² K
        let sigma2 = model.residualVariance
        var kztz = [[0.0, 0.0], [0.0, 0.0]]
        for r in 0..<2 { for c in 0..<2 { kztz[r][c] = (pe[r][0] * ztz[0][c] + pe[r][1] * ztz[1][c]) / sigma2 } }
        let z = [1.0, t]
        let a = [z[0] - (kztz[0][0] * z[0] + kztz[1][0] * z[1]), z[1] - (kztz[0][1] * z[0] + kztz[1][1] * z[1])]
        let cb = model.betaCovariance
        let v = a[0] * a[0] * cb[0][0] + 2 * a[0] * a[1] * cb[0][1] + a[1] * a[1] * cb[1][1]
            + (z[0] * z[0] * pe[0][0] + 2 * z[0] * z[1] * pe[0][1] + z[1] * z[1] * pe[1][1]) + sigma2
        XCTAssertEqual(f.standardError, v.squareRoot(), accuracy: 1e-10)
        XCTAssertEqual(f.mean, model.beta[0] + model.effects[i].intercept + (model.beta[1] + model.effects[i].slope) * t, accuracy: 1e-10)
    }

    func testThresholdRule() throws {
        XCTAssertTrue(TrajectoryForecast.crossesThreshold(fittedAtOrigin: 8.5, mean: 9.0, threshold: 9))
        XCTAssertFalse(TrajectoryForecast.crossesThreshold(fittedAtOrigin: 9.0, mean: 9.5, threshold: 9))  // already there
        XCTAssertFalse(TrajectoryForecast.crossesThreshold(fittedAtOrigin: 8.5, mean: 8.99, threshold: 9))
        // A patient rising 1 %/year, at 8 % now: crosses 9 % within two years, not within three months.
        var rows = TrajectorySimulation(patients: 300, seed: 12).observations()
        for k in 0..<6 { rows.append(TrajectoryObservation(personID: 1, day: 18_000 + 146 * k, value: 6.0 + Double(k) * 0.4)) }
        let model = try TrajectoryModel.fit(PatientSeries.build(from: rows))
        let i = try XCTUnwrap(model.index(of: 1))
        let short = model.forecast(horizonDays: 90, threshold: 9)[i], long = model.forecast(horizonDays: 730, threshold: 9)[i]
        XCTAssertLessThan(short.fittedAtOrigin, 9)
        XCTAssertEqual(short.crossesThreshold, false)
        XCTAssertEqual(long.crossesThreshold, true)
        XCTAssertNil(model.forecast(horizonDays: 90)[i].crossesThreshold)
    }

    /// Results after the as-of date never change a forecast, however wild they are.
    func testResultsAfterAsOfNeverChangeAForecast() throws {
        let rows = TrajectorySimulation(patients: 300, seed: 13).observations()
        let asOf = 17_200
        var future = rows
        let rng = SeededRandom(seed: 99)
        for p in 0..<300 where p % 2 == 0 {
            future.append(TrajectoryObservation(personID: Int64(1_000 + p), day: asOf + 1 + rng.integer(below: 400), value: 3 + 17 * rng.uniform()))
        }
        // Also perturb every existing result after the as-of date.
        future = future.map { $0.day > asOf ? TrajectoryObservation(personID: $0.personID, day: $0.day, value: $0.value + 5) : $0 }
        let a = try TrajectoryModel.fit(PatientSeries.build(from: rows), asOf: asOf).forecast(horizonDays: 180, threshold: 9)
        let b = try TrajectoryModel.fit(PatientSeries.build(from: future), asOf: asOf).forecast(horizonDays: 180, threshold: 9)
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.allSatisfy { $0.lastDay <= asOf && $0.day == asOf + 180 && $0.originDay == asOf })
        // …while without the as-of date they do change (the test can fail).
        let c = try TrajectoryModel.fit(PatientSeries.build(from: future)).forecast(horizonDays: 180)
        XCTAssertNotEqual(c.map(\.mean), try TrajectoryModel.fit(PatientSeries.build(from: rows)).forecast(horizonDays: 180).map(\.mean))
    }
}
