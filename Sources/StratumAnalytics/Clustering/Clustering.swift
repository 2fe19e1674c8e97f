/// The clustering entry points: fit, choose k, bootstrap stability, profiles.
///
///     let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 4, seed: 42))
///     fit.assignments      // 1...k per row, cluster 1 the largest
///     fit.predict(newRows)
public enum Clustering {
    /// Fits `options.method` with `options.k` clusters to the rows of `x`.
    /// Throws ``ClusterError`` for unusable input (k out of range, non-finite values, a collapsed
    /// mixture component).
    public static func fit(_ x: Matrix, options: ClusterOptions) throws -> ClusterFit {
        try validate(x, options: options)
        GSL.prepare()
        let random = SeededRandom(seed: options.seed)
        let (k, d) = (options.k, x.columns)
        switch options.method {
        case .kmeans:
            let r = KMeans.fit(x, k: k, random: random, restarts: options.restarts, maxIterations: options.maxIterations ?? 300)
            return ClusterFit(options: options, labels: r.labels, centers: r.centers, dimension: d, responsibilities: nil, mixture: nil,
                              meanLogLikelihood: nil, iterations: r.iterations, converged: r.converged, sampledRows: nil, wardSizes: nil, x: x)
        case .gmm:
            let r = try GaussianMixture.fit(x, k: k, covariance: options.covariance, random: random, restarts: options.restarts,
                                            maxIterations: options.maxIterations ?? 100)
            var labels = [Int32](repeating: 0, count: x.rows)
            for i in 0..<x.rows {
                var best = 0
                for c in 1..<k where r.responsibilities[i * k + c] > r.responsibilities[i * k + best] { best = c }
                labels[i] = Int32(best)
            }
            return ClusterFit(options: options, labels: labels, centers: r.model.means.storage, dimension: d,
                              responsibilities: r.responsibilities, mixture: r.model, meanLogLikelihood: r.meanLogLikelihood,
                              iterations: r.iterations, converged: r.converged, sampledRows: nil, wardSizes: nil, x: x)
        case .ward:
            let r = WardClustering.fit(x, k: k, exactLimit: max(2, options.exactLimit), random: random)
            return ClusterFit(options: options, labels: r.labels, centers: r.centers, dimension: d, responsibilities: nil, mixture: nil,
                              meanLogLikelihood: nil, iterations: 0, converged: true, sampledRows: r.sampled, wardSizes: r.sizes, x: x)
        }
    }

    /// Fits every k in `range` and tabulates inertia, log-likelihood, BIC and mean silhouette,
    /// with a recommended k (silhouette maximum; BIC minimum for a mixture).
    public static func chooseK(_ x: Matrix, range: ClosedRange<Int>, options: ClusterOptions) throws -> KSelection {
        try KSelection.evaluate(x, range: range, options: options)
    }

    /// Bootstrap stability of `fit` (adjusted Rand index and per-cluster Jaccard over `replicates` refits).
    public static func stability(_ x: Matrix, fit: ClusterFit, replicates: Int = 20) throws -> ClusterStability {
        try ClusterStability.bootstrap(x, reference: fit, replicates: replicates)
    }

    /// Readable per-cluster profiles of `fit` over `x` (pass the data in original units).
    public static func profile(_ x: Matrix, fit: ClusterFit, featureNames: [String]) -> ClusterProfile {
        ClusterProfile(x, assignments: fit.assignments, k: fit.k, featureNames: featureNames)
    }

    static func validate(_ x: Matrix, options: ClusterOptions) throws {
        guard x.columns > 0 else { throw ClusterError("no feature columns") }
        guard options.k >= 1 else { throw ClusterError("k must be at least 1 (got \(options.k))") }
        guard options.k <= x.rows else { throw ClusterError("k = \(options.k) is more than the \(x.rows) rows") }
        guard options.restarts >= 1 else { throw ClusterError("restarts must be at least 1") }
        if let i = x.storage.firstIndex(where: { !$0.isFinite }) {
            throw ClusterError("row \(i / x.columns + 1), column \(i % x.columns + 1) is not a finite number")
        }
    }
}
