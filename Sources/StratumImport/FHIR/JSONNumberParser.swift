/// Converts validated JSON number text to binary, on demand.
enum JSONNumberParser {
    /// Exact powers of ten a Double holds (10²² is the largest).
    private static let powers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The nearest Double. Short numbers take Clinger's fast path (a mantissa below 2⁵³ times or
    /// divided by an exact power of ten is correctly rounded); longer ones, such as Synthea's
    /// 17-digit values, go through the standard library's correctly rounded conversion.
    static func double(_ raw: UnsafeRawBufferPointer) -> Double? {
        let n = raw.count
        var i = 0
        let negative = n > 0 && raw[0] == 0x2D
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        while i < n, raw[i] &- 0x30 < 10 {
            if mantissa != 0 || raw[i] != 0x30 {
                mantissa = mantissa &* 10 &+ UInt64(raw[i] - 0x30)
                significant += 1
            }
            i += 1
        }
        if i < n && raw[i] == 0x2E {
            i += 1
            while i < n, raw[i] &- 0x30 < 10 {
                if mantissa != 0 || raw[i] != 0x30 {
                    mantissa = mantissa &* 10 &+ UInt64(raw[i] - 0x30)
                    significant += 1
                }
                exponent -= 1
                i += 1
            }
        }
        if i < n && (raw[i] | 0x20) == 0x65 {
            i += 1
            var sign = 1
            if i < n && (raw[i] == 0x2B || raw[i] == 0x2D) {
                if raw[i] == 0x2D { sign = -1 }
                i += 1
            }
            var e = 0
            while i < n, raw[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(raw[i] - 0x30) }
                i += 1
            }
            exponent += sign * e
        }
        if mantissa == 0 && significant == 0 { return negative ? -0.0 : 0.0 }
        if significant <= 15 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent]
            return negative ? -value : value
        }
        return Double(String(decoding: raw, as: UTF8.self))
    }

    /// The value of an integer literal (no fraction or exponent), nil when it overflows Int64.
    static func int64(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let n = raw.count
        guard n > 0 else { return nil }
        let negative = raw[0] == 0x2D
        var i = negative ? 1 : 0
        guard i < n else { return nil }
        var value: Int64 = 0
        while i < n {
            let d = raw[i] &- 0x30
            guard d < 10 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(d)) : times.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        return value
    }
}
