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
/// memory is bounded by the longest record (capped by `maxRecordBytes`). A struct, like
/// `LineSplitter`: its state is reached without the run-time exclusivity checks that a class's
/// stored properties would cost on every byte run.
///
/// Lenient where RFC 4180 is silent and real exports are sloppy: a `"` inside an unquoted field
/// is kept as a character, and characters after a closing quote are appended to the field
/// (`"a"b` reads as `ab`), as Python's `csv` module does. Blank lines are skipped.
public struct CSVReader {
    /// The field separator (`,` by default).
    public let delimiter: UInt8
    /// The largest record, in unescaped bytes, before reading stops with `recordTooLarge`.
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

    /// A reader for one stream. 64 MiB per record is far above any real row (a clinical note
    /// is a few KiB) and still a bound on memory.
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
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void) throws {
        if !checkedBOM {
            head.append(contentsOf: chunk)
            if head.count < 3 { return }
            try releaseHead(body)
            return
        }
        try scan(chunk, body)
    }

    /// Ends the stream: delivers a last record that had no line break after it.
    public mutating func finish(_ body: (CSVRecord) throws -> Void) throws {
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
    private mutating func releaseHead(_ body: (CSVRecord) throws -> Void) throws {
        checkedBOM = true
        var bytes = head
        head = []
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try bytes.withUnsafeBytes { try scan($0, body) }
    }

    private mutating func scan(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void) throws {
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
    private mutating func handleBreak(_ c: UInt8, _ body: (CSVRecord) throws -> Void) throws {
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
    private mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count > maxRecordBytes { try tooLarge() }
    }

    @inline(__always)
    private mutating func append(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count > maxRecordBytes { try tooLarge() }
    }

    private mutating func tooLarge() throws {
        let start = recordLine
        reset()
        throw CSVReaderError.recordTooLarge(line: start, limit: maxRecordBytes)
    }

    @inline(__always)
    private mutating func endField() throws {
        starts.append(fieldStart)
        ends.append(buffer.count)
        fieldStart = buffer.count
        if starts.count >= maxFields { try tooLarge() }
    }

    private mutating func endRecord(_ body: (CSVRecord) throws -> Void) throws {
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

    private mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        fieldStart = 0
        recordStarted = false
        state = .fieldStart
        recordLine = line
    }
}
