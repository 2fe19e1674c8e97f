/// Validates a JSON text and writes its tape, in one pass without recursion (an explicit stack
/// bounds the depth). A struct with local state, not methods on the document class: the hot loop
/// then touches no class properties, which Swift would guard with dynamic exclusivity checks.
struct JSONTapeBuilder {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private(set) var nodes: UnsafeMutablePointer<JSONNode>
    private(set) var capacity: Int
    private(set) var count = 0
    private let stack: UnsafeMutablePointer<(index: UInt32, count: UInt32)>
    private let maxDepth: Int

    private static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    init(bytes: UnsafePointer<UInt8>, count: Int, nodes: UnsafeMutablePointer<JSONNode>, capacity: Int,
         stack: UnsafeMutablePointer<(index: UInt32, count: UInt32)>, maxDepth: Int) {
        p = bytes
        n = count
        self.nodes = nodes
        self.capacity = capacity
        self.stack = stack
        self.maxDepth = maxDepth
    }

    /// Parses the whole input: one value, optionally surrounded by whitespace (and a leading BOM).
    mutating func build() throws(JSONError) {
        var i = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        i = skipSpace(i)
        guard i < n else { throw JSONError(offset: i, .emptyInput) }
        var depth = 0
        while true {
            // A value starts at i (whitespace already skipped).
            guard i < n else { throw JSONError(offset: n, .unexpectedEnd) }
            switch p[i] {
            case Self.quote:
                i = try string(at: i)
            case 0x7B: // {
                guard depth < maxDepth else { throw JSONError(offset: i, .tooDeep) }
                stack[depth] = (UInt32(append(JSONNode.object, i, 0)), 0)
                depth += 1
                i = skipSpace(i + 1)
                if i < n && p[i] == 0x7D {
                    i += 1
                    depth -= 1
                    close(stack[depth])
                } else {
                    i = try key(at: i)
                    continue
                }
            case 0x5B: // [
                guard depth < maxDepth else { throw JSONError(offset: i, .tooDeep) }
                stack[depth] = (UInt32(append(JSONNode.array, i, 0)), 0)
                depth += 1
                i = skipSpace(i + 1)
                if i < n && p[i] == 0x5D {
                    i += 1
                    depth -= 1
                    close(stack[depth])
                } else {
                    continue
                }
            case 0x2D, 0x30...0x39:
                i = try number(at: i)
            case 0x74: // t
                i = try literal(at: i, "true", JSONNode.true)
            case 0x66: // f
                i = try literal(at: i, "false", JSONNode.false)
            case 0x6E: // n
                i = try literal(at: i, "null", JSONNode.null)
            default:
                throw JSONError(offset: i, .unexpectedCharacter)
            }
            // A value ended at i: count it in its container, then find what follows.
            while true {
                if depth == 0 {
                    i = skipSpace(i)
                    guard i == n else { throw JSONError(offset: i, .trailingContent) }
                    return
                }
                stack[depth - 1].count += 1
                i = skipSpace(i)
                guard i < n else { throw JSONError(offset: n, .unexpectedEnd) }
                let top = stack[depth - 1]
                let isObject = nodes[Int(top.index)].kind == JSONNode.object
                let c = p[i]
                if c == 0x2C { // ,
                    i = skipSpace(i + 1)
                    if isObject { i = try key(at: i) }
                    break
                }
                if c == (isObject ? 0x7D : 0x5D) {
                    i += 1
                    depth -= 1
                    close(top)
                    continue
                }
                throw JSONError(offset: i, isObject ? .expectedCommaOrObjectEnd : .expectedCommaOrArrayEnd)
            }
        }
    }

    /// Records a container's child count and where its subtree ends.
    @inline(__always)
    private mutating func close(_ entry: (index: UInt32, count: UInt32)) {
        nodes[Int(entry.index)].end = entry.count
        nodes[Int(entry.index)].link = UInt32(count)
    }

    @inline(__always)
    private mutating func append(_ kind: UInt8, _ start: Int, _ end: Int) -> Int {
        if count == capacity { grow() }
        nodes[count] = JSONNode(kind: kind, start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end), link: 0)
        count += 1
        return count - 1
    }

    @inline(never)
    private mutating func grow() {
        let bigger = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: nodes, count: count)
        nodes.deallocate()
        nodes = bigger
        capacity *= 2
    }

    /// Skips JSON whitespace. Pretty-printed FHIR indents deeply, so runs of spaces go 8 at a time.
    @inline(__always)
    private func skipSpace(_ start: Int) -> Int {
        var i = start
        while i < n {
            let c = p[i]
            if c == 0x20 {
                i += 1
                while i + 8 <= n && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == Self.spaces { i += 8 }
            } else if c == 0x0A || c == 0x0D || c == 0x09 {
                i += 1
            } else {
                break
            }
        }
        return i
    }

    /// An object key and the colon after it; returns the offset of the member's value.
    @inline(__always)
    private mutating func key(at start: Int) throws(JSONError) -> Int {
        guard start < n else { throw JSONError(offset: n, .unexpectedEnd) }
        guard p[start] == Self.quote else { throw JSONError(offset: start, .expectedKey) }
        var i = skipSpace(try string(at: start))
        guard i < n else { throw JSONError(offset: n, .unexpectedEnd) }
        guard p[i] == 0x3A else { throw JSONError(offset: i, .expectedColon) }
        i = skipSpace(i + 1)
        return i
    }

    /// A string starting at its opening quote; returns the offset after the closing quote.
    /// Eight bytes at a time, looking for a quote, a backslash, a control byte or a non-ASCII byte
    /// (the only bytes that need a closer look).
    private mutating func string(at start: Int) throws(JSONError) -> Int {
        var i = start + 1
        var flags: UInt8 = 0
        while true {
            while i + 8 <= n {
                // Little-endian order, so the lowest set bit is the first byte in memory.
                let x = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                let q = x ^ (Self.ones &* UInt64(Self.quote))
                let b = x ^ (Self.ones &* UInt64(Self.backslash))
                // Bytes equal to 0 (after the xor), below 0x20, or with the high bit set. Borrows
                // can flag bytes above a true hit, never below one, so the lowest flag is exact.
                let hits = (((q &- Self.ones) & ~q) | ((b &- Self.ones) & ~b) | ((x &- Self.ones &* 0x20) & ~x) | x) & Self.highs
                if hits != 0 {
                    i += hits.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { throw JSONError(offset: n, .unexpectedEnd) }
            let c = p[i]
            if c == Self.quote { break }
            if c == Self.backslash {
                flags = JSONNode.escaped
                i = try escape(at: i)
            } else if c < 0x20 {
                throw JSONError(offset: i, .controlCharacterInString)
            } else if c >= 0x80 {
                i = try utf8Sequence(at: i)
            } else {
                i += 1
            }
        }
        _ = append(JSONNode.string | flags, start + 1, i)
        return i + 1
    }

    /// Validates one escape sequence at a backslash; returns the offset after it.
    private func escape(at start: Int) throws(JSONError) -> Int {
        guard start + 1 < n else { throw JSONError(offset: n, .unexpectedEnd) }
        switch p[start + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: // " \ / b f n r t
            return start + 2
        case 0x75: // u
            let unit = try hex4(at: start + 2)
            if unit >= 0xDC00 && unit <= 0xDFFF { throw JSONError(offset: start, .unpairedSurrogate) }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return start + 6 }
            // A high surrogate must be followed by an escaped low surrogate.
            guard start + 7 < n, p[start + 6] == Self.backslash, p[start + 7] == 0x75 else {
                throw JSONError(offset: start, .unpairedSurrogate)
            }
            let low = try hex4(at: start + 8)
            guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONError(offset: start, .unpairedSurrogate) }
            return start + 12
        default:
            throw JSONError(offset: start, .invalidEscape)
        }
    }

    private func hex4(at start: Int) throws(JSONError) -> UInt32 {
        guard start + 4 <= n else { throw JSONError(offset: n, .unexpectedEnd) }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = JSONStringDecoder.hexValue(p[start + k]) else { throw JSONError(offset: start - 2, .invalidEscape) }
            value = value << 4 | digit
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF).
    private func utf8Sequence(at i: Int) throws(JSONError) -> Int {
        let c = p[i]
        let length: Int
        switch c {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: throw JSONError(offset: i, .invalidUTF8)
        }
        guard i + length <= n else { throw JSONError(offset: n, .unexpectedEnd) }
        for k in 1..<length where p[i + k] & 0xC0 != 0x80 { throw JSONError(offset: i, .invalidUTF8) }
        let c1 = p[i + 1]
        if (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) {
            throw JSONError(offset: i, .invalidUTF8)
        }
        return i + length
    }

    /// A number per the RFC grammar; its value is converted only when read.
    private mutating func number(at start: Int) throws(JSONError) -> Int {
        var i = start
        var flags: UInt8 = 0
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < n && p[i] &- 0x30 < 10 }
        if p[i] == 0x2D { i += 1 }
        guard i < n else { throw JSONError(offset: n, .unexpectedEnd) }
        if p[i] == 0x30 {
            i += 1
        } else if isDigit(i) {
            i += 1
            while isDigit(i) { i += 1 }
        } else {
            throw JSONError(offset: start, .invalidNumber)
        }
        if i < n && p[i] == 0x2E { // .
            flags = JSONNode.fractional
            i += 1
            guard isDigit(i) else { throw JSONError(offset: start, .invalidNumber) }
            while isDigit(i) { i += 1 }
        }
        if i < n && (p[i] | 0x20) == 0x65 { // e or E
            flags = JSONNode.fractional
            i += 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
            guard isDigit(i) else { throw JSONError(offset: start, .invalidNumber) }
            while isDigit(i) { i += 1 }
        }
        // `01`, `1.2.3`, `1x`: the number runs into something that cannot follow it.
        if i < n {
            let c = p[i]
            if c &- 0x30 < 10 || c == 0x2E || c == 0x2B || c == 0x2D || (c | 0x20) &- 0x61 < 26 {
                throw JSONError(offset: start, .invalidNumber)
            }
        }
        _ = append(JSONNode.number | flags, start, i)
        return i
    }

    private mutating func literal(at start: Int, _ text: StaticString, _ kind: UInt8) throws(JSONError) -> Int {
        let length = text.utf8CodeUnitCount
        guard start + length <= n else { throw JSONError(offset: start, .invalidLiteral) }
        guard memcmp(p + start, text.utf8Start, length) == 0 else { throw JSONError(offset: start, .invalidLiteral) }
        _ = append(kind, start, start + length)
        return start + length
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
