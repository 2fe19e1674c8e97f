import Foundation
import XCTest
@testable import StratumAnalytics

/// The trajectory model against statsmodels' MixedLM (REML, random intercept and slope) on the
/// same data: `smf.mixedlm("value ~ t", df, groups=df["person"], re_formula="~t").fit(reml=True)`.
final class TrajectoryPeerTests: XCTestCase {
    static let script = """
        import sys, json, warnings
        warnings.simplefilter("ignore")
        import pandas as pd, statsmodels.formula.api as smf
        df = pd.read_csv(sys.argv[1])
        r = smf.mixedlm("value ~ t", df, groups=df["person"], re_formula="~t").fit(reml=True)
        print(json.dumps({"fe": [float(v) for v in r.fe_params], "bse": [float(v) for v in r.bse_fe],
                          "cov_re": r.cov_re.values.tolist(), "scale": float(r.scale), "converged": bool(r.converged)}))
        """

    /// Writes the series as person,t,value (t in years since the patient's first result) and
    /// compares the fits. Returns the largest relative differences (fixed effects, variances).
    func compare(_ series: [PatientSeries], label: String) throws {
        let model = try TrajectoryModel.fit(series)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-mixedlm-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var csv = "person,t,value\n"
        for s in series { for k in 0..<s.count { csv += "\(s.personID),\(s.years(at: s.days[k])),\(s.values[k])\n" } }
        try csv.write(to: url, atomically: true, encoding: .utf8)
        let peer = try PeerPython.json(Self.script, arguments: [url.path])
        let fe = try XCTUnwrap(peer["fe"] as? [Double]), bse = try XCTUnwrap(peer["bse"] as? [Double])
        let cov = try XCTUnwrap(peer["cov_re"] as? [[Double]]), scale = try XCTUnwrap(peer["scale"] as? Double)
        let g = model.randomEffectCovariance
        func rel(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-12) }
        let feRel = [rel(model.beta[0], fe[0]), rel(model.beta[1], fe[1])]
        let seRel = [rel(model.betaStandardErrors[0], bse[0]), rel(model.betaStandardErrors[1], bse[1])]
        // G entries relative to the scale of G (the covariance can be near zero).
        let gScale = max(g[0][0], g[1][1], cov[0][0], cov[1][1])
        let gAbs = [abs(g[0][0] - cov[0][0]), abs(g[0][1] - cov[0][1]), abs(g[1][1] - cov[1][1])]
        let gRel = [rel(g[0][0], cov[0][0]), rel(g[1][1], cov[1][1])]
        print("""
            peer[\(label)]: \(series.count) patients, \(model.observationCount) results
              Stratum     β = \(model.beta) SE \(model.betaStandardErrors) G = \(g) σ² = \(model.residualVariance)
              statsmodels β = \(fe) SE \(bse) G = \(cov) σ² = \(scale) converged \(peer["converged"] ?? "?")
              relative differences: β \(feRel), SE \(seRel), σ² \(rel(model.residualVariance, scale)), G diag \(gRel), G abs \(gAbs)
            """)
        XCTAssertLessThan(feRel[0], 0.01, "\(label): β0")
        XCTAssertLessThan(abs(model.beta[1] - fe[1]), max(0.01 * abs(fe[1]), 0.01 * bse[1]), "\(label): β1")
        XCTAssertLessThan(seRel.max()!, 0.02, "\(label): fixed-effect SEs")
        XCTAssertLessThan(rel(model.residualVariance, scale), 0.001, "\(label): σ²")
        for (i, d) in gAbs.enumerated() { XCTAssertLessThan(d, 0.001 * gScale, "\(label): G entry \(i)") }
    }

    func testMatchesMixedLMOnSimulatedData() throws {
        try compare(TrajectorySimulation(patients: 500, seed: 21).series(), label: "simulated")
    }

    func testMatchesMixedLMOnR4ArchiveHbA1c() throws {
        try compare(try R4HbA1c.series(), label: "R4 dev archive")
    }
}
