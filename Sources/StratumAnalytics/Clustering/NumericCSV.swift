import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric feature table read from CSV: a header row, one identifier column, every other column
/// numeric. Read as bytes in fixed chunks (memory: the matrix plus the identifiers, not the file),
/// numbers parsed in place without a String per cell. Errors name the file, line and column and
/// what is wrong, but never echo a cell's value or an identifier (they may be protected health
/// information).
public struct NumericCSV: Sendable {
    public let featureNames: [String]
    public let idColumn: String
    /// Rows × features, in file order.
    public var matrix: Matrix
    /// Identifier bytes, concatenated; identifier i is `idBytes[idOffsets[i]..<idOffsets[i+1]]`.
    public let idBytes: [UInt8]
    public let idOffsets: [Int]
    /// Cells that were empty or NA and were imputed, per feature (only with `imputeMedian`).
    public let imputed: [Int]

    public var rows: Int { matrix.rows }

    public func id(_ i: Int) -> String { String(decoding: idBytes[idOffsets[i]..<idOffsets[i + 1]], as: UTF8.self) }

    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// Reads `path`. Empty or NA cells (`""`, `NA`, `NaN`, `NULL`, `.`) are an error unless
    /// `imputeMedian`, which replaces them by the column median of the other rows.
    public static func read(path: String, idColumn: String, imputeMedian: Bool = false) throws -> NumericCSV {
        let name = (path as NSString).lastPathComponent
        func fail(_ message: String) -> ReadError { ReadError(message: "\(name): \(message)") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fail("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let chunk = 4 << 20
        // Pass 1: count lines so the matrix is allocated once.
        var lineCount = 0
        var buffer = [UInt8](repeating: 0, count: chunk + 1)
        while true {
            let got = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, chunk) }
            if got < 0 { throw fail("read error: \(String(cString: strerror(errno)))") }
            if got == 0 { break }
            buffer.withUnsafeBufferPointer { b in
                var q = UnsafeRawPointer(b.baseAddress!)
                let end = q + got
                while q < end, let hit = memchr(q, 10, end - q) { lineCount += 1; q = UnsafeRawPointer(hit) + 1 }
            }
        }
        lseek(fd, 0, SEEK_SET)

        /// The parsing state, as one value so the per-cell work has no captured-variable access checks.
        struct Parser {
            let name: String, idColumn: String, imputeMedian: Bool, lineCount: Int
            var header: [String]? = nil
            var idIndex = -1
            var featureIndex: [Int] = []
            var storage: [Double] = []
            var idBytes: [UInt8] = []
            var idOffsets: [Int] = [0]
            var missing: [Int] = []        // flat indexes into storage of missing cells
            var lineNumber = 0
            var error: ReadError?
            let scratch: UnsafeMutablePointer<UInt8>
            let numberScratch: UnsafeMutablePointer<UInt8>
            var fieldCount = 0

            func fail(_ message: String) -> ReadError { ReadError(message: "\(name): \(message)") }

            // Processes one line (without its newline); returns false to stop.
            mutating func line(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
                lineNumber += 1
                var len = length
                if len > 0 && p[len - 1] == 13 { len -= 1 }
                var start = 0
                if lineNumber == 1 && len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { start = 3 }
                if header == nil {
                    var names: [String] = []
                    var i = start
                    while i <= len {
                        var bytes: [UInt8] = []
                        i = NumericCSV.field(p, len, i) { bytes.append($0) }
                        names.append(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces))
                    }
                    guard let idPos = names.firstIndex(of: idColumn) else {
                        error = fail("line 1: no column named '\(idColumn)' in the header (\(names.count) columns)")
                        return false
                    }
                    if let empty = names.firstIndex(of: "") {
                        error = fail("line 1, column \(empty + 1): empty column name in the header"); return false
                    }
                    header = names
                    idIndex = idPos
                    var f = 0
                    featureIndex = names.indices.map { $0 == idPos ? -1 : { f += 1; return f - 1 }() }
                    fieldCount = names.count
                    guard fieldCount >= 2 else { error = fail("line 1: no feature column besides '\(idColumn)'"); return false }
                    storage.reserveCapacity(max(0, lineCount) * (fieldCount - 1))
                    idOffsets.reserveCapacity(lineCount + 1)
                    return true
                }
                if len == 0 { return true }  // blank line
                var i = 0
                var position = 0
                while i <= len {
                    if position >= fieldCount {
                        error = fail("line \(lineNumber): more fields than the \(fieldCount) columns of the header"); return false
                    }
                    // The field's bytes: in place when unquoted, unquoted into `scratch` otherwise.
                    var start = p + i
                    var n = 0
                    var tooLong = false
                    if i < len && p[i] == 34 {
                        i = NumericCSV.field(p, len, i) { b in
                            if n < 255 { scratch[n] = b; n += 1 } else { tooLong = true }
                        }
                        start = UnsafePointer(scratch)
                    } else {
                        let e = memchr(p + i, 44, len - i).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - p } ?? len
                        n = e - i
                        i = e + 1
                    }
                    if position == idIndex {
                        if n == 0 || tooLong {
                            error = fail("line \(lineNumber), column '\(idColumn)': \(n == 0 ? "empty identifier" : "identifier longer than 255 bytes")"); return false
                        }
                        idBytes.append(contentsOf: UnsafeBufferPointer(start: start, count: n))
                        idOffsets.append(idBytes.count)
                    } else if let value = tooLong ? nil : NumericCSV.number(start, n, scratch: numberScratch) {
                        guard value.isFinite else {
                            error = fail("line \(lineNumber), column '\(header![position])' (\(position + 1)): not a finite number"); return false
                        }
                        storage.append(value)
                    } else if !tooLong && NumericCSV.isMissing(start, n) {
                        guard imputeMedian else {
                            error = fail("line \(lineNumber), column '\(header![position])' (\(position + 1)): empty or NA value (use --impute median to fill missing values)")
                            return false
                        }
                        missing.append(storage.count)
                        storage.append(.nan)
                    } else {
                        error = fail("line \(lineNumber), column '\(header![position])' (\(position + 1)): not a number")
                        return false
                    }
                    position += 1
                }
                if position != fieldCount {
                    error = fail("line \(lineNumber): \(position) fields, the header has \(fieldCount)"); return false
                }
                return true
            }
        }
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 257)
        let numberScratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 257)
        defer { scratch.deallocate(); numberScratch.deallocate() }
        var parser = Parser(name: name, idColumn: idColumn, imputeMedian: imputeMedian, lineCount: lineCount,
                            scratch: scratch, numberScratch: numberScratch)

        // Pass 2: parse, chunk by chunk; a line split across chunks is carried over.
        var carry = 0
        var done = false
        while !done {
            if carry == buffer.count - 1 { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let want = buffer.count - 1 - carry
            let got = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress! + carry, want) }
            if got < 0 { throw fail("read error: \(String(cString: strerror(errno)))") }
            let end = carry + got
            let atEOF = got == 0
            var consumed = 0
            var stop = false
            buffer.withUnsafeBufferPointer { b in
                let base = b.baseAddress!
                var s = 0
                while s < end {
                    guard let nl = memchr(base + s, 10, end - s) else { break }
                    let e = UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - base
                    if !parser.line(base + s, e - s) { stop = true; return }
                    s = e + 1
                }
                if atEOF && s < end {
                    if !parser.line(base + s, end - s) { stop = true; return }
                    s = end
                }
                consumed = s
            }
            if stop { break }
            if atEOF { done = true; break }
            // Move the partial line to the front.
            carry = end - consumed
            if carry > 0 { buffer.withUnsafeMutableBufferPointer { b in
                let base = b.baseAddress!
                memmove(base, base + consumed, carry)
            } }
        }
        if let error = parser.error { throw error }
        var storage = parser.storage
        parser.storage = []
        let (missing, idIndex, idBytes, idOffsets) = (parser.missing, parser.idIndex, parser.idBytes, parser.idOffsets)
        guard let header = parser.header else { throw fail("empty file (no header row)") }
        let d = header.count - 1
        let n = idOffsets.count - 1
        guard n > 0 else { throw fail("no data rows after the header") }
        var imputed = [Int](repeating: 0, count: d)
        if !missing.isEmpty {
            for j in 0..<d {
                let column = stride(from: j, to: storage.count, by: d).map { storage[$0] }
                let present = column.filter { !$0.isNaN }.sorted()
                let holes = column.indices.filter { column[$0].isNaN }
                if holes.isEmpty { continue }
                let featureName = header.enumerated().filter { $0.offset != idIndex }[j].element
                guard !present.isEmpty else { throw fail("column '\(featureName)': every value is empty or NA, nothing to impute from") }
                let m = present.count
                let median = m % 2 == 1 ? present[m / 2] : (present[m / 2 - 1] + present[m / 2]) / 2
                for r in holes { storage[r * d + j] = median }
                imputed[j] = holes.count
            }
        }
        let names = header.enumerated().filter { $0.offset != idIndex }.map(\.element)
        return NumericCSV(featureNames: names, idColumn: idColumn, matrix: Matrix(rows: n, columns: d, storage: storage),
                            idBytes: idBytes, idOffsets: idOffsets, imputed: imputed)
    }

    /// Column z-scores (population SD). Throws naming the first constant column.
    public func standardized() throws -> Matrix {
        let (n, d) = (matrix.rows, matrix.columns)
        var out = matrix
        for j in 0..<d {
            var mean = 0.0
            for i in 0..<n { mean += matrix.storage[i * d + j] }
            mean /= Double(n)
            var ss = 0.0
            for i in 0..<n { let t = matrix.storage[i * d + j] - mean; ss += t * t }
            let sd = (ss / Double(n)).squareRoot()
            guard sd > 0 else { throw ReadError(message: "column '\(featureNames[j])' is constant: it cannot be standardised (remove it)") }
            for i in 0..<n { out.storage[i * d + j] = (matrix.storage[i * d + j] - mean) / sd }
        }
        return out
    }

    /// Scans one field starting at `i` (quoted or not), emitting its unquoted bytes; returns the
    /// index after the field's delimiter (> len at the end of the line).
    @inline(__always)
    static func field(_ p: UnsafePointer<UInt8>, _ len: Int, _ start: Int, _ emit: (UInt8) -> Void) -> Int {
        var i = start
        if i < len && p[i] == 34 {
            i += 1
            while i < len {
                if p[i] == 34 {
                    if i + 1 < len && p[i + 1] == 34 { emit(34); i += 2; continue }
                    i += 1
                    break
                }
                emit(p[i]); i += 1
            }
            while i < len && p[i] != 44 { i += 1 }
            return i + 1
        }
        while i < len && p[i] != 44 { emit(p[i]); i += 1 }
        return i + 1
    }

    static func isMissing(_ f: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var s = 0, e = n
        while s < e && (f[s] == 32 || f[s] == 9) { s += 1 }
        while e > s && (f[e - 1] == 32 || f[e - 1] == 9) { e -= 1 }
        if s == e { return true }
        let word = String(decoding: UnsafeBufferPointer(start: f + s, count: e - s), as: UTF8.self).uppercased()
        return ["NA", "NAN", "NULL", ".", "N/A"].contains(word)
    }

    static func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, p, n)
        #else
        return Darwin.read(fd, p, n)
        #endif
    }

    /// 10⁰ … 10²², exact in binary64.
    @inline(__always)
    static func power10(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0; case 1: return 1e1; case 2: return 1e2; case 3: return 1e3; case 4: return 1e4; case 5: return 1e5
        case 6: return 1e6; case 7: return 1e7; case 8: return 1e8; case 9: return 1e9; case 10: return 1e10; case 11: return 1e11
        case 12: return 1e12; case 13: return 1e13; case 14: return 1e14; case 15: return 1e15; case 16: return 1e16
        case 17: return 1e17; case 18: return 1e18; case 19: return 1e19; case 20: return 1e20; case 21: return 1e21
        default: return 1e22
        }
    }

    /// Parses a decimal number: an exact fast path (Clinger: ≤ 19 significant digits, mantissa
    /// below 2⁵³, |exponent| ≤ 22), else `strtod` on the NUL-terminated field. Nil when the field
    /// is not entirely a number. `scratch` holds at least 257 bytes.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ length: Int, scratch: UnsafeMutablePointer<UInt8>) -> Double? {
        var s = 0, n = length
        while s < n && (p[s] == 32 || p[s] == 9) { s += 1 }
        while n > s && (p[n - 1] == 32 || p[n - 1] == 9) { n -= 1 }
        if s == n { return nil }
        var i = s
        var negative = false
        if p[i] == 45 { negative = true; i += 1 } else if p[i] == 43 { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0, exponent = 0, digits = 0
        var fast = true
        while i < n, p[i] &- 48 < 10 {
            let d = UInt64(p[i] &- 48)
            if mantissa != 0 || d != 0 { if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1 } else { fast = false } }
            digits += 1; i += 1
        }
        if i < n && p[i] == 46 {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                let d = UInt64(p[i] &- 48)
                if mantissa != 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ d; significant += 1; exponent -= 1 } else { fast = false }
                } else { exponent -= 1 }
                digits += 1; i += 1
            }
        }
        if digits > 0 && i < n && (p[i] == 101 || p[i] == 69) {
            var j = i + 1
            var eNeg = false
            if j < n && (p[j] == 45 || p[j] == 43) { eNeg = p[j] == 45; j += 1 }
            var e = 0, eDigits = 0
            while j < n, p[j] &- 48 < 10 { if e < 100_000 { e = e * 10 + Int(p[j] &- 48) }; eDigits += 1; j += 1 }
            if eDigits > 0 { exponent += eNeg ? -e : e; i = j }
        }
        if digits > 0 && i == n && fast && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * power10(exponent) : m / power10(-exponent)
            return negative ? -v : v
        }
        // Slow path: strtod on a NUL-terminated copy (nan/inf spellings and hex are rejected later or here).
        guard n - s <= 255 else { return nil }
        scratch.update(from: p + s, count: n - s)
        scratch[n - s] = 0
        var endPointer: UnsafeMutablePointer<CChar>?
        let v = scratch.withMemoryRebound(to: CChar.self, capacity: n - s + 1) { c -> Double in
            let r = strtod(c, &endPointer)
            return endPointer == c + (n - s) ? r : .nan
        }
        if v.isNaN { return nil }
        return v
    }
}
