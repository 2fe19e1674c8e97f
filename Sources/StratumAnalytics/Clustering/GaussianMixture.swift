import Foundation

/// A Gaussian mixture fitted by EM, as scikit-learn's `GaussianMixture` does it: responsibilities
/// initialised from a k-means labelling (one k-means start per restart), `reg_covar = 1e-6` added
/// to every covariance diagonal, responsibilities by log-sum-exp, stopping when the mean
/// log-likelihood per row changes by less than 1e-3, at most 100 iterations; the restart with the
/// highest final log-likelihood is kept.
public struct GaussianMixture: Sendable {
    public let covariance: CovarianceType
    /// Mixing weights (sum 1).
    public internal(set) var weights: [Double]
    /// Component means, one row per component.
    public internal(set) var means: Matrix
    /// Full: k·d·d values (component c at c·d·d, row-major d×d); diagonal: k·d variances.
    public internal(set) var covariances: [Double]
    /// Full: the lower Cholesky factor of each covariance (same layout); diagonal: unused.
    var factors: [Double] = []
    var logDeterminants: [Double] = []

    public static let regularisation = 1e-6

    var k: Int { weights.count }
    var d: Int { means.columns }

    /// Free parameters (scikit-learn's `_n_parameters`): covariances, means and k − 1 weights.
    public var parameterCount: Int {
        let cov = covariance == .full ? k * d * (d + 1) / 2 : k * d
        return cov + k * d + k - 1
    }

    struct Result {
        var model: GaussianMixture
        var responsibilities: [Double]  // n × k
        var meanLogLikelihood: Double
        var iterations: Int
        var converged: Bool
    }

    static func fit(_ x: Matrix, k: Int, covariance: CovarianceType, random: SeededRandom, restarts: Int,
                    maxIterations: Int = 100, tolerance: Double = 1e-3) throws -> Result {
        let kmTolerance = KMeans.tolerance(x)
        var best: Result?
        for r in 0..<max(1, restarts) {
            let stream = random.split(r)
            let start = KMeans.single(x, k: k, random: stream, tolerance: kmTolerance, maxIterations: 300)
            var resp = [Double](repeating: 0, count: x.rows * k)
            for i in 0..<x.rows { resp[i * k + Int(start.labels[i])] = 1 }
            var model = try mStep(x, resp: resp, k: k, covariance: covariance)
            var lowerBound = -Double.infinity
            var iterations = 0
            var converged = false
            while iterations < maxIterations {
                iterations += 1
                let previous = lowerBound
                lowerBound = model.eStep(x, responsibilities: &resp)
                model = try mStep(x, resp: resp, k: k, covariance: covariance)
                if abs(lowerBound - previous) < tolerance { converged = true; break }
            }
            let score = model.eStep(x, responsibilities: &resp)
            let result = Result(model: model, responsibilities: resp, meanLogLikelihood: score, iterations: iterations, converged: converged)
            if best == nil || score > best!.meanLogLikelihood { best = result }
        }
        return best!
    }

    /// Weights, means and covariances from responsibilities (the M-step).
    static func mStep(_ x: Matrix, resp: [Double], k: Int, covariance: CovarianceType) throws -> GaussianMixture {
        let (n, d) = (x.rows, x.columns)
        let blocks = ParallelBlocks.count(n)
        var nk = [Double](repeating: 0, count: k)
        var means = [Double](repeating: 0, count: k * d)
        let covStride = covariance == .full ? k * d * d : k * d
        var cov = [Double](repeating: 0, count: covStride)
        x.storage.withUnsafeBufferPointer { xb in
            resp.withUnsafeBufferPointer { rb in
                let xp = xb.baseAddress!, rp = rb.baseAddress!
                let first = BlockScratch(blocks: blocks, stride: k + k * d)
                defer { first.deallocate() }
                ParallelBlocks.run(n) { b, rows in
                    let part = first.block(b)
                    for i in rows {
                        for c in 0..<k {
                            let r = rp[i * k + c]
                            if r == 0 { continue }
                            part[c] += r
                            let s = part + k + c * d
                            for j in 0..<d { s[j] += r * xp[i * d + j] }
                        }
                    }
                }
                let merged = first.merged()
                for c in 0..<k {
                    nk[c] = merged[c] + 10 * Double.ulpOfOne
                    for j in 0..<d { means[c * d + j] = merged[k + c * d + j] / nk[c] }
                }
                let second = BlockScratch(blocks: blocks, stride: covStride)
                defer { second.deallocate() }
                means.withUnsafeBufferPointer { mb in
                    let mp = mb.baseAddress!
                    ParallelBlocks.run(n) { b, rows in
                        let part = second.block(b)
                        var diff = [Double](repeating: 0, count: d)
                        for i in rows {
                            for c in 0..<k {
                                let r = rp[i * k + c]
                                if r == 0 { continue }
                                for j in 0..<d { diff[j] = xp[i * d + j] - mp[c * d + j] }
                                if covariance == .full {
                                    let s = part + c * d * d
                                    for a in 0..<d {
                                        let ra = r * diff[a]
                                        for bb in 0...a { s[a * d + bb] += ra * diff[bb] }
                                    }
                                } else {
                                    let s = part + c * d
                                    for j in 0..<d { s[j] += r * diff[j] * diff[j] }
                                }
                            }
                        }
                    }
                }
                cov = second.merged()
            }
        }
        if covariance == .full {
            for c in 0..<k {
                for a in 0..<d {
                    for b in 0...a {
                        let v = cov[c * d * d + a * d + b] / nk[c]
                        cov[c * d * d + a * d + b] = v
                        cov[c * d * d + b * d + a] = v
                    }
                    cov[c * d * d + a * d + a] += regularisation
                }
            }
        } else {
            for c in 0..<k { for j in 0..<d { cov[c * d + j] = cov[c * d + j] / nk[c] + regularisation } }
        }
        let total = nk.reduce(0, +)
        var model = GaussianMixture(covariance: covariance, weights: nk.map { $0 / total },
                                    means: Matrix(rows: k, columns: d, storage: means), covariances: cov)
        try model.factorise()
        return model
    }

    init(covariance: CovarianceType, weights: [Double], means: Matrix, covariances: [Double]) {
        self.covariance = covariance
        self.weights = weights
        self.means = means
        self.covariances = covariances
    }

    /// Cholesky factors and log-determinants of the covariances.
    mutating func factorise() throws {
        let (k, d) = (self.k, self.d)
        logDeterminants = []
        if covariance == .full {
            factors = []
            factors.reserveCapacity(k * d * d)
            for c in 0..<k {
                let m = Matrix(rows: d, columns: d, storage: Array(covariances[(c * d * d)..<((c + 1) * d * d)]))
                let chol: Cholesky
                do {
                    chol = try Cholesky(m, context: "Cholesky factorisation of the covariance of component \(c + 1)")
                } catch {
                    throw ClusterError("the covariance of mixture component \(c + 1) is not positive definite (a component collapsed onto too few or collinear rows): try fewer clusters, --covariance diag, or removing collinear features")
                }
                var f = chol.factor.storage
                for a in 0..<d { for b in (a + 1)..<max(a + 1, d) where b < d { f[a * d + b] = 0 } }
                factors.append(contentsOf: f)
                logDeterminants.append(chol.logDeterminant)
            }
        } else {
            for c in 0..<k {
                var s = 0.0
                for j in 0..<d {
                    let v = covariances[c * d + j]
                    guard v > 0 else { throw ClusterError("a variance of mixture component \(c + 1) is not positive") }
                    s += log(v)
                }
                logDeterminants.append(s)
            }
        }
    }

    /// log(w_c) + log N(row | μ_c, Σ_c) for every component, into `out` (k values). `y` is d scratch values.
    @inline(__always)
    func weightedLogDensities(_ row: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                              mp: UnsafePointer<Double>, fp: UnsafePointer<Double>?, cp: UnsafePointer<Double>) {
        let (k, d) = (self.k, self.d)
        let constant = Double(d) * log(2 * Double.pi)
        for c in 0..<k {
            let mu = mp + c * d
            var maha = 0.0
            if covariance == .full, let fp {
                let l = fp + c * d * d
                for a in 0..<d {
                    var s = row[a] - mu[a]
                    for b in 0..<a { s -= l[a * d + b] * y[b] }
                    let v = s / l[a * d + a]
                    y[a] = v
                    maha += v * v
                }
            } else {
                let v = cp + c * d
                for j in 0..<d { let t = row[j] - mu[j]; maha += t * t / v[j] }
            }
            out[c] = log(weights[c]) - 0.5 * (constant + logDeterminants[c] + maha)
        }
    }

    /// The E-step: responsibilities (n × k) and the mean log-likelihood per row.
    func eStep(_ x: Matrix, responsibilities resp: inout [Double]) -> Double {
        let (n, d, k) = (x.rows, x.columns, self.k)
        let blocks = ParallelBlocks.count(n)
        let scratch = BlockScratch(blocks: blocks, stride: 1)
        defer { scratch.deallocate() }
        x.storage.withUnsafeBufferPointer { xb in
            means.storage.withUnsafeBufferPointer { mb in
                factors.withUnsafeBufferPointer { fb in
                    covariances.withUnsafeBufferPointer { cb in
                        resp.withUnsafeMutableBufferPointer { rb in
                            let xp = xb.baseAddress!, mp = mb.baseAddress!, fp = fb.baseAddress, cp = cb.baseAddress!, rp = rb.baseAddress!
                            ParallelBlocks.run(n) { b, rows in
                                let y = UnsafeMutablePointer<Double>.allocate(capacity: d)
                                defer { y.deallocate() }
                                var sum = 0.0
                                for i in rows {
                                    let out = rp + i * k
                                    weightedLogDensities(xp + i * d, out, y, mp: mp, fp: fp, cp: cp)
                                    var m = -Double.infinity
                                    for c in 0..<k where out[c] > m { m = out[c] }
                                    var s = 0.0
                                    for c in 0..<k { s += exp(out[c] - m) }
                                    let lse = m + log(s)
                                    sum += lse
                                    for c in 0..<k { out[c] = exp(out[c] - lse) }
                                }
                                scratch.block(b)[0] = sum
                            }
                        }
                    }
                }
            }
        }
        var total = 0.0
        for b in 0..<blocks { total += scratch.block(b)[0] }
        return total / Double(max(1, n))
    }

    /// Membership probabilities (rows × k) of new rows, and their mean log-likelihood.
    public func memberships(_ x: Matrix) -> (probabilities: Matrix, meanLogLikelihood: Double) {
        var resp = [Double](repeating: 0, count: x.rows * k)
        let ll = eStep(x, responsibilities: &resp)
        return (Matrix(rows: x.rows, columns: k, storage: resp), ll)
    }

    /// The same mixture with components reordered: component `order[i]` becomes component i.
    func reordered(_ order: [Int]) -> GaussianMixture {
        let (k, d) = (self.k, self.d)
        let stride = covariance == .full ? d * d : d
        var m = self
        m.weights = order.map { weights[$0] }
        m.means = Matrix(rows: k, columns: d, storage: order.flatMap { means.row($0) })
        m.covariances = order.flatMap { covariances[($0 * stride)..<(($0 + 1) * stride)] }
        if covariance == .full { m.factors = order.flatMap { factors[($0 * stride)..<(($0 + 1) * stride)] } }
        m.logDeterminants = order.map { logDeterminants[$0] }
        return m
    }
}
