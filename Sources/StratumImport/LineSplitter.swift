/// Splits a stream of chunks into lines (LF or CRLF), carrying a partial line across chunks.
/// Lines are passed without their terminator, numbered from 1. Memory is bounded by the longest
/// line, which is capped: a line longer than `maxLineBytes` is an error, not an allocation.
public struct LineSplitter {
    private var carry: [UInt8] = []
    public private(set) var lineNumber = 0
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = 256 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    public enum Overflow: Error { case lineTooLong(line: Int) }

    /// Calls `body` for every complete line in `chunk`.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        let n = chunk.count
        while start < n {
            guard let newline = memchrIndex(base + start, n - start) else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<n]))
                if carry.count > maxLineBytes { throw Overflow.lineTooLong(line: lineNumber + 1) }
                return
            }
            let end = start + newline
            lineNumber += 1
            if carry.isEmpty {
                try body(Self.trimCR(UnsafeRawBufferPointer(rebasing: chunk[start..<end])), lineNumber)
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
                if carry.count > maxLineBytes { throw Overflow.lineTooLong(line: lineNumber) }
                try carry.withUnsafeBytes { try body(Self.trimCR($0), lineNumber) }
                carry.removeAll(keepingCapacity: true)
            }
            start = end + 1
        }
    }

    /// Delivers a last line that had no terminator.
    public mutating func finish(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        guard !carry.isEmpty else { return }
        lineNumber += 1
        try carry.withUnsafeBytes { try body(Self.trimCR($0), lineNumber) }
        carry.removeAll()
    }

    @inline(__always)
    private func memchrIndex(_ pointer: UnsafeRawPointer, _ count: Int) -> Int? {
        guard let found = memchr(pointer, 10, count) else { return nil }
        return pointer.distance(to: UnsafeRawPointer(found))
    }

    @inline(__always)
    static func trimCR(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = line.last, last == 13 { return UnsafeRawBufferPointer(rebasing: line[0..<(line.count - 1)]) }
        return line
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// True when `bytes` are valid UTF-8 (a fast path for ASCII).
public func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        let c = bytes[i]
        if c < 0x80 { i += 1; continue }
        let length: Int
        if c & 0xE0 == 0xC0 { length = 2; if c < 0xC2 { return false } }
        else if c & 0xF0 == 0xE0 { length = 3 }
        else if c & 0xF8 == 0xF0 { length = 4; if c > 0xF4 { return false } }
        else { return false }
        guard i + length <= n else { return false }
        for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return false }
        if length == 3 {
            let c1 = bytes[i + 1]
            if (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) { return false }
        } else if length == 4 {
            let c1 = bytes[i + 1]
            if (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) { return false }
        }
        i += length
    }
    return true
}
