import Foundation

/// The bytes a renderer writes. Renderers append text to one contiguous `[UInt8]` (no `String`
/// concatenation, no per-line `Data`) and call `flushIfFull()` at row boundaries: with a file
/// handle the buffer is written out in large chunks, so a report of several gigabytes never sits
/// in memory; without one (tests, small reports) the bytes simply accumulate.
public struct ReportBuffer {
    public private(set) var bytes: [UInt8]
    private let handle: FileHandle?
    private let chunkSize: Int
    /// Bytes already written to the file handle.
    public private(set) var flushedCount = 0

    /// An in-memory buffer: everything stays in `bytes`.
    public init(capacity: Int = 1 << 16) {
        bytes = []
        bytes.reserveCapacity(capacity)
        handle = nil
        chunkSize = .max
    }

    /// A buffer that writes to `handle` whenever it holds `chunkSize` bytes or more.
    public init(handle: FileHandle, chunkSize: Int = 8 << 20) {
        bytes = []
        bytes.reserveCapacity(chunkSize + (1 << 16))
        self.handle = handle
        self.chunkSize = chunkSize
    }

    /// The content as text (in-memory buffers; for a file-backed one, only what is not yet flushed).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes the buffer out when it is full. Call it between rows, never inside one, so that a
    /// failure leaves whole rows behind (the writer removes the file anyway).
    @inline(__always)
    public mutating func flushIfFull() throws {
        if bytes.count >= chunkSize { try flush() }
    }

    /// Writes whatever is buffered to the file handle (a no-op for an in-memory buffer).
    public mutating func flush() throws {
        guard let handle, !bytes.isEmpty else { return }
        try handle.write(contentsOf: bytes)
        flushedCount += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: Appending

    @inline(__always)
    public mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    @inline(__always)
    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    @inline(__always)
    public mutating func append(contentsOf fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    @inline(__always)
    public mutating func append(contentsOf fragment: ArraySlice<UInt8>) {
        bytes.append(contentsOf: fragment)
    }

    /// A decimal integer.
    public mutating func append(int value: Int) {
        Self.appendInt(value, to: &bytes)
    }

    /// A decimal integer, written without allocating.
    static func appendInt(_ value: Int, to bytes: inout [UInt8]) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// A fraction with exactly `places` decimals (0–6), rounded half away from zero, never in
    /// exponent notation and never with binary-float noise: `0.7273`, `1.0000`.
    public mutating func append(fixed value: Double, places: Int) {
        Self.appendFixed(value, places: places, to: &bytes)
    }

    static func appendFixed(_ value: Double, places: Int, to bytes: inout [UInt8]) {
        let places = min(max(places, 0), 6)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        let scaled = Int((abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero))
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        appendInt(scaled / scale, to: &bytes)
        if places > 0 {
            bytes.append(UInt8(ascii: "."))
            var divisor = scale / 10
            let fraction = scaled % scale
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") &+ UInt8(fraction / divisor % 10))
                divisor /= 10
            }
        }
    }

    /// A JSON string literal, quotes included (see `JSONWriter.appendString`).
    @inline(__always)
    public mutating func append(jsonString text: String) {
        JSONWriter.appendString(text, to: &bytes)
    }
}
