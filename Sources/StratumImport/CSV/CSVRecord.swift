/// One record of a CSV stream: its fields as byte ranges (quotes removed, `""` unescaped) and
/// the physical line it starts on. It points into the reader's buffer, so it is only valid
/// inside the closure that received it; copy out (`string(_:)`) what must outlive it.
public struct CSVRecord {
    /// The record's unescaped bytes; fields lie back to back.
    public let bytes: UnsafeRawBufferPointer
    let starts: UnsafeBufferPointer<Int>
    let ends: UnsafeBufferPointer<Int>
    /// The 1-based physical line where the record starts.
    public let line: Int

    /// The number of fields.
    @inline(__always) public var count: Int { starts.count }

    /// The bytes of field `index`.
    @inline(__always) public subscript(index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[starts[index]..<ends[index]])
    }

    /// Field `index` as a String (for headers and rare values, not the hot path).
    public func string(_ index: Int) -> String {
        String(decoding: self[index], as: UTF8.self)
    }

    /// Every field as a String.
    public var strings: [String] { (0..<count).map(string) }

    /// True when every field is valid UTF-8. ASCII records (the usual case) are settled
    /// 8 bytes at a time; others are checked field by field, because removing delimiters and
    /// quotes could join the halves of a broken sequence into a valid one.
    public var isValidUTF8: Bool {
        if Self.isASCII(bytes) { return true }
        for index in 0..<count where !StratumImport.isValidUTF8(self[index]) { return false }
        return true
    }

    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= n {
            high |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
