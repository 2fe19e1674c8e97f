import Foundation
@testable import StratumAnalytics

/// Simulated HbA1c trajectories with planted fixed effects, G and σ (the model's own
/// assumptions), in the shape of clinic data: 1–10 results a patient, 2–8 months apart.
struct TrajectorySimulation {
    var patients = 400
    var beta = (8.0, 0.15)
    /// G as (var intercept, covariance, var slope).
    var g = (1.0, -0.05, 0.06)
    var sigma = 0.3
    /// Serial (CAR(1)) residual component: SD τ and range ρ in years (τ = 0: none, and no extra draws).
    var tau = 0.0
    var range = 1.0
    var minResults = 1
    var maxResults = 10
    var seed: UInt64 = 1

    func observations() -> [TrajectoryObservation] {
        let rng = SeededRandom(seed: seed)
        // Cholesky of G.
        let l11 = g.0.squareRoot(), l21 = g.1 / l11, l22 = (g.2 - l21 * l21).squareRoot()
        var rows: [TrajectoryObservation] = []
        for p in 0..<patients {
            let z0 = rng.gaussian(), z1 = rng.gaussian()
            let b0 = l11 * z0, b1 = l21 * z0 + l22 * z1
            let n = minResults + rng.integer(below: maxResults - minResults + 1)
            var day = 16_000 + rng.integer(below: 1_500)
            let origin = day
            var w = 0.0, previous = day
            for k in 0..<n {
                let t = Double(day - origin) / 365.25
                if tau > 0 {
                    // Exact CAR(1) transition: W_k = φ W_{k−1} + τ√(1 − φ²) z, stationary start.
                    let phi = k == 0 ? 0 : exp(-Double(day - previous) / 365.25 / range)
                    w = phi * w + tau * (1 - phi * phi).squareRoot() * rng.gaussian()
                    previous = day
                }
                let y = beta.0 + b0 + (beta.1 + b1) * t + w + sigma * rng.gaussian()
                rows.append(TrajectoryObservation(personID: Int64(1_000 + p), day: day, value: y))
                day += 60 + rng.integer(below: 180)
            }
        }
        return rows
    }

    func series() -> [PatientSeries] { PatientSeries.build(from: observations()) }
}
