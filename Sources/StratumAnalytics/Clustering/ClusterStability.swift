/// Stability of a clustering under bootstrap resampling.
///
/// For each of B replicates: resample the rows with replacement (seeded), refit with the same
/// options, predict the cluster of every original row, and compare with the reference fit by the
/// adjusted Rand index. Per reference cluster, as Hennig's `clusterboot` (R package fpc): on the
/// distinct resampled rows, the largest Jaccard similarity between the reference cluster and any
/// replicate cluster, averaged over the replicates in which the cluster has rows. Values above
/// about 0.75 are usually read as stable, below 0.5 as dissolved.
public struct ClusterStability: Sendable {
    public let replicates: Int
    /// Replicates whose refit failed (e.g. a collapsed mixture component); not in the figures.
    public let failedReplicates: Int
    /// ARI of each successful replicate against the reference.
    public let adjustedRand: [Double]
    public let meanAdjustedRand: Double
    /// The 2.5th and 97.5th percentiles of the replicate ARIs.
    public let adjustedRandLower: Double
    public let adjustedRandUpper: Double
    /// Mean best Jaccard per reference cluster (index c − 1 is cluster c).
    public let jaccard: [Double]

    /// Runs `replicates` bootstrap refits of `reference` (same options and seed family) on `x`.
    public static func bootstrap(_ x: Matrix, reference: ClusterFit, replicates: Int = 20) throws -> ClusterStability {
        guard replicates >= 1 else { throw ClusterError("bootstrap replicates must be at least 1") }
        let (n, d, k) = (x.rows, x.columns, reference.k)
        let ref = reference.assignments
        let root = SeededRandom(seed: reference.options.seed)
        var aris: [Double] = []
        var jaccardSum = [Double](repeating: 0, count: k), jaccardCount = [Double](repeating: 0, count: k)
        var failed = 0
        for b in 0..<replicates {
            let stream = root.split(100_000 + b)
            let index = stream.resample(n)
            var storage = [Double](); storage.reserveCapacity(n * d)
            for i in index { storage.append(contentsOf: x.row(i)) }
            var options = reference.options
            options.seed = reference.options.seed &+ UInt64(b + 1) &* 0x9E37_79B9
            let fit: ClusterFit
            do { fit = try Clustering.fit(Matrix(rows: n, columns: d, storage: storage), options: options) } catch { failed += 1; continue }
            let predicted = fit.predict(x)
            aris.append(ClusterMetrics.adjustedRandIndex(ref, predicted))
            // Jaccard on the distinct resampled rows: contingency of reference × replicate clusters.
            var seen = [Bool](repeating: false, count: n)
            var table = [Double](repeating: 0, count: k * k), sizeA = [Double](repeating: 0, count: k), sizeB = [Double](repeating: 0, count: k)
            for i in index where !seen[i] {
                seen[i] = true
                let (a, r) = (ref[i] - 1, predicted[i] - 1)
                table[a * k + r] += 1; sizeA[a] += 1; sizeB[r] += 1
            }
            for a in 0..<k where sizeA[a] > 0 {
                var best = 0.0
                for r in 0..<k where sizeB[r] > 0 {
                    best = max(best, table[a * k + r] / (sizeA[a] + sizeB[r] - table[a * k + r]))
                }
                jaccardSum[a] += best; jaccardCount[a] += 1
            }
        }
        let sorted = aris.sorted()
        func quantile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let h = q * Double(sorted.count - 1)
            let lo = Int(h), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        return ClusterStability(replicates: replicates, failedReplicates: failed, adjustedRand: aris,
                                meanAdjustedRand: aris.isEmpty ? .nan : aris.reduce(0, +) / Double(aris.count),
                                adjustedRandLower: quantile(0.025), adjustedRandUpper: quantile(0.975),
                                jaccard: (0..<k).map { jaccardCount[$0] > 0 ? jaccardSum[$0] / jaccardCount[$0] : .nan })
    }
}
