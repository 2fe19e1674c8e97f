import StratumStore

/// A growing byte buffer that JSON is written into by hand. Every string the generator writes
/// comes from its own ASCII tables, so a general JSON encoder (and its allocations) would buy
/// nothing; `string(_:)` still escapes quotes and backslashes in case a table ever has one.
struct JSONText {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 14) { bytes.reserveCapacity(capacity) }

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func raw(_ fragment: [UInt8]) { bytes.append(contentsOf: fragment) }

    /// A JSON string literal (with the quotes).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// A decimal with a fixed number of places (0–3), rounded half away from zero: values are
    /// rounded as a lab would report them, and never printed with binary-float noise.
    mutating func fixed(_ value: Double, places: Int) {
        let scale = places == 0 ? 1 : places == 1 ? 10 : places == 2 ? 100 : 1000
        let scaled = Int((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        int(scaled / scale)
        if places > 0 {
            bytes.append(UInt8(ascii: "."))
            var fraction = scaled % scale, divisor = scale / 10
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
                fraction %= divisor
                divisor /= 10
            }
        }
    }

    @inline(__always)
    private mutating func pad(_ value: Int, _ width: Int) {
        var divisor = width == 4 ? 1000 : 10
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    private mutating func dateBody(_ day: Int) {
        let (y, m, d) = CivilDate.civil(days: day)
        pad(y, 4); bytes.append(UInt8(ascii: "-")); pad(m, 2); bytes.append(UInt8(ascii: "-")); pad(d, 2)
    }

    /// `"YYYY-MM-DD"` for a day number.
    mutating func date(_ day: Int) {
        bytes.append(UInt8(ascii: "\""))
        dateBody(day)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"YYYY-MM-DDThh:mm:ssZ"` for seconds since the epoch. Times are UTC; the generator keeps
    /// them between 13:00 and 23:59 UTC so the calendar date is the same in every US time zone.
    mutating func dateTime(_ seconds: Int) {
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - day * 86_400
        bytes.append(UInt8(ascii: "\""))
        dateBody(day)
        bytes.append(UInt8(ascii: "T"))
        pad(rest / 3600, 2); bytes.append(UInt8(ascii: ":"))
        pad(rest / 60 % 60, 2); bytes.append(UInt8(ascii: ":"))
        pad(rest % 60, 2)
        raw("Z\"")
    }

    /// The id as a quoted, UUID-shaped string.
    mutating func id(_ rid: ResourceID) {
        bytes.append(UInt8(ascii: "\""))
        idBody(rid)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func idBody(_ rid: ResourceID) {
        let hex: StaticString = "0123456789abcdef"
        let digits = hex.utf8Start
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { bytes.append(UInt8(ascii: "-")) }
            let word = i < 16 ? rid.hi : rid.lo
            bytes.append(digits[Int((word >> UInt64(60 - 4 * (i % 16))) & 0xf)])
        }
    }

    /// `{"reference":"<Type>/<id>"}`; `type` ends with the slash, e.g. `"Patient/"`.
    mutating func reference(_ type: StaticString, _ rid: ResourceID) {
        raw("{\"reference\":\"")
        raw(type)
        idBody(rid)
        raw("\"}")
    }
}

/// Bytes held in fixed-size pages, so that growing never copies and memory follows the bytes
/// actually buffered. A chunk's NDJSON is buffered whole because a tar header needs the entry's
/// size before its data.
struct PagedBytes: Sendable {
    static let pageSize = 1 << 20
    private(set) var pages: [[UInt8]] = []
    private(set) var count = 0

    mutating func append(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            if pages.isEmpty || pages[pages.count - 1].count == Self.pageSize {
                var page: [UInt8] = []
                page.reserveCapacity(Self.pageSize)
                pages.append(page)
            }
            let take = min(Self.pageSize - pages[pages.count - 1].count, bytes.count - offset)
            pages[pages.count - 1].append(contentsOf: bytes[offset..<(offset + take)])
            offset += take
        }
        count += bytes.count
    }
}
