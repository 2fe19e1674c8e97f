/// Which clustering algorithm to run.
public enum ClusterMethod: String, Sendable, CaseIterable {
    /// Lloyd's k-means with k-means++ seeding (scikit-learn's defaults).
    case kmeans
    /// Gaussian mixture fitted by EM, initialised from k-means.
    case gmm
    /// Agglomerative clustering with Ward's criterion (exact up to ``ClusterOptions/exactLimit`` rows).
    case ward
}

/// The covariance structure of a Gaussian mixture component.
public enum CovarianceType: String, Sendable, CaseIterable {
    /// One variance per feature (no correlations): d parameters per component.
    case diagonal = "diag"
    /// A full covariance matrix: d(d+1)/2 parameters per component (scikit-learn's default).
    case full
}

/// Everything a fit needs besides the data. Defaults follow scikit-learn where it has one.
public struct ClusterOptions: Sendable, Equatable {
    public var method: ClusterMethod
    /// The number of clusters (≥ 1, ≤ the number of rows).
    public var k: Int
    /// The seed of every random choice (seeding, restarts, subsamples, bootstrap replicates).
    public var seed: UInt64
    /// Independent starts; the best is kept (lowest inertia for k-means, highest likelihood for a mixture).
    /// Ward is deterministic and ignores it. Default 10.
    public var restarts: Int
    /// Iteration cap: 300 for k-means, 100 for EM (scikit-learn's), when nil.
    public var maxIterations: Int?
    /// Mixture covariance structure (default full).
    public var covariance: CovarianceType
    /// Rows Ward clusters exactly; above it, a seeded sample of this many rows is clustered and
    /// the others are assigned by least Ward cost. Default 20,000.
    public var exactLimit: Int

    public init(method: ClusterMethod = .kmeans, k: Int, seed: UInt64 = 1, restarts: Int = 10,
                maxIterations: Int? = nil, covariance: CovarianceType = .full, exactLimit: Int = 20_000) {
        self.method = method
        self.k = k
        self.seed = seed
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.covariance = covariance
        self.exactLimit = exactLimit
    }
}

/// Input a fit cannot use.
public struct ClusterError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
