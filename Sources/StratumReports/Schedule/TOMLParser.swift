/// Parses the TOML subset schedule configs use: `# comments`, `key = value` with bare keys,
/// `[table]` and `[[array-of-tables]]` headers, basic ("…", with escapes) and literal ('…')
/// strings, decimal integers, booleans, and arrays (which may span lines and end with a comma).
/// Anything else TOML allows (floats, dates, inline tables, dotted or quoted keys, multi-line
/// strings) is an error that says so, rather than a silent misreading.
public struct TOMLParser {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1

    private init(text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    /// Parses `text`; errors name `file` and the line.
    public static func parse(_ text: String, file: String) throws(ScheduleConfigError) -> TOMLDocument {
        var parser = TOMLParser(text: text, file: file)
        return try parser.document()
    }

    // MARK: Document

    private enum Current {
        case root
        case table(String)
        case arrayElement(String)
    }

    private mutating func document() throws(ScheduleConfigError) -> TOMLDocument {
        var document = TOMLDocument()
        var current = Current.root
        if peek == "\u{FEFF}" { index += 1 }
        while true {
            skipSpaces()
            guard let c = peek else { break }
            if c == "#" || c == "\n" || c == "\r" {
                try endOfLine()
                continue
            }
            if c == "[" {
                let headerLine = line
                index += 1
                let isArray = peek == "["
                if isArray { index += 1 }
                skipSpaces()
                let name = try key(what: "table name")
                skipSpaces()
                guard peek == "]" else { throw error(isArray ? "expected ']]' after the table name" : "expected ']' after the table name") }
                index += 1
                if isArray {
                    guard peek == "]" else { throw error("expected ']]' after the table name") }
                    index += 1
                }
                try endOfLine()
                if !document.sectionOrder.contains(name) { document.sectionOrder.append(name) }
                if isArray {
                    if document.tables[name] != nil { throw error("'\(name)' is already a [\(name)] table; it cannot also be [[\(name)]]", at: headerLine) }
                    document.arrays[name, default: []].append(TOMLTable(name: name, line: headerLine))
                    current = .arrayElement(name)
                } else {
                    if document.tables[name] != nil { throw error("table [\(name)] is defined twice", at: headerLine) }
                    if document.arrays[name] != nil { throw error("'\(name)' is already a [[\(name)]] array of tables; it cannot also be [\(name)]", at: headerLine) }
                    document.tables[name] = TOMLTable(name: name, line: headerLine)
                    current = .table(name)
                }
                continue
            }
            let keyLine = line
            let name = try key(what: "key")
            skipSpaces()
            guard peek == "=" else {
                if peek == "." { throw error("dotted keys are not supported in schedule configs", key: name) }
                throw error("expected '=' after the key", key: name)
            }
            index += 1
            skipSpaces()
            let value = try self.value(key: name)
            try endOfLine()
            let inserted: Bool
            switch current {
            case .root: inserted = document.root.insert(name, value, line: keyLine)
            case .table(let t): inserted = document.tables[t]!.insert(name, value, line: keyLine)
            case .arrayElement(let a):
                let last = document.arrays[a]!.count - 1
                inserted = document.arrays[a]![last].insert(name, value, line: keyLine)
            }
            if !inserted { throw error("duplicate key", at: keyLine, key: name) }
        }
        return document
    }

    // MARK: Pieces

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { index += 1 }
    }

    /// After a header or value: optional spaces and comment, then a newline or the end.
    private mutating func endOfLine() throws(ScheduleConfigError) {
        skipSpaces()
        if peek == "#" {
            while let c = peek, c != "\n" {
                if c != "\t" && c.value < 0x20 && c != "\r" { throw error("control character in a comment") }
                index += 1
            }
        }
        if peek == "\r" && peek(1) == "\n" { index += 1 }
        if peek == "\n" {
            index += 1
            line += 1
            return
        }
        if peek == nil { return }
        throw error("unexpected '\(String(peek!))' (one key = value per line; comments start with #)")
    }

    /// Skips spaces, newlines and comments inside an array.
    private mutating func skipArraySpace() throws(ScheduleConfigError) {
        while let c = peek {
            if c == " " || c == "\t" || c == "\r" {
                index += 1
            } else if c == "\n" {
                index += 1
                line += 1
            } else if c == "#" {
                while let d = peek, d != "\n" { index += 1 }
            } else {
                return
            }
        }
    }

    private static func isBare(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }

    private mutating func key(what: String) throws(ScheduleConfigError) -> String {
        if peek == "\"" || peek == "'" { throw error("quoted \(what)s are not supported in schedule configs; use letters, digits, '_' and '-'") }
        var text = ""
        while let c = peek, Self.isBare(c) {
            text.unicodeScalars.append(c)
            index += 1
        }
        if text.isEmpty {
            if let c = peek, c != "\n" { throw error("expected a \(what), found '\(String(c))'") }
            throw error("expected a \(what)")
        }
        return text
    }

    private mutating func value(key: String) throws(ScheduleConfigError) -> TOMLValue {
        guard let c = peek, c != "\n", c != "#" else { throw error("missing value after '='", key: key) }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" { throw error("multi-line strings are not supported in schedule configs", key: key) }
            return .string(try basicString(key: key))
        case "'":
            if peek(1) == "'" && peek(2) == "'" { throw error("multi-line strings are not supported in schedule configs", key: key) }
            return .string(try literalString(key: key))
        case "[":
            return try array(key: key)
        case "{":
            throw error("inline tables are not supported in schedule configs", key: key)
        default:
            var word = ""
            while let d = peek, d != " ", d != "\t", d != "\n", d != "\r", d != "#", d != ",", d != "]" {
                word.unicodeScalars.append(d)
                index += 1
            }
            if word.isEmpty { throw error("expected a value, found '\(String(c))'", key: key) }
            if word == "true" { return .boolean(true) }
            if word == "false" { return .boolean(false) }
            if let n = Self.integer(word) { return .integer(n) }
            let numeric = word.unicodeScalars.first.map { ("0"..."9").contains($0) || $0 == "+" || $0 == "-" } ?? false
            if numeric && word.contains(where: { ":.eE-".contains($0) }) {
                throw error("'\(word)' is not a value this config takes (floats, dates and times are not supported; write strings in quotes: \"\(word)\")", key: key)
            }
            throw error("'\(word)' is not a value (strings need quotes: \"\(word)\")", key: key)
        }
    }

    /// A decimal integer: optional sign, no leading zeros, `_` only between digits.
    private static func integer(_ word: String) -> Int? {
        var body = Substring(word)
        var sign = 1
        if body.first == "+" || body.first == "-" {
            sign = body.first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber, !(first == "0" && body.count > 1),
              body.last != "_", !body.contains("__") else { return nil }
        var digits = ""
        for c in body {
            if c == "_" { continue }
            guard c.isASCII, c.isNumber else { return nil }
            digits.append(c)
        }
        guard let magnitude = Int(digits) else { return nil }
        return sign * magnitude
    }

    private mutating func basicString(key: String) throws(ScheduleConfigError) -> String {
        index += 1
        var text = ""
        while true {
            guard let c = peek, c != "\n" else { throw error("unterminated string (missing closing \")", key: key) }
            index += 1
            if c == "\"" { return text }
            if c == "\\" {
                guard let e = peek else { throw error("unterminated string (missing closing \")", key: key) }
                index += 1
                switch e {
                case "\"": text += "\""
                case "\\": text += "\\"
                case "n": text += "\n"
                case "t": text += "\t"
                case "r": text += "\r"
                case "b": text += "\u{08}"
                case "f": text += "\u{0C}"
                case "u", "U":
                    let width = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<width {
                        guard let h = peek, h.properties.isASCIIHexDigit else { throw error("\\\(e) needs \(width) hex digits", key: key) }
                        hex.unicodeScalars.append(h)
                        index += 1
                    }
                    guard let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else {
                        throw error("\\\(e)\(hex) is not a Unicode scalar", key: key)
                    }
                    text.unicodeScalars.append(scalar)
                default:
                    throw error("unknown escape '\\\(String(e))' in a string (use \\\\ for a backslash, or a 'literal string')", key: key)
                }
                continue
            }
            if c != "\t" && (c.value < 0x20 || c.value == 0x7F) { throw error("control character in a string", key: key) }
            text.unicodeScalars.append(c)
        }
    }

    private mutating func literalString(key: String) throws(ScheduleConfigError) -> String {
        index += 1
        var text = ""
        while true {
            guard let c = peek, c != "\n" else { throw error("unterminated string (missing closing ')", key: key) }
            index += 1
            if c == "'" { return text }
            if c != "\t" && (c.value < 0x20 || c.value == 0x7F) { throw error("control character in a string", key: key) }
            text.unicodeScalars.append(c)
        }
    }

    private mutating func array(key: String) throws(ScheduleConfigError) -> TOMLValue {
        let openLine = line
        index += 1
        var items: [TOMLValue] = []
        while true {
            try skipArraySpace()
            guard let c = peek else { throw error("unterminated array (opened on line \(openLine); missing ']')", at: openLine, key: key) }
            if c == "]" {
                index += 1
                return .array(items)
            }
            items.append(try value(key: key))
            try skipArraySpace()
            if peek == "," {
                index += 1
            } else if peek != "]" {
                if peek == nil { throw error("unterminated array (opened on line \(openLine); missing ']')", at: openLine, key: key) }
                throw error("expected ',' or ']' in the array, found '\(String(peek!))'", key: key)
            }
        }
    }

    private func error(_ message: String, at line: Int? = nil, key: String? = nil) -> ScheduleConfigError {
        ScheduleConfigError(file: file, line: line ?? self.line, key: key, message: message)
    }
}
