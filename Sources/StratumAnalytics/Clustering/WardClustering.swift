import Dispatch

/// Agglomerative clustering with Ward's criterion by the nearest-neighbour-chain algorithm.
///
/// Clusters are kept as (size, centroid), and the merge cost of A and B is Ward's
/// d(A,B) = |A||B|/(|A|+|B|) · ‖c_A − c_B‖² — the increase in within-cluster sum of squares —
/// so memory is O(n·d) rather than an n² distance matrix; time is O(n²·d). Ward's criterion is
/// reducible, so the chain finds the same hierarchy as the greedy algorithm (scipy's
/// `linkage(method="ward")`, whose heights are √(2·d)). Above `exactLimit` rows, a seeded sample
/// of `exactLimit` rows is clustered exactly and every other row joins the cluster with the least
/// Ward cost of adding it, n_c/(n_c+1)·‖x − c‖².
enum WardClustering {
    struct Merge {
        var a: Int
        var b: Int
        var cost: Double
    }

    /// The merges of the full hierarchy (n − 1 of them), in the order the chain found them.
    static func merges(_ x: Matrix) -> [Merge] {
        let (n, d) = (x.rows, x.columns)
        if n < 2 { return [] }
        var centroid = x.storage
        var size = [Double](repeating: 1, count: n)
        // Active clusters as a dense list of slots (removal by swap) for a fast scan.
        var active = Array(0..<n)
        var position = Array(0..<n)
        var chain: [Int] = []
        var merges: [Merge] = []
        merges.reserveCapacity(n - 1)
        let parallelThreshold = 4_096
        while active.count > 1 {
            if chain.isEmpty { chain.append(active[0]) }
            let top = chain[chain.count - 1]
            let previous = chain.count > 1 ? chain[chain.count - 2] : -1
            // Nearest active cluster to `top`; ties go to `previous` (so the chain stops), then to the lower slot.
            var best = -1
            var bestCost = Double.infinity
            centroid.withUnsafeBufferPointer { cb in
                size.withUnsafeBufferPointer { sb in
                    active.withUnsafeBufferPointer { ab in
                        let cp = cb.baseAddress!, sp = sb.baseAddress!, ap = ab.baseAddress!
                        let ct = cp + top * d
                        let st = sp[top]
                        let m = ab.count
                        func scan(_ range: Range<Int>) -> (Int, Double) {
                            var bi = -1, bc = Double.infinity
                            for p in range {
                                let s = ap[p]
                                if s == top { continue }
                                let cs = cp + s * d
                                var dist = 0.0
                                for j in 0..<d { let t = ct[j] - cs[j]; dist += t * t }
                                let cost = st * sp[s] / (st + sp[s]) * dist
                                if cost < bc || (cost == bc && s < bi) { bc = cost; bi = s }
                            }
                            return (bi, bc)
                        }
                        if m >= parallelThreshold {
                            var parts = [(Int, Double)](repeating: (-1, .infinity), count: 2)
                            parts.withUnsafeMutableBufferPointer { pb in
                                let pp = pb.baseAddress!
                                ParallelBlocks.perform(2) { h in
                                    pp[h] = scan(h == 0 ? 0..<(m / 2) : (m / 2)..<m)
                                }
                            }
                            for (i, c) in parts where c < bestCost || (c == bestCost && i < best) { best = i; bestCost = c }
                        } else {
                            (best, bestCost) = scan(0..<m)
                        }
                        if previous >= 0 {
                            let cs = cp + previous * d
                            var dist = 0.0
                            for j in 0..<d { let t = ct[j] - cs[j]; dist += t * t }
                            let cost = st * sp[previous] / (st + sp[previous]) * dist
                            if cost <= bestCost { best = previous; bestCost = cost }
                        }
                    }
                }
            }
            if best == previous {
                // Reciprocal nearest neighbours: merge into the lower slot.
                chain.removeLast(2)
                let (a, b) = (min(top, best), max(top, best))
                merges.append(Merge(a: a, b: b, cost: bestCost))
                let (na, nb) = (size[a], size[b])
                for j in 0..<d { centroid[a * d + j] = (na * centroid[a * d + j] + nb * centroid[b * d + j]) / (na + nb) }
                size[a] = na + nb
                let p = position[b], last = active[active.count - 1]
                active[p] = last
                position[last] = p
                active.removeLast()
            } else {
                chain.append(best)
            }
        }
        return merges
    }

    /// Labels 0..<k from cutting the hierarchy into k clusters: the n − k cheapest merges, applied
    /// in order of cost (union–find), as scipy's `fcluster(criterion="maxclust")`.
    static func cut(_ merges: [Merge], n: Int, k: Int) -> [Int32] {
        var parent = Array(0..<n)
        func find(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var j = i
            while parent[j] != r { let next = parent[j]; parent[j] = r; j = next }
            return r
        }
        let sorted = merges.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
        for merge in sorted.prefix(max(0, n - k)) {
            let (ra, rb) = (find(merge.a), find(merge.b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var label = [Int: Int32]()
        var labels = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let r = find(i)
            if let l = label[r] { labels[i] = l } else { let l = Int32(label.count); label[r] = l; labels[i] = l }
        }
        return labels
    }

    struct Result {
        var labels: [Int32]
        var centers: [Double]
        var sizes: [Double]
        var sampled: Int?
    }

    static func fit(_ x: Matrix, k: Int, exactLimit: Int, random: SeededRandom) -> Result {
        let (n, d) = (x.rows, x.columns)
        if n <= exactLimit {
            let labels = cut(merges(x), n: n, k: k)
            let (centers, sizes) = centroids(x, labels: labels, k: k)
            return Result(labels: labels, centers: centers, sizes: sizes, sampled: nil)
        }
        let sample = random.split(0).sample(n, count: exactLimit)
        var sub = [Double]()
        sub.reserveCapacity(exactLimit * d)
        for i in sample { sub.append(contentsOf: x.row(i)) }
        let subMatrix = Matrix(rows: sample.count, columns: d, storage: sub)
        let subLabels = cut(merges(subMatrix), n: sample.count, k: k)
        let (centers, sizes) = centroids(subMatrix, labels: subLabels, k: k)
        var labels = assign(x, centers: centers, sizes: sizes, k: k)
        for (p, i) in sample.enumerated() { labels[i] = subLabels[p] }
        return Result(labels: labels, centers: centers, sizes: sizes, sampled: sample.count)
    }

    static func centroids(_ x: Matrix, labels: [Int32], k: Int) -> ([Double], [Double]) {
        let d = x.columns
        var centers = [Double](repeating: 0, count: k * d)
        var sizes = [Double](repeating: 0, count: k)
        for i in 0..<x.rows {
            let c = Int(labels[i])
            sizes[c] += 1
            for j in 0..<d { centers[c * d + j] += x.storage[i * d + j] }
        }
        for c in 0..<k where sizes[c] > 0 { for j in 0..<d { centers[c * d + j] /= sizes[c] } }
        return (centers, sizes)
    }

    /// The cluster whose Ward cost of adding the row, n_c/(n_c+1)·‖x − c‖², is least.
    static func assign(_ x: Matrix, centers: [Double], sizes: [Double], k: Int) -> [Int32] {
        let (n, d) = (x.rows, x.columns)
        var labels = [Int32](repeating: 0, count: n)
        let weight = sizes.map { $0 / ($0 + 1) }
        x.storage.withUnsafeBufferPointer { xb in
            centers.withUnsafeBufferPointer { cb in
                labels.withUnsafeMutableBufferPointer { lb in
                    let xp = xb.baseAddress!, cp = cb.baseAddress!, lp = lb.baseAddress!
                    ParallelBlocks.run(n) { _, rows in
                        for i in rows {
                            var best = 0, bestCost = Double.infinity
                            for c in 0..<k {
                                var s = 0.0
                                for j in 0..<d { let t = xp[i * d + j] - cp[c * d + j]; s += t * t }
                                let cost = weight[c] * s
                                if cost < bestCost { bestCost = cost; best = c }
                            }
                            lp[i] = Int32(best)
                        }
                    }
                }
            }
        }
        return labels
    }
}
