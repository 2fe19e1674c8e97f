/// Integer ids for sources whose ids are strings (FHIR, Synthea UUIDs). The id is a 63-bit hash
/// of the source id, so a reference resolves to the same integer in any file, in any order,
/// without a lookup table that would grow with the data. Collisions among n ids occur with
/// probability about n²/2⁶⁴ (1e-5 for 10⁷ ids); a colliding row is counted as a duplicate.
public enum StableID {
    @inline(__always)
    public static func of(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        // murmur3 fmix64: spreads FNV's weak low bits.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        let id = Int64(bitPattern: h & 0x7fff_ffff_ffff_ffff)
        return id == 0 ? 1 : id
    }

    public static func of(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }
}
