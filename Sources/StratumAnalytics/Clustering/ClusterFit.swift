import Foundation

/// A fitted clustering. Clusters are numbered 1...k by decreasing size, ties by the first row that
/// belongs to them, so numbering is deterministic and comparable across runs.
public struct ClusterFit: Sendable {
    public let options: ClusterOptions
    public var method: ClusterMethod { options.method }
    public var k: Int { options.k }
    /// The cluster of each input row, 1...k.
    public let assignments: [Int]
    /// GMM: the largest membership probability of each row (its assignment's); nil otherwise.
    public let probabilities: [Double]?
    /// GMM: membership probabilities, rows × k (column c − 1 is cluster c); nil otherwise.
    public let memberships: Matrix?
    /// Cluster centres (GMM: component means), one row per cluster in numbering order.
    public let centroids: Matrix
    /// Rows per cluster (index c − 1 is cluster c).
    public let sizes: [Int]
    /// Within-cluster sum of squared distances to the cluster centres (k-means: its objective).
    public let inertia: Double
    /// GMM: total log-likelihood of the rows.
    public let logLikelihood: Double?
    /// GMM: mean log-likelihood per row (scikit-learn's `score`).
    public let meanLogLikelihood: Double?
    /// GMM: −2·LL + p·ln n with scikit-learn's parameter count.
    public let bic: Double?
    /// Iterations of the kept restart (Ward: 0).
    public let iterations: Int
    /// Whether the kept restart met the tolerance before the iteration cap (Ward: true).
    public let converged: Bool
    /// Ward above `exactLimit`: the size of the seeded sample clustered exactly.
    public let sampledRows: Int?
    /// GMM: the fitted mixture (components in cluster numbering order).
    public let mixture: GaussianMixture?
    /// Ward: the centre sizes used to assign new rows (the sample's when subsampled).
    let wardSizes: [Double]?

    init(options: ClusterOptions, labels: [Int32], centers: [Double], dimension d: Int, responsibilities: [Double]?,
         mixture: GaussianMixture?, meanLogLikelihood: Double?, iterations: Int, converged: Bool,
         sampledRows: Int?, wardSizes: [Double]?, x: Matrix) {
        let k = options.k
        let n = labels.count
        // Renumber: decreasing size, ties by first row.
        var count = [Int](repeating: 0, count: k)
        var first = [Int](repeating: Int.max, count: k)
        for (i, l) in labels.enumerated() {
            count[Int(l)] += 1
            if first[Int(l)] == Int.max { first[Int(l)] = i }
        }
        let order = (0..<k).sorted { (count[$0], -first[$0], -$0) > (count[$1], -first[$1], -$1) }
        var newIndex = [Int](repeating: 0, count: k)
        for (newC, old) in order.enumerated() { newIndex[old] = newC }
        self.options = options
        assignments = labels.map { newIndex[Int($0)] + 1 }
        sizes = order.map { count[$0] }
        centroids = Matrix(rows: k, columns: d, storage: order.flatMap { centers[($0 * d)..<(($0 + 1) * d)] })
        if let resp = responsibilities {
            var m = [Double](repeating: 0, count: n * k)
            var p = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for c in 0..<k { m[i * k + newIndex[c]] = resp[i * k + c] }
                p[i] = m[i * k + assignments[i] - 1]
            }
            memberships = Matrix(rows: n, columns: k, storage: m)
            probabilities = p
        } else {
            memberships = nil
            probabilities = nil
        }
        self.mixture = mixture?.reordered(order)
        self.wardSizes = wardSizes.map { s in order.map { s[$0] } }
        // Inertia around the centres.
        var inertia = 0.0
        let labelsNew = assignments
        centroids.storage.withUnsafeBufferPointer { cp in
            x.storage.withUnsafeBufferPointer { xp in
                for i in 0..<n {
                    let c = labelsNew[i] - 1
                    for j in 0..<d { let t = xp[i * d + j] - cp[c * d + j]; inertia += t * t }
                }
            }
        }
        self.inertia = inertia
        self.meanLogLikelihood = meanLogLikelihood
        if let mean = meanLogLikelihood, let mixture {
            logLikelihood = mean * Double(n)
            bic = -2 * mean * Double(n) + Double(mixture.parameterCount) * log(Double(n))
        } else {
            logLikelihood = nil
            bic = nil
        }
        self.iterations = iterations
        self.converged = converged
        self.sampledRows = sampledRows
    }

    /// The cluster (1...k) of each row of `rows` (same columns as the fitted data): the nearest
    /// centre for k-means, the most probable component for a mixture, the least Ward cost of
    /// adding the row for Ward.
    public func predict(_ rows: Matrix) -> [Int] {
        precondition(rows.columns == centroids.columns, "predict: \(rows.columns) columns, fitted on \(centroids.columns)")
        switch method {
        case .kmeans:
            return KMeans.nearest(rows, centers: centroids.storage, k: k).map { Int($0) + 1 }
        case .ward:
            return WardClustering.assign(rows, centers: centroids.storage, sizes: wardSizes ?? [], k: k).map { Int($0) + 1 }
        case .gmm:
            let p = mixture!.memberships(rows).probabilities
            return (0..<rows.rows).map { i in
                var best = 0
                for c in 1..<k where p[i, c] > p[i, best] { best = c }
                return best + 1
            }
        }
    }

    /// GMM: membership probabilities (rows × k) of new rows; nil for other methods.
    public func predictProbabilities(_ rows: Matrix) -> Matrix? { mixture?.memberships(rows).probabilities }
}
