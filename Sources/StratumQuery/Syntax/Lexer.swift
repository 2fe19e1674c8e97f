import StratumStore

/// Turns script text into tokens. Never fails: bad characters and unterminated strings become
/// `.invalid` tokens with a diagnostic, so the parser can go on and report more errors.
public struct Lexer {
    private let source: SourceFile
    private var bytes: [UInt8] { source.bytes }
    private var index = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(source: SourceFile) { self.source = source }

    public static func tokenize(_ source: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source: source)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    private static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80
    }
    private static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static let symbolBytes = Set("(),=<>%/;:[]{}+-*".utf8)
    /// Characters of a code after `system:` — LOINC `4548-4`, ICD `E11.65`, wildcard `E11.*`.
    private static func isCodePart(_ b: UInt8) -> Bool { isIdentPart(b) || b == 45 || b == 46 || b == 42 }

    public mutating func next() -> Token {
        skipSpaceAndComments()
        let start = index
        guard let b = peek() else { return Token(kind: .endOfFile, range: SourceRange(start, start)) }
        if b == UInt8(ascii: "\n") {
            index += 1
            return Token(kind: .newline, range: SourceRange(start, index))
        }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { return lexString(quote: b) }
        if Lexer.isDigit(b) { return lexNumberOrDate() }
        if Lexer.isIdentStart(b) {
            while let c = peek(), Lexer.isIdentPart(c) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            // `system:code` with no space after the colon is a code literal.
            if peek() == UInt8(ascii: ":"), let c = peek(1), Lexer.isCodePart(c) || c == UInt8(ascii: "\"") {
                index += 1
                if peek() == UInt8(ascii: "\"") {
                    let quoted = lexString(quote: UInt8(ascii: "\""))
                    if case .string(let code) = quoted.kind {
                        return Token(kind: .code(system: word, code: code), range: SourceRange(start, index))
                    }
                    return quoted
                }
                let codeStart = index
                while let c = peek(), Lexer.isCodePart(c) { index += 1 }
                let code = String(decoding: bytes[codeStart..<index], as: UTF8.self)
                return Token(kind: .code(system: word, code: code), range: SourceRange(start, index))
            }
            return Token(kind: .identifier(word), range: SourceRange(start, index))
        }
        index += 1
        let two: String? = peek().map { String(decoding: [b, $0], as: UTF8.self) }
        if let two, ["<=", ">=", "!=", "<>", "..", "=="].contains(two) {
            index += 1
            let normalized = two == "<>" ? "!=" : (two == "==" ? "=" : two)
            return Token(kind: .symbol(normalized), range: SourceRange(start, index))
        }
        // A byte lookup: `String.contains` resolved to Foundation's substring search, which cost
        // a microsecond per symbol (a script of 100,000 parentheses took a tenth of a second).
        if Lexer.symbolBytes.contains(b) { return Token(kind: .symbol(String(decoding: [b], as: UTF8.self)), range: SourceRange(start, index)) }
        // Consume a whole UTF-8 sequence so the error points at one character.
        while let c = peek(), c & 0xC0 == 0x80 { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        diagnostics.append(Diagnostic(.unexpectedCharacter(text), range: SourceRange(start, index)))
        return Token(kind: .invalid(text), range: SourceRange(start, index))
    }

    private mutating func skipSpaceAndComments() {
        while let b = peek() {
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                index += 1
            } else if b == UInt8(ascii: "#") || (b == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-")) {
                while let c = peek(), c != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    private mutating func lexString(quote: UInt8) -> Token {
        let start = index
        index += 1
        var value: [UInt8] = []
        while let c = peek() {
            if c == quote {
                // A doubled quote inside a string is one quote character, as in SQL.
                if peek(1) == quote { value.append(quote); index += 2; continue }
                index += 1
                return Token(kind: .string(String(decoding: value, as: UTF8.self)), range: SourceRange(start, index))
            }
            if c == UInt8(ascii: "\n") { break }
            if c == UInt8(ascii: "\\"), let n = peek(1), n == quote || n == UInt8(ascii: "\\") {
                value.append(n); index += 2; continue
            }
            value.append(c)
            index += 1
        }
        diagnostics.append(Diagnostic(.unterminatedString, range: SourceRange(start, index)))
        return Token(kind: .invalid(String(decoding: bytes[start..<index], as: UTF8.self)), range: SourceRange(start, index))
    }

    private mutating func lexNumberOrDate() -> Token {
        let start = index
        while let c = peek(), Lexer.isDigit(c) { index += 1 }
        // YYYY-MM-DD is a date literal.
        if index - start == 4, peek() == UInt8(ascii: "-"), let m1 = peek(1), Lexer.isDigit(m1) {
            let save = index
            index += 1
            let monthStart = index
            while let c = peek(), Lexer.isDigit(c) { index += 1 }
            let monthEnd = index
            if peek() == UInt8(ascii: "-"), let d1 = peek(1), Lexer.isDigit(d1) {
                index += 1
                let dayStart = index
                while let c = peek(), Lexer.isDigit(c) { index += 1 }
                let year = Int(String(decoding: bytes[start..<start + 4], as: UTF8.self)) ?? 0
                let month = Int(String(decoding: bytes[monthStart..<monthEnd], as: UTF8.self)) ?? 0
                let day = Int(String(decoding: bytes[dayStart..<index], as: UTF8.self)) ?? 0
                let range = SourceRange(start, index)
                if monthEnd - monthStart != 2 || index - dayStart != 2 || !CivilDate.isValid(year: year, month: month, day: day) {
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    diagnostics.append(Diagnostic(.badDate(text), range: range))
                    return Token(kind: .invalid(text), range: range)
                }
                return Token(kind: .date(year: year, month: month, day: day), range: range)
            }
            index = save
        }
        if peek() == UInt8(ascii: "."), let c = peek(1), Lexer.isDigit(c) {
            index += 1
            while let c = peek(), Lexer.isDigit(c) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        return Token(kind: .number(Double(text) ?? 0, text: text), range: SourceRange(start, index))
    }
}
