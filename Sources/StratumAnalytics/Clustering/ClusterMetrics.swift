import Foundation

/// Agreement and separation measures for labellings (labels are any integers; only equality matters).
public enum ClusterMetrics {
    /// The adjusted Rand index of two labellings of the same rows (Hubert & Arabie), from their
    /// contingency table; 1 for identical partitions up to renaming, about 0 for chance agreement.
    /// As scikit-learn, two trivial partitions (both one cluster, or both all singletons) give 1.
    public static func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "labellings of different lengths")
        let n = a.count
        if n < 2 { return 1 }
        var table: [Int64: Int] = [:]
        var rows: [Int: Int] = [:], columns: [Int: Int] = [:]
        for i in 0..<n {
            table[(Int64(a[i]) << 32) ^ Int64(UInt32(truncatingIfNeeded: b[i])), default: 0] += 1
            rows[a[i], default: 0] += 1
            columns[b[i], default: 0] += 1
        }
        func pairs(_ m: Int) -> Double { Double(m) * Double(m - 1) / 2 }
        let index = table.values.reduce(0.0) { $0 + pairs($1) }
        let sumA = rows.values.reduce(0.0) { $0 + pairs($1) }
        let sumB = columns.values.reduce(0.0) { $0 + pairs($1) }
        let expected = sumA * sumB / pairs(n)
        let maximum = (sumA + sumB) / 2
        if maximum == expected { return 1 }
        return (index - expected) / (maximum - expected)
    }

    /// The Jaccard similarity of two sets of row indexes.
    public static func jaccard(_ a: Set<Int>, _ b: Set<Int>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// The mean silhouette width (Euclidean). Exact when there are at most `sampleLimit` rows;
    /// otherwise computed within a seeded sample of `sampleLimit` rows (as scikit-learn's
    /// `silhouette_score(sample_size=)`), and `sampled` says how many. Rows alone in their cluster
    /// score 0. Nil when fewer than 2 clusters are present.
    public static func silhouette(_ x: Matrix, labels: [Int], sampleLimit: Int = 5_000, seed: UInt64 = 1) -> (mean: Double?, sampled: Int?) {
        precondition(labels.count == x.rows)
        let n = x.rows, d = x.columns
        let rows: [Int] = n <= sampleLimit ? Array(0..<n) : SeededRandom(seed: seed).split(7_777).sample(n, count: sampleLimit)
        let sampled = n <= sampleLimit ? nil : rows.count
        // Dense 0-based labels over the rows used.
        var code: [Int: Int] = [:]
        let lab = rows.map { i -> Int in
            if let c = code[labels[i]] { return c }
            let c = code.count; code[labels[i]] = c; return c
        }
        let k = code.count
        guard k >= 2 else { return (nil, sampled) }
        let m = rows.count
        var counts = [Double](repeating: 0, count: k)
        for l in lab { counts[l] += 1 }
        var points = [Double](); points.reserveCapacity(m * d)
        for i in rows { points.append(contentsOf: x.row(i)) }
        var s = [Double](repeating: 0, count: m)
        points.withUnsafeBufferPointer { pb in
            lab.withUnsafeBufferPointer { lb in
                s.withUnsafeMutableBufferPointer { sb in
                    let pp = pb.baseAddress!, lp = lb.baseAddress!, sp = sb.baseAddress!
                    let chunk = 256
                    ParallelBlocks.perform((m + chunk - 1) / chunk) { block in
                        var sums = [Double](repeating: 0, count: k)
                        for i in (block * chunk)..<min(m, (block + 1) * chunk) {
                            for c in 0..<k { sums[c] = 0 }
                            let xi = pp + i * d
                            for j in 0..<m where j != i {
                                let xj = pp + j * d
                                var dist = 0.0
                                for t in 0..<d { let u = xi[t] - xj[t]; dist += u * u }
                                sums[lp[j]] += dist.squareRoot()
                            }
                            let own = lp[i]
                            if counts[own] <= 1 { sp[i] = 0; continue }
                            let a = sums[own] / (counts[own] - 1)
                            var b = Double.infinity
                            for c in 0..<k where c != own { b = min(b, sums[c] / counts[c]) }
                            let den = max(a, b)
                            sp[i] = den > 0 ? (b - a) / den : 0
                        }
                    }
                }
            }
        }
        return (s.reduce(0, +) / Double(m), sampled)
    }
}
