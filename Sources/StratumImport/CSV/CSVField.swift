import StratumStore

/// Parsers for the typed fields of CSV files, working on raw bytes (no String per field).
enum CSVField {
    /// Spaces around a value are noise some exporters add; they never carry meaning in a
    /// number, a date or an id.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lower = 0, upper = bytes.count
        while lower < upper, bytes[lower] == 0x20 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 { upper -= 1 }
        if lower == 0 && upper == bytes.count { return bytes }
        return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
    }

    /// True for an empty field, or the `NA` / `NULL` that R and database exports write for a
    /// missing value (only asked of typed columns: in a text column `NA` may be a real value).
    @inline(__always)
    static func isNull(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch bytes.count {
        case 0: return true
        case 2: return bytes[0] == UInt8(ascii: "N") && bytes[1] == UInt8(ascii: "A")
        case 4:
            return (bytes[0] | 0x20) == UInt8(ascii: "n") && (bytes[1] | 0x20) == UInt8(ascii: "u")
                && (bytes[2] | 0x20) == UInt8(ascii: "l") && (bytes[3] | 0x20) == UInt8(ascii: "l")
        default: return false
        }
    }

    /// An integer, also when written as a float with an integral value (`10204.0`, which
    /// pandas writes for an integer column that had a missing value). Nil when not an integer.
    static func integer(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let bytes = trimmed(raw)
        let n = bytes.count
        guard n > 0 else { return nil }
        var (i, negative) = sign(bytes)
        let firstDigit = i
        var value: Int64 = 0
        while i < n {
            let d = bytes[i] &- 48
            guard d < 10 else { break }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return integerFromDouble(bytes) }
            value = sum
            i += 1
        }
        guard i > firstDigit else { return integerFromDouble(bytes) }
        if i < n {
            // `123.0`, `123.`, `123.000`: integral; anything else goes the slow way.
            guard bytes[i] == UInt8(ascii: ".") else { return integerFromDouble(bytes) }
            i += 1
            while i < n, bytes[i] == UInt8(ascii: "0") { i += 1 }
            guard i == n else { return integerFromDouble(bytes) }
        }
        return negative ? -value : value
    }

    /// Where the digits start after an optional sign, and whether the sign was a minus.
    @inline(__always)
    private static func sign(_ bytes: UnsafeRawBufferPointer) -> (start: Int, negative: Bool) {
        switch bytes[0] {
        case UInt8(ascii: "-"): return (1, true)
        case UInt8(ascii: "+"): return (1, false)
        default: return (0, false)
        }
    }

    private static func integerFromDouble(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let value = double(bytes), value.isFinite, value == value.rounded(),
              abs(value) < 9.2e18 else { return nil }
        return Int64(value)
    }

    private static let powersOf10: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A decimal number. Plain decimals with up to 15 significant digits are converted exactly
    /// here (an integer below 2⁵³ divided by an exact power of ten rounds correctly); anything
    /// else (exponents, long mantissas, `NaN`) goes through the standard library's parser.
    static func double(_ raw: UnsafeRawBufferPointer) -> Double? {
        let bytes = trimmed(raw)
        let n = bytes.count
        guard n > 0 else { return nil }
        var (i, negative) = sign(bytes)
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        while i < n {
            let c = bytes[i]
            if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if c &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 48)
                digits += 1
                if seenPoint { fraction += 1 }
            } else {
                break
            }
            i += 1
        }
        if i == n && digits > 0 && digits <= 15 && fraction <= 22 {
            let value = Double(mantissa) / powersOf10[fraction]
            return negative ? -value : value
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}

extension CSVRecord {
    /// Field `index` unless the column is absent (`index` nil) or the field is empty.
    @inline(__always)
    func nonEmpty(_ index: Int?) -> UnsafeRawBufferPointer? {
        guard let index else { return nil }
        let bytes = self[index]
        return bytes.isEmpty ? nil : bytes
    }

    /// A date or datetime field; nil when absent or empty, an error when it is no real date.
    func timestamp(_ index: Int?, _ column: @autoclosure () -> String) throws -> ParsedTimestamp? {
        guard let bytes = nonEmpty(index).map(CSVField.trimmed), !CSVField.isNull(bytes) else { return nil }
        guard let parsed = TimestampParser.parse(bytes) else { throw CSVRowError.date(column()) }
        return parsed
    }

    /// A decimal field; nil when absent, empty or not finite (`NaN`), an error when unparseable.
    func double(_ index: Int?, _ column: @autoclosure () -> String) throws -> Double? {
        guard let bytes = nonEmpty(index), !CSVField.isNull(CSVField.trimmed(bytes)) else { return nil }
        guard let value = CSVField.double(bytes) else { throw CSVRowError.number(column()) }
        return value.isFinite ? value : nil
    }

    /// An integer field; nil when absent or empty, an error when it is not an integer.
    func integer(_ index: Int?, _ column: @autoclosure () -> String) throws -> Int64? {
        guard let bytes = nonEmpty(index), !CSVField.isNull(CSVField.trimmed(bytes)) else { return nil }
        guard let value = CSVField.integer(bytes) else { throw CSVRowError.number(column()) }
        return value
    }

    /// The stable integer id of a string id field (a Synthea UUID); nil when absent or empty.
    @inline(__always)
    func stableID(_ index: Int?) -> Int64? {
        nonEmpty(index).map { StableID.of($0) }
    }
}

extension ParsedTimestamp {
    /// Seconds since the epoch; a date without a time is taken as its midnight.
    var secondsOrMidnight: Int { seconds ?? days * 86_400 }
}

extension TableInserter {
    /// Binds text bytes when present. Bindings are cleared after every insert, so an absent
    /// value needs no call: the column stays NULL.
    @inline(__always)
    func setText(_ index: Int, ifPresent bytes: UnsafeRawBufferPointer?) {
        if let bytes { setText(index, bytes) }
    }

    /// Sets every column to NULL: a row that failed half-way must not leak values into the next.
    func clearRow() {
        for index in schema.columns.indices { set(index, nil as Int64?) }
    }
}
