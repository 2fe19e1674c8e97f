/// Why a CSV stream cannot be read on.
public enum CSVReaderError: Error, Equatable, Sendable {
    /// A record grew past the reader's cap: a damaged file (often an unbalanced quote) or not CSV.
    /// Memory stays bounded because the reader stops here instead of buffering on.
    case recordTooLarge(line: Int, limit: Int)
    /// The stream ended inside a quoted field that began on `line`.
    case unterminatedQuote(line: Int)
}

/// A streaming RFC 4180 reader, fed chunk by chunk: quoted fields, `""` escapes, delimiters and
/// line breaks inside quotes, LF / CRLF / CR line ends, and a UTF-8 byte-order mark at the start.
///
/// Records are handed to a closure as a ``CSVRecord`` of byte ranges into the reader's own
/// buffer: no `String` is made per field, and the only copy is the unescaped record itself, so
/// memory is bounded by the longest record (capped by `maxRecordBytes`).
///
/// Lenient where RFC 4180 is silent and real exports are sloppy: a `"` inside an unquoted field
/// is kept as a character, and characters after a closing quote are appended to the field
/// (`"a"b` reads as `ab`), as Python's `csv` module does. Blank lines are skipped.
public final class CSVReader {
    public let delimiter: UInt8
    public let maxRecordBytes: Int
    /// Fields allowed per record; a cap because each field costs two integers of bookkeeping.
    public let maxFields: Int

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private var state = State.fieldStart
    private var buffer: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var fieldStart = 0
    /// True once the current record has any byte (so a line holding only `""` is a record).
    private var recordStarted = false
    private var recordLine = 1
    /// Physical line of the byte being read, counting every line break, quoted or not.
    private var line = 1
    /// A CR ended the last record or line: an LF right after it belongs to the same line break.
    private var afterCR = false
    /// Bytes seen before the byte-order-mark check could be made (the first chunk may be tiny).
    private var head: [UInt8] = []
    private var checkedBOM = false

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    public init(delimiter: UInt8 = UInt8(ascii: ","), maxRecordBytes: Int = 64 << 20, maxFields: Int = 1 << 16) {
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
        buffer.reserveCapacity(4096)
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
    }

    /// Reads `chunk` and calls `body` for every record it completes. A chunk may end anywhere,
    /// even inside a quoted field or a CRLF; the rest is carried to the next call.
    public func consume(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void) throws {
        if !checkedBOM {
            head.append(contentsOf: chunk)
            if head.count < 3 { return }
            try releaseHead(body)
            return
        }
        try scan(chunk, body)
    }

    /// Ends the stream: delivers a last record that had no line break after it.
    public func finish(_ body: (CSVRecord) throws -> Void) throws {
        if !checkedBOM { try releaseHead(body) }
        switch state {
        case .quoted:
            let start = recordLine
            reset()
            throw CSVReaderError.unterminatedQuote(line: start)
        case .fieldStart, .unquoted, .quoteInQuoted:
            if recordStarted { try endRecord(body) }
        }
    }

    /// Drops a leading UTF-8 byte-order mark, then reads the bytes held back for the check.
    private func releaseHead(_ body: (CSVRecord) throws -> Void) throws {
        checkedBOM = true
        var bytes = head
        head = []
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try bytes.withUnsafeBytes { try scan($0, body) }
    }

    private func scan(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void) throws {
        let n = chunk.count
        let delimiter = self.delimiter
        var i = 0
        while i < n {
            let c = chunk[i]
            if afterCR {
                afterCR = false
                if c == Self.lf { i += 1; continue }
            }
            switch state {
            case .fieldStart, .unquoted:
                if state == .fieldStart && c == Self.quote {
                    state = .quoted
                    recordStarted = true
                    i += 1
                    continue
                }
                // The common case: copy a run of ordinary bytes in one go.
                var j = i
                while j < n {
                    let b = chunk[j]
                    if b == delimiter || b == Self.lf || b == Self.cr { break }
                    j += 1
                }
                if j > i {
                    try append(UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
                    state = .unquoted
                    recordStarted = true
                    i = j
                    continue
                }
                try handleBreak(c, body)
                i += 1
            case .quoted:
                // Copy up to the next quote; line breaks inside it still count as lines.
                var j = i
                while j < n, chunk[j] != Self.quote {
                    if chunk[j] == Self.lf { line += 1 }
                    j += 1
                }
                if j > i { try append(UnsafeRawBufferPointer(rebasing: chunk[i..<j])) }
                if j < n { state = .quoteInQuoted }
                i = j + 1
            case .quoteInQuoted:
                if c == Self.quote {
                    try append(byte: Self.quote)
                    state = .quoted
                    i += 1
                } else if c == delimiter || c == Self.lf || c == Self.cr {
                    try handleBreak(c, body)
                    i += 1
                } else {
                    // Text after a closing quote: kept, see the type's comment.
                    state = .unquoted
                }
            }
        }
    }

    /// A delimiter or line break outside quotes.
    @inline(__always)
    private func handleBreak(_ c: UInt8, _ body: (CSVRecord) throws -> Void) throws {
        if c == delimiter {
            recordStarted = true
            try endField()
            state = .fieldStart
            return
        }
        // LF or CR: the record (if any) ends; the next one starts on the next line.
        if c == Self.cr { afterCR = true }
        if recordStarted { try endRecord(body) } else { reset() }
        line += 1
        recordLine = line
    }

    @inline(__always)
    private func append(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count > maxRecordBytes { try tooLarge() }
    }

    @inline(__always)
    private func append(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count > maxRecordBytes { try tooLarge() }
    }

    private func tooLarge() throws {
        let start = recordLine
        reset()
        throw CSVReaderError.recordTooLarge(line: start, limit: maxRecordBytes)
    }

    @inline(__always)
    private func endField() throws {
        starts.append(fieldStart)
        ends.append(buffer.count)
        fieldStart = buffer.count
        if starts.count >= maxFields { try tooLarge() }
    }

    private func endRecord(_ body: (CSVRecord) throws -> Void) throws {
        try endField()
        let line = recordLine
        defer { reset() }
        try buffer.withUnsafeBytes { bytes in
            try starts.withUnsafeBufferPointer { starts in
                try ends.withUnsafeBufferPointer { ends in
                    try body(CSVRecord(bytes: bytes, starts: starts, ends: ends, line: line))
                }
            }
        }
    }

    private func reset() {
        buffer.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        fieldStart = 0
        recordStarted = false
        state = .fieldStart
        recordLine = line
    }
}

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
