import Foundation

/// Criteria for choosing the number of clusters over a range of k.
public struct KSelection: Sendable {
    public struct Row: Sendable {
        public let k: Int
        /// Within-cluster sum of squares (the elbow criterion), every method.
        public let inertia: Double
        /// GMM only.
        public let logLikelihood: Double?
        /// GMM only: lower is better.
        public let bic: Double?
        /// Mean silhouette width (higher is better).
        public let silhouette: Double?
    }

    public let method: ClusterMethod
    public let rows: [Row]
    /// Silhouette maximum for k-means and Ward, BIC minimum for a mixture.
    public let recommendedK: Int
    /// "silhouette" or "bic".
    public let criterion: String
    /// Set when the silhouette was computed on a seeded sample of this many rows (data above 5,000 rows).
    public let silhouetteSampled: Int?

    /// Fits every k in `range` (each with `options` but that k) and tabulates the criteria.
    public static func evaluate(_ x: Matrix, range: ClosedRange<Int>, options: ClusterOptions, silhouetteLimit: Int = 5_000) throws -> KSelection {
        guard range.lowerBound >= 2 else { throw ClusterError("the k range must start at 2 or more (the silhouette needs two clusters)") }
        guard range.upperBound <= x.rows else { throw ClusterError("the k range goes up to \(range.upperBound) but there are \(x.rows) rows") }
        var rows: [Row] = []
        var sampled: Int?
        for k in range {
            var o = options
            o.k = k
            let fit = try Clustering.fit(x, options: o)
            let sil = ClusterMetrics.silhouette(x, labels: fit.assignments, sampleLimit: silhouetteLimit, seed: options.seed)
            sampled = sil.sampled
            rows.append(Row(k: k, inertia: fit.inertia, logLikelihood: fit.logLikelihood, bic: fit.bic, silhouette: sil.mean))
        }
        let recommended: Int
        let criterion: String
        if options.method == .gmm {
            criterion = "bic"
            recommended = rows.min { ($0.bic ?? .infinity, $0.k) < ($1.bic ?? .infinity, $1.k) }!.k
        } else {
            criterion = "silhouette"
            recommended = rows.max { ($0.silhouette ?? -.infinity, -$0.k) < ($1.silhouette ?? -.infinity, -$1.k) }!.k
        }
        return KSelection(method: options.method, rows: rows, recommendedK: recommended, criterion: criterion, silhouetteSampled: sampled)
    }

    /// A self-contained SVG: one small line chart per criterion against k, the recommended k marked.
    public func svg(title: String = "Choosing k") -> String {
        var panels: [(String, [(Int, Double)], Bool)] = [("Inertia (within-cluster SS; look for the elbow)", rows.map { ($0.k, $0.inertia) }, false)]
        let sil = rows.compactMap { r in r.silhouette.map { (r.k, $0) } }
        let silLabel = "Mean silhouette (higher is better)" + (silhouetteSampled.map { "; sample of \($0) rows" } ?? "")
        if !sil.isEmpty { panels.append((silLabel, sil, criterion == "silhouette")) }
        let bic = rows.compactMap { r in r.bic.map { (r.k, $0) } }
        if !bic.isEmpty { panels.append(("BIC (lower is better)", bic, criterion == "bic")) }
        return SVGChart.linePanels(title: "\(title): \(method.rawValue), recommended k = \(recommendedK) (\(criterion))",
                                   panels: panels, recommended: recommendedK)
    }
}
