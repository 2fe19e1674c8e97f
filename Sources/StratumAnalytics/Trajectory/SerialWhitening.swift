#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whitening by A = κR(ρ) + I, the relative covariance (÷σ²) of the exponential model's residuals
/// ε = W + e for one patient: R_jk = exp(−|t_j − t_k|/ρ), κ = τ²/σ².
///
/// W observed with unit-variance noise at increasing times is a scalar state-space model
/// (W_j = φ_j W_{j−1} + η_j, φ_j = exp(−Δ_j/ρ), Var η_j = κ(1 − φ_j²); u_j = W_j + e_j), so its
/// Kalman filter is the Cholesky (LDLᵀ) factorisation of A computed in O(n): with innovations v_j
/// of a column u and their variances F_j, uᵀA⁻¹w = Σ v_j(u) v_j(w)/F_j and log|A| = Σ log F_j. The
/// filter's gains depend on the times only, so the three columns 1, t and y go through it together.
/// At κ = 0 every F_j = 1 and the moments are the plain ones. Tested against a GSL Cholesky of A.
enum SerialWhitening {
    /// The whitened moments (ZᵀA⁻¹Z, ZᵀA⁻¹y, yᵀA⁻¹y with Z = [1, t]) and log|A| of one series.
    /// `phi(j)` returns exp(−(t_j − t_{j−1})/ρ) for j ≥ 1.
    @inline(__always)
    static func moments(count: Int, kappa: Double, t: (Int) -> Double, y: (Int) -> Double, phi: (Int) -> Double) -> (PatientMoments, Double) {
        var m = PatientMoments()
        var p = kappa, logdet = 0.0
        var m1 = 0.0, mt = 0.0, my = 0.0
        for j in 0..<count {
            if j > 0 {
                let f = phi(j), f2 = f * f
                m1 *= f; mt *= f; my *= f
                p = f2 * p + kappa * (1 - f2)
            }
            let fv = p + 1, w = 1 / fv
            let v1 = 1 - m1, vt = t(j) - mt, vy = y(j) - my
            m.n += v1 * v1 * w; m.st += v1 * vt * w; m.stt += vt * vt * w
            m.sy += v1 * vy * w; m.sty += vt * vy * w; m.syy += vy * vy * w
            logdet += log(fv)
            let gain = p * w
            m1 += gain * v1; mt += gain * vt; my += gain * vy
            p *= w
        }
        return (m, logdet)
    }

    /// The moments of `series` (values shifted by `shift`) at κ and ρ (years).
    static func moments(_ series: PatientSeries, shift: Double, kappa: Double, range: Double) -> (PatientMoments, Double) {
        moments(count: series.count, kappa: kappa, t: { series.years(at: series.days[$0]) }, y: { series.values[$0] - shift },
                phi: { exp(-Double(series.days[$0] - series.days[$0 - 1]) / 365.25 / range) })
    }
}

/// The REML criterion of the exponential model, θ = (l11, l21, l22, s, log ρ) with κ = τ²/σ² = s²
/// (sign-free, so τ² = 0 is reachable as a zero slope variance is through L) and ρ in years.
/// Each evaluation whitens every series (O(results)) and then runs ``REMLProfile``'s 2×2 algebra on
/// the whitened moments: |V_i/σ²| = |A_i| |M_i|.
final class SerialREMLProfile {
    /// log ρ is kept within 1 day … 100 years (outside, the criterion is not evaluated).
    static let logRangeBounds = (log(1 / 365.25), log(100.0))

    let profile: REMLProfile
    private let offsets: [Int]      // patient k's results are offsets[k]..<offsets[k+1]
    private let times: [Double]     // years since the patient's first result
    private let values: [Double]    // shifted
    private let gaps: [Int]         // days since the previous result (0 for a first result)
    private let maxGap: Int
    private var buffer: [PatientMoments]
    private(set) var evaluations = 0

    init(series: [PatientSeries], shift: Double) {
        var offsets = [0], times: [Double] = [], values: [Double] = [], gaps: [Int] = []
        for s in series {
            for k in 0..<s.count {
                times.append(s.years(at: s.days[k]))
                values.append(s.values[k] - shift)
                gaps.append(k == 0 ? 0 : s.days[k] - s.days[k - 1])
            }
            offsets.append(times.count)
        }
        (self.offsets, self.times, self.values, self.gaps) = (offsets, times, values, gaps)
        maxGap = gaps.max() ?? 0
        let plain = series.map { PatientMoments($0, shift: shift) }
        buffer = plain
        profile = REMLProfile(moments: plain)
    }

    static func kappa(_ theta: [Double]) -> Double { theta[3] * theta[3] }
    static func range(_ theta: [Double]) -> Double { exp(theta[4]) }

    /// The whitened moments of every patient and Σ log|A_i| at (κ, ρ).
    func whitened(kappa: Double, range: Double) -> ([PatientMoments], Double) {
        // φ for gaps of up to 4,096 days from a table (gaps are whole days): one exp per distinct gap.
        let tableSize = min(maxGap, 4_096) + 1
        var table = [Double](repeating: 0, count: tableSize)
        for d in 0..<tableSize { table[d] = exp(-Double(d) / 365.25 / range) }
        var logdet = 0.0
        var result = buffer
        times.withUnsafeBufferPointer { t in
            values.withUnsafeBufferPointer { y in
                gaps.withUnsafeBufferPointer { g in
                    table.withUnsafeBufferPointer { tab in
                        for k in 0..<(offsets.count - 1) {
                            let start = offsets[k], count = offsets[k + 1] - start
                            let (m, ld) = SerialWhitening.moments(
                                count: count, kappa: kappa, t: { t[start + $0] }, y: { y[start + $0] },
                                phi: { let d = g[start + $0]; return d < tableSize ? tab[d] : exp(-Double(d) / 365.25 / range) })
                            result[k] = m
                            logdet += ld
                        }
                    }
                }
            }
        }
        return (result, logdet)
    }

    func evaluate(_ theta: [Double]) -> REMLProfile.Evaluation? {
        evaluations += 1
        guard theta[4] >= Self.logRangeBounds.0, theta[4] <= Self.logRangeBounds.1 else { return nil }
        let (moments, logdet) = whitened(kappa: Self.kappa(theta), range: Self.range(theta))
        return profile.evaluate((theta[0], theta[1], theta[2]), moments: moments, logdetA: logdet)
    }
}
