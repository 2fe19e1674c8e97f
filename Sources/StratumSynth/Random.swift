#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The SplitMix64 finaliser: a bijective 64-bit mixer. Used to derive independent seeds and ids
/// from (seed, stream, index) so that every patient's content depends only on the seed and the
/// patient's index, never on how many patients were generated before it or on the chunk size.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}

/// A key for an independent random stream: seed, a stream tag, and an index within the stream.
@inline(__always)
func streamKey(seed: UInt64, stream: UInt64, index: UInt64) -> UInt64 {
    mix64(mix64(seed ^ (stream &* 0xd6e8_feb8_6659_fd93)) ^ (index &* 0x9e37_79b9_7f4a_7c15))
}

/// xoshiro256** (Blackman & Vigna): small, fast, and good enough for simulation. Foundation's
/// generators are not seedable, and `SystemRandomNumberGenerator` is not reproducible, so the
/// generator is ours: the same seed gives the same archive on every run.
struct Xoshiro256: RandomNumberGenerator {
    private var s0, s1, s2, s3: UInt64

    /// Seeds the four words from SplitMix64, as the authors recommend (never all zero).
    init(seed: UInt64) {
        var x = seed
        func next() -> UInt64 { x &+= 0x9e37_79b9_7f4a_7c15; return mix64(x &- 0x9e37_79b9_7f4a_7c15) }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    init(seed: UInt64, stream: UInt64, index: UInt64) {
        self.init(seed: streamKey(seed: seed, stream: stream, index: index))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    @inline(__always)
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Uniform integer in the closed range (Lemire's multiply-shift; the bias for the small
    /// ranges used here is below 2⁻⁴⁰ and does not matter for simulation).
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// Uniform index in 0..<count.
    @inline(__always)
    mutating func index(_ count: Int) -> Int { int(0...(count - 1)) }

    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool { uniform() < probability }

    /// Standard normal by the Marsaglia polar method (no trigonometry; the spare is discarded so
    /// that the stream's consumption never depends on call history outside this call).
    mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    mutating func normal(_ mean: Double, _ sd: Double) -> Double { mean + sd * normal() }

    /// Normal clipped to [low, high] (clipping, not rejection, keeps consumption fixed).
    mutating func normal(_ mean: Double, _ sd: Double, clip low: Double, _ high: Double) -> Double {
        min(high, max(low, normal(mean, sd)))
    }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -mean * log(1 - uniform()) }

    /// Gamma(shape, scale) by Marsaglia & Tsang (shape < 1 boosted by U^(1/shape)).
    mutating func gamma(shape: Double, scale: Double) -> Double {
        if shape < 1 {
            let boost = pow(uniform(), 1 / shape)
            return gamma(shape: shape + 1, scale: scale) * boost
        }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) {
                return d * v * scale
            }
        }
    }

    /// Beta(a, b) as a ratio of gammas.
    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, scale: 1), y = gamma(shape: b, scale: 1)
        return x / (x + y)
    }

    /// An index drawn with the given (unnormalised) weights.
    mutating func pick(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}

/// Logistic function, for the risk equations of the clinical model.
@inline(__always)
func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// A 128-bit resource id, rendered as a UUID-shaped string (version 4 and RFC 4122 variant bits
/// set, so tools that validate UUIDs accept it). Derived by hashing, so ids are stable for a seed.
struct ResourceID: Hashable, Sendable {
    var hi: UInt64
    var lo: UInt64

    init(hi: UInt64, lo: UInt64) {
        self.hi = (hi & ~0xf000) | 0x4000
        self.lo = (lo & ~(UInt64(0xc) << 60)) | (UInt64(0x8) << 60)
    }

    /// The id of the `counter`-th resource of a kind under a key (a patient, or the directory).
    init(key: UInt64, kind: UInt64, counter: Int) {
        let a = mix64(key ^ (kind &* 0xa076_1d64_78bd_642f) ^ UInt64(truncatingIfNeeded: counter))
        let b = mix64((a ^ key) &+ (UInt64(truncatingIfNeeded: counter) &* 0xe703_7ed1_a0b4_28db))
        self.init(hi: a, lo: b)
    }
}
