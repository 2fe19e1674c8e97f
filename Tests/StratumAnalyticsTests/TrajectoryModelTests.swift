import XCTest
@testable import StratumAnalytics

/// The REML fit of the random-intercept-and-slope model: recovery of planted parameters, BLUP
/// shrinkage, one-result patients, same-day duplicates and refusals.
final class TrajectoryModelTests: XCTestCase {
    func testRecoversPlantedFixedEffectsAndCovariance() throws {
        let sim = TrajectorySimulation(patients: 2_000, seed: 11)
        let model = try TrajectoryModel.fit(sim.series())
        let se = model.betaStandardErrors
        print("recovery: β = \(model.beta) (SE \(se)), G = \(model.randomEffectCovariance), σ = \(model.residualSD)")
        // Fixed effects within 3 standard errors of the planted values.
        XCTAssertEqual(model.beta[0], sim.beta.0, accuracy: 3 * se[0])
        XCTAssertEqual(model.beta[1], sim.beta.1, accuracy: 3 * se[1])
        XCTAssertLessThan(se[0], 0.05)
        XCTAssertLessThan(se[1], 0.02)
        // Variance components within sampling error (≈ 3 SE at 2,000 patients).
        let g = model.randomEffectCovariance
        XCTAssertEqual(g[0][0], sim.g.0, accuracy: 0.12)
        XCTAssertEqual(g[0][1], sim.g.1, accuracy: 0.04)
        XCTAssertEqual(g[1][1], sim.g.2, accuracy: 0.02)
        XCTAssertEqual(model.residualSD, sim.sigma, accuracy: 0.015)
        XCTAssertEqual(g[0][1], g[1][0])
    }

    func testBLUPShrinksTowardsThePopulation() throws {
        var rows = TrajectorySimulation(patients: 600, seed: 5).observations()
        // A one-result patient far above the mean, and a patient with many results on a steep rise.
        rows.append(TrajectoryObservation(personID: 1, day: 17_000, value: 11.0))
        for k in 0..<8 { rows.append(TrajectoryObservation(personID: 2, day: 17_000 + 120 * k, value: 7.0 + 0.8 * Double(k) * 120 / 365.25)) }
        let model = try TrajectoryModel.fit(PatientSeries.build(from: rows))
        let g = model.randomEffectCovariance
        let one = try XCTUnwrap(model.index(of: 1)), many = try XCTUnwrap(model.index(of: 2))
        let e1 = model.effects[one], e2 = model.effects[many]
        // One result: intercept shrunk between the population and the value: b0 = G11/(G11+σ²)·(y − β0).
        let raw = 11.0 - model.beta[0]
        XCTAssertEqual(e1.intercept, g[0][0] / (g[0][0] + model.residualVariance) * raw, accuracy: 1e-6)
        XCTAssertGreaterThan(e1.intercept, 0)
        XCTAssertLessThan(e1.intercept, raw)
        // …and no slope information of its own: the slope deviation is only what the intercept
        // implies through G's covariance (E[b1 | b0] = G12/G11·b0); with G12 = 0 it is the population slope.
        XCTAssertEqual(e1.slope, g[0][1] / g[0][0] * e1.intercept, accuracy: 1e-9)
        // Its slope uncertainty is (nearly) the population's: G22 − G12²/(G11+σ²).
        XCTAssertEqual(e1.covariance[1][1], g[1][1] - g[0][1] * g[0][1] / (g[0][0] + model.residualVariance), accuracy: 1e-9)
        // Many results: the slope moves most of the way to the patient's own (0.8 %/year), not all of it.
        let own = 0.8
        XCTAssertGreaterThan(model.beta[1] + e2.slope, model.beta[1] + 0.5 * (own - model.beta[1]))
        XCTAssertLessThan(model.beta[1] + e2.slope, own)
        XCTAssertLessThan(e2.covariance[1][1], 0.5 * g[1][1])
    }

    func testOneResultPatientWithUncorrelatedEffectsKeepsThePopulationSlope() throws {
        // G planted diagonal; the fitted G12 is near zero, so the slope stays (nearly) β1.
        var rows = TrajectorySimulation(patients: 800, g: (1.0, 0.0, 0.06), seed: 9).observations()
        rows.append(TrajectoryObservation(personID: 1, day: 17_000, value: 9.0))
        let model = try TrajectoryModel.fit(PatientSeries.build(from: rows))
        let e = model.effects[try XCTUnwrap(model.index(of: 1))]
        XCTAssertEqual(e.slope, 0, accuracy: 0.02)
        XCTAssertEqual(model.forecast(patient: model.index(of: 1)!, day: 17_365).mean - model.fittedValue(patient: model.index(of: 1)!, day: 17_000),
                       model.beta[1] + e.slope, accuracy: 0.01)
    }

    func testSameDayResultsAreAveraged() {
        let series = PatientSeries.build(from: [
            TrajectoryObservation(personID: 7, day: 100, value: 7.0), TrajectoryObservation(personID: 7, day: 100, value: 8.0),
            TrajectoryObservation(personID: 7, day: 50, value: 6.0), TrajectoryObservation(personID: 3, day: 10, value: .nan),
            TrajectoryObservation(personID: 3, day: 10, value: 9.0),
        ])
        XCTAssertEqual(series.map(\.personID), [3, 7])
        XCTAssertEqual(series[1].days, [50, 100])
        XCTAssertEqual(series[1].values, [6.0, 7.5])
        XCTAssertEqual(series[1].resultCount, 3)
        XCTAssertEqual(series[0].values, [9.0])
    }

    func testRefusesDataWithoutSlopeInformationAndReportsNonConvergence() throws {
        let flat = (0..<10).map { PatientSeries(personID: Int64($0), days: [100], values: [7 + 0.1 * Double($0)]) }
        XCTAssertThrowsError(try TrajectoryModel.fit(flat)) { error in
            guard case TrajectoryError.insufficientData = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TrajectoryModel.fit([])) { error in
            guard case TrajectoryError.noData = error else { return XCTFail("\(error)") }
        }
        // One iteration is never enough: an error, not a silent result.
        XCTAssertThrowsError(try TrajectoryModel.fit(TrajectorySimulation(patients: 50).series(), maxIterations: 1)) { error in
            guard case TrajectoryError.notConverged = error else { return XCTFail("\(error)") }
        }
    }

    func testUnitsConvertAndImplausibleValuesAreCounted() {
        XCTAssertEqual(HbA1cUnit(unitText: "%"), .percent)
        XCTAssertEqual(HbA1cUnit(unitText: "%{HbA1c}"), .percent)
        XCTAssertEqual(HbA1cUnit(unitText: nil), .percent)
        XCTAssertEqual(HbA1cUnit(unitText: "mmol/mol"), .mmolPerMol)
        XCTAssertNil(HbA1cUnit(unitText: "mg/dL"))
        XCTAssertEqual(HbA1cUnit.mmolPerMol.percent(53), 0.09148 * 53 + 2.152, accuracy: 1e-12)  // ≈ 7.0 %
        var results = HbA1cResults()
        results.add(personID: 1, day: 1, value: 53, unit: .mmolPerMol)
        results.add(personID: 1, day: 2, value: 7.1, unit: .percent)
        results.add(personID: 1, day: 3, value: 71, unit: .percent)      // a mmol/mol value labelled %: implausible
        results.add(personID: 1, day: 4, value: 2.0, unit: .percent)
        results.add(personID: 1, day: 5, value: 7.0, unit: HbA1cUnit(unitText: "mg/dL"))
        results.add(personID: 1, day: 9, value: 7.0, unit: .percent, asOf: 8)
        XCTAssertEqual(results.observations.count, 2)
        XCTAssertEqual(results.observations[0].value, 7.0, accuracy: 0.01)
        XCTAssertEqual(results.converted, 1)
        XCTAssertEqual(results.droppedImplausible, 2)
        XCTAssertEqual(results.droppedUnknownUnit, 1)
        XCTAssertEqual(results.droppedAfterAsOf, 1)
    }
}
