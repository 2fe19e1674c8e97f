/// Lloyd's k-means as scikit-learn runs it: greedy k-means++ seeding (2 + ⌊ln k⌋ local trials per
/// centre), Lloyd iterations until the labels stop changing or the total squared centre shift is at
/// most `1e-4 ×` the mean feature variance, at most 300 iterations, empty clusters moved to the rows
/// farthest from their centres, and the best of `restarts` starts by inertia.
///
/// The assignment step runs over fixed row blocks in parallel, each block summing its rows into its
/// own partial sums, merged in block order: the result for a seed does not depend on scheduling.
enum KMeans {
    struct Result {
        var centers: [Double]   // k × d, row-major
        var labels: [Int32]     // 0-based
        var inertia: Double
        var iterations: Int
        var converged: Bool
    }

    /// scikit-learn's tolerance: `tol ×` the mean of the feature variances.
    static func tolerance(_ x: Matrix, relative: Double = 1e-4) -> Double {
        let (n, d) = (x.rows, x.columns)
        guard n > 0, d > 0 else { return 0 }
        var mean = [Double](repeating: 0, count: d), m2 = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { p in
            for i in 0..<n { for j in 0..<d { mean[j] += p[i * d + j] } }
            for j in 0..<d { mean[j] /= Double(n) }
            for i in 0..<n { for j in 0..<d { let t = p[i * d + j] - mean[j]; m2[j] += t * t } }
        }
        return relative * m2.reduce(0, +) / Double(n) / Double(d)
    }

    static func fit(_ x: Matrix, k: Int, random: SeededRandom, restarts: Int, maxIterations: Int = 300) -> Result {
        let tol = tolerance(x)
        var best: Result?
        for r in 0..<max(1, restarts) {
            let result = single(x, k: k, random: random.split(r), tolerance: tol, maxIterations: maxIterations)
            if best == nil || result.inertia < best!.inertia { best = result }
        }
        return best!
    }

    /// One start: seeding and Lloyd iterations.
    static func single(_ x: Matrix, k: Int, random: SeededRandom, tolerance: Double, maxIterations: Int) -> Result {
        let (n, d) = (x.rows, x.columns)
        var centers = seedPlusPlus(x, k: k, random: random)
        var labels = [Int32](repeating: -1, count: n)
        var iterations = 0
        var converged = false
        var strict = false
        let blocks = ParallelBlocks.count(n)
        let scratch = BlockScratch(blocks: blocks, stride: k * d + k + 2)  // sums, counts, inertia, changed
        defer { scratch.deallocate() }
        var merged = [Double](repeating: 0, count: k * d + k + 2)
        x.storage.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            while iterations < maxIterations {
                iterations += 1
                assign(xp, n: n, d: d, k: k, centers: centers, labels: &labels, scratch: scratch, accumulate: true)
                merged.withUnsafeMutableBufferPointer { scratch.merge(into: $0.baseAddress!) }
                var newCenters = [Double](repeating: 0, count: k * d)
                var counts = (0..<k).map { merged[k * d + $0] }
                var sums = Array(merged[0..<(k * d)])
                if counts.contains(0) {
                    relocateEmpty(xp, n: n, d: d, k: k, centers: centers, labels: &labels, sums: &sums, counts: &counts)
                }
                for c in 0..<k where counts[c] > 0 {
                    for j in 0..<d { newCenters[c * d + j] = sums[c * d + j] / counts[c] }
                }
                var shift = 0.0
                for i in 0..<(k * d) { let t = newCenters[i] - centers[i]; shift += t * t }
                centers = newCenters
                if merged[k * d + k + 1] == 0 && iterations > 1 { strict = true; converged = true; break }
                if shift <= tolerance { converged = true; break }
            }
            // Labels and inertia of the final centres (scikit-learn's last E-step). After strict
            // convergence the labels did not change, so the new centres are bit-for-bit the ones
            // the last pass used, and its labels and inertia stand.
            if !strict {
                assign(xp, n: n, d: d, k: k, centers: centers, labels: &labels, scratch: scratch, accumulate: false)
            }
        }
        var inertia = 0.0
        for b in 0..<blocks { inertia += scratch.block(b)[k * d + k] }
        return Result(centers: centers, labels: labels, inertia: inertia, iterations: iterations, converged: converged)
    }

    /// Nearest centre of every row; per block: sums of rows per cluster, counts, inertia, and how many
    /// labels changed.
    static func assign(_ xp: UnsafePointer<Double>, n: Int, d: Int, k: Int, centers: [Double], labels: inout [Int32],
                       scratch: BlockScratch, accumulate: Bool) {
        let stride = scratch.stride
        centers.withUnsafeBufferPointer { cb in
            labels.withUnsafeMutableBufferPointer { lb in
                let cp = cb.baseAddress!, lp = lb.baseAddress!
                ParallelBlocks.run(n) { b, rows in
                    let part = scratch.block(b)
                    part.update(repeating: 0, count: stride)
                    var inertia = 0.0, changed = 0.0
                    for i in rows {
                        let row = xp + i * d
                        var best = 0
                        var bestDistance = Double.infinity
                        for c in 0..<k {
                            let ctr = cp + c * d
                            var s = 0.0
                            for j in 0..<d { let t = row[j] - ctr[j]; s += t * t }
                            if s < bestDistance { bestDistance = s; best = c }
                        }
                        inertia += bestDistance
                        if lp[i] != Int32(best) { changed += 1; lp[i] = Int32(best) }
                        if accumulate {
                            let sum = part + best * d
                            for j in 0..<d { sum[j] += row[j] }
                            part[k * d + best] += 1
                        }
                    }
                    part[k * d + k] = inertia
                    part[k * d + k + 1] = changed
                }
            }
        }
    }

    /// scikit-learn's relocation: each empty cluster takes the row farthest from its own centre.
    static func relocateEmpty(_ xp: UnsafePointer<Double>, n: Int, d: Int, k: Int, centers: [Double], labels: inout [Int32],
                              sums: inout [Double], counts: inout [Double]) {
        var distance = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let c = Int(labels[i])
            var s = 0.0
            for j in 0..<d { let t = xp[i * d + j] - centers[c * d + j]; s += t * t }
            distance[i] = s
        }
        for c in 0..<k where counts[c] == 0 {
            var far = -1
            var farDistance = -1.0
            for i in 0..<n where distance[i] > farDistance && counts[Int(labels[i])] > 1 { far = i; farDistance = distance[i] }
            guard far >= 0 else { continue }
            let old = Int(labels[far])
            for j in 0..<d { sums[old * d + j] -= xp[far * d + j]; sums[c * d + j] = xp[far * d + j] }
            counts[old] -= 1
            counts[c] = 1
            labels[far] = Int32(c)
            distance[far] = -1
        }
    }

    /// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): the first centre uniformly at random,
    /// then for each next centre `2 + ⌊ln k⌋` candidates drawn with probability ∝ D², keeping the
    /// candidate that lowers the potential most.
    static func seedPlusPlus(_ x: Matrix, k: Int, random: SeededRandom) -> [Double] {
        let (n, d) = (x.rows, x.columns)
        var centers = [Double](repeating: 0, count: k * d)
        let trials = 2 + Int(log(Double(k)))
        let blocks = ParallelBlocks.count(n)
        var closest = [Double](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!
            let first = random.integer(below: n)
            for j in 0..<d { centers[j] = xp[first * d + j] }
            let scratch = BlockScratch(blocks: blocks, stride: trials)
            defer { scratch.deallocate() }
            closest.withUnsafeMutableBufferPointer { cb in
                let cp = cb.baseAddress!
                ParallelBlocks.run(n) { b, rows in
                    var pot = 0.0
                    for i in rows {
                        var s = 0.0
                        for j in 0..<d { let t = xp[i * d + j] - xp[first * d + j]; s += t * t }
                        cp[i] = s
                        pot += s
                    }
                    scratch.block(b)[0] = pot
                }
            }
            var potential = 0.0
            for b in 0..<blocks { potential += scratch.block(b)[0] }
            for c in 1..<max(1, k) {
                // Candidates by D² sampling: one scan of the cumulative sum for the sorted draws.
                let draws = (0..<trials).map { _ in random.uniform() * potential }
                let order = draws.indices.sorted { draws[$0] < draws[$1] }
                var candidates = [Int](repeating: n - 1, count: trials)
                var cumulative = 0.0
                var t = 0
                for i in 0..<n where t < trials {
                    cumulative += closest[i]
                    while t < trials && draws[order[t]] <= cumulative { candidates[order[t]] = i; t += 1 }
                }
                // The potential each candidate would leave.
                scratch.zero()
                let candidateRows = candidates.flatMap { Array(UnsafeBufferPointer(start: xp + $0 * d, count: d)) }
                closest.withUnsafeBufferPointer { cb in
                    candidateRows.withUnsafeBufferPointer { cxb in
                    let cp = cb.baseAddress!, cxp = cxb.baseAddress!
                    ParallelBlocks.run(n) { b, rows in
                        let part = scratch.block(b)
                        // Rows outer, candidates inner: each row is read once for all candidates.
                        for i in rows {
                            let row = xp + i * d
                            let current = cp[i]
                            for ti in 0..<trials {
                                let cx = cxp + ti * d
                                var s = 0.0
                                for j in 0..<d { let u = row[j] - cx[j]; s += u * u }
                                part[ti] += min(s, current)
                            }
                        }
                    }
                    }
                }
                let pots = scratch.merged()
                var bestTrial = 0
                for ti in 1..<trials where pots[ti] < pots[bestTrial] { bestTrial = ti }
                potential = pots[bestTrial]
                let chosen = candidates[bestTrial]
                for j in 0..<d { centers[c * d + j] = xp[chosen * d + j] }
                closest.withUnsafeMutableBufferPointer { cb in
                    let cp = cb.baseAddress!
                    ParallelBlocks.run(n) { _, rows in
                        let cx = xp + chosen * d
                        for i in rows {
                            var s = 0.0
                            for j in 0..<d { let u = xp[i * d + j] - cx[j]; s += u * u }
                            if s < cp[i] { cp[i] = s }
                        }
                    }
                }
            }
        }
        return centers
    }

    /// Index of the nearest centre of each row of `x`.
    static func nearest(_ x: Matrix, centers: [Double], k: Int) -> [Int32] {
        let (n, d) = (x.rows, x.columns)
        var labels = [Int32](repeating: -1, count: n)
        let scratch = BlockScratch(blocks: ParallelBlocks.count(n), stride: k * d + k + 2)
        defer { scratch.deallocate() }
        x.storage.withUnsafeBufferPointer { xb in
            assign(xb.baseAddress!, n: n, d: d, k: k, centers: centers, labels: &labels, scratch: scratch, accumulate: false)
        }
        return labels
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
