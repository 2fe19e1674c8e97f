@preconcurrency import CGSL

/// A deterministic random stream (GSL's Mersenne Twister, `gsl_rng_mt19937`): the same seed gives
/// the same numbers on every machine, so clustering restarts, bootstrap samples and subsamples
/// are reproducible. Not thread-safe: give each worker its own stream (``split(_:)``).
public final class SeededRandom: @unchecked Sendable {
    private let rng: UnsafeMutablePointer<gsl_rng>
    public let seed: UInt64

    public init(seed: UInt64) {
        GSL.prepare()
        rng = gsl_rng_alloc(gsl_rng_mt19937)!
        self.seed = seed
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform double in [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform integer in 0..<n.
    public func integer(below n: Int) -> Int {
        precondition(n > 0)
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// A standard normal draw (Box–Muller-free ziggurat).
    public func gaussian() -> Double { gsl_ran_gaussian_ziggurat(rng, 1.0) }

    /// An independent stream derived from this seed and `index` (restart i, bootstrap replicate b).
    public func split(_ index: Int) -> SeededRandom {
        // SplitMix64 of (seed, index): well-spread seeds for MT even for consecutive indexes.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return SeededRandom(seed: z ^ (z >> 31))
    }

    /// `count` indexes drawn with replacement from 0..<n (a bootstrap sample).
    public func resample(_ n: Int, count: Int? = nil) -> [Int] {
        (0..<(count ?? n)).map { _ in integer(below: n) }
    }

    /// `count` distinct indexes from 0..<n, in increasing order (a subsample).
    public func sample(_ n: Int, count: Int) -> [Int] {
        if count >= n { return Array(0..<n) }
        // Selection sampling (Knuth, Algorithm S): one pass, ordered output.
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        var needed = count
        for i in 0..<n where needed > 0 {
            if Double(n - i) * uniform() < Double(needed) {
                chosen.append(i)
                needed -= 1
            }
        }
        return chosen
    }
}
