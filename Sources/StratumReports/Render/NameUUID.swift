/// Deterministic UUIDs for FHIR `fullUrl`s (`urn:uuid:…`), so the same run renders the same bytes.
///
/// The scheme is RFC 4122's name-based v5 with SHA-256 in place of SHA-1 (RFC 9562 §B.2): a
/// 16-byte namespace — the first 16 bytes of SHA-256 of a text that identifies the run (period,
/// data snapshot, generation time), so two runs never share document identifiers — then
/// UUID = first 128 bits of SHA-256(namespace ‖ name), with the version nibble set to 8
/// (RFC 9562's version for such custom hashes) and the 10xx variant bits.
///
/// A care-gap file of a million patients needs millions of these, so hashing is done here
/// without allocating (`StratumStore.SHA256` is built for streaming whole archives).
struct NameUUID: Sendable {
    /// The 16-byte namespace, then room for the name.
    private let namespace: [UInt8]

    init(namespace text: String) {
        let digest = Self.sha256(Array(text.utf8))
        namespace = Array(digest.prefix(16))
    }

    /// `xxxxxxxx-xxxx-8xxx-Vxxx-xxxxxxxxxxxx` (lower-case hex) for `name`.
    func uuid(_ name: String) -> String {
        var out: [UInt8] = []
        append(uuidOf: Array(name.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 36 characters of the UUID of `name` (UTF-8 bytes) to `out`.
    func append(uuidOf name: [UInt8], to out: inout [UInt8]) {
        let digest: (UInt64, UInt64) = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 + name.count) { message in
            _ = message.initialize(from: namespace)
            name.withUnsafeBufferPointer { source in
                for index in 0..<source.count { message[16 + index] = source[index] }
            }
            return Self.sha256Prefix(UnsafeRawBufferPointer(message))
        }
        let high = digest.0 & ~0x0000_0000_0000_F000 | 0x0000_0000_0000_8000   // version 8
        let low = digest.1 & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000      // variant 10xx
        Self.appendHex(high >> 32, digits: 8, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(high >> 16, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(high, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(low >> 48, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(low, digits: 12, to: &out)
    }

    private static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let nibble = UInt8((value >> UInt64(shift)) & 0xf)
            out.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }

    // MARK: SHA-256 (FIPS 180-4) without allocation

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The full 32-byte digest (tests compare it with `StratumStore.SHA256`).
    static func sha256(_ message: [UInt8]) -> [UInt8] {
        let state = message.withUnsafeBytes { hash($0) }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            for shift in stride(from: 24, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return digest
    }

    /// The first 128 bits of the digest, big-endian.
    private static func sha256Prefix(_ message: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let state = hash(message)
        return (UInt64(state.0) << 32 | UInt64(state.1), UInt64(state.2) << 32 | UInt64(state.3))
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private static func hash(_ message: UnsafeRawBufferPointer) -> State {
        var state: State = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        let count = message.count
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                var offset = 0
                while offset + 64 <= count {
                    compress(UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]), &state, schedule)
                    offset += 64
                }
                // Padding: 0x80, zeros, the bit length as a 64-bit big-endian number.
                let rest = count - offset
                let blocks = rest < 56 ? 1 : 2
                for index in 0..<(blocks * 64) { tail[index] = 0 }
                for index in 0..<rest { tail[index] = message[offset + index] }
                tail[rest] = 0x80
                let bits = UInt64(count) &* 8
                for index in 0..<8 { tail[blocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bits >> UInt64(index * 8)) }
                let padded = UnsafeRawBufferPointer(tail)
                for block in 0..<blocks {
                    compress(UnsafeRawBufferPointer(rebasing: padded[(block * 64)..<(block * 64 + 64)]), &state, schedule)
                }
            }
        }
        return state
    }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private static func compress(_ block: UnsafeRawBufferPointer, _ state: inout State, _ w: UnsafeMutableBufferPointer<UInt32>) {
        for t in 0..<16 {
            w[t] = UInt32(block[t * 4]) << 24 | UInt32(block[t * 4 + 1]) << 16 | UInt32(block[t * 4 + 2]) << 8 | UInt32(block[t * 4 + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        k.withUnsafeBufferPointer { k in
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
}
