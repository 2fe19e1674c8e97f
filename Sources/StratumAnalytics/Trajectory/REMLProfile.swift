#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The REML criterion of the random-intercept-and-slope model with β and σ² profiled out, as a
/// function of θ = (l11, l21, l22), the lower Cholesky factor L of the relative covariance
/// D = G/σ² (lme4's parameterisation: L may be singular, so a zero slope variance is reachable).
///
/// Per patient, with Z = X = [1, t] and M = I + LᵀZᵀZL (2×2):
///   |V| = |M|,  V⁻¹ = I − Z K Zᵀ with K = L M⁻¹ Lᵀ,
/// so XᵀV⁻¹X, XᵀV⁻¹y and yᵀV⁻¹y accumulate from the patient's moments alone.
/// −2ℓ_R(θ) = Σ log|Mᵢ| + log|XᵀV⁻¹X| + (N−p)(1 + log(2π r²/(N−p))), r² = yᵀV⁻¹y − β̂ᵀXᵀV⁻¹y.
final class REMLProfile {
    let moments: [PatientMoments]
    let observations: Double
    private(set) var evaluations = 0

    init(moments: [PatientMoments]) {
        self.moments = moments
        observations = moments.reduce(0) { $0 + $1.n }
    }

    struct Evaluation {
        var criterion: Double       // −2 ℓ_R
        var beta: (Double, Double)  // centred
        var xtvx: Mat2
        var r2: Double
    }

    static func factor(_ theta: (Double, Double, Double)) -> Mat2 { Mat2(theta.0, 0, theta.1, theta.2) }

    func evaluate(_ theta: (Double, Double, Double)) -> Evaluation? {
        evaluations += 1
        return evaluate(theta, moments: moments, logdetA: 0)
    }

    /// The criterion from (possibly whitened, ``SerialWhitening``) moments, adding Σ log|A_i| of
    /// the residual correlation (0 for independent residuals).
    func evaluate(_ theta: (Double, Double, Double), moments: [PatientMoments], logdetA: Double) -> Evaluation? {
        let l = Self.factor(theta), lt = l.transposed
        var xtvx = Mat2.zero
        var xtvy = (0.0, 0.0), ytvy = 0.0, logdet = logdetA
        for m in moments {
            let ztz = m.ztz
            let mm = Mat2.identity + lt * ztz * l
            let det = mm.determinant
            guard det > 0, let minv = mm.inverse else { return nil }
            let k = l * minv * lt
            let kz = k * ztz
            xtvx += ztz - ztz * kz
            let zty = m.zty
            let kzy = k * zty
            let ztzk = ztz * kzy
            xtvy.0 += zty.0 - ztzk.0
            xtvy.1 += zty.1 - ztzk.1
            ytvy += m.syy - (zty.0 * kzy.0 + zty.1 * kzy.1)
            logdet += log(det)
        }
        let detX = xtvx.determinant
        guard detX > 0, let xinv = xtvx.inverse else { return nil }
        let beta = xinv * xtvy
        let r2 = ytvy - (beta.0 * xtvy.0 + beta.1 * xtvy.1)
        let dof = observations - 2
        guard r2 > 0, dof > 0 else { return nil }
        let criterion = logdet + log(detX) + dof * (1 + log(2 * Double.pi * r2 / dof))
        guard criterion.isFinite else { return nil }
        return Evaluation(criterion: criterion, beta: beta, xtvx: xtvx, r2: r2)
    }
}
