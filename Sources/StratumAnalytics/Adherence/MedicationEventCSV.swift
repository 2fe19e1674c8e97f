import Foundation

/// Reads medication events from a CSV file with a header row (RFC 4180 quoting, `,` separator, LF or
/// CRLF). Errors name the file, line and column, never a cell's value.
public enum MedicationEventCSV {
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The columns to use; `dose` and `medication` are optional.
    public struct Columns: Sendable {
        public var id: String, date: String, duration: String
        public var dose: String?, medication: String?
        public var dateFormat: String

        public init(id: String, date: String, duration: String, dose: String? = nil, medication: String? = nil, dateFormat: String = "%m/%d/%Y") {
            self.id = id; self.date = date; self.duration = duration; self.dose = dose; self.medication = medication; self.dateFormat = dateFormat
        }
    }

    public static func read(path: String, columns: Columns) throws -> [MedicationEvent] {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(message: "\(name): cannot read the file")
        }
        return try parse(Array(data), name: name, columns: columns)
    }

    /// Parses CSV bytes; `name` labels errors.
    public static func parse(_ bytes: [UInt8], name: String, columns: Columns) throws -> [MedicationEvent] {
        guard CMADate.isSupported(format: columns.dateFormat) else {
            throw ReadError(message: "unsupported --date-format (use %Y, %m, %d and literal separators)")
        }
        var events: [MedicationEvent] = []
        var header: [String]?
        var index: (id: Int, date: Int, duration: Int, dose: Int?, medication: Int?) = (0, 0, 0, nil, nil)
        var fields: [ArraySlice<UInt8>] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var i = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        let n = bytes.count

        func fail(_ column: Int?, _ what: String) -> ReadError {
            ReadError(message: "\(name):\(recordLine)\(column.map { ":\($0 + 1)" } ?? ""): \(what)")
        }
        func text(_ f: ArraySlice<UInt8>) -> String { String(decoding: f, as: UTF8.self) }
        func number(_ f: ArraySlice<UInt8>) -> Double? {
            // Fast path: plain digits with an optional fraction.
            var v = 0.0, scale = 0.0, digits = 0, ok = !f.isEmpty
            for b in f {
                if b >= 48 && b <= 57 {
                    digits += 1
                    if scale == 0 { v = v * 10 + Double(b - 48) } else { v += Double(b - 48) * scale; scale /= 10 }
                } else if b == 46 && scale == 0 { scale = 0.1 } else { ok = false; break }
            }
            if ok && digits > 0 && digits <= 15 { return v }
            let s = text(f).trimmingCharacters(in: .whitespaces)
            guard !s.isEmpty, let x = Double(s), x.isFinite else { return nil }
            return x
        }
        func record() throws {
            if fields.count == 1 && fields[0].isEmpty { return }  // blank line
            guard let header else {
                let names = fields.map { text($0).trimmingCharacters(in: .whitespaces) }
                func col(_ c: String, _ option: String) throws -> Int {
                    guard let k = names.firstIndex(of: c) else { throw fail(nil, "no column named by \(option) in the header") }
                    return k
                }
                index = (try col(columns.id, "--id"), try col(columns.date, "--date"), try col(columns.duration, "--duration"),
                         try columns.dose.map { try col($0, "--dose") }, try columns.medication.map { try col($0, "--class") })
                header = names
                return
            }
            guard fields.count == header.count else {
                throw fail(nil, "expected \(header.count) fields, found \(fields.count)")
            }
            let id = text(fields[index.id])
            guard !id.isEmpty else { throw fail(index.id, "empty patient identifier") }
            let dateField = fields[index.date]
            guard let day = CMADate.parse(dateField, format: columns.dateFormat) else {
                throw fail(index.date, "not a date in the --date-format")
            }
            guard let duration = number(fields[index.duration]), duration > 0 else {
                throw fail(index.duration, "the duration must be a positive number")
            }
            var dose: Double?
            if let k = index.dose {
                guard let v = number(fields[k]), v > 0 else { throw fail(k, "the daily dose must be a positive number") }
                dose = v
            }
            let medication = index.medication.map { text(fields[$0]) }
            events.append(MedicationEvent(patient: id, day: day, duration: duration, dose: dose, medication: medication))
        }

        var quoted: [[UInt8]] = []
        while i <= n {
            // One record: unquoted fields are slices of `bytes`, quoted ones are unescaped copies.
            fields.removeAll(keepingCapacity: true)
            quoted.removeAll(keepingCapacity: true)
            recordLine = line
            var atEnd = false
            while true {
                if i < n, bytes[i] == 34 {  // quoted
                    field.removeAll(keepingCapacity: true)
                    i += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == 34 {
                            if i + 1 < n, bytes[i + 1] == 34 { field.append(34); i += 2; continue }
                            i += 1; closed = true; break
                        }
                        if b == 10 { line += 1 }
                        field.append(b); i += 1
                    }
                    if !closed { throw fail(fields.count, "unterminated quoted field") }
                    if i < n, bytes[i] != 44, bytes[i] != 10, bytes[i] != 13 { throw fail(fields.count, "characters after a closing quote") }
                    quoted.append(field)
                    fields.append(quoted[quoted.count - 1][...])
                } else {
                    let start = i
                    while i < n, bytes[i] != 44, bytes[i] != 10, bytes[i] != 13 { i += 1 }
                    fields.append(bytes[start..<i])
                }
                if i >= n { atEnd = true; i = n + 1; break }
                if bytes[i] == 44 { i += 1; continue }
                if bytes[i] == 13 { i += 1 }
                if i < n, bytes[i] == 10 { i += 1 }
                line += 1
                break
            }
            if atEnd && fields.count == 1 && fields[0].isEmpty { break }
            try record()
        }
        if header == nil { throw ReadError(message: "\(name): no header row") }
        return events
    }
}
