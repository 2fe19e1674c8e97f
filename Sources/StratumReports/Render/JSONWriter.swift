/// A streaming JSON writer with members in the order they are written (FHIR readers expect
/// `resourceType` first, which `JSONSerialization`'s sorted keys cannot give) and output that is
/// the same bytes on every platform. Compact, or pretty with two-space indentation. The FHIR
/// renderer uses it for small documents and to pre-render the fixed parts of NDJSON lines.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    private var depth = 0
    /// No element has been written yet in the innermost open container.
    private var atContainerStart = true
    /// A key has just been written; the next value belongs to it.
    private var afterKey = false

    init(pretty: Bool = false, capacity: Int = 1 << 12) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Structure

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ name: String) {
        beforeValue()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    // MARK: Values

    mutating func string(_ value: String) {
        beforeValue()
        Self.appendString(value, to: &bytes)
    }

    mutating func int(_ value: Int) {
        beforeValue()
        ReportBuffer.appendInt(value, to: &bytes)
    }

    mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    /// A decimal with a fixed number of places (FHIR `decimal` keeps them as written).
    mutating func fixed(_ value: Double, places: Int) {
        beforeValue()
        ReportBuffer.appendFixed(value, places: places, to: &bytes)
    }

    /// `"name": "value"` in one call.
    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    // MARK: Helpers

    private mutating func open(_ bracket: UInt8) {
        beforeValue()
        bytes.append(bracket)
        depth += 1
        atContainerStart = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty && !atContainerStart { newline() }
        bytes.append(bracket)
        atContainerStart = false
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        if !atContainerStart { bytes.append(UInt8(ascii: ",")) }
        if pretty && depth > 0 { newline() }
        atContainerStart = false
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<(depth * 2) { bytes.append(UInt8(ascii: " ")) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal: quotes, backslashes and control characters are
    /// escaped (RFC 8259), everything else — including non-ASCII UTF-8 — is copied as is.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var needsEscape = false
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                needsEscape = true
                break
            }
            if !needsEscape {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
                case 0..<0x20:
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0xf)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
